"""What an agent last reported of its configuration (AV configuration, AV details, schedule)."""

from __future__ import annotations

from typing import Literal, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ConfigReport
from .differences import effective_config
from .types import Entry, Model, UtcDatetime

ReportKind = Literal["avconfig", "avdetails", "scheduler"]


class ReportedConfig(Model):
    reported_at: UtcDatetime
    entries: list[Entry]


def last_report(session: Session, kind: ReportKind, agent_id: int) -> Optional[ConfigReport]:
    return session.scalar(select(ConfigReport).where(ConfigReport.kind == kind, ConfigReport.agent_id == agent_id))


def reported_config(session: Session, kind: ReportKind, agent_id: int) -> Optional[ReportedConfig]:
    """The agent's effective entries of ``kind``, or None if it never reported them."""
    report = last_report(session, kind, agent_id)
    if report is None:
        return None
    entries = effective_config(session, kind, agent_id)
    return ReportedConfig(
        reported_at=report.reported_at, entries=[Entry(attr=attr, value=value) for attr, value in entries.items()]
    )
