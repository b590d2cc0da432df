"""Property-based fuzzing of every operation of the server's own OpenAPI document (schemathesis).

Requests go to a real server (the conftest ``server`` fixture: strict mode, started exactly as
operators start it) on the database under test: SQLite, then PostgreSQL under ``make test``,
where column limits and integer ranges differ. For each operation schemathesis generates valid
and invalid requests and checks that

* no response is a server error (5xx), and
* every response conforms to the schema the server documents for it.

The requests get past authentication and identity checks: the admin API gets an admin bearer
token, the agent API the token, id and uuid of an enrolled agent, and enrollments a live key
(see ``use_enrolled_identity``).

The number of examples per operation is bounded (``ARMADITO_FUZZ_MAX_EXAMPLES``, default 25), so
the whole run takes about a minute. A failure prints a ``curl`` command that replays the request
(add the bearer token to it). For a deeper run:
``ARMADITO_FUZZ_MAX_EXAMPLES=500 pytest tests/test_openapi_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from armadito_server import security
from armadito_server.app import create_app
from armadito_server.models import AdminToken, Agent, Antivirus, EnrollmentKey, Scheduler
from armadito_server.settings import Settings

MAX_EXAMPLES = int(os.environ.get("ARMADITO_FUZZ_MAX_EXAMPLES", "25"))
ADMIN_PREFIX = "/api/admin"

pytestmark = pytest.mark.timeout(600)


def openapi_document() -> dict:
    """The OpenAPI document, built in-process so that pytest can make one test per operation.

    (schemathesis' lazy ``from_fixture`` loader would read it from the running server, but it
    relies on a pytest internal that pytest 9.2 removed.) ``test_served_document_is_the_fuzzed_one``
    checks that the running server serves this same document.
    """
    return create_app(Settings(database_url="sqlite://")).openapi()


schema = schemathesis.openapi.from_dict(openapi_document())


def test_served_document_is_the_fuzzed_one(server):
    served, fuzzed = server.get("/openapi.json").json(), openapi_document()
    differing = [
        f"{section}.{name}"
        for section, served_part, fuzzed_part in (
            ("paths", served.get("paths", {}), fuzzed.get("paths", {})),
            ("schemas", served.get("components", {}).get("schemas", {}), fuzzed.get("components", {}).get("schemas", {})),
        )
        for name in sorted(set(served_part) | set(fuzzed_part))
        if served_part.get(name) != fuzzed_part.get(name)
    ]
    assert served == fuzzed, f"the running server documents these differently: {differing}"


@pytest.fixture
def credentials(database) -> dict:
    """An admin token, an enrolled agent (id, uuid, token) and a live enrollment key."""
    admin_token = create_admin_token(database)
    agent_token = f"agt_{secrets.token_urlsafe(32)}"
    with database.transaction() as session:
        antivirus = Antivirus(name="ClamAV", version="1.0.7", osname="linux", fullname="ClamAV+1.0.7+linux")
        session.add(antivirus)
        session.flush()
        agent = Agent(
            uuid="4C4C4544-0033-4A10-8051-FFFFFFFFFFFF",
            agent_version="2.0.0",
            antivirus_id=antivirus.id,
            token_hash=security.digest(agent_token),
        )
        session.add(agent)
        session.flush()
        session.add(Scheduler(agent_id=agent.id, antivirus_id=antivirus.id))
        agent_id, agent_uuid = agent.id, agent.uuid
        key = security.new_enrollment_key()
        session.add(EnrollmentKey(key_hash=security.digest(key), hint=key[:5], uses_total=10_000, uses_left=10_000,
                                  expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)))
    return {"admin": admin_token, "agent": agent_token, "agent_id": agent_id, "uuid": agent_uuid, "key": key}


def create_admin_token(database) -> str:
    """The row ``armadito-server admin-token create`` writes, written directly.

    (Running the CLI for each of the ~35 operation tests would add half a second each; the CLI
    has tests of its own.)
    """
    token = security.new_token("adm")
    with database.transaction() as session:
        session.add(AdminToken(name="fuzz", token_hash=security.digest(token)))
    return token


def bearer_for(path: str, credentials: dict) -> dict[str, str]:
    token = credentials["admin"] if path.startswith(ADMIN_PREFIX) else credentials["agent"]
    return {"Authorization": f"Bearer {token}"}


def use_enrolled_identity(case, credentials: dict) -> None:
    """Well-typed ``agent_id``/``uuid``/enrollment key values become those of a real agent and key.

    Random ids would almost never name an agent, and the agent API would answer "not enrolled"
    before reaching the code worth fuzzing. Ill-typed values are left alone: they exercise the
    validation.
    """
    for container in (case.body, case.query):
        if not isinstance(container, dict):
            continue
        agent_id = container.get("agent_id")
        if isinstance(agent_id, int) and not isinstance(agent_id, bool):
            container["agent_id"] = credentials["agent_id"]
        if isinstance(container.get("uuid"), str):
            container["uuid"] = credentials["uuid"]
    task = case.body.get("task") if isinstance(case.body, dict) else None
    obj = task.get("obj") if isinstance(task, dict) else None
    if isinstance(obj, dict) and isinstance(obj.get("key"), str):
        obj["key"] = credentials["key"]  # a live enrollment key, so enrollment gets past the key check


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    print_blob=True,
)
def test_no_server_error_and_responses_match_the_schema(case, server, credentials):
    use_enrolled_identity(case, credentials)
    response = case.call(base_url=server.url, headers=bearer_for(case.path, credentials), timeout=30)
    case.validate_response(
        response,
        checks=[schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance],
    )
