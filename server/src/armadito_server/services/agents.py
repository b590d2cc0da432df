"""Enrolled agents: finding, listing and deleting them."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Agent, Antivirus, DesiredSetting, Scheduler
from . import lookup
from .types import Model, UtcDatetime


class AntivirusView(Model):
    id: int
    name: str
    version: str
    osname: str


class AgentView(Model):
    id: int
    uuid: str
    agent_version: Optional[str]
    antivirus: AntivirusView
    enrolled_at: UtcDatetime
    last_contact: UtcDatetime
    last_alert: Optional[UtcDatetime]
    scheduler_id: Optional[int]


def antivirus_view(antivirus: Antivirus) -> AntivirusView:
    return AntivirusView(id=antivirus.id, name=antivirus.name, version=antivirus.version, osname=antivirus.osname)


def _agents_query():
    return (
        select(Agent, Antivirus, Scheduler.id)
        .join(Antivirus, Antivirus.id == Agent.antivirus_id)
        .outerjoin(Scheduler, Scheduler.agent_id == Agent.id)
    )


def _view(agent: Agent, antivirus: Antivirus, scheduler_id: Optional[int]) -> AgentView:
    return AgentView(
        id=agent.id,
        uuid=agent.uuid,
        agent_version=agent.agent_version,
        antivirus=antivirus_view(antivirus),
        enrolled_at=agent.enrolled_at,
        last_contact=agent.last_contact,
        last_alert=agent.last_alert,
        scheduler_id=scheduler_id,
    )


def find(session: Session, ref: str | int) -> Agent:
    """An agent by id (digits) or uuid."""
    agent = lookup.by_id_or(session, Agent, ref, Agent.uuid)
    if agent is None:
        raise NotFound(f"no agent {str(ref)!r}")
    return agent


def get(session: Session, ref: str | int) -> AgentView:
    agent = find(session, ref)
    return _view(*session.execute(_agents_query().where(Agent.id == agent.id)).one())


def listing(session: Session) -> list[AgentView]:
    return [_view(*row) for row in session.execute(_agents_query().order_by(Agent.id))]


def delete_agent(session: Session, ref: str | int) -> AgentView:
    """Delete an agent with its jobs, alerts and states; its scheduler slot becomes free.

    The foreign keys do the cascading (slot: SET NULL, the rest: CASCADE). Desired settings
    scoped to the agent go too: a later agent may be given the same id.
    """
    deleted = get(session, ref)
    session.execute(delete(DesiredSetting).where(DesiredSetting.scope == f"agent:{deleted.id}"))
    session.execute(delete(Agent).where(Agent.id == deleted.id))
    return deleted
