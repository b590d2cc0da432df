"""/api/schedulers: the agent's installed schedule (POST, protocol 4.8) and the schedule the
administrator wants it to run (GET, extension).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ...models import Antivirus
from ...services import desired
from ...services.scheduler_slots import slot_of
from ...services.schedules import record_schedule
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header, query_agent_id
from .envelope import Envelope, read_envelope
from .schemas import (
    OPTIONAL_UUID_QUERY,
    SCHEDULER_OBJ,
    DesiredSchedule,
    Empty,
    agent_id_query,
    envelope_body,
    errors,
)

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.post(
    "/api/schedulers",
    summary="Report the schedule installed on the agent (cron or Windows tasks)",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=envelope_body(SCHEDULER_OBJ),
)
def post_schedulers(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_schedule(session, agent, envelope.obj_object())

    in_transaction(request, work)
    return {}


@router.get(
    "/api/schedulers",
    summary="The schedule the administrator wants this agent to run",
    response_model=DesiredSchedule,
    responses=errors(400, 401, 403, 404),
    openapi_extra=agent_id_query(OPTIONAL_UUID_QUERY),
)
def get_schedulers(request: Request) -> dict:
    agent_id = query_agent_id(request)

    def work(session: Session) -> dict:
        agent = caller(session, request, agent_id, request.query_params.get("uuid"))
        engine = session.get(Antivirus, agent.antivirus_id).name
        slot = slot_of(session, agent.id)
        return {
            "agent_id": agent.id,
            "scheduler_id": slot.id if slot else None,
            "confdetails": desired.effective(session, "schedule", agent.id, engine),
        }

    return in_transaction(request, work)
