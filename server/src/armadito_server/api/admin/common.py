"""What every admin route shares: its transaction, the admin-token check, documented errors."""

from __future__ import annotations

import contextlib
from typing import Iterator, Optional

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...errors import Conflict, Unauthorized
from ...services import admin_tokens
from ...errors import Error

bearer = HTTPBearer(auto_error=False, description="an admin token: armadito-server admin-token create")


@contextlib.contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """One unit of work; a unique constraint hit by a concurrent request becomes a 409."""
    try:
        with request.app.state.db.transaction() as session:
            yield session
    except IntegrityError:
        raise Conflict("a concurrent request changed the same data: retry") from None


def require_admin(request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
    if credentials is None:
        raise Unauthorized("an admin token is required: Authorization: Bearer <token>")
    with transaction(request) as session:
        if admin_tokens.authenticate(session, credentials.credentials) is None:
            raise Unauthorized("invalid or revoked admin token")


def errors(*status_codes: int) -> dict:
    """OpenAPI entries for the error statuses a route answers, besides 400 and 401 that all do.

    Routes that take a body also list 413 (the server's body size limit).
    """
    meanings = {
        400: "invalid request",
        401: "missing, invalid or revoked admin token",
        404: "no such object",
        409: "conflicts with the current state",
        413: "request body over the server's size limit",
    }
    return {code: {"model": Error, "description": meanings[code]} for code in (400, 401, *status_codes)}
