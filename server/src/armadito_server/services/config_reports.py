"""Recording an agent's ``attr``/``value`` report: AV configuration, state AV details, schedule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import wire
from ..models import Agent, ConfigReport, utcnow
from .differences import store_differences

# Attributes that tell whether on-access (real-time) scanning is on, per engine (antivirus.md).
ON_ACCESS_ATTRIBUTES = (
    "on-access-linux:enable",  # Armadito AV on Linux
    "on-access:enable",  # Armadito AV on Windows, older Linux files
    "on-access",  # legacy server test data
    "onaccess:enabled",  # state avdetails
    "RealTimeProtectionEnabled",  # Microsoft Defender
)
_ENABLED = {"1", "yes", "true", "on", "enabled", "enable"}
_DISABLED = {"0", "no", "false", "off", "disabled", "disable"}


def record_config(session: Session, kind: str, agent: Agent, entries: dict[str, str]) -> ConfigReport:
    store_differences(session, kind, agent.id, agent.antivirus_id, entries)
    report = session.scalar(select(ConfigReport).where(ConfigReport.kind == kind, ConfigReport.agent_id == agent.id))
    if report is None:
        report = ConfigReport(kind=kind, agent_id=agent.id)
        session.add(report)
    report.antivirus_id = agent.antivirus_id
    report.reported_at = utcnow()
    if kind == "avconfig":
        report.realtime_status = realtime_status(entries)
    return report


def realtime_status(entries: dict[str, str]) -> str:
    """``enabled``/``disabled`` from the first on-access attribute present (quirk 16)."""
    for attr in ON_ACCESS_ATTRIBUTES:
        if attr in entries:
            value = entries[attr].strip().strip('"').lower()
            if value in _ENABLED:
                return "enabled"
            if value in _DISABLED:
                return "disabled"
    return wire.NON_AVAILABLE
