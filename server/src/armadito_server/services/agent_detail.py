"""Everything known about one agent, for ``agents show`` and GET /api/admin/agents/{agent}."""

from __future__ import annotations

from typing import Optional

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Scheduler
from . import agents, alert_list, avconfig, desired, reported, scan_jobs, schedule, state_list
from .alert_list import AlertView
from .reported import ReportedConfig
from .schedule import ScheduleSet
from .scan_jobs import JobView
from .state_list import StateView
from .types import Entry, Model, UtcDatetime

RECENT_ALERTS = 10
RECENT_JOBS = 20


class SchedulerDetail(Model):
    id: int = Field(description="the agent's scheduler slot")
    name: str = Field(description="scheduler type the agent last reported (Cron, Systemd, Win32Native)")
    reported_at: Optional[UtcDatetime]
    reported: Optional[ReportedConfig]


class AvconfigDetail(Model):
    realtime_status: Optional[str]
    reported: Optional[ReportedConfig]
    desired: list[Entry] = Field(description="what the agent is asked to apply, all scopes merged")


class AgentDetail(agents.AgentView):
    scheduler: Optional[SchedulerDetail]
    desired_schedule: ScheduleSet = Field(description="all scopes merged")
    state: Optional[StateView]
    avdetails: Optional[ReportedConfig] = Field(description="engine details of the last state")
    avconfig: AvconfigDetail
    alerts: list[AlertView] = Field(description=f"the {RECENT_ALERTS} latest")
    jobs: list[JobView] = Field(description=f"the {RECENT_JOBS} latest")


def detail(session: Session, ref: str | int) -> AgentDetail:
    agent = agents.get(session, ref)
    slot = session.scalar(select(Scheduler).where(Scheduler.agent_id == agent.id))
    scheduler = None
    if slot is not None:
        scheduler = SchedulerDetail(
            id=slot.id,
            name=slot.name,
            reported_at=slot.reported_at,
            reported=reported.reported_config(session, "scheduler", agent.id),
        )
    avconfig_report = reported.last_report(session, avconfig.KIND, agent.id)
    agent_states = state_list.listing(session, agent=agent.id)

    def desired_entries(kind: str) -> list[Entry]:
        return [Entry(**entry) for entry in desired.effective(session, kind, agent.id, agent.antivirus.name)]

    return AgentDetail(
        **agent.model_dump(),
        scheduler=scheduler,
        desired_schedule=schedule.schedule_of(desired_entries(schedule.KIND)),
        state=agent_states[0] if agent_states else None,
        avdetails=reported.reported_config(session, "avdetails", agent.id),
        avconfig=AvconfigDetail(
            realtime_status=avconfig_report.realtime_status if avconfig_report else None,
            reported=reported.reported_config(session, avconfig.KIND, agent.id),
            desired=desired_entries(avconfig.KIND),
        ),
        alerts=alert_list.listing(session, agent=agent.id, limit=RECENT_ALERTS),
        jobs=scan_jobs.listing(session, agent=agent.id, limit=RECENT_JOBS),
    )
