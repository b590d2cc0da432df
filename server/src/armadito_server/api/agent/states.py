"""POST /api/states: antivirus state (protocol 4.6)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ...services.state_reports import parse_state, record_state
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header
from .envelope import Envelope, read_envelope
from .schemas import STATE_OBJ, Empty, envelope_body, errors

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.post(
    "/api/states",
    summary="Report the antivirus state: update status, modules, AV details",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=envelope_body(STATE_OBJ),
)
def post_states(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    report = parse_state(envelope.obj_object())

    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_state(session, agent, report)

    in_transaction(request, work)
    return {}
