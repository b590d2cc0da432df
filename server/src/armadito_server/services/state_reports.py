"""Antivirus state (POST /api/states, protocol 4.6 and 11).

One State row per agent, one StateModule row per reported module (really updated, quirk 7,
with its signature bases), a StateChange history row when the update or service status changes,
and the ``avdetails`` entries stored as differences.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import wire
from ..errors import BadRequest
from ..models import Agent, State, StateChange, StateModule, utcnow
from .config_reports import record_config

LEGACY_DBINFO_FIELDS = ("global_update_timestamp", "global_status", "service_status", "modules")


@dataclasses.dataclass(frozen=True)
class StateReport:
    """A validated ``task.obj`` of POST /api/states."""

    update_status: str
    service_status: str
    last_update: dt.datetime | None
    extra: dict[str, Any]
    modules: dict[str, dict[str, Any]]
    avdetails: dict[str, str]
    # Identifies the report's content: agents resend unchanged states periodically, and an
    # unchanged report only needs its time recorded.
    digest: str


def parse_state(obj: dict[str, Any]) -> StateReport:
    """Validate a report before any database work (400 on the first defect)."""
    dbinfo = obj.get("dbinfo", {})
    if not isinstance(dbinfo, dict):
        raise BadRequest("task.obj.dbinfo must be an object")
    report = dict(
        update_status=wire.update_status(dbinfo.get("global_status"), "task.obj.dbinfo.global_status"),
        service_status=wire.text(
            dbinfo.get("service_status"), "task.obj.dbinfo.service_status", default=wire.NON_AVAILABLE
        ),
        last_update=wire.moment(dbinfo.get("global_update_timestamp"), "task.obj.dbinfo.global_update_timestamp"),
        extra={key: value for key, value in dbinfo.items() if key not in LEGACY_DBINFO_FIELDS},
        modules=_modules(dbinfo.get("modules")),
        avdetails=wire.config_entries(obj.get("avdetails"), "task.obj.avdetails"),
    )
    canonical = json.dumps(report, sort_keys=True, default=str, separators=(",", ":"))
    return StateReport(digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(), **report)


def record_state(session: Session, agent: Agent, report: StateReport) -> None:
    state = session.scalar(select(State).where(State.agent_id == agent.id))
    now = utcnow()
    if state is not None and state.report_digest == report.digest and state.antivirus_id == agent.antivirus_id:
        state.reported_at = now
        return
    if state is None or (state.update_status, state.service_status) != (report.update_status, report.service_status):
        session.add(
            StateChange(
                agent_id=agent.id,
                update_status=report.update_status,
                service_status=report.service_status,
                last_update=report.last_update,
            )
        )
    if state is None:
        state = State(agent_id=agent.id)
        session.add(state)
    state.antivirus_id = agent.antivirus_id
    state.update_status, state.service_status = report.update_status, report.service_status
    state.last_update, state.extra = report.last_update, report.extra
    state.report_digest, state.reported_at = report.digest, now
    _replace_modules(session, agent.id, report.modules)
    record_config(session, "avdetails", agent, report.avdetails)


def _modules(value: Any) -> dict[str, dict[str, Any]]:
    """Reported modules by name (a repeated name keeps the last report)."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise BadRequest("task.obj.dbinfo.modules must be an array")
    modules = {}
    for index, module in enumerate(value):
        where = f"task.obj.dbinfo.modules[{index}]"
        if not isinstance(module, dict):
            raise BadRequest(f"{where} must be an object")
        bases = module.get("bases", [])
        if not isinstance(bases, list) or not all(isinstance(base, dict) for base in bases):
            raise BadRequest(f"{where}.bases must be an array of objects")
        name = wire.text(module.get("name"), f"{where}.name", default=wire.NON_AVAILABLE)
        modules[name] = {
            "update_status": wire.update_status(module.get("mod_status"), f"{where}.mod_status"),
            "last_update": wire.moment(module.get("mod_update_timestamp"), f"{where}.mod_update_timestamp"),
            "bases": bases,
        }
    return modules


def _replace_modules(session: Session, agent_id: int, modules: dict[str, dict[str, Any]]) -> None:
    """Make the agent's module rows the reported ones: update, insert, and drop the unreported."""
    existing = {row.name: row for row in session.scalars(select(StateModule).where(StateModule.agent_id == agent_id))}
    for name, row in existing.items():
        if name not in modules:
            session.delete(row)
    for name, values in modules.items():
        row = existing.get(name)
        if row is None:
            row = StateModule(agent_id=agent_id, name=name)
            session.add(row)
        for field, value in values.items():
            setattr(row, field, value)
