"""What administrators want agents to run: desired AV configuration and schedule.

Entries are set per scope (``all``, ``antivirus:<name>``, ``agent:<id>``); an agent gets the
entries of every scope that applies to it, the narrowest scope winning per attribute.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import DesiredSetting, utcnow

KINDS = ("avconfig", "schedule")


def scopes_for(agent_id: int, antivirus_name: str) -> list[str]:
    """Scopes that apply to an agent, broadest first."""
    return ["all", f"antivirus:{antivirus_name}", f"agent:{agent_id}"]


def effective(session: Session, kind: str, agent_id: int, antivirus_name: str) -> list[dict]:
    """``[{"attr": ..., "value": ...}]`` for one agent, sorted by attribute; value None = remove."""
    scopes = scopes_for(agent_id, antivirus_name)
    rows = session.scalars(
        select(DesiredSetting).where(DesiredSetting.kind == kind, DesiredSetting.scope.in_(scopes))
    )
    chosen: dict[str, tuple[int, str | None]] = {}
    for row in rows:
        rank = scopes.index(row.scope)
        if row.attr not in chosen or rank > chosen[row.attr][0]:
            chosen[row.attr] = (rank, row.value)
    return [{"attr": attr, "value": chosen[attr][1]} for attr in sorted(chosen)]


def replace(session: Session, kind: str, scope: str, entries: dict[str, str | None]) -> None:
    """Make ``entries`` the complete desired set of ``kind`` for ``scope``."""
    session.execute(delete(DesiredSetting).where(DesiredSetting.kind == kind, DesiredSetting.scope == scope))
    now = utcnow()
    session.add_all(
        DesiredSetting(kind=kind, scope=scope, attr=attr, value=value, updated_at=now)
        for attr, value in entries.items()
    )


def listing(session: Session, kind: str, scope: str | None = None) -> list[DesiredSetting]:
    query = select(DesiredSetting).where(DesiredSetting.kind == kind)
    if scope is not None:
        query = query.where(DesiredSetting.scope == scope)
    return list(session.scalars(query.order_by(DesiredSetting.scope, DesiredSetting.attr)))
