# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Detection lines of clamd's LogFile and of clamonacc's --log file (antivirus.md 5.9).

clamd, with LogTime::

    Sat Nov 28 04:17:07 2026 -> /srv/scan/eicar.com: Local.Eicar.NDB.UNOFFICIAL(44d8...:68) FOUND

clamonacc (and clamd without LogTime)::

    /srv/oa/eicar.com: Local.Eicar.NDB.UNOFFICIAL FOUND
"""

from __future__ import annotations

import re
import time

from .sigtool import MONTHS

# The reference's regex, with the time stamp optional. The path must be absolute: streamed
# scans are logged as instream(...) and their client, which knows the file, reports them.
_DETECTION = re.compile(
    r"^(?:(?P<ts>\w{3} (?P<month>\w{3}) +(?P<day>\d{1,2}) (?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d) "
    r"(?P<year>\d{4})) -> )?(?P<path>/.+): (?P<sig>\S+?)(\((?P<md5>[0-9a-f]{32}):(?P<size>\d+)\))? FOUND$"
)


def parse_detection(line):
    """``(signature, path, Unix seconds or None)`` of a detection line, else None.

    clamd writes the host's local time without a zone; it is converted on the same host.
    """
    match = _DETECTION.match(line.rstrip("\r\n"))
    if not match or (match.group("ts") and match.group("month") not in MONTHS):
        return None
    when = None
    if match.group("ts"):
        fields = (int(match.group("year")), MONTHS[match.group("month")], int(match.group("day")),
                  int(match.group("hour")), int(match.group("minute")), int(match.group("second")), 0, 0, -1)
        when = int(time.mktime(fields))
    return match.group("sig"), match.group("path"), when
