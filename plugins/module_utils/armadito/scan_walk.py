# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files a scan covers: every regular file under the given paths, minus the exclusions.

The agent walks the tree itself rather than letting the engine do it, because clamd answers
only for infected files: walking here gives the scanned count, the progress, and per-scan
exclusions and size limits that clamd's configuration cannot take per request.
"""

from __future__ import annotations

import os
import stat
from collections import namedtuple

from .errors import ArmaditoError

Walk = namedtuple("Walk", ["files", "skipped", "errors"])
"""``files``: absolute paths to scan; ``skipped``: count of files left out by ``max_filesize``;
``errors``: ``[(path, message)]`` for directories that could not be listed."""


def walk(paths, options):
    """The :class:`Walk` of ``paths`` (files or directories) under :class:`ScanOptions` ``options``.

    Symbolic links found inside directories are not followed (a link to / would rescan the
    host); the given paths themselves are resolved. A given path that does not exist is an error.
    """
    files = []
    errors = []
    skipped = 0
    pending = []
    for path in paths:
        absolute = os.path.abspath(path)
        try:
            info = os.stat(absolute)
        except OSError as exc:
            raise ArmaditoError("cannot scan %s: %s" % (absolute, exc.strerror), "give an existing file or directory")
        if stat.S_ISDIR(info.st_mode):
            if not options.excluded_dir(absolute):
                pending.append(absolute)
        elif stat.S_ISREG(info.st_mode):
            skipped += _add(files, absolute, info.st_size, options)
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                children = sorted(entries, key=lambda entry: entry.name)
        except OSError as exc:
            errors.append((directory, exc.strerror))
            continue
        subdirectories = []
        for entry in children:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not options.excluded_dir(entry.path):
                        subdirectories.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    size = entry.stat(follow_symlinks=False).st_size if options.max_filesize is not None else 0
                    skipped += _add(files, entry.path, size, options)
            except OSError as exc:
                errors.append((entry.path, exc.strerror))
        # Depth first in name order: the same tree is always scanned in the same order.
        pending.extend(sorted(subdirectories, reverse=True))
    return Walk(files, skipped, errors)


def _add(files, path, size, options):
    """Append ``path`` unless excluded; 1 when it was skipped for its size, else 0."""
    if options.excluded_file(path):
        return 0
    if options.max_filesize is not None and size > options.max_filesize:
        return 1
    files.append(path)
    return 0
