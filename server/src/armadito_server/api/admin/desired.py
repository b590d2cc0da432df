"""/api/admin/avconfig and /api/admin/schedule: what agents are asked to apply, per scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from ...services import avconfig, schedule, scopes
from .common import errors, transaction

router = APIRouter(tags=["desired settings"])

Scope = Annotated[
    str,
    Path(
        description=scopes.SCOPE_HELP,
        pattern=scopes.SCOPE_PATTERN,
        examples=["all", "antivirus:ClamAV", "agent:12"],
    ),
]


@router.get("/avconfig", response_model=list[scopes.DesiredView], responses=errors(), summary="Desired AV configuration of every scope")
def list_avconfig(request: Request):
    with transaction(request) as session:
        return avconfig.show(session)


@router.get("/avconfig/{scope}", response_model=scopes.DesiredView, responses=errors(404), summary="Desired AV configuration of a scope")
def get_avconfig(request: Request, scope: Scope):
    with transaction(request) as session:
        return avconfig.show(session, scope)[0]


@router.put(
    "/avconfig/{scope}",
    response_model=scopes.DesiredView,
    responses=errors(404, 413),
    summary="Replace the desired AV configuration of a scope (no entries: clear it)",
)
def put_avconfig(request: Request, scope: Scope, spec: avconfig.AvconfigSet):
    with transaction(request) as session:
        return avconfig.replace(session, scope, spec)


@router.get("/schedule", response_model=list[schedule.ScheduleView], responses=errors(), summary="Desired schedule of every scope")
def list_schedule(request: Request):
    with transaction(request) as session:
        return schedule.show(session)


@router.get("/schedule/{scope}", response_model=schedule.ScheduleView, responses=errors(404), summary="Desired schedule of a scope")
def get_schedule(request: Request, scope: Scope):
    with transaction(request) as session:
        return schedule.show(session, scope)[0]


@router.put(
    "/schedule/{scope}",
    response_model=schedule.ScheduleView,
    responses=errors(404, 413),
    summary="Replace the desired schedule of a scope (no user, logfile or tasks: clear it)",
)
def put_schedule(request: Request, scope: Scope, spec: schedule.ScheduleSet):
    with transaction(request) as session:
        return schedule.replace(session, scope, spec)
