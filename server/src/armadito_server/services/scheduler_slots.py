"""Dense scheduler slots (legacy ``scheduler_id``, protocol 6.3 and 13).

An agent keeps its slot for life; a new agent takes the free slot (left by a deleted agent) with
the smallest id, else slot max + 1, so ids stay 1..N with gaps refilled. Ids are computed from
the table rather than drawn from a sequence, which would leave holes on rollback.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..models import Agent, Scheduler

# Key of the PostgreSQL transaction lock that serialises slot allocation ("SCHD").
_SLOT_LOCK = 0x53434844


def slot_of(session: Session, agent_id: int) -> Scheduler | None:
    return session.scalar(select(Scheduler).where(Scheduler.agent_id == agent_id))


def assign_slot(session: Session, agent: Agent) -> Scheduler:
    """The agent's slot, taking one if it has none. Its name and reported data are kept."""
    slot = slot_of(session, agent.id)
    if slot is None:
        _lock_allocation(session)
        slot = session.scalar(select(Scheduler).where(Scheduler.agent_id.is_(None)).order_by(Scheduler.id).limit(1))
        if slot is None:
            next_id = (session.scalar(select(func.max(Scheduler.id))) or 0) + 1
            slot = Scheduler(id=next_id, name="unknown")
            session.add(slot)
        slot.agent_id = agent.id
    slot.antivirus_id = agent.antivirus_id
    session.flush()
    return slot


def _lock_allocation(session: Session) -> None:
    # Two concurrent enrollments would otherwise pick the same free slot or the same max + 1.
    # SQLite needs nothing: its transactions take the write lock when they begin.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SLOT_LOCK})
