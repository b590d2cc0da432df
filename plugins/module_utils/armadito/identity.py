# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The agent identity: the machine's SMBIOS system UUID, upper case (protocol.md 6.1, 20.7)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid as uuidlib
from collections import namedtuple

from .errors import ArmaditoError

SYSFS_PRODUCT_UUID = "/sys/class/dmi/id/product_uuid"
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")

# The server's uuid rule: upper case only, letters not limited to hex.
UUID_PATTERN = re.compile(r"^[A-Z0-9]{8}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{12}$")

# Placeholders that firmware writes instead of a real UUID; the legacy agent ignores them too.
_PLACEHOLDER = re.compile(r"^(N/A|NOT SPECIFIED|NOT PRESENT|NOT SETTABLE|UNKNOWN|<BAD INDEX>|<OUT OF SPEC>|[0-]+|[F-]+)$")

# Namespace of the uuids derived from /etc/machine-id; fixed so that a host always derives the
# same uuid. Never change it: every such agent would be enrolled again as a new one.
MACHINE_ID_NAMESPACE = uuidlib.UUID("6f1f3e0c-3c52-4f7e-9a2c-61726d616469")

Identity = namedtuple("Identity", ["uuid", "source"])
"""``uuid``: the upper-case uuid; ``source``: ``parameter``, ``smbios``, ``dmidecode`` or ``machine-id``."""


def resolve(explicit=None, sysfs_path=SYSFS_PRODUCT_UUID, machine_id_files=MACHINE_ID_FILES, dmidecode=None):
    """The uuid to present to the server, and where it came from.

    An ``explicit`` uuid wins; then the SMBIOS uuid (sysfs, then ``dmidecode``); then a uuid
    derived from the systemd machine id, for virtual machines and containers without SMBIOS.
    """
    if explicit:
        value = explicit.strip().upper()
        if not UUID_PATTERN.match(value):
            raise ArmaditoError(
                "invalid uuid %r" % explicit,
                "give 8-4-4-4-12 letters and digits, for example 4C4C4544-0033-4A10-8051-B4C04F4B4B32",
            )
        return Identity(value, "parameter")
    value = _valid(_read(sysfs_path))
    if value:
        return Identity(value, "smbios")
    value = _valid(_dmidecode_uuid(dmidecode))
    if value:
        return Identity(value, "dmidecode")
    for path in machine_id_files:
        machine_id = _read(path)
        if machine_id:
            return Identity(str(uuidlib.uuid5(MACHINE_ID_NAMESPACE, machine_id)).upper(), "machine-id")
    raise ArmaditoError(
        "unable to retrieve the machine uuid (no SMBIOS uuid, no dmidecode answer, no /etc/machine-id)",
        "set the uuid option",
    )


def _valid(value):
    if not value:
        return None
    value = value.strip().upper()
    if _PLACEHOLDER.match(value) or not UUID_PATTERN.match(value):
        return None
    return value


def _read(path):
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        # Missing on machines without SMBIOS; unreadable for non-root users on most kernels.
        return None


def _dmidecode_uuid(command=None):
    command = command or shutil.which("dmidecode")
    if not command:
        return None
    try:
        completed = subprocess.run(
            [command, "-s", "system-uuid"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    # Some firmware lists several type 1 tables; the first one describes the system.
    lines = [line for line in completed.stdout.splitlines() if line.strip() and not line.startswith("#")]
    return lines[0] if lines else None
