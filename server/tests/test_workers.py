"""Several worker processes serve one database without per-process state.

``armadito-server serve --workers 2`` runs two uvicorn worker processes behind one listening
socket; the kernel hands each new connection to either. Every request below opens its own
connection, so the requests spread over both workers, and the test checks what would break if
any worker kept state of its own (an id counter, a key's remaining uses, a token cache):

* concurrent enrollments get distinct agent ids, scheduler ids and tokens, and the key's use
  counter ends exactly at zero, after which the next enrollment is refused whichever worker
  takes it;
* what one worker wrote, the other reads: re-enrolling each uuid returns the id it was given,
  and each agent's token is accepted for a state report;
* both worker processes really served (each read a share of the request bytes, seen in
  ``/proc/<pid>/io``).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid as uuid_module
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from armadito_server import security
from armadito_server.models import Agent, EnrollmentKey

from conftest import start_server

AGENTS = 40
CONCURRENCY = 16
ANTIVIRUS = {"name": "ClamAV", "version": "1.4.6", "os_info": {"name": "linux", "libpath": "Linux"}}


pytestmark = pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc to see the worker processes")


@pytest.fixture
def two_workers(database_url, database, tmp_path):
    running = start_server(database_url, tmp_path / "server.log", "--workers", "2")
    try:
        yield running
    finally:
        running.stop()


def enrollment_key(database, uses: int) -> str:
    key = security.new_enrollment_key()
    with database.transaction() as session:
        session.add(
            EnrollmentKey(
                key_hash=security.digest(key),
                hint=key[:5],
                expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1),
                uses_total=uses,
                uses_left=uses,
            )
        )
    return key


def envelope(task: str, obj, *, agent_id: int = 0, uuid: str) -> dict:
    return {
        "agent_id": agent_id,
        "agent_version": "2.0.0",
        "uuid": uuid,
        "task": {"name": task, "antivirus": ANTIVIRUS, "obj": obj},
    }


def new_uuid() -> str:
    return str(uuid_module.uuid4()).upper()


def post(url: str, body: dict, token: str | None = None) -> requests.Response:
    # A fresh connection per request (no Session): each one may land on either worker.
    headers = {"Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(url, json=body, headers=headers, timeout=30)


def state_body(agent_id: int, uuid: str) -> dict:
    now = int(time.time())
    return envelope(
        "State",
        {
            "dbinfo": {
                "global_status": "up-to-date",
                "global_update_timestamp": now - 3600,
                "modules": [
                    {"name": "daily", "mod_status": "up-to-date", "mod_update_timestamp": now - 3600},
                    {"name": "main", "mod_status": "up-to-date", "mod_update_timestamp": now - 86400},
                ],
            },
            "avdetails": [{"attr": "clamd:OnAccessPrevention", "value": "no"}],
        },
        agent_id=agent_id,
        uuid=uuid,
    )


def worker_pids(server) -> list[int]:
    """The worker processes: children of the server process (the uvicorn supervisor)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    # uvicorn spawns its workers with multiprocessing (beside a resource_tracker process).
    return [int(child) for child in children if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text()]


def bytes_read(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError(f"no rchar in /proc/{pid}/io")


def test_two_workers_share_one_database(two_workers, database):
    url = two_workers.url
    pids = worker_pids(two_workers)
    assert len(pids) == 2, f"expected 2 worker processes under the server, found {pids}"
    read_before = {pid: bytes_read(pid) for pid in pids}

    key = enrollment_key(database, uses=AGENTS)
    uuids = [new_uuid() for _ in range(AGENTS)]
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        responses = list(pool.map(lambda u: post(f"{url}/api/agents", envelope("Enrollment", {"key": key}, uuid=u)), uuids))
    assert [r.status_code for r in responses] == [200] * AGENTS, [r.text for r in responses if r.status_code != 200]
    enrolled = [r.json() for r in responses]
    assert len({e["agent_id"] for e in enrolled}) == AGENTS
    assert len({e["scheduler_id"] for e in enrolled}) == AGENTS
    assert len({e["agent_token"] for e in enrolled}) == AGENTS

    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Agent)) == AGENTS
        assert session.scalar(select(EnrollmentKey.uses_left)) == 0
    # The key is used up for every worker, not just the one that saw the last use.
    for _ in range(4):
        refused = post(f"{url}/api/agents", envelope("Enrollment", {"key": key}, uuid=new_uuid()))
        assert refused.status_code >= 400, refused.text

    # What one worker wrote, the other reads: tokens and uuid -> id mappings work everywhere.
    def report_state(pair):
        agent, uuid = pair
        return post(f"{url}/api/states", state_body(agent["agent_id"], uuid), token=agent["agent_token"])

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        states = list(pool.map(report_state, zip(enrolled, uuids)))
    assert [r.status_code for r in states] == [200] * AGENTS, [r.text for r in states if r.status_code != 200]

    second_key = enrollment_key(database, uses=AGENTS)
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        again = list(pool.map(lambda u: post(f"{url}/api/agents", envelope("Enrollment", {"key": second_key}, uuid=u)), uuids))
    assert [r.status_code for r in again] == [200] * AGENTS
    assert [r.json()["agent_id"] for r in again] == [e["agent_id"] for e in enrolled]

    # Both processes took a share of the traffic (3 x AGENTS requests of a few hundred bytes).
    read = {pid: bytes_read(pid) - read_before[pid] for pid in pids}
    print(f"bytes read per worker process: {read}")
    assert all(amount > 2_000 for amount in read.values()), f"bytes read per worker: {read}"
