"""Value types shared by the administration services, their API and their command line.

Inputs are pydantic models so that one declaration both validates (API and CLI alike) and
documents (the OpenAPI schema). Bounds follow the database columns: a value the database would
refuse must be refused here first, as a 400 and not a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# No control characters: PostgreSQL refuses NUL, and nothing an administrator names needs them.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
MAX_INT = 2**31 - 1


def as_utc(value: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=PRINTABLE)]
LongText = Annotated[str, StringConstraints(max_length=4096, pattern=PRINTABLE)]
RowId = Annotated[int, Field(ge=1, le=MAX_INT)]
# An agent's id or uuid as typed; no "/" so that it fits in a URL path segment.
AgentRef = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f/]+$")]
UtcDatetime = Annotated[dt.datetime, AfterValidator(as_utc)]


class Model(BaseModel):
    """Base of every request and response model: unknown fields are errors, not surprises."""

    model_config = ConfigDict(extra="forbid")


class Entry(Model):
    """One ``attr``/``value`` pair as agents report and receive them; value None = remove."""

    attr: str
    value: Optional[str]
