"""Scan jobs as administrators see them: queueing, listing, cancelling.

Agents fetch and report them through services.delivery and services.job_results. A job is
created with its (empty) Scan row, which the agent's scan reports then fill in.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal, Optional, Union

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import BadRequest, Conflict, NotFound
from ..models import Agent, Antivirus, Job, Scan, ScanConfig, utcnow
from . import agents, scanconfigs
from .types import MAX_INT, AgentRef, Model, Name, RowId, UtcDatetime

# Index = the stored priority, which agents receive as "0".."3" (legacy form values).
PRIORITIES = ("low", "medium", "high", "urgent")
Priority = Literal["low", "medium", "high", "urgent"]
JobStatus = Literal["queued", "downloaded", "successful", "failed", "cancelled"]
CANCELLABLE = ("queued", "downloaded")
MAX_AGENTS_PER_REQUEST = 10_000
AgentList = Annotated[list[Union[RowId, AgentRef]], Field(min_length=1, max_length=MAX_AGENTS_PER_REQUEST)]


class JobCreate(Model):
    scanconfig: Name = Field(description="name of the scan configuration to run")
    agents: Union[Literal["all"], AgentList] = Field(
        description='agent ids or uuids, or "all": every agent running the scan configuration\'s antivirus',
        examples=[[12, "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF"], "all"],
    )
    priority: Priority = "low"
    tag: Optional[Name] = Field(None, description="agents that already have a job with this tag are skipped")


class ScanView(Model):
    scanned_count: Optional[int]
    malware_count: Optional[int]
    suspicious_count: Optional[int]
    cleaned_count: Optional[int]
    progress: Optional[int]
    start_time: Optional[UtcDatetime]
    end_time: Optional[UtcDatetime]
    duration_seconds: Optional[float]
    updated_at: Optional[UtcDatetime]


class JobView(Model):
    id: int
    agent_id: int
    agent_uuid: str
    antivirus: str
    type: str
    priority: Priority
    status: JobStatus
    tag: Optional[str]
    scan_config: Optional[str]
    created_at: UtcDatetime
    downloaded_at: Optional[UtcDatetime]
    start_time: Optional[UtcDatetime]
    end_time: Optional[UtcDatetime]
    duration_seconds: Optional[float]
    error_code: Optional[int]
    error_message: Optional[str] = Field(description="decoded from the agent's base64")
    scan: Optional[ScanView] = Field(description="results of a Scan job")


class SkippedAgent(Model):
    agent_id: int
    agent_uuid: str
    job_id: int = Field(description="the job this agent already has with the tag")


class JobCreation(Model):
    created: list[JobView]
    skipped: list[SkippedAgent]


def decode_error_message(message: Optional[str]) -> Optional[str]:
    """Agents send the error message as MIME base64; anything else is shown as stored."""
    if not message:
        return message
    try:
        return base64.b64decode("".join(message.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return message


def _jobs_query():
    return (
        select(Job, Agent.uuid, Antivirus.name, ScanConfig.name, Scan)
        .join(Agent, Agent.id == Job.agent_id)
        .join(Antivirus, Antivirus.id == Job.antivirus_id)
        .outerjoin(ScanConfig, ScanConfig.id == Job.scan_config_id)
        .outerjoin(Scan, Scan.job_id == Job.id)
    )


def _scan_view(scan: Optional[Scan]) -> Optional[ScanView]:
    if scan is None:
        return None
    return ScanView(
        scanned_count=scan.scanned_count,
        malware_count=scan.malware_count,
        suspicious_count=scan.suspicious_count,
        cleaned_count=scan.cleaned_count,
        progress=scan.progress,
        start_time=scan.start_time,
        end_time=scan.end_time,
        duration_seconds=scan.duration_seconds,
        updated_at=scan.updated_at,
    )


def _view(job: Job, uuid: str, antivirus: str, scan_config: Optional[str], scan: Optional[Scan]) -> JobView:
    return JobView(
        id=job.id,
        agent_id=job.agent_id,
        agent_uuid=uuid,
        antivirus=antivirus,
        type=job.job_type,
        priority=PRIORITIES[job.priority] if 0 <= job.priority < len(PRIORITIES) else "low",
        status=job.status,
        tag=job.tag,
        scan_config=scan_config,
        created_at=job.created_at,
        downloaded_at=job.downloaded_at,
        start_time=job.start_time,
        end_time=job.end_time,
        duration_seconds=job.duration_seconds,
        error_code=job.error_code,
        error_message=decode_error_message(job.error_message),
        scan=_scan_view(scan),
    )


def _targets(session: Session, spec: JobCreate, config: ScanConfig) -> list[tuple[Agent, Antivirus]]:
    """The agents to scan. Named agents must run the configuration's engine; ``all`` picks those that do."""
    query = select(Agent, Antivirus).join(Antivirus, Antivirus.id == Agent.antivirus_id)
    if spec.agents == "all":
        return list(session.execute(query.where(Antivirus.name == config.antivirus).order_by(Agent.id)).tuples())
    targets: dict[int, tuple[Agent, Antivirus]] = {}
    for ref in spec.agents:
        agent = agents.find(session, ref)
        antivirus = session.get(Antivirus, agent.antivirus_id)
        if antivirus.name != config.antivirus:
            raise BadRequest(
                f"Cannot apply scan configuration ({config.name}) for agent ({agent.id}) "
                f"with antivirus ({antivirus.name})."
            )
        targets.setdefault(agent.id, (agent, antivirus))
    return list(targets.values())


