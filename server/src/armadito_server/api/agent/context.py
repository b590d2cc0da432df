"""What every agent endpoint needs from its request: one transaction, the caller, ``agent_id``."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from fastapi import Request, Response
from fastapi.security import HTTPBearer
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ... import wire
from ...errors import BadRequest
from ...http import API_HEADERS
from ...models import Agent
from ...services.agent_auth import authenticate
from .envelope import EMPTY_REQUEST

T = TypeVar("T")
# Declares the agent token in the OpenAPI document; the check itself is agent_auth's (a legacy
# agent may send no token at all when the server allows it).
AGENT_TOKEN = HTTPBearer(
    auto_error=False,
    scheme_name="agentToken",
    description="the agent_token returned by POST /api/agents",
)
ATTEMPTS = 5
# PostgreSQL serialization failure and deadlock: the transaction may simply be run again.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


def in_transaction(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` as one transaction, committed before the response is sent.

    Concurrent requests can collide on a unique index (two first reports of one module, two
    enrollments of one uuid): the loser's whole transaction is rolled back and run again, and
    then sees the winner's row.
    """
    database = request.app.state.db
    for _ in range(ATTEMPTS - 1):
        try:
            with database.transaction() as session:
                return work(session)
        except DBAPIError as exc:
            if not _retryable(exc):
                raise
    with database.transaction() as session:
        return work(session)


def _retryable(exc: DBAPIError) -> bool:
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES


def caller(session: Session, request: Request, agent_id: int, uuid: Any, legacy_needs_uuid: bool = True) -> Agent:
    """The authenticated agent making ``request`` (see :mod:`armadito_server.services.agent_auth`)."""
    return authenticate(
        session,
        agent_id=agent_id,
        uuid=uuid,
        authorization=request.headers.get("authorization"),
        allow_legacy=request.app.state.settings.allow_legacy_agents,
        legacy_needs_uuid=legacy_needs_uuid,
    )


def query_agent_id(request: Request) -> int:
    """``?agent_id=N``; legacy agents repeat it (``?agent_id=12&antivirus=X&agent_id=12``)."""
    values = request.query_params.getlist("agent_id")
    if not values:
        raise BadRequest(EMPTY_REQUEST)
    if len(set(values)) > 1:
        raise BadRequest(f"agent_id is given twice with different values: {', '.join(values)}")
    return wire.integer(values[0])


async def plugin_version_header(response: Response) -> None:
    """Router dependency: the legacy version header on success responses too (errors have it).

    ``async`` so that FastAPI runs it on the event loop instead of a thread-pool round trip.
    """
    response.headers.update(API_HEADERS)
