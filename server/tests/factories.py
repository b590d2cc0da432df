"""Test data: rows created directly through the models, and agent requests as agents build them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from armadito_server import security
from armadito_server.models import Agent, Antivirus, EnrollmentKey, Job, ScanConfig, Scheduler, utcnow

UUID_B = "4C4C4544-0033-4A10-8051-BBBBBBBBBBBB"
UUID_F = "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF"
UUID_A = "4C4C4544-0033-4A10-8051-AAAAAAAAAAAA"
ARMADITO = {"name": "Armadito", "version": "0.10.2", "os_info": {"name": "linux", "libpath": "linux"}}


def create_key(database, uses: int = 10, expires_in: dt.timedelta = dt.timedelta(days=1), revoked: bool = False) -> str:
    """A new enrollment key row; returns the clear key."""
    key = security.new_enrollment_key()
    now = utcnow()
    with database.transaction() as session:
        session.add(
            EnrollmentKey(
                key_hash=security.digest(key),
                hint=key[:5],
                expires_at=now + expires_in,
                uses_total=uses,
                uses_left=uses,
                revoked_at=now if revoked else None,
            )
        )
    return key


def uses_left(database, key: str) -> int:
    with database.transaction() as session:
        return session.query(EnrollmentKey).filter_by(key_hash=security.digest(key)).one().uses_left


def create_agent(database, uuid: str = UUID_F, antivirus: str = "Armadito") -> tuple[int, str]:
    """An enrolled agent with its scheduler slot; returns (agent_id, agent_token)."""
    token = security.new_token("agt")
    with database.transaction() as session:
        fullname = f"{antivirus}+1.0+linux"
        row = session.query(Antivirus).filter_by(fullname=fullname).one_or_none()
        if row is None:
            row = Antivirus(name=antivirus, version="1.0", osname="linux", fullname=fullname)
            session.add(row)
            session.flush()
        agent = Agent(uuid=uuid, agent_version="2.0.0", antivirus_id=row.id, token_hash=security.digest(token))
        session.add(agent)
        session.flush()
        session.add(Scheduler(agent_id=agent.id, antivirus_id=row.id))
        return agent.id, token


def create_job(
    database,
    agent_id: int,
    priority: int = 0,
    status: str = "queued",
    path: str = "/home",
    options: str = "",
    name: str | None = None,
) -> int:
    """A Scan job with its own scan configuration; returns the job id."""
    with database.transaction() as session:
        agent = session.get(Agent, agent_id)
        config = ScanConfig(
            name=name or f"scan {security.new_token('s')}", path=path, options=options, antivirus="Armadito"
        )
        session.add(config)
        session.flush()
        job = Job(
            agent_id=agent_id,
            antivirus_id=agent.antivirus_id,
            scan_config_id=config.id,
            priority=priority,
            status=status,
        )
        session.add(job)
        session.flush()
        return job.id


def envelope(agent_id: Any, uuid: Any, task: str, obj: Any, antivirus: dict | None = None) -> dict:
    """The JSON envelope of every agent POST (protocol 3.1)."""
    return {
        "agent_id": agent_id,
        "agent_version": "0.10.1",
        "uuid": uuid,
        "task": {"name": task, "antivirus": antivirus or ARMADITO, "obj": obj},
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def enroll(server, key: str, uuid: str, agent_id: int = 0, antivirus: dict | None = None):
    """POST /api/agents as the Enrollment task sends it."""
    return server.post("/api/agents", json=envelope(agent_id, uuid, "Enrollment", {"key": key}, antivirus))
