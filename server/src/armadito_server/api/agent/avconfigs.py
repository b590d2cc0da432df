"""/api/avconfigs: the agent's AV configuration (POST, protocol 4.7) and the configuration the
administrator wants it to run (GET, extension).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ... import wire
from ...models import Antivirus
from ...services import desired
from ...services.config_reports import record_config
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header, query_agent_id
from .envelope import Envelope, read_envelope
from .schemas import (
    AVCONFIG_OBJ,
    OPTIONAL_UUID_QUERY,
    DesiredAvconfig,
    Empty,
    agent_id_query,
    envelope_body,
    errors,
)

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header), Depends(AGENT_TOKEN)])


@router.post(
    "/api/avconfigs",
    summary="Report the antivirus configuration (task.obj is an array of attr/value pairs)",
    response_model=Empty,
    responses=errors(400, 401, 403, 404, 413),
    openapi_extra=envelope_body(AVCONFIG_OBJ),
)
def post_avconfigs(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    entries = wire.config_entries(envelope.obj, "task.obj")

    def work(session: Session) -> None:
        agent = caller(session, request, envelope.agent_id, envelope.uuid)
        record_config(session, "avconfig", agent, entries)

    in_transaction(request, work)
    return {}


@router.get(
    "/api/avconfigs",
    summary="The AV configuration the administrator wants this agent to run",
    response_model=DesiredAvconfig,
    responses=errors(400, 401, 403, 404),
    openapi_extra=agent_id_query(OPTIONAL_UUID_QUERY),
)
def get_avconfigs(request: Request) -> dict:
    agent_id = query_agent_id(request)

    def work(session: Session) -> dict:
        agent = caller(session, request, agent_id, request.query_params.get("uuid"))
        engine = session.get(Antivirus, agent.antivirus_id).name
        return {
            "agent_id": agent.id,
            "antivirus": engine,
            "avconfig": desired.effective(session, "avconfig", agent.id, engine),
        }

    return in_transaction(request, work)
