"""Routers of the agent API (``/api/<x>``) and the admin API (``/api/admin/...``)."""

from __future__ import annotations

from fastapi import FastAPI


def include_routers(app: FastAPI) -> None:
    """Mount every router. Each resource lives in its own module under ``api.agent``/``api.admin``."""
    from . import admin, agent

    for router in agent.routers:
        app.include_router(router)
    admin.include(app)
