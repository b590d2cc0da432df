"""Detections (POST /api/alerts, protocol 4.5 and 10), each stored once.

Legacy agents resend the same detections on every run; the checksum of the legacy fields, with
the detection time formatted in UTC (quirk 11), identifies an alert, and a unique index on it
makes a resent or concurrently sent batch insert nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy.orm import Session

from .. import wire
from ..errors import BadRequest
from ..models import Agent, Alert
from .insert_ignore import insert_ignoring_conflicts
from .job_ownership import owned_job

TEXT_FIELDS = {
    "name": "threat_name",
    "filepath": "filepath",
    "module_name": "module_name",
    "action": "action",
    "info": "info",
}


def checksum(threat_name: str, filepath: str, detection_time: dt.datetime, agent_id: int, antivirus_id: int) -> str:
    """The legacy checksum (note the trailing ``;``), with the time in UTC."""
    when = wire.utc(detection_time).strftime("%Y-%m-%d %H:%M:%S")
    return hashlib.sha256(f"{threat_name};{filepath};{when};{agent_id};{antivirus_id};".encode("utf-8")).hexdigest()


def record_alerts(session: Session, agent: Agent, obj: dict[str, Any]) -> None:
    job_id = wire.optional_integer(obj.get("job_id"), "task.obj.job_id") or None  # 0 means "no job"
    if job_id is not None:
        owned_job(session, agent, job_id)
    alerts = obj.get("alerts", [])
    if not isinstance(alerts, list):
        raise BadRequest("task.obj.alerts must be an array")
    rows = [_alert_row(alert, f"task.obj.alerts[{index}]", agent, job_id) for index, alert in enumerate(alerts)]
    insert_ignoring_conflicts(session, Alert, rows, unique=["checksum"])
    if rows:
        newest = max(row["detection_time"] for row in rows)
        agent.last_alert = max(newest, wire.utc(agent.last_alert)) if agent.last_alert else newest


def _alert_row(alert: Any, where: str, agent: Agent, job_id: int | None) -> dict[str, Any]:
    if not isinstance(alert, dict):
        raise BadRequest(f"{where} must be an object")
    row = {
        column: wire.text(alert.get(field), f"{where}.{field}", default=wire.NON_AVAILABLE, max_length=None)
        for field, column in TEXT_FIELDS.items()
    }
    detection_time = wire.moment(alert.get("detection_time"), f"{where}.detection_time")
    if detection_time is None:
        raise BadRequest(f"{where}.detection_time is required")
    row.update(
        agent_id=agent.id,
        antivirus_id=agent.antivirus_id,
        job_id=job_id,  # the outer job_id wins over any per-alert one (quirk 23)
        detection_time=detection_time,
        checksum=checksum(row["threat_name"], row["filepath"], detection_time, agent.id, agent.antivirus_id),
    )
    return row
