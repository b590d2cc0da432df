"""Path and query parameters that several admin routes take."""

from __future__ import annotations

from typing import Annotated, Optional

from fastapi import Path, Query

from ...services.types import MAX_INT, AgentRef

# A row id in a path; Path() carries the bounds, which FastAPI would not take from a pydantic Field.
RowIdPath = Annotated[int, Path(ge=1, le=MAX_INT)]
AgentPath = Annotated[AgentRef, Path(description="agent id or uuid")]
AgentFilter = Annotated[Optional[AgentRef], Query(description="only this agent (id or uuid)")]
