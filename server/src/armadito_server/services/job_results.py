"""Job results (POST /api/jobs, protocol 4.3) and the job state machine (protocol 8.3).

``downloaded -> successful | failed``; ``queued -> successful | failed`` is accepted too (an
agent may run a job whose fetch response was lost). A cancelled job stays cancelled; the same
final status reported twice is accepted (agents retry), a different one is a conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from .. import wire
from ..errors import Conflict
from ..models import Agent
from .job_ownership import owned_job

FINAL = ("successful", "failed")


def record_result(session: Session, agent: Agent, obj: dict[str, Any]) -> None:
    job_id = wire.required_integer(obj.get("job_id"), "task.obj.job_id")
    code = wire.integer(obj.get("code", 0), "task.obj.code", minimum=-(2**31), maximum=wire.INT32_MAX)
    message = wire.text(obj.get("message"), "task.obj.message", max_length=None)
    start = wire.moment(obj.get("start_time"), "task.obj.start_time")
    end = wire.moment(obj.get("end_time"), "task.obj.end_time")
    status = "successful" if code == 0 else "failed"

    job = owned_job(session, agent, job_id, lock=True)
    if job.status == "cancelled":
        raise Conflict(f"job {job_id} was cancelled: its result is not recorded")
    if job.status in FINAL:
        if job.status != status:
            raise Conflict(f"job {job_id} is already {job.status}: it cannot become {status}")
        return
    job.status = status
    job.start_time, job.end_time = start, end
    job.duration_seconds = _seconds_between(start, end)
    if status == "failed":
        job.error_code, job.error_message = code, message


def _seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds()
