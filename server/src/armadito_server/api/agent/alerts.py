"""POST /api/alerts: detections (protocol 4.5)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ...services.detections import record_alerts
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header
from .envelope import Envelope, read_envelope
from .schemas import ALERTS_OBJ, Empty, envelope_body, errors

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.post(
    "/api/alerts",
    summary="Report detections (each stored once, however often it is sent)",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=envelope_body(ALERTS_OBJ),
)
def post_alerts(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_alerts(session, agent, envelope.obj_object())

    in_transaction(request, work)
    return {}
