# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scanning files with the clamscan program (antivirus.md 5.4), when clamd cannot do it.

clamscan loads the whole signature database at every start (seconds with the official
databases), hence only the fallback. It gets the agent's file list (``--file-list``) so that
exclusions, limits and counts are the same as through clamd; arguments are a list, never a
shell command line.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

from ..errors import ArmaditoError
from .clamd_scan import ERROR, parse_reply

# exit status 0: nothing found, 1: something found, 2: some error (possibly only some files).
_USABLE_STATUSES = (0, 1, 2)


def scan(program, database_dir, files, scan_archive=True, timeout=None):
    """``{path: (status, detail)}`` for every path of ``files``.

    A file clamscan printed no verdict for is an ERROR with clamscan's warning about it.
    """
    results = {}
    listed = []
    for path in files:
        if "\n" in path:
            # --file-list is one path per line.
            results[path] = (ERROR, "path contains a newline; clamscan cannot take it")
        else:
            listed.append(path)
    if not listed:
        return results
    with tempfile.NamedTemporaryFile("w", prefix="armadito-scan-", suffix=".list", encoding="utf-8",
                                     errors="surrogateescape") as file_list:
        file_list.write("\n".join(listed) + "\n")
        file_list.flush()
        command = [program, "--no-summary", "--stdout", "--database=%s" % database_dir,
                   "--file-list=%s" % file_list.name, "--scan-archive=%s" % ("yes" if scan_archive else "no")]
        try:
            completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                                       env=dict(os.environ, LC_ALL="C"))
        except (OSError, subprocess.SubprocessError) as exc:
            raise ArmaditoError("cannot run %s: %s" % (program, exc), "check the clamav package")
    stdout = completed.stdout.decode("utf-8", "surrogateescape")
    warnings = {}
    wanted = set(listed)
    for line in stdout.splitlines():
        if line.startswith("WARNING: "):
            # "WARNING: /path: Can't access file"
            subject, dummy, message = line[len("WARNING: "):].rpartition(": ")
            warnings[subject] = message
            continue
        path = _asked_path(line, wanted)
        if path is not None:
            results[path] = parse_reply(line, path)[1:]
    if completed.returncode not in _USABLE_STATUSES or (completed.returncode == 2 and not results):
        error = completed.stderr.decode("utf-8", "replace").strip() or stdout.strip()
        raise ArmaditoError("%s failed with status %d: %s" % (program, completed.returncode, error[-500:]),
                            "check the database directory %s and the clamav installation" % database_dir)
    for path in listed:
        results.setdefault(path, (ERROR, warnings.get(path, "clamscan gave no result")))
    return results


def _asked_path(line, wanted):
    """The longest path of ``wanted`` that starts ``line`` followed by ``": "`` (paths may contain it)."""
    found = None
    position = line.find(": ")
    while position != -1:
        if line[:position] in wanted:
            found = line[:position]
        position = line.find(": ", position + 1)
    return found
