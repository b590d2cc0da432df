"""Listing the last antivirus state of each agent, with its modules and signature bases."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Agent, Antivirus, State, StateModule
from . import agents
from .types import Model, UtcDatetime


class ModuleView(Model):
    name: str
    version: str
    update_status: str
    last_update: Optional[UtcDatetime]
    bases: list[dict[str, Any]]


class StateView(Model):
    agent_id: int
    agent_uuid: str
    antivirus: str
    update_status: str
    last_update: Optional[UtcDatetime]
    service_status: str
    extra: dict[str, Any]
    reported_at: UtcDatetime
    modules: list[ModuleView]


def listing(session: Session, agent: str | int | None = None) -> list[StateView]:
    query = (
        select(State, Agent.uuid, Antivirus.name)
        .join(Agent, Agent.id == State.agent_id)
        .join(Antivirus, Antivirus.id == State.antivirus_id)
        .order_by(State.agent_id)
    )
    modules_query = select(StateModule).order_by(StateModule.agent_id, StateModule.name)
    if agent is not None:
        agent_id = agents.find(session, agent).id
        query = query.where(State.agent_id == agent_id)
        modules_query = modules_query.where(StateModule.agent_id == agent_id)
    modules: dict[int, list[ModuleView]] = defaultdict(list)
    for module in session.scalars(modules_query):
        modules[module.agent_id].append(
            ModuleView(
                name=module.name,
                version=module.version,
                update_status=module.update_status,
                last_update=module.last_update,
                bases=module.bases or [],
            )
        )
    return [
        StateView(
            agent_id=state.agent_id,
            agent_uuid=uuid,
            antivirus=antivirus,
            update_status=state.update_status,
            last_update=state.last_update,
            service_status=state.service_status,
            extra=state.extra or {},
            reported_at=state.reported_at,
            modules=modules[state.agent_id],
        )
        for state, uuid, antivirus in session.execute(query)
    ]
