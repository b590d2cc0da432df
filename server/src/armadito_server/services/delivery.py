"""Job delivery (GET /api/jobs, protocol 4.2 and 8), at least once.

A job handed to an agent becomes ``downloaded``; if the agent does not report it within the
lease, the next fetch hands it out again. (The legacy server marked jobs before the client had
them, so a lost response lost the job.)
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..models import Job, ScanConfig, utcnow

PRIORITIES = range(0, 4)  # low, medium, high, urgent
NO_SCAN_CONFIG = "the job has no scan configuration"


def fetch_jobs(session: Session, agent_id: int, limit: int, lease_seconds: int) -> list[dict[str, Any]]:
    """Up to ``limit`` due jobs of the agent, as legacy job JSON, now marked ``downloaded``."""
    now = utcnow()
    lease_expired = now - dt.timedelta(seconds=lease_seconds)
    due = session.execute(
        select(Job, ScanConfig)
        .outerjoin(ScanConfig, ScanConfig.id == Job.scan_config_id)
        .where(
            Job.agent_id == agent_id,
            or_(
                Job.status == "queued",
                # A download time is missing only on rows not written by this server (imports).
                and_(Job.status == "downloaded", or_(Job.downloaded_at.is_(None), Job.downloaded_at < lease_expired)),
            ),
        )
        .order_by(Job.priority.desc(), Job.id)
        .limit(limit)
        .with_for_update(of=Job, skip_locked=True)
    ).all()
    jobs = []
    for job, scan_config in due:
        if scan_config is None:
            # Nothing the agent could run; failing it keeps it from blocking the queue forever.
            job.status, job.error_message = "failed", NO_SCAN_CONFIG
            continue
        job.status, job.downloaded_at = "downloaded", now
        jobs.append(job_json(job, scan_config))
    return jobs


def job_json(job: Job, scan_config: ScanConfig) -> dict[str, Any]:
    """A job as the legacy agent expects it: string priority, base64 path and options."""
    return {
        "job_id": job.id,
        "job_type": job.job_type,
        "job_priority": str(job.priority if job.priority in PRIORITIES else 0),
        "obj": {
            "scanconfig_id": scan_config.id,
            "scan_name": scan_config.name,
            "scan_path": _base64(scan_config.path),
            "scan_options": _base64(scan_config.options or ""),
        },
    }


def _base64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")
