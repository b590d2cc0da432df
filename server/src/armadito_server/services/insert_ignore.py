"""``INSERT ... ON CONFLICT DO NOTHING`` for the two supported databases.

Used where concurrent requests may insert the same unique row (an antivirus, an alert, a
baseline attribute): the database, not a prior SELECT, decides who wins, so no request fails.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_ignoring_conflicts(
    session: Session, model: type, rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> None:
    """Insert ``rows``; those that collide on the ``unique`` columns are silently skipped."""
    if not rows:
        return
    insert = _DIALECT_INSERT[session.get_bind().dialect.name]
    session.execute(insert(model).on_conflict_do_nothing(index_elements=list(unique)), list(rows))
