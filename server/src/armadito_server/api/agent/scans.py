"""POST /api/scans: results of a Scan job (protocol 4.4)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ...services.scan_results import record_scan
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header
from .envelope import Envelope, read_envelope
from .schemas import SCAN_OBJ, Empty, envelope_body, errors

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.post(
    "/api/scans",
    summary="Report the results of a Scan job",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=envelope_body(SCAN_OBJ, ["job_id"]),
)
def post_scans(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    legacy_mode = request.app.state.settings.allow_legacy_agents

    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_scan(session, agent, envelope.obj_object(), ignore_unknown_job=legacy_mode)

    in_transaction(request, work)
    return {}
