"""Scan results (POST /api/scans, protocol 4.4 and 9): one row per Scan job, overwritten by each
report. Absent values are stored as unknown (NULL); ``cleaned_count`` is kept (quirk 8).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import wire
from ..errors import NotFound
from ..models import Agent, Scan, utcnow
from .job_ownership import owned_job

COUNTS = ("scanned_count", "malware_count", "suspicious_count", "cleaned_count")


def record_scan(session: Session, agent: Agent, obj: dict[str, Any], ignore_unknown_job: bool) -> None:
    """Store a scan report; ``ignore_unknown_job`` answers an unknown job with success (quirk 22)."""
    job_id = wire.required_integer(obj.get("job_id"), "task.obj.job_id")
    values = {name: wire.optional_integer(obj.get(name), f"task.obj.{name}", maximum=wire.INT64_MAX) for name in COUNTS}
    values["progress"] = wire.optional_integer(obj.get("progress"), "task.obj.progress", maximum=100)
    values["start_time"] = wire.moment(obj.get("start_time"), "task.obj.start_time")
    values["end_time"] = wire.moment(obj.get("end_time"), "task.obj.end_time")
    values["duration_seconds"] = wire.duration(obj.get("duration"), "task.obj.duration")
    try:
        job = owned_job(session, agent, job_id)
    except NotFound:
        if ignore_unknown_job:
            return
        raise
    scan = session.scalar(select(Scan).where(Scan.job_id == job.id))
    if scan is None:
        scan = Scan(job_id=job.id, agent_id=agent.id)
        session.add(scan)
    for name, value in values.items():
        setattr(scan, name, value)
    scan.updated_at = utcnow()
