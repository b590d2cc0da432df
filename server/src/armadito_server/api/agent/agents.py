"""/api/agents: enrollment (POST, protocol 4.1) and the identity check (GET, extension)."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from ... import wire
from ...errors import BadRequest
from ...models import Antivirus
from ...services.enrollment import enroll
from ...services.scheduler_slots import slot_of
from .context import AGENT_TOKEN, caller, in_transaction, plugin_version_header, query_agent_id
from .envelope import Envelope, read_envelope
from .schemas import (
    ENROLLMENT_OBJ,
    REQUIRED_UUID_QUERY,
    AgentIdentity,
    Enrolled,
    agent_id_query,
    envelope_body,
    errors,
)

router = APIRouter(tags=["agent API"], dependencies=[Depends(plugin_version_header)])


@router.post(
    "/api/agents",
    summary="Enroll or re-enroll an agent",
    response_model=Enrolled,
    responses=errors(400, 403, 413),
    openapi_extra=envelope_body(ENROLLMENT_OBJ, ["key"]),
)
def post_agents(request: Request, envelope: Envelope = Depends(read_envelope)) -> dict:
    key = wire.enrollment_key(envelope.obj_object().get("key"))
    uuid = wire.uuid(envelope.uuid)
    antivirus = envelope.antivirus()

    def work(session: Session) -> dict:
        enrollment = enroll(session, key=key, uuid=uuid, antivirus=antivirus, agent_version=envelope.agent_version)
        return dataclasses.asdict(enrollment)

    return in_transaction(request, work)


@router.get(
    "/api/agents",
    summary="Check that an agent is enrolled, as whom, and with which token",
    response_model=AgentIdentity,
    dependencies=[Depends(AGENT_TOKEN)],
    responses=errors(400, 401, 403, 404),
    openapi_extra=agent_id_query(REQUIRED_UUID_QUERY),
)
def get_agents(request: Request) -> dict:
    agent_id = query_agent_id(request)
    uuid = request.query_params.get("uuid")
    if uuid is None:
        raise BadRequest(f"Invalid UUID : {wire.quoted(uuid)}")

    def work(session: Session) -> dict:
        agent = caller(session, request, agent_id, uuid)
        antivirus = session.get(Antivirus, agent.antivirus_id)
        slot = slot_of(session, agent.id)
        return {
            "agent_id": agent.id,
            "scheduler_id": slot.id if slot else None,
            "uuid": agent.uuid,
            "antivirus": {"name": antivirus.name, "version": antivirus.version, "os": antivirus.osname},
        }

    return in_transaction(request, work)
