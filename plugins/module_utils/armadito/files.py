# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Files of the host written whole or not at all: read, atomic replace, remove, backup.

A reader (cron, systemd, the engine restarting, another agent run) sees the old file or the new
one, never half of it: every write goes to a temporary file in the same directory, is synced,
then renamed over the target, and the directory is synced so that the rename survives a crash.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time

from .errors import ArmaditoError


def read_text(path):
    """The text of ``path``, or None when it does not exist."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root or fix its permissions")


def replace_file(path, data, mode):
    """Replace ``path`` by the bytes ``data`` with permissions ``mode``: temporary file, fsync,
    rename, fsync of the directory."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    except OSError as exc:
        raise ArmaditoError("cannot write %s: %s" % (path, exc.strerror), "run as root or fix its permissions")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(directory)


def remove_file(path):
    """Remove ``path`` if it exists."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
        _fsync_dir(os.path.dirname(os.path.abspath(path)))


def backup_file(path, now=None):
    """Copy ``path`` to ``<path>.<pid>.<date>@<time>~`` (the name of Ansible's backups); returns that name."""
    stamp = time.strftime("%Y-%m-%d@%H:%M:%S", time.localtime(now))
    destination = "%s.%d.%s~" % (path, os.getpid(), stamp)
    try:
        shutil.copy2(path, destination)
    except OSError as exc:
        raise ArmaditoError("cannot back up %s: %s" % (path, exc.strerror), "check the directory's permissions")
    return destination


def _fsync_dir(directory):
    # Makes the rename itself durable across a power loss.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