def create(session: Session, spec: JobCreate) -> JobCreation:
    """Queue one Scan job per agent; all or nothing."""
    config = scanconfigs.find(session, spec.scanconfig)
    targets = _targets(session, spec, config)
    tagged: dict[int, int] = {}
    if spec.tag is not None:
        tagged = dict(session.execute(select(Job.agent_id, Job.id).where(Job.tag == spec.tag)).tuples().all())
    created: list[JobView] = []
    skipped: list[SkippedAgent] = []
    now = utcnow()
    for agent, antivirus in targets:
        if agent.id in tagged:
            skipped.append(SkippedAgent(agent_id=agent.id, agent_uuid=agent.uuid, job_id=tagged[agent.id]))
            continue
        job = Job(
            agent_id=agent.id,
            antivirus_id=antivirus.id,
            scan_config_id=config.id,
            job_type="Scan",
            priority=PRIORITIES.index(spec.priority),
            status="queued",
            tag=spec.tag,
            created_at=now,
        )
        session.add(job)
        session.flush()
        scan = Scan(job_id=job.id, agent_id=agent.id)
        session.add(scan)
        session.flush()
        created.append(_view(job, agent.uuid, antivirus.name, config.name, scan))
    return JobCreation(created=created, skipped=skipped)


def listing(
    session: Session,
    agent: str | int | None = None,
    status: Optional[str] = None,
    tag: Optional[str] = None,
    limit: Optional[int] = None,
) -> list[JobView]:
    """Jobs, newest first."""
    query = _jobs_query().order_by(Job.id.desc()).limit(limit)
    if agent is not None:
        query = query.where(Job.agent_id == agents.find(session, agent).id)
    if status is not None:
        query = query.where(Job.status == status)
    if tag is not None:
        query = query.where(Job.tag == tag)
    return [_view(*row) for row in session.execute(query)]


def get(session: Session, job_id: int) -> JobView:
    row = session.execute(_jobs_query().where(Job.id == job_id)).one_or_none() if job_id <= MAX_INT else None
    if row is None:
        raise NotFound(f"no job {job_id}")
    return _view(*row)


def cancel(session: Session, job_id: int) -> JobView:
    """Cancel a job the agent has not reported yet.

    An agent may still run a job it already downloaded; its report does not undo the cancellation.
    """
    job = get(session, job_id)
    if job.status not in CANCELLABLE:
        raise Conflict(f"job {job_id} is {job.status}: only queued or downloaded jobs can be cancelled")
    session.get(Job, job_id).status = "cancelled"
    return get(session, job_id)
