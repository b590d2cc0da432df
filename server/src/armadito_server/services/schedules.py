"""Scheduler reports (POST /api/schedulers, protocol 4.8 and 13): the scheduler type on the
agent's slot, the ``confdetails`` entries as differences.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import wire
from ..models import Agent, utcnow
from .config_reports import record_config
from .scheduler_slots import assign_slot


def record_schedule(session: Session, agent: Agent, obj: dict[str, Any]) -> None:
    name = wire.text(obj.get("name"), "task.obj.name", default=wire.NON_AVAILABLE)
    entries = wire.config_entries(obj.get("confdetails"), "task.obj.confdetails")
    slot = assign_slot(session, agent)
    slot.name, slot.reported_at = name, utcnow()
    record_config(session, "scheduler", agent, entries)
