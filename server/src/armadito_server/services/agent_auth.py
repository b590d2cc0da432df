"""Who is calling: bind the bearer token, ``agent_id`` and ``uuid`` of a request to one agent.

The legacy server never compared them (protocol 3.3 and 18). Here the agent named by
``agent_id`` must exist, the token must be that agent's, and the uuid, when sent, must be that
agent's too. Token-less legacy agents are accepted only when the server allows them, and then
the uuid is their only proof.
"""

from __future__ import annotations

import hmac
from typing import Any

from sqlalchemy.orm import Session

from .. import security, wire
from ..errors import BadRequest, Forbidden, NotFound, Unauthorized
from ..models import Agent, utcnow


def authenticate(
    session: Session,
    *,
    agent_id: int,
    uuid: Any,
    authorization: str | None,
    allow_legacy: bool,
    legacy_needs_uuid: bool = True,
) -> Agent:
    """The calling agent, with its ``last_contact`` refreshed.

    ``uuid`` is the raw value sent (None when the request has none); ``legacy_needs_uuid`` is
    False only for GET /api/jobs, where legacy agents send nothing but ``agent_id``.
    """
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound(f"agent {agent_id} is not enrolled on this server: enroll it again")
    token = security.bearer_token(authorization)
    if token is not None:
        if agent.token_hash is None or not hmac.compare_digest(agent.token_hash, security.digest(token)):
            raise Unauthorized(f"the bearer token is not the token of agent {agent_id}")
    elif not allow_legacy:
        raise Unauthorized("missing bearer token: send Authorization: Bearer <agent_token>")
    elif uuid is None and legacy_needs_uuid:
        raise BadRequest(f"Invalid UUID : {wire.quoted(uuid)}")
    if uuid is not None and wire.uuid(uuid) != agent.uuid:
        raise Forbidden(f"uuid {wire.uuid(uuid)} does not belong to agent {agent_id}")
    agent.last_contact = utcnow()
    return agent
