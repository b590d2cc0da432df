# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The wire protocol shared with armadito-server and the legacy GLPI plugin (protocol.md 3, 4, 21).

Each endpoint path is named here once and the envelope is built by :func:`envelope` only.
"""

from __future__ import annotations

import re
import sys

from . import __version__
from .errors import ArmaditoError

AGENTS = "/api/agents"
STATES = "/api/states"
JOBS = "/api/jobs"
SCHEDULERS = "/api/schedulers"
SCANS = "/api/scans"
ALERTS = "/api/alerts"
AVCONFIGS = "/api/avconfigs"

TASK_ENROLLMENT = "Enrollment"
TASK_STATE = "State"
TASK_GETJOBS = "Getjobs"
TASK_RUNJOBS = "Runjobs"
TASK_SCHEDULER = "Scheduler"
TASK_SCAN = "Scan"
TASK_ALERTS = "Alerts"
TASK_AVCONFIG = "AVConfig"
# Every task of the legacy agent, case-sensitive, in its --list-tasks order (protocol.md 20.1).
TASKS = ("Enrollment", "Getjobs", "Runjobs", "State", "Scan", "Alerts", "AVConfig", "Scheduler")

# job_priority is a string "0".."3" on the wire (protocol.md 8.2); agents run the highest first.
PRIORITY_NAMES = ("low", "medium", "high", "urgent")
# POST /api/jobs task.obj.code: 0 marks the job successful, anything else failed (protocol.md 4.3).
JOB_SUCCESS_CODE = 0
JOB_FAILURE_CODE = 1
JOB_SUCCESS_MESSAGE = "runJob successful"

KEY_PATTERN = re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$")
KEY_EXAMPLE = "AAAAF-111AF-DZ78F-EE78F-DDD1F"

# Status words of the State payload, from best to worst.
UP_TO_DATE = "up-to-date"
LATE = "late"
CRITICAL = "critical"
NON_AVAILABLE = "non-available"


def os_info():
    """``task.antivirus.os_info``: the legacy agent sent Perl's ``$OSNAME`` (protocol.md 7)."""
    if sys.platform.startswith("win"):
        return {"name": "MSWin32", "libpath": "Win32"}
    return {"name": "linux", "libpath": "Linux"}


def envelope(task_name, agent_id, uuid, antivirus, obj):
    """The legacy request body.

    ``antivirus`` is a backend identity ``{"name", "version", "program_path"}``.
    """
    return {
        "agent_id": agent_id or 0,
        "agent_version": __version__,
        "uuid": uuid,
        "task": {
            "name": task_name,
            "antivirus": {
                "name": antivirus["name"],
                "version": antivirus["version"],
                "os_info": os_info(),
                "program_path": antivirus.get("program_path") or "",
            },
            "obj": obj,
        },
    }


def normalize_key(key):
    """The enrollment key as the server expects it (trimmed, upper case), or ArmaditoError."""
    value = (key or "").strip().upper()
    if not KEY_PATTERN.match(value):
        raise ArmaditoError(
            "malformed enrollment key",
            "expected five groups of five letters or digits, for example %s; "
            "copy the key again from 'armadito-server key create'" % KEY_EXAMPLE,
            {"key_problem": "malformed"},
        )
    return value


def iso_duration(seconds):
    """A scan duration as ``PT<h>H<m>M<s>S`` with whole components (protocol.md 4.4: the legacy
    agent's fractional components are refused by the legacy server)."""
    seconds = int(round(seconds))
    return "PT%dH%dM%dS" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)
