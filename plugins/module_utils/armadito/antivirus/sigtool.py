# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Signature database headers through ``sigtool --info`` (antivirus.md 5.3, 5.10)."""

from __future__ import annotations

import calendar
import os
import re
import subprocess

from collections import namedtuple

Database = namedtuple("Database", ["name", "path", "version", "signature_count", "build_time"])
"""``build_time`` in Unix seconds (minute precision, as sigtool prints it)."""

# Files that carry a header; plain .hdb/.ndb/... signature files have no version or date.
CONTAINER_EXTENSIONS = (".cvd", ".cld", ".cud")

MONTHS = dict((name, number) for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1))
# "28 Nov 2026 04:16 +0000"; months are parsed by hand so that the locale does not matter.
_BUILD_TIME = re.compile(r"^(\d{1,2}) (\w{3}) (\d{4}) (\d{1,2}):(\d{2}) ([+-])(\d{2})(\d{2})$")


def containers(directory):
    """Paths of the database containers in ``directory``, sorted."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(os.path.join(directory, name) for name in names if name.endswith(CONTAINER_EXTENSIONS))


def read_header(sigtool, path):
    """The :class:`Database` described by ``sigtool --info path``, or None if it cannot be read."""
    try:
        completed = subprocess.run(
            [sigtool, "--info", path], capture_output=True, text=True, timeout=60, check=False,
            env=dict(os.environ, LC_ALL="C"),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    fields = parse_info(completed.stdout)
    try:
        return Database(
            name=os.path.basename(path),
            path=path,
            version=fields["Version"],
            signature_count=int(fields["Signatures"]),
            build_time=parse_build_time(fields["Build time"]),
        )
    except (KeyError, ValueError):
        return None


def parse_info(text):
    fields = {}
    for line in text.splitlines():
        key, separator, value = line.partition(":")
        if separator:
            fields[key.strip()] = value.strip()
    return fields


def parse_build_time(text):
    """Unix seconds from sigtool's ``Build time`` text; ValueError when it is not one."""
    match = _BUILD_TIME.match(text.strip())
    if not match or match.group(2) not in MONTHS:
        raise ValueError("unexpected build time %r" % text)
    day, month, year, hour, minute, sign, offset_hours, offset_minutes = match.groups()
    seconds = calendar.timegm((int(year), MONTHS[month], int(day), int(hour), int(minute), 0))
    offset = (int(offset_hours) * 60 + int(offset_minutes)) * 60
    return seconds - offset if sign == "+" else seconds + offset
