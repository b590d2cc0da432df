"""Enrollment keys: created by administrators, spent by agents when they enroll.

The key itself is shown once, at creation; the database keeps its digest and its first group
(the hint) so that an administrator can still recognise it in a list.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, Optional

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import security
from ..errors import BadRequest, Conflict, NotFound
from ..models import EnrollmentKey, utcnow
from . import lookup
from .types import Model, Name, UtcDatetime, as_utc

MAX_USES = 100_000  # the legacy form's upper bound
MAX_LIFETIME = dt.timedelta(days=3660)
EXPIRY_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
RELATIVE_EXPIRY = re.compile(r"^([0-9]{1,7})([mhdw])$")
EXPIRY_PATTERN = r"^([1-9][0-9]{0,6}[mhdw]|\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)$"

Status = Literal["active", "expired", "exhausted", "revoked"]


class KeyCreate(Model):
    name: Optional[Name] = Field(None, description="unique label, lets automation create keys idempotently")
    uses: int = Field(ge=1, le=MAX_USES, description="how many enrollments the key allows")
    # The pattern is documentation: parse_expiry checks the form and says what is wrong.
    expires: str = Field(
        max_length=64,
        json_schema_extra={"pattern": EXPIRY_PATTERN},
        description="lifetime (30m, 12h, 7d, 2w) or an ISO date or date-time (UTC unless it has a zone)",
        examples=["7d", "12h"],
    )


class KeyView(Model):
    id: int
    name: Optional[str]
    hint: str = Field(description="first group of the key")
    created_at: UtcDatetime
    expires_at: UtcDatetime
    uses_left: int
    uses_total: int
    revoked_at: Optional[UtcDatetime]
    status: Status


class CreatedKey(KeyView):
    key: str = Field(description="the enrollment key; shown only in this response")


def parse_expiry(text: str, now: dt.datetime) -> dt.datetime:
    """``30m``/``12h``/``7d``/``2w`` from now, or an ISO date (midnight UTC) or date-time."""
    text = text.strip()
    relative = RELATIVE_EXPIRY.match(text)
    if relative:
        amount, unit = relative.groups()
        lifetime = dt.timedelta(**{EXPIRY_UNITS[unit]: int(amount)}) if int(amount) else None
        if lifetime is None or lifetime > MAX_LIFETIME:
            raise BadRequest(f"expiry {text!r} must be more than 0 and at most {MAX_LIFETIME.days} days")
        return now + lifetime
    try:
        expires = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            f"expiry {text!r} is neither a duration (30m, 12h, 7d, 2w) nor an ISO date (2026-11-20)"
        ) from None
    expires = as_utc(expires).astimezone(dt.timezone.utc)
    if expires <= now:
        raise BadRequest(f"expiry {text!r} is in the past")
    if expires - now > MAX_LIFETIME:
        raise BadRequest(f"expiry {text!r} is more than {MAX_LIFETIME.days} days away")
    return expires


def status(key: EnrollmentKey, now: dt.datetime) -> Status:
    if key.revoked_at is not None:
        return "revoked"
    if as_utc(key.expires_at) <= now:
        return "expired"
    if key.uses_left <= 0:
        return "exhausted"
    return "active"


def view(key: EnrollmentKey, now: dt.datetime | None = None) -> KeyView:
    return KeyView(
        id=key.id,
        name=key.name,
        hint=key.hint,
        created_at=key.created_at,
        expires_at=key.expires_at,
        uses_left=key.uses_left,
        uses_total=key.uses_total,
        revoked_at=key.revoked_at,
        status=status(key, now or utcnow()),
    )


def create(session: Session, spec: KeyCreate) -> CreatedKey:
    now = utcnow()
    expires_at = parse_expiry(spec.expires, now)
    if spec.name is not None and session.scalar(select(EnrollmentKey.id).where(EnrollmentKey.name == spec.name)):
        raise Conflict(f"an enrollment key named {spec.name!r} already exists")
    secret = security.new_enrollment_key()
    key = EnrollmentKey(
        name=spec.name,
        key_hash=security.digest(secret),
        hint=secret.split("-", 1)[0],
        created_at=now,
        expires_at=expires_at,
        uses_total=spec.uses,
        uses_left=spec.uses,
    )
    session.add(key)
    session.flush()
    return CreatedKey(**view(key, now).model_dump(), key=secret)


def listing(session: Session, name: str | None = None) -> list[KeyView]:
    query = select(EnrollmentKey).order_by(EnrollmentKey.id)
    if name is not None:
        query = query.where(EnrollmentKey.name == name)
    now = utcnow()
    return [view(key, now) for key in session.scalars(query)]


def find(session: Session, ref: str | int) -> EnrollmentKey:
    """A key by id (digits) or by name."""
    key = lookup.by_id_or(session, EnrollmentKey, ref, EnrollmentKey.name)
    if key is None:
        raise NotFound(f"no enrollment key {ref!r}")
    return key


def revoke(session: Session, ref: str | int) -> KeyView:
    """Revoke a key; revoking it again changes nothing (the first revocation time stays)."""
    key = find(session, ref)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return view(key)
