"""The "only differences are stored" algorithm (protocol 12), fixed (quirk 17).

For one kind of ``attr``/``value`` list (``avconfig``, ``avdetails``, ``scheduler``):

* the baseline of an attribute, per antivirus, is the value of its first reporter;
* an agent has override rows only where its report differs from the baseline: its own value,
  or NULL for a baseline attribute it does not report;
* each report is the agent's complete set and replaces its overrides.

Values are compared as exact strings (normalised by :func:`armadito_server.wire.config_value`).
1,000 agents sharing one 50-key configuration thus cost 50 baseline rows plus one report row per
agent (:class:`~armadito_server.models.ConfigReport`), and one more row per differing key.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ConfigBaseline, ConfigOverride, ConfigReport
from .insert_ignore import insert_ignoring_conflicts


def store_differences(session: Session, kind: str, agent_id: int, antivirus_id: int, entries: dict[str, str]) -> None:
    """Record ``entries`` as the agent's complete configuration of ``kind``."""
    baseline = _baseline(session, kind, antivirus_id)
    new_attrs = [attr for attr in entries if attr not in baseline]
    if new_attrs:
        insert_ignoring_conflicts(
            session,
            ConfigBaseline,
            [{"kind": kind, "antivirus_id": antivirus_id, "attr": attr, "value": entries[attr]} for attr in new_attrs],
            unique=["kind", "antivirus_id", "attr"],
        )
        # Read back: a concurrent first reporter may have set some of these baselines first.
        baseline = _baseline(session, kind, antivirus_id)
    wanted: dict[str, str | None] = {attr: value for attr, value in entries.items() if baseline[attr] != value}
    wanted.update({attr: None for attr in baseline if attr not in entries})

    existing = {
        row.attr: row
        for row in session.scalars(
            select(ConfigOverride).where(ConfigOverride.kind == kind, ConfigOverride.agent_id == agent_id)
        )
    }
    for attr, row in existing.items():
        if attr not in wanted:
            session.delete(row)
    for attr, value in wanted.items():
        row = existing.get(attr)
        if row is None:
            session.add(ConfigOverride(kind=kind, agent_id=agent_id, attr=attr, value=value))
        elif row.value != value:
            row.value = value


def effective_config(session: Session, kind: str, agent_id: int) -> dict[str, str]:
    """The configuration of ``kind`` the agent last reported, rebuilt from baseline + overrides.

    Empty when the agent never reported that kind.
    """
    report = session.scalar(select(ConfigReport).where(ConfigReport.kind == kind, ConfigReport.agent_id == agent_id))
    if report is None:
        return {}
    config = _baseline(session, kind, report.antivirus_id)
    overrides = session.scalars(
        select(ConfigOverride).where(ConfigOverride.kind == kind, ConfigOverride.agent_id == agent_id)
    )
    for row in overrides:
        if row.value is None:
            config.pop(row.attr, None)
        else:
            config[row.attr] = row.value
    return dict(sorted(config.items()))


def _baseline(session: Session, kind: str, antivirus_id: int) -> dict[str, str]:
    rows = session.execute(
        select(ConfigBaseline.attr, ConfigBaseline.value).where(
            ConfigBaseline.kind == kind, ConfigBaseline.antivirus_id == antivirus_id
        )
    )
    return {attr: value for attr, value in rows}
