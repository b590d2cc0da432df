"""The ASGI application: agent API, admin API, health probe.

The process keeps no state between requests beyond the database connection pool, so any number
of workers or instances can serve one database.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from . import __version__
from .db import Database
from .errors import ApiError
from .http import LegacyPathMiddleware, BodyLimitMiddleware, error_response
from .settings import Settings


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="armadito-server",
        version=__version__,
        description="Central server of armadito.fleet: the legacy Armadito agent API and an admin API.",
    )
    app.state.settings = settings
    app.state.db = Database(settings.database_url)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(LegacyPathMiddleware, prefix=settings.url_prefix)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, describe_validation_error(exc))

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        # Keep the exception's headers: a 405 must still say which methods are Allowed.
        return error_response(exc.status_code, str(exc.detail), exc.headers)

    @app.get("/healthz", tags=["health"], summary="Liveness probe")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    from .api import include_routers

    include_routers(app)
    return app


def describe_validation_error(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return "; ".join(problems) or "invalid request"


def create_app_from_env() -> FastAPI:
    """uvicorn factory for worker processes: settings come from ``ARMADITO_*`` variables."""
    return create_app(Settings.from_env())
