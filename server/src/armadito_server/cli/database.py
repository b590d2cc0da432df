"""The database session of an administration command, with its failures as one-line errors."""

from __future__ import annotations

import contextlib
from typing import Iterator

from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from ..db import Database
from .common import CommandError
from .serve import settings_from


@contextlib.contextmanager
def transaction(args) -> Iterator[Session]:
    database = Database(settings_from(args).database_url)
    try:
        with database.transaction() as session:
            yield session
    except IntegrityError:
        raise CommandError("a concurrent change touched the same data: retry") from None
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise CommandError(
            f"cannot use the database {database.engine.url!r}: {reason} "
            "(is it reachable, and up to date with 'armadito-server db upgrade'?)"
        ) from None
    finally:
        database.dispose()
