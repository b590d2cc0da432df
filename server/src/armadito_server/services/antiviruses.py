"""The antivirus row of an engine identity (protocol 7): one per name + version + OS."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Antivirus
from .insert_ignore import insert_ignoring_conflicts


@dataclasses.dataclass(frozen=True)
class AntivirusIdentity:
    name: str
    version: str
    os: str

    @property
    def fullname(self) -> str:
        return f"{self.name}+{self.version}+{self.os}"


def antivirus_id(session: Session, identity: AntivirusIdentity) -> int:
    """The id of the identity's row, created on first sight (concurrent creators agree)."""
    insert_ignoring_conflicts(
        session,
        Antivirus,
        [{"name": identity.name, "version": identity.version, "osname": identity.os, "fullname": identity.fullname}],
        unique=["fullname"],
    )
    return session.scalar(select(Antivirus.id).where(Antivirus.fullname == identity.fullname))
