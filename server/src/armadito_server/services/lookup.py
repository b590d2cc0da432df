"""Finding a row by what an administrator types: its id, or its name (or uuid)."""

from __future__ import annotations

import re
from typing import Optional, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from .types import MAX_INT

Row = TypeVar("Row")
# Not str.isdigit(), which also accepts digits int() refuses, such as "¹".
DIGITS = re.compile(r"[0-9]+")


def by_id_or(session: Session, model: type[Row], ref: str | int, column: InstrumentedAttribute) -> Optional[Row]:
    """All digits: the row with that id; anything else: the row whose ``column`` equals it."""
    ref = str(ref).strip()
    if DIGITS.fullmatch(ref):
        # Beyond the id column's range no row can match, and the database would raise.
        return session.get(model, int(ref)) if int(ref) <= MAX_INT else None
    return session.scalar(select(model).where(column == ref))
