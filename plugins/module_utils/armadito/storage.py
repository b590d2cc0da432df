# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent's state directory: small JSON documents written atomically under a lock.

A cron run of ``armadito-agent`` and an Ansible run can touch the same host at the same time;
every read-modify-write happens inside :meth:`StateDir.lock`, and every write replaces the file
in one ``rename`` so that a reader never sees half a document.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time

from .errors import ArmaditoError
from .files import remove_file, replace_file

DEFAULT_STATE_DIR = "/var/lib/armadito-agent"
STATE_DIR_ENV = "ARMADITO_STATE_DIR"

AGENT_FILE = "agent.json"
"""server_url, agent_id, scheduler_id, uuid, uuid_source, token, antivirus, enrolled_at."""

STATE_REPORT_FILE = "state-report.json"
"""digest, reported_at, server_url and agent_id of the last state the server accepted."""

JOBS_FILE = "jobs.json"
"""server_url, agent_id and the queue of fetched jobs not yet acknowledged by the server."""

SCHEDULER_REPORT_FILE = "scheduler-report.json"
"""digest, reported_at, server_url and agent_id of the last schedule the server accepted."""

ALERTS_FILE = "alerts.json"
"""Log bookmarks, detections not yet acknowledged by the server, and the windows of recent scans."""

AVCONFIG_REPORT_FILE = "avconfig-report.json"
"""digest, reported_at, server_url and agent_id of the last AV configuration the server accepted."""

LOCK_FILE = ".lock"
LOCK_TIMEOUT = 60

RUNJOBS_LOCK_FILE = ".runjobs.lock"
"""Held for a whole Runjobs run (minutes of scanning), apart from the short read-modify-write lock."""


class Locked(ArmaditoError):
    """Another run holds the lock."""


def default_state_dir():
    return os.environ.get(STATE_DIR_ENV) or DEFAULT_STATE_DIR


class StateDir:
    """JSON documents in one directory (0700), each file 0600."""

    def __init__(self, path=None, lock_timeout=LOCK_TIMEOUT):
        self.path = os.path.abspath(path or default_state_dir())
        self.lock_timeout = lock_timeout

    def file(self, name):
        return os.path.join(self.path, name)

    def read(self, name):
        """The document ``name``, or None when it does not exist."""
        path = self.file(name)
        try:
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise ArmaditoError(
                "%s is not valid JSON (%s)" % (path, exc),
                "remove it; the next run of the task that writes it recreates it",
            )
        except OSError as exc:
            raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root or fix its permissions")

    def write(self, name, document):
        """Replace ``name`` atomically (see :func:`files.replace_file`), 0600."""
        self._ensure_dir()
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        replace_file(self.file(name), text.encode("utf-8"), 0o600)

    def remove(self, name):
        remove_file(self.file(name))

    @contextlib.contextmanager
    def lock(self, name=LOCK_FILE, timeout=None):
        """Hold the exclusive lock ``name``; gives up after ``timeout`` (default ``lock_timeout``)
        seconds with :class:`Locked`. ``timeout=0`` tries once."""
        timeout = self.lock_timeout if timeout is None else timeout
        self._ensure_dir()
        descriptor = os.open(self.file(name), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise Locked(
                            "%s is locked by another armadito run%s"
                            % (self.file(name), " since more than %s seconds" % timeout if timeout else ""),
                            "wait for it to finish, or stop it",
                        )
                    time.sleep(0.1)
            yield self
        finally:
            # Closing the descriptor releases the lock.
            os.close(descriptor)

    def _ensure_dir(self):
        try:
            os.makedirs(self.path, mode=0o700, exist_ok=True)
            os.chmod(self.path, 0o700)
        except OSError as exc:
            raise ArmaditoError(
                "cannot create the state directory %s: %s" % (self.path, exc.strerror),
                "run as root, or set state_dir (ARMADITO_STATE_DIR) to a writable directory",
            )
