# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Info: what this host knows locally about its enrollment and its antivirus; no server call."""

from __future__ import annotations

from ..antivirus.registry import select
from ..errors import ArmaditoError
from ..identity import resolve
from ..storage import STATE_REPORT_FILE
from .enroll import read_enrollment


def gather_info(settings, now=None):
    storage = settings.storage()
    record = read_enrollment(storage) or {}
    last_report = storage.read(STATE_REPORT_FILE) or {}
    identity = resolve(settings.uuid)
    return {
        "changed": False,
        "state_dir": storage.path,
        "enrolled": bool(record),
        "server_url": record.get("server_url"),
        "agent_id": record.get("agent_id"),
        "scheduler_id": record.get("scheduler_id"),
        "enrolled_uuid": record.get("uuid"),
        "uuid": identity.uuid,
        "uuid_source": identity.source,
        "last_state_report": last_report.get("reported_at"),
        "antivirus": _antivirus(settings, now),
    }


def _antivirus(settings, now):
    """The engine's identity and state; ``installed: false`` and the reason when there is none."""
    try:
        backend = select(settings.antivirus, settings.antivirus_options)
        identity = backend.identity()
        state = backend.state(now)
    except ArmaditoError as exc:
        return {"installed": False, "name": None, "version": None, "program_path": None, "state": None,
                "error": str(exc)}
    return dict(identity, installed=True, state=state, error=None)
