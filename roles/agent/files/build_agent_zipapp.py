# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pack the agent core (the collection's module_utils/armadito package) into one zip file.

Run on the controller by the agent role: python3 build_agent_zipapp.py SOURCE_DIR OUTPUT.
The zip holds SOURCE_DIR as the package ``armadito``; Python imports from it with the zip on
PYTHONPATH (``python3 -m armadito.cli``). Entries are sorted and carry a fixed date, so the
same sources always give the same bytes: hosts see a change only when the code changed.
"""

from __future__ import annotations

import os
import sys
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def sources(root):
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                yield path, os.path.relpath(path, root)


def build(root, output):
    temporary = output + ".tmp"
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, relative in sources(root):
            entry = zipfile.ZipInfo("armadito/" + relative.replace(os.sep, "/"), FIXED_DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as handle:
                archive.writestr(entry, handle.read())
    os.replace(temporary, output)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
