# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every antivirus backend provides, and the update-status rule they share."""

from __future__ import annotations

import os
import shutil
import time
from collections import namedtuple

from ..errors import ArmaditoError
from ..protocol import CRITICAL, LATE, NON_AVAILABLE, UP_TO_DATE

Thresholds = namedtuple("Thresholds", ["late_days", "critical_days"])

Detection = namedtuple("Detection", ["path", "name", "time", "suspicious"])
"""A file found by a scan: its path, the signature name, Unix seconds, and whether the name is
a heuristic or potentially-unwanted guess rather than a known malware."""

ScanOutcome = namedtuple("ScanOutcome", ["engine", "scanned", "detections", "errors"])
"""What an engine scan gives: the program that scanned (``clamd``, ``clamscan``), the number of
files scanned, the :class:`Detection` list and ``[(path, message)]`` for files it could not scan."""

ConfigPlan = namedtuple("ConfigPlan", ["kind", "path", "before", "after", "changes"])
"""A configuration file to rewrite: its kind (the ``attr`` prefix), path, current and new text,
and ``{key: (values before, values after)}`` of the keys that change."""

LogSource = namedtuple("LogSource", ["path", "info", "parse"])
"""A detection log of the engine: its path, the alert ``info`` for its lines (``on-demand``,
``real-time``), and ``parse(line)`` giving ``(signature, path, Unix seconds or None)`` for a
detection line, else None."""
DEFAULT_THRESHOLDS = Thresholds(3, 10)

# Ranking used for the global status (antivirus.md 2.7): the worst module wins.
_SEVERITY = {NON_AVAILABLE: 0, UP_TO_DATE: 1, LATE: 2, CRITICAL: 3}

# Daemons live in sbin, which is not always on the PATH of a cron job or an Ansible module.
_PROGRAM_DIRS = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Antivirus:
    """The interface of an engine backend.

    ``name`` is the engine name sent to the server (``task.antivirus.name``); ``options`` are
    the user's ``antivirus_options`` (backend settings such as paths, plus the thresholds).
    """

    name = None

    def __init__(self, options=None):
        self.options = dict((key, value) for key, value in (options or {}).items() if value is not None)
        self.thresholds = thresholds(self.options)

    def installed(self):
        """Whether the engine is present on this host."""
        raise NotImplementedError

    def version(self):
        """The engine version string."""
        raise NotImplementedError

    def program_path(self):
        """The directory of the engine's programs, with a trailing slash, or an empty string."""
        return ""

    def state(self, now=None):
        """The State payload: ``{"dbinfo": {...}, "avdetails": [{"attr", "value"}, ...]}``."""
        raise NotImplementedError

    def scan(self, files, options, on_result=None, fallback=True):
        """Scan the absolute paths ``files`` under :class:`..scan_options.ScanOptions` ``options``.

        ``on_result()`` is called after each file. ``fallback`` allows a slower way when the
        engine's daemon does not answer. Returns a :class:`ScanOutcome`.
        """
        raise ArmaditoError("scanning with %s is not supported" % self.name, "use a supported engine")

    def detection_logs(self):
        """The :class:`LogSource` list of the engine's detection logs that exist on this host."""
        return []

    def config_files(self):
        """``{kind: path}`` of the engine's configuration files (kind is the ``attr`` prefix)."""
        return {}

    def config_entries(self, texts=None):
        """The configuration as the protocol's ``[{"attr": "<kind>:<key>", "value"}]``, read from
        the files, or from ``texts`` (``{kind: text}``) for the kinds it has; a key that repeats
        is one entry whose value holds its values one per line."""
        return []

    def plan_config(self, desired):
        """The :class:`ConfigPlan` list that applies ``{kind: {key: value, list or None}}``."""
        raise ArmaditoError("configuring %s is not supported" % self.name, "use a supported engine")

    def validate_config(self, texts):
        """Raise ArmaditoError if the configuration ``{kind: text}`` would be refused by the engine."""
        raise NotImplementedError

    def activate_config(self, kinds):
        """Make the engine use its changed configuration files ``kinds``; returns what was done."""
        raise NotImplementedError

    def identity(self):
        """``task.antivirus`` of the envelope, without ``os_info`` (the protocol adds it)."""
        return {"name": self.name, "version": self.version(), "program_path": self.program_path()}


def thresholds(options):
    value = Thresholds(
        int(options.get("late_days", DEFAULT_THRESHOLDS.late_days)),
        int(options.get("critical_days", DEFAULT_THRESHOLDS.critical_days)),
    )
    if not 0 < value.late_days < value.critical_days:
        raise ArmaditoError(
            "invalid thresholds late_days=%s critical_days=%s" % value,
            "late_days must be positive and smaller than critical_days",
        )
    return value


def update_status(timestamp, limits, now=None):
    """``up-to-date``, ``late`` or ``critical`` from the age of a database build time."""
    if not timestamp:
        return NON_AVAILABLE
    age_days = ((now if now is not None else time.time()) - timestamp) / 86400.0
    if age_days >= limits.critical_days:
        return CRITICAL
    if age_days >= limits.late_days:
        return LATE
    return UP_TO_DATE


def worst_status(statuses):
    return max(statuses, key=_SEVERITY.__getitem__, default=NON_AVAILABLE)


def find_program(name):
    """The absolute path of program ``name``, or None."""
    return shutil.which(name) or shutil.which(name, path=_PROGRAM_DIRS)


def process_running(name, proc="/proc", pid_file=None):
    """Whether a process whose command name is ``name`` runs on this host (Linux /proc).

    With ``pid_file``, only the process that file names counts: another instance of the same
    program (a second clamd with its own configuration) says nothing about this one.
    """
    if pid_file:
        try:
            with open(pid_file, encoding="ascii") as handle:
                pid = int(handle.read().strip())
            with open(os.path.join(proc, str(pid), "comm"), encoding="utf-8", errors="replace") as handle:
                return handle.read().strip() == name
        except (OSError, ValueError):
            return False
    try:
        entries = os.listdir(proc)
    except OSError:
        return False
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(os.path.join(proc, entry, "comm"), encoding="utf-8", errors="replace") as handle:
                if handle.read().strip() == name:
                    return True
        except OSError:
            # The process ended while we were looking.
            continue
    return False
