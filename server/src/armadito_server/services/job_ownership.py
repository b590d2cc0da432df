"""Finding the job a report is about, and checking it is the caller's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import Forbidden, NotFound
from ..models import Agent, Job


def owned_job(session: Session, agent: Agent, job_id: int, lock: bool = False) -> Job:
    """The job, which must be the agent's; ``lock`` holds it until commit (status updates)."""
    job = session.get(Job, job_id, with_for_update=lock)
    if job is None:
        raise NotFound(f"Unable to get job from database. (job {job_id})")
    if job.agent_id != agent.id:
        raise Forbidden(f"job {job_id} belongs to another agent")
    return job
