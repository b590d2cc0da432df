"""The admin API under /api/admin: every route requires an admin bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from . import agents, desired, jobs, keys, scanconfigs
from .common import require_admin

PREFIX = "/api/admin"

router = APIRouter(prefix=PREFIX, dependencies=[Depends(require_admin)])
for module in (keys, scanconfigs, jobs, agents, desired):
    router.include_router(module.router)


def include(app: FastAPI) -> None:
    app.include_router(router)
    _document_400_not_422(app)


def _document_400_not_422(app: FastAPI) -> None:
    """FastAPI documents validation errors as 422; this server answers them 400 with an Error body."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            for path, operations in schema["paths"].items():
                if path.startswith(PREFIX):
                    for operation in operations.values():
                        operation.get("responses", {}).pop("422", None)
        return app.openapi_schema

    app.openapi = openapi
