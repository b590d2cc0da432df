"""Scopes of desired settings (``all``, ``antivirus:<name>``, ``agent:<id>``) as administrators name them."""

from __future__ import annotations

import re
from typing import Optional

from pydantic import Field
from sqlalchemy.orm import Session

from ..errors import BadRequest
from . import agents, desired
from .types import Entry, Model

# No "/" so that a scope fits in a URL path segment.
SCOPE_PATTERN = r"^(all|antivirus:[^\x00-\x1f\x7f/]{1,255}|agent:[^\x00-\x1f\x7f/]{1,64})$"
SCOPE_HELP = "all, antivirus:<engine name> or agent:<id or uuid>"


class DesiredView(Model):
    scope: str = Field(description=SCOPE_HELP)
    entries: list[Entry] = Field(description="value null asks agents to remove the attribute")


def resolve(session: Session, scope: str) -> str:
    """The stored form of a scope: ``agent:<uuid>`` becomes ``agent:<id>``; the agent must exist."""
    if not re.fullmatch(SCOPE_PATTERN, scope):
        raise BadRequest(f"invalid scope {scope!r}: use {SCOPE_HELP}")
    kind, _, name = scope.partition(":")
    if scope == "all":
        return scope
    if kind == "antivirus" and name.strip():
        return f"antivirus:{name.strip()}"
    if kind == "agent" and name.strip():
        return f"agent:{agents.find(session, name).id}"
    raise BadRequest(f"invalid scope {scope!r}: use {SCOPE_HELP}")


def show(session: Session, kind: str, scope: Optional[str] = None) -> list[DesiredView]:
    """The entries of one scope (even when it has none), or of every scope that has some."""
    if scope is not None:
        scope = resolve(session, scope)
    views = {scope: DesiredView(scope=scope, entries=[])} if scope is not None else {}
    for row in desired.listing(session, kind, scope):
        view = views.setdefault(row.scope, DesiredView(scope=row.scope, entries=[]))
        view.entries.append(Entry(attr=row.attr, value=row.value))
    return list(views.values())


def replace(session: Session, kind: str, scope: str, entries: dict[str, Optional[str]]) -> DesiredView:
    """Make ``entries`` the whole desired set of ``kind`` for ``scope``; no entries clears it."""
    scope = resolve(session, scope)
    desired.replace(session, kind, scope, entries)
    session.flush()
    return show(session, kind, scope)[0]
