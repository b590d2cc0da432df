#!/usr/bin/env python3
"""armadito-server benchmark: state reports, enrollments and AV-config storage, in one run.

Starts ``armadito-server serve`` on a fresh SQLite database in a temporary directory (loopback
only), then measures and prints, each figure beside its goal:

1. ``GET /healthz`` throughput from N concurrent clients: the ceiling of this client + server
   pair on this machine (no database work);
2. ``POST /api/states`` from N concurrent agents (each enrolled first, own bearer token, a
   realistic ClamAV state body): reports per second and p50/p99 latency.
   Goals: throughput >= 1/3 of /healthz, p99 < 100 ms;
3. 1,000 enrollments, N at a time: time, rate, all ids distinct;
4. AV-config storage ("only differences are stored", protocol.md section 12): 1,000 agents post
   the same 50-key configuration (goal: rows of config_baselines + config_overrides +
   config_reports <= 50 + 1,000), then each posts it with one key of its own
   (goal <= 50 + 2,000).

Usage: ``make bench`` or ``.venv/bin/python bench/server.py [--concurrency 50] [--seconds 5]``.
``--database-url`` runs against another database (e.g. a PostgreSQL one), ``--workers`` starts
more server processes. Exits 1 when a goal is missed with ``--strict``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from armadito_server import security
from armadito_server.db import Database
from armadito_server.models import ConfigBaseline, ConfigOverride, ConfigReport, EnrollmentKey

HOST = "127.0.0.1"
START_TIMEOUT = 30
ANTIVIRUS = {"name": "ClamAV", "version": "1.4.6", "os_info": {"name": "linux", "libpath": "Linux"}, "program_path": "/usr/bin/"}
CONFIG_KEYS = 50


# --- Payloads (protocol.md 3.1, 4.1, 4.6, 4.7) --------------------------------------------------


def envelope(task: str, obj, *, agent_id: int = 0, uuid: str) -> dict:
    return {
        "agent_id": agent_id,
        "agent_version": "2.0.0",
        "uuid": uuid,
        "task": {"name": task, "antivirus": ANTIVIRUS, "obj": obj},
    }


def clamav_state(agent_id: int, uuid: str, age_days: int = 0) -> dict:
    """What a ClamAV agent reports: one module per signature database, a few clamd settings.

    ``age_days`` back-dates every database, as the same agent would report it later.
    """
    now = int(time.time()) - age_days * 86_400
    databases = [("daily", "daily.cld", 27500, 2_071_000, now - 5_000), ("main", "main.cvd", 62, 6_647_427, now - 90 * 86_400),
                 ("bytecode", "bytecode.cvd", 335, 86, now - 30 * 86_400)]
    modules = [
        {
            "name": name,
            "mod_status": "up-to-date",
            "mod_update_timestamp": stime,
            "bases": [{"name": filename, "version": str(version), "signature_count": count,
                       "full_path": f"/var/lib/clamav/{filename}", "base_update_ts": stime}],
        }
        for name, filename, version, count, stime in databases
    ]
    return envelope(
        "State",
        {
            "dbinfo": {
                "event_type": "StatusEvent",
                "global_status": "up-to-date",
                "global_update_timestamp": now - 5_000,
                "service_status": "running",
                "modules": modules,
            },
            "avdetails": [
                {"attr": "clamd:OnAccessPrevention", "value": "no"},
                {"attr": "clamd:OnAccessIncludePath", "value": "/home"},
                {"attr": "clamd:MaxThreads", "value": "12"},
                {"attr": "freshclam:Checks", "value": "24"},
            ],
        },
        agent_id=agent_id,
        uuid=uuid,
    )


def clamd_config(own_key: int | None = None, agent_id: int = 0) -> list[dict]:
    """A 50-key clamd.conf as AVConfig entries; ``own_key`` gets a value specific to the agent."""
    entries = []
    for index in range(CONFIG_KEYS):
        value = str(index * 7 % 13)
        if index == own_key:
            value = f"agent-{agent_id}"
        entries.append({"attr": f"clamd:Setting{index:02d}", "value": value})
    return entries


def new_uuid() -> str:
    return str(uuid_module.uuid4()).upper()


# --- Server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(database_url: str, workdir: Path, workers: int) -> Server:
    port = free_port()
    log = workdir / "server.log"
    command = [sys.executable, "-m", "armadito_server", "serve", "--host", HOST, "--port", str(port),
               "--database-url", database_url, "--workers", str(workers), "--log-level", "warning"]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    server = Server(f"http://{HOST}:{port}", process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"armadito-server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise SystemExit(f"armadito-server did not answer within {START_TIMEOUT}s:\n{log.read_text()}")


def create_key(database: Database, uses: int) -> str:
    key = security.new_enrollment_key()
    with database.transaction() as session:
        session.add(EnrollmentKey(key_hash=security.digest(key), hint=key[:5], uses_total=uses, uses_left=uses,
                                  expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)))
    return key


def avconfig_rows(database: Database) -> int:
    with database.transaction() as session:
        return sum(
            session.scalar(select(func.count()).select_from(model).where(model.kind == "avconfig"))
            for model in (ConfigBaseline, ConfigOverride, ConfigReport)
        )


# --- Load ----------------------------------------------------------------------------------------


class BenchError(Exception):
    pass


@dataclass
class Run:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000 if ordered else float("nan")


class Client:
    """A thin aiohttp client: ``request`` returns (status, parsed JSON or text), checks 200.

    aiohttp rather than httpx: with 50 concurrent connections httpx's connection pool costs
    more CPU than the server under test (about 350 against 15,000 /healthz requests per second
    on the same 2-core machine), so it would measure itself.
    """

    def __init__(self, base_url: str, concurrency: int) -> None:
        self.base_url = base_url
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency), timeout=aiohttp.ClientTimeout(total=30)
        )

    async def request(self, method: str, path: str, what: str, **kwargs):
        async with self.session.request(method, self.base_url + path, **kwargs) as response:
            body = await response.read()
            if response.status != 200:
                raise BenchError(f"{what}: HTTP {response.status}: {body[:300].decode(errors='replace')}")
            if response.content_type == "application/json" and body:
                return json.loads(body)
            return body

    async def close(self) -> None:
        await self.session.close()


async def sustained(concurrency: int, seconds: float, max_requests: int, request) -> Run:
    """``concurrency`` loops each sending ``request(worker)`` until the time or count is spent."""
    run = Run()
    deadline = time.perf_counter() + seconds
    budget = [max_requests]

    async def loop(worker: int) -> None:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            await request(worker)
            run.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(loop(worker) for worker in range(concurrency)))
    run.seconds = time.perf_counter() - started
    return run


async def enroll(client: Client, key: str, uuid: str) -> dict:
    return await client.request("POST", "/api/agents", "enrollment", json=envelope("Enrollment", {"key": key}, uuid=uuid))


async def gather_limited(concurrency: int, coroutines) -> list:
    semaphore = asyncio.Semaphore(concurrency)

    async def limited(coroutine):
        async with semaphore:
            return await coroutine

    return await asyncio.gather(*(limited(c) for c in coroutines))


async def benchmark(url: str, database: Database, args) -> Table:
    rows = Table()
    client = Client(url, args.concurrency)
    try:
        # 1. Ceiling.
        async def healthz(_worker: int) -> None:
            await client.request("GET", "/healthz", "healthz")

        await sustained(args.concurrency, 1.0, 500, healthz)  # warm-up: connections, caches
        ceiling = await sustained(args.concurrency, args.seconds, args.max_requests, healthz)
        rows.append(("GET /healthz", f"{ceiling.rate:,.0f} req/s  p50 {ceiling.percentile(50):.1f} ms  "
                     f"p99 {ceiling.percentile(99):.1f} ms  ({ceiling.count} requests)", "ceiling", None))

        # 2. State reports from concurrent agents, each with its own token.
        key = create_key(database, args.concurrency)
        uuids = [new_uuid() for _ in range(args.concurrency)]
        agents = await gather_limited(args.concurrency, (enroll(client, key, u) for u in uuids))
        bodies = [clamav_state(agent["agent_id"], u) for agent, u in zip(agents, uuids)]
        headers = [{"Authorization": f"Bearer {agent['agent_token']}"} for agent in agents]

        async def state(worker: int) -> None:
            await client.request("POST", "/api/states", "state report", json=bodies[worker], headers=headers[worker])

        # Every other report of an agent differs (its signature database aged a day), so this
        # phase pays the full write path: state, modules, history row, AV details.
        aged = [clamav_state(agent["agent_id"], u, age_days=1) for agent, u in zip(agents, uuids)]
        sent = [0] * args.concurrency

        async def changing_state(worker: int) -> None:
            sent[worker] += 1
            body = (bodies if sent[worker] % 2 else aged)[worker]
            await client.request("POST", "/api/states", "state report", json=body, headers=headers[worker])

        await sustained(args.concurrency, 1.0, 200, state)  # warm-up
        for label, send in (("POST /api/states (unchanged)", state), ("POST /api/states (changed)", changing_state)):
            states = await sustained(args.concurrency, args.seconds, args.max_requests, send)
            ratio = states.rate / ceiling.rate if ceiling.rate else 0.0
            rows.append((label, f"{states.rate:,.0f} reports/s = {ratio:.2f} x /healthz ({states.count} reports)",
                         ">= 0.33 x /healthz", ratio >= 1 / 3))
            p99 = states.percentile(99)
            rows.append(("  latency", f"p50 {states.percentile(50):.1f} ms  p99 {p99:.1f} ms", "p99 < 100 ms", p99 < 100))

        # 3. Enrollments.
        key = create_key(database, args.enrollments)
        uuids = [new_uuid() for _ in range(args.enrollments)]
        started = time.perf_counter()
        enrolled = await gather_limited(args.concurrency, (enroll(client, key, u) for u in uuids))
        elapsed = time.perf_counter() - started
        ids = {agent["agent_id"] for agent in enrolled}
        distinct = len(ids) == args.enrollments and len({a["agent_token"] for a in enrolled}) == args.enrollments
        rows.append((f"{args.enrollments:,} enrollments", f"{elapsed:.2f} s, {args.enrollments / elapsed:,.0f}/s, "
                     f"{len(ids):,} distinct ids", "all ids distinct", distinct))

        # 4. AV-config rows: same configuration everywhere, then one key of each agent's own.
        async def avconfig(agent: dict, uuid: str, own_key: int | None) -> None:
            body = envelope("AVConfig", clamd_config(own_key, agent["agent_id"]), agent_id=agent["agent_id"], uuid=uuid)
            await client.request("POST", "/api/avconfigs", "avconfig", json=body,
                                 headers={"Authorization": f"Bearer {agent['agent_token']}"})

        pairs = list(zip(enrolled, uuids))
        started = time.perf_counter()
        await gather_limited(args.concurrency, (avconfig(agent, u, None) for agent, u in pairs))
        same_seconds = time.perf_counter() - started
        same = avconfig_rows(database)
        n = args.enrollments
        rows.append((f"AV-config, {n:,} agents same {CONFIG_KEYS} keys", f"{same:,} rows ({same_seconds:.1f} s)",
                     f"<= {CONFIG_KEYS + n:,}", same <= CONFIG_KEYS + n))
        started = time.perf_counter()
        await gather_limited(args.concurrency, (avconfig(agent, u, i % CONFIG_KEYS) for i, (agent, u) in enumerate(pairs)))
        own_seconds = time.perf_counter() - started
        own = avconfig_rows(database)
        rows.append(("AV-config, each differs in 1 key", f"{own:,} rows ({own_seconds:.1f} s)",
                     f"<= {CONFIG_KEYS + 2 * n:,}", own <= CONFIG_KEYS + 2 * n))
    finally:
        await client.close()
    return rows


class Table(list):
    """The result rows, each printed as soon as it is measured."""

    def append(self, row) -> None:
        super().append(row)
        name, figure, goal, met = row
        mark = "" if met is None else ("ok" if met else "MISSED")
        print(f"  {name:<36}  {figure:<62}  goal {goal:<20} {mark}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients/agents (default 50)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each throughput phase (default 5)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="request cap of each throughput phase")
    parser.add_argument("--enrollments", type=int, default=1_000, help="agents enrolled in phases 3 and 4 (default 1000)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    parser.add_argument("--database-url", help="database to use instead of a temporary SQLite file (must be empty)")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds (default 600)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="armadito-bench-") as tmp:
        workdir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        server = start_server(database_url, workdir, args.workers)
        database = Database(database_url)
        engine = "SQLite" if database_url.startswith("sqlite") else database_url.split(":", 1)[0]
        print(f"armadito-server bench: {engine}, {args.workers} worker(s), {args.concurrency} concurrent clients "
              f"(aiohttp), {os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
        try:
            rows = asyncio.run(asyncio.wait_for(benchmark(server.url, database, args), args.timeout))
        except (BenchError, asyncio.TimeoutError) as exc:
            print(f"bench failed: {exc or 'timed out'}", file=sys.stderr)
            tail = server.log.read_text()[-3000:]
            if tail:
                print(f"--- server log (end)\n{tail}", file=sys.stderr)
            return 2
        finally:
            database.dispose()
            server.stop()
    missed = [name for name, _figure, _goal, met in rows if met is False]
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
