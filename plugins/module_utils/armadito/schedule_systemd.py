# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The schedule as systemd timers: one ``armadito-agent-<task>.service`` and ``.timer`` per task."""

from __future__ import annotations

import glob
import os
import subprocess

from . import cron
from .errors import ArmaditoError

UNIT_DIR = "/etc/systemd/system"
UNIT_PREFIX = "armadito-agent-"
SCHEDULER_NAME = "Systemd"
# A task started at boot by @reboot: once the network is likely up.
REBOOT_DELAY = "1min"

_MANAGED = "# Managed by armadito.fleet (armadito_scheduler): local changes are overwritten.\n"

_SERVICE = _MANAGED + """[Unit]
Description=armadito-agent task %(task)s

[Service]
Type=oneshot
User=%(user)s
ExecStart=%(command)s -t %(task)s%(args)s
StandardOutput=append:%(logfile)s
StandardError=append:%(logfile)s
"""

_TIMER = _MANAGED + """[Unit]
Description=Run armadito-agent task %(task)s (cron: %(freq)s)

[Timer]
%(when)sAccuracySec=1s

[Install]
WantedBy=timers.target
"""


def unit_name(task, kind):
    return "%s%s.%s" % (UNIT_PREFIX, task.lower(), kind)


def render(schedule, command):
    """``{file name: text}`` of every unit of the schedule."""
    units = {}
    for task, entry in schedule.tasks.items():
        values = {"task": task, "user": schedule.user, "command": command, "args": " " + entry.args if entry.args else "",
                  "logfile": schedule.logfile, "freq": entry.freq}
        calendar = cron.on_calendar(entry.freq)
        values["when"] = ("".join("OnCalendar=%s\n" % value for value in calendar) if calendar
                          else "OnBootSec=%s\n" % REBOOT_DELAY)
        units[unit_name(task, "service")] = _SERVICE % values
        units[unit_name(task, "timer")] = _TIMER % values
    return units


def installed_units(unit_dir):
    """Paths of the agent's units in ``unit_dir``, ours by their name."""
    return sorted(glob.glob(os.path.join(unit_dir, UNIT_PREFIX + "*.service"))
                  + glob.glob(os.path.join(unit_dir, UNIT_PREFIX + "*.timer")))


def systemctl(*args):
    """Run ``systemctl args``; ArmaditoError with its output when it fails."""
    try:
        completed = subprocess.run(("systemctl",) + args, capture_output=True, text=True, timeout=120, check=False)
    except OSError as exc:
        raise ArmaditoError("cannot run systemctl: %s" % exc, "use backend cron on hosts without systemd")
    if completed.returncode != 0:
        raise ArmaditoError("systemctl %s failed: %s" % (" ".join(args), (completed.stderr or completed.stdout).strip()),
                            "look at 'systemctl status' of the units named")
