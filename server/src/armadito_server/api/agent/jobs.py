"""/api/jobs: fetch queued jobs (GET, protocol 4.2) and report a job result (POST, 4.3)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ...services.delivery import fetch_jobs
from ...services.job_results import record_result
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header, query_agent_id
from .envelope import Envelope, read_envelope
from .schemas import JOB_RESULT_OBJ, Empty, Jobs, agent_id_query, envelope_body, errors

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.get(
    "/api/jobs",
    summary="Fetch the agent's due jobs (queued, or downloaded and not reported within the lease)",
    response_model=Jobs,
    responses=errors(400, 401, 403, 404),
    openapi_extra=agent_id_query(),
)
def get_jobs(request: Request) -> dict:
    agent_id = query_agent_id(request)
    settings = request.app.state.settings

    def work(session: Session) -> dict:
        agent = caller(session, request, agent_id, request.query_params.get("uuid"), legacy_needs_uuid=False)
        return {"jobs": fetch_jobs(session, agent.id, settings.getjobs_limit, settings.job_lease_seconds)}

    return in_transaction(request, work)


@router.post(
    "/api/jobs",
    summary="Report the result of a job",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 409, 413),
    openapi_extra=envelope_body(JOB_RESULT_OBJ, ["job_id"]),
)
def post_jobs(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_result(session, agent, envelope.obj_object())

    in_transaction(request, work)
    return {}
