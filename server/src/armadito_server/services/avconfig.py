"""Desired antivirus configuration: ``attr`` = ``value`` entries agents apply to their engine."""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import Field, StringConstraints
from sqlalchemy.orm import Session

from . import scopes
from .types import LongText, Model

KIND = "avconfig"
MAX_ENTRIES = 1000

# The attribute path as agents report it (``on-access:enabled``, ``scan:archive``).
Attr = Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=r"^[^\x00-\x20\x7f]+$")]


class AvconfigSet(Model):
    entries: dict[Attr, Optional[LongText]] = Field(
        max_length=MAX_ENTRIES,
        description="attribute -> value; null asks agents to remove the attribute",
        # Attribute names must match the pattern of patternProperties; say that other names are refused.
        json_schema_extra={"additionalProperties": False},
    )


def replace(session: Session, scope: str, spec: AvconfigSet) -> scopes.DesiredView:
    return scopes.replace(session, KIND, scope, spec.entries)


def show(session: Session, scope: Optional[str] = None) -> list[scopes.DesiredView]:
    return scopes.show(session, KIND, scope)
