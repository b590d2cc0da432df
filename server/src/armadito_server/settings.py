"""Server settings, read from ``ARMADITO_*`` environment variables.

The environment is the single source: ``armadito-server serve`` turns its command-line flags
into these variables before it starts uvicorn, so every worker process reads the same values.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Mapping

DEFAULT_DATABASE_URL = "sqlite:///./armadito.db"


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Accept agents that send no bearer token (the legacy Perl agent); uuid and agent_id must
    # still designate the same agent.
    allow_legacy_agents: bool = False
    max_body_bytes: int = 1024 * 1024
    # A job handed out but not reported within the lease is handed out again.
    job_lease_seconds: int = 3600
    getjobs_limit: int = 10
    # Extra path prefix the agent API is also served under, e.g. /glpi/plugins/armadito.
    url_prefix: str = ""

    ENV = {
        "database_url": ("ARMADITO_DATABASE_URL", str),
        "allow_legacy_agents": ("ARMADITO_ALLOW_LEGACY_AGENTS", _flag),
        "max_body_bytes": ("ARMADITO_MAX_BODY_BYTES", int),
        "job_lease_seconds": ("ARMADITO_JOB_LEASE_SECONDS", int),
        "getjobs_limit": ("ARMADITO_GETJOBS_LIMIT", int),
        "url_prefix": ("ARMADITO_URL_PREFIX", str),
    }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for field, (variable, parse) in cls.ENV.items():
            if environ.get(variable, "") != "":
                try:
                    values[field] = parse(environ[variable])
                except ValueError:
                    raise ValueError(f"{variable}={environ[variable]!r} is not valid") from None
        settings = cls(**values)
        if not 1 <= settings.getjobs_limit <= 100:
            raise ValueError("ARMADITO_GETJOBS_LIMIT must be between 1 and 100")
        return settings

    def to_env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings in another process."""
        env = {}
        for field, (variable, _parse) in self.ENV.items():
            value = getattr(self, field)
            env[variable] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return env
