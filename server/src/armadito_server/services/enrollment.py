"""Enrollment (POST /api/agents, protocol 4.1): check the key, register the uuid, issue a token.

Differences from the legacy server (quirks 13 and 14, section 18): keys are looked up by
digest; a key use is consumed only when a new uuid is enrolled, and only once everything else
validated; re-enrollment keeps the agent's scheduler data and replaces its token.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import security, wire
from ..errors import Forbidden
from ..models import Agent, EnrollmentKey, utcnow
from .antiviruses import AntivirusIdentity, antivirus_id
from .scheduler_slots import assign_slot

KEY_NOT_FOUND = "Enrollment key not found in database"
KEY_REVOKED = "Your enrollment key has been revoked."
KEY_EXPIRED = "Your enrollment key has expired."
KEY_EXHAUSTED = "Your enrollment key reached its maximum usage count."


@dataclasses.dataclass(frozen=True)
class Enrollment:
    agent_id: int
    scheduler_id: int
    agent_token: str


def enroll(
    session: Session, *, key: str, uuid: str, antivirus: AntivirusIdentity, agent_version: str | None
) -> Enrollment:
    """Enroll or re-enroll ``uuid``; ``key`` and ``uuid`` already passed the wire format rules."""
    key_row = usable_key(session, key)

    engine_id = antivirus_id(session, antivirus)
    agent = session.scalar(select(Agent).where(Agent.uuid == uuid))
    if agent is None:
        consume_use(session, key_row)
        agent = Agent(uuid=uuid)
        session.add(agent)
    token = security.new_token("agt")
    agent.agent_version = agent_version
    agent.antivirus_id = engine_id
    agent.token_hash = security.digest(token)
    agent.last_contact = utcnow()
    session.flush()
    slot = assign_slot(session, agent)
    return Enrollment(agent_id=agent.id, scheduler_id=slot.id, agent_token=token)


def usable_key(session: Session, key: str) -> EnrollmentKey:
    """The key's row if it may enroll an agent now; otherwise a 403 with the legacy message."""
    row = session.scalar(select(EnrollmentKey).where(EnrollmentKey.key_hash == security.digest(key)))
    if row is None:
        raise Forbidden(KEY_NOT_FOUND)
    if row.revoked_at is not None:
        raise Forbidden(KEY_REVOKED)
    if wire.utc(row.expires_at) < utcnow():
        raise Forbidden(KEY_EXPIRED)
    if row.uses_left <= 0:
        raise Forbidden(KEY_EXHAUSTED)
    return row


def consume_use(session: Session, key_row: EnrollmentKey) -> None:
    # A conditional UPDATE, not read-modify-write: concurrent enrollments cannot overdraw a key.
    result = session.execute(
        update(EnrollmentKey)
        .where(EnrollmentKey.id == key_row.id, EnrollmentKey.uses_left > 0)
        .values(uses_left=EnrollmentKey.uses_left - 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Forbidden(KEY_EXHAUSTED)
