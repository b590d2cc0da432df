"""``serve`` and ``db upgrade``."""

from __future__ import annotations

import dataclasses
import os

from .. import db
from ..settings import Settings


def register(subparsers, common) -> None:
    serve = subparsers.add_parser("serve", parents=[common], help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--allow-legacy-agents",
        action="store_true",
        default=None,
        help="accept agents without a bearer token (env ARMADITO_ALLOW_LEGACY_AGENTS=1)",
    )
    serve.add_argument("--url-prefix", default=None, help="also serve the agent API under this path prefix")
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve.set_defaults(handler=run_serve)

    database = subparsers.add_parser("db", help="database schema")
    database_commands = database.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    upgrade = database_commands.add_parser("upgrade", parents=[common], help="apply pending migrations")
    upgrade.set_defaults(handler=run_upgrade)


def settings_from(args) -> Settings:
    """Environment settings, overridden by the flags given on the command line."""
    settings = Settings.from_env()
    overrides = {
        "database_url": args.database_url,
        "allow_legacy_agents": getattr(args, "allow_legacy_agents", None),
        "url_prefix": getattr(args, "url_prefix", None),
    }
    return dataclasses.replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def run_upgrade(args) -> int:
    settings = settings_from(args)
    db.upgrade(settings.database_url)
    from . import emit

    emit(args, {"database_url": settings.database_url, "status": "up to date"}, lambda d: "database schema is up to date")
    return 0


def run_serve(args) -> int:
    settings = settings_from(args)
    # Migrate once here, before any worker starts, so workers never race on the schema.
    db.upgrade(settings.database_url)
    # Workers are separate processes: hand them the settings through the environment.
    os.environ.update(settings.to_env())
    import uvicorn  # only ``serve`` needs it; other commands start faster without it

    uvicorn.run(
        "armadito_server.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
    )
    return 0
