"""Admin tokens: bearer tokens of the admin API, created and revoked from the command line.

There is deliberately no API to create them: whoever holds one could otherwise mint more, and
the first one has to come from the command line anyway.
"""

from __future__ import annotations

from typing import Optional

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import security
from ..errors import Conflict, NotFound
from ..models import AdminToken, utcnow
from . import lookup
from .types import Model, Name, UtcDatetime

TOKEN_PREFIX = "adm"


class TokenCreate(Model):
    name: Name


class TokenView(Model):
    id: int
    name: str
    created_at: UtcDatetime
    revoked_at: Optional[UtcDatetime]


class CreatedToken(TokenView):
    token: str = Field(description="the bearer token; shown only at creation")


def view(token: AdminToken) -> TokenView:
    return TokenView(id=token.id, name=token.name, created_at=token.created_at, revoked_at=token.revoked_at)


def create(session: Session, spec: TokenCreate) -> CreatedToken:
    if session.scalar(select(AdminToken.id).where(AdminToken.name == spec.name)):
        raise Conflict(f"an admin token named {spec.name!r} already exists")
    secret = security.new_token(TOKEN_PREFIX)
    token = AdminToken(name=spec.name, token_hash=security.digest(secret), created_at=utcnow())
    session.add(token)
    session.flush()
    return CreatedToken(**view(token).model_dump(), token=secret)


def listing(session: Session) -> list[TokenView]:
    return [view(token) for token in session.scalars(select(AdminToken).order_by(AdminToken.id))]


def revoke(session: Session, ref: str) -> TokenView:
    token = lookup.by_id_or(session, AdminToken, ref, AdminToken.name)
    if token is None:
        raise NotFound(f"no admin token {ref!r}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return view(token)


def authenticate(session: Session, secret: str) -> Optional[AdminToken]:
    """The live token with this secret, or None (unknown or revoked)."""
    return session.scalar(
        select(AdminToken).where(AdminToken.token_hash == security.digest(secret), AdminToken.revoked_at.is_(None))
    )
