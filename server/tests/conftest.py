"""Fixtures: a real armadito-server on loopback, on the database under test.

The database is SQLite in a temporary directory, or the PostgreSQL database named by
``ARMADITO_TEST_DATABASE_URL`` (``make test`` runs the suite once for each). The server runs as
a separate process, exactly as an operator starts it; tests reach it over HTTP and inspect the
database directly. Every test starts from empty tables.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from armadito_server.db import Database, upgrade
from armadito_server.models import Base

SERVER_START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("ARMADITO_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'armadito.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def database(database_url) -> Database:
    database = Database(database_url)
    yield database
    database.dispose()


def empty_tables(database: Database) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.transaction() as session:
        if database.engine.dialect.name == "postgresql":
            session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                session.execute(text(f"DELETE FROM {table}"))
            # AUTOINCREMENT counters live apart from the tables; reset them like RESTART IDENTITY.
            session.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(autouse=True)
def _empty_database(request, database):
    # Only tests that touch the database pay for the clean-up.
    if {"database", "server", "cli"} & set(request.fixturenames):
        empty_tables(database)


class RunningServer:
    def __init__(self, url: str, process: subprocess.Popen, log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(database_url: str, log: Path, *extra_args: str, env: dict | None = None) -> RunningServer:
    """Start ``armadito-server serve`` and wait until /healthz answers."""
    port = free_port()
    command = [
        sys.executable, "-m", "armadito_server", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url,
        "--log-level", "warning", *extra_args,
    ]
    process_env = {**os.environ, **(env or {})}
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=process_env)
    server = RunningServer(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"armadito-server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if server.get("/healthz").status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"armadito-server did not answer within {SERVER_START_TIMEOUT}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(database_url, tmp_path_factory) -> RunningServer:
    """The server in strict mode (bearer tokens required)."""
    running = start_server(database_url, tmp_path_factory.mktemp("server") / "server.log")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def legacy_server(database_url, tmp_path_factory) -> RunningServer:
    """The server with --allow-legacy-agents, under the legacy GLPI URL prefix too."""
    running = start_server(
        database_url,
        tmp_path_factory.mktemp("legacy") / "server.log",
        "--allow-legacy-agents",
        "--url-prefix", "/glpi/plugins/armadito",
    )
    yield running
    running.stop()


class Cli:
    """Runs ``armadito-server`` commands as an administrator would, on the test database."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "armadito_server", *args]
        env = {**os.environ, "ARMADITO_DATABASE_URL": self.database_url}
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    def json(self, *args: str):
        import json

        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture
def cli(database_url) -> Cli:
    return Cli(database_url)
