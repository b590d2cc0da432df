# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The schedule as ``/etc/cron.d/armadito-agent``, in the legacy agent's layout (protocol.md 20.9)."""

from __future__ import annotations

import time

CRON_FILE = "/etc/cron.d/armadito-agent"
SCHEDULER_NAME = "Cron"

_STAMP = "# last modification by armadito-agent : "
_HEADER = "#\n# Cron configuration for armadito-agent\n#\n" + _STAMP + "%s\n\n"
_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n"


def render(schedule, command, now=None):
    """The file: header with the local time (two spaces between date and time, as the legacy
    agent wrote it), PATH, then one ``freq<TAB>user<TAB>command`` line per task."""
    stamp = time.strftime("%Y-%m-%d  %H:%M:%S", time.localtime(now))
    lines = ["%s\t%s\t%s -t \"%s\" %s >>%s 2>&1\n" % (entry.freq, schedule.user, command, task, entry.args, schedule.logfile)
             for task, entry in schedule.tasks.items()]
    return _HEADER % stamp + _PATH + "".join(lines)


def same(old, new):
    """Whether two renderings schedule the same thing: only the modification time may differ."""
    if old is None:
        return False
    return _without_stamp(old) == _without_stamp(new)


def _without_stamp(text):
    return [line for line in text.splitlines() if not line.startswith(_STAMP)]
