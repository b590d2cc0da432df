"""Desired agent schedule: when each agent task runs, as the ``scheduler:*`` attributes agents report.

Agents write these values into cron lines and scheduled tasks, so they are held to strict
patterns here: the legacy agent pasted them into a shell command unquoted.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import Field, StringConstraints
from sqlalchemy.orm import Session

from . import scopes
from .types import Entry, Model

KIND = "schedule"
TASKS = ("Enrollment", "Getjobs", "Runjobs", "State", "Scan", "Alerts", "AVConfig", "Scheduler")
Task = Literal["Enrollment", "Getjobs", "Runjobs", "State", "Scan", "Alerts", "AVConfig", "Scheduler"]

CRON_FIELD = r"[0-9A-Za-z*/,-]+"
Frequency = Annotated[
    str,
    StringConstraints(
        max_length=255,
        pattern=rf"^({CRON_FIELD}( {CRON_FIELD}){{4}}|@(hourly|daily|weekly|monthly|yearly|reboot))$",
    ),
]
Arguments = Annotated[str, StringConstraints(max_length=255, pattern=r"^[A-Za-z0-9 _.,:=/@+-]*$")]
User = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]{0,31}$")]
LogFile = Annotated[str, StringConstraints(max_length=1024, pattern=r"^(/|[A-Za-z]:\\)[A-Za-z0-9_./\\-]*$")]


class TaskSchedule(Model):
    freq: Frequency = Field(description="cron expression, e.g. */10 * * * *")
    args: Arguments = Field("", description="extra arguments of the task, e.g. -wr 5")


class ScheduleSet(Model):
    user: Optional[User] = Field(None, description="account the tasks run as")
    logfile: Optional[LogFile] = Field(None, description="absolute path of the agent's log")
    tasks: dict[Task, TaskSchedule] = Field(default_factory=dict)


class ScheduleView(ScheduleSet):
    scope: str = Field(description=scopes.SCOPE_HELP)


def entries_of(spec: ScheduleSet) -> dict[str, str]:
    entries = {}
    if spec.user is not None:
        entries["scheduler:user"] = spec.user
    if spec.logfile is not None:
        entries["scheduler:logfile"] = spec.logfile
    for task, schedule in spec.tasks.items():
        entries[f"scheduler:task:{task}:freq"] = schedule.freq
        entries[f"scheduler:task:{task}:args"] = schedule.args
    return entries


def schedule_of(entries: list[Entry]) -> ScheduleSet:
    """The inverse of :func:`entries_of`."""
    values = {entry.attr: entry.value for entry in entries}
    tasks = {
        task: TaskSchedule(freq=values[f"scheduler:task:{task}:freq"], args=values.get(f"scheduler:task:{task}:args") or "")
        for task in TASKS
        if values.get(f"scheduler:task:{task}:freq")
    }
    return ScheduleSet(user=values.get("scheduler:user"), logfile=values.get("scheduler:logfile"), tasks=tasks)


def _view(desired: scopes.DesiredView) -> ScheduleView:
    return ScheduleView(scope=desired.scope, **schedule_of(desired.entries).model_dump())


def replace(session: Session, scope: str, spec: ScheduleSet) -> ScheduleView:
    return _view(scopes.replace(session, KIND, scope, entries_of(spec)))


def show(session: Session, scope: Optional[str] = None) -> list[ScheduleView]:
    return [_view(desired) for desired in scopes.show(session, KIND, scope)]
