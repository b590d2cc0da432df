# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent schedule: which task runs when, as whom, logging where (protocol.md 4.8, 20.9).

One model, read from module options, from the server's ``confdetails`` or from a legacy
``scheduler-cron.cfg``, and written back as ``confdetails``. Every value ends up in a cron line
or a systemd unit, so each is held to a strict pattern here (the legacy agent pasted them into
a shell command unchecked).
"""

from __future__ import annotations

import re
from collections import OrderedDict, namedtuple

from . import cron
from .errors import ArmaditoError
from .protocol import TASKS

DEFAULT_USER = "root"
DEFAULT_LOGFILE = "/var/log/armadito-agent.log"

# The server's patterns (docs/admin.md, schedule): shell- and unit-file-safe characters only.
_ARGS = re.compile(r"^[A-Za-z0-9 _.,:=/@+-]*$")
_USER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")
_LOGFILE = re.compile(r"^/[A-Za-z0-9_./-]*$")

_LEGACY_TASK_LINE = re.compile(r"^(.*?);(.*?);(.*?)$")
_LEGACY_SETTING = re.compile(r"^(User|Logfile)\s*=\s*(.*?)\s*$")

TaskSchedule = namedtuple("TaskSchedule", ["freq", "args"])


class Schedule(namedtuple("Schedule", ["user", "logfile", "tasks"])):
    """``tasks``: an OrderedDict task name -> :class:`TaskSchedule`, in the legacy task order."""

    def confdetails(self):
        """The ``{attr, value}`` entries the Cron scheduler reports (protocol.md 4.8)."""
        entries = [{"attr": "scheduler:user", "value": self.user},
                   {"attr": "scheduler:logfile", "value": self.logfile}]
        for task, entry in self.tasks.items():
            entries.append({"attr": "scheduler:task:%s:freq" % task, "value": entry.freq})
            entries.append({"attr": "scheduler:task:%s:args" % task, "value": entry.args})
        return entries

    def as_dict(self):
        return {"user": self.user, "logfile": self.logfile,
                "tasks": OrderedDict((task, entry._asdict()) for task, entry in self.tasks.items())}

    def with_leading_args(self, args):
        """The same schedule with ``args`` before every task's own arguments."""
        if not args:
            return self
        tasks = OrderedDict((task, TaskSchedule(entry.freq, " ".join(filter(None, (args, entry.args)))))
                            for task, entry in self.tasks.items())
        return self._replace(tasks=tasks)


def build(tasks, user=None, logfile=None):
    """A validated :class:`Schedule` from ``{task: {"freq": ..., "args": ...}}``."""
    user = user or DEFAULT_USER
    logfile = logfile or DEFAULT_LOGFILE
    if not _USER.match(user):
        raise ArmaditoError("invalid scheduler user %r" % user, "give a plain account name such as root")
    if not _LOGFILE.match(logfile):
        raise ArmaditoError("invalid scheduler log file %r" % logfile,
                            "give an absolute path of letters, digits and _ . / -")
    unknown = sorted(set(tasks) - set(TASKS))
    if unknown:
        raise ArmaditoError("unknown task(s) in the schedule: %s" % ", ".join(unknown),
                            "tasks are %s (case-sensitive)" % ", ".join(TASKS))
    ordered = OrderedDict()
    for task in TASKS:
        if task not in tasks:
            continue
        entry = tasks[task] or {}
        args = " ".join((entry.get("args") or "").split())
        if not _ARGS.match(args):
            raise ArmaditoError("invalid arguments %r for task %s" % (args, task),
                                "use letters, digits, spaces and _ . , : = / @ + - only")
        ordered[task] = TaskSchedule(cron.validate(entry.get("freq")), args)
    if not ordered:
        raise ArmaditoError("the schedule has no task", "give at least one task with its frequency")
    return Schedule(user, logfile, ordered)


def from_confdetails(entries):
    """The :class:`Schedule` of the server's ``confdetails`` (a null value removes the entry),
    or None when they name no task."""
    values = dict((entry.get("attr"), entry.get("value")) for entry in entries or () if isinstance(entry, dict))
    tasks = {}
    for task in TASKS:
        freq = values.get("scheduler:task:%s:freq" % task)
        if freq:
            tasks[task] = {"freq": freq, "args": values.get("scheduler:task:%s:args" % task) or ""}
    if not tasks:
        return None
    return build(tasks, values.get("scheduler:user"), values.get("scheduler:logfile"))


def from_legacy_file(text):
    """The :class:`Schedule` of a legacy ``scheduler-cron.cfg`` (protocol.md 20.9), full cron syntax."""
    settings = {}
    tasks = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        setting = _LEGACY_SETTING.match(line)
        if setting:
            settings[setting.group(1)] = setting.group(2)
            continue
        task_line = _LEGACY_TASK_LINE.match(line)
        if not task_line:
            raise ArmaditoError("cannot read the schedule line %r" % line, "write: <frequency> ; <Task> ; <args>")
        freq, task, args = (part.strip() for part in task_line.groups())
        tasks[task] = {"freq": freq, "args": args}
    return build(tasks, settings.get("User"), settings.get("Logfile"))
