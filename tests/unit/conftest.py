"""Shared fixtures of the unit tests: the collection on sys.path, a fake HTTP server, a fake engine."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from collection_staging import stage  # noqa: E402

stage()

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import registry  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.base import Antivirus  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import Settings  # noqa: E402


class FakeServer:
    """An HTTP server on loopback that answers from a script and records every request.

    ``responses[(method, path)]`` is a list of ``(status, body)``; the last one repeats.
    """

    def __init__(self):
        self.responses = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                server.requests.append({
                    "method": self.command, "path": path, "raw_path": self.path,
                    "headers": dict(self.headers), "body": json.loads(body) if body else None,
                })
                # A proxied request carries the absolute URL; the script is keyed on the path.
                if path.startswith("http://"):
                    path = "/" + path.split("/", 3)[3]
                script = server.responses.get((self.command, path)) or [(404, '{"error": "no route"}')]
                status, text = script.pop(0) if len(script) > 1 else script[0]
                payload = text.encode("utf-8") if isinstance(text, str) else json.dumps(text).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def on(self, method, path, *answers):
        self.responses[(method, path)] = list(answers)

    def calls(self, method, path):
        return [request for request in self.requests if request["method"] == method and request["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_server():
    server = FakeServer()
    yield server
    server.close()


class FakeEngine(Antivirus):
    """A backend whose state the test sets through ``FakeEngine.current``."""

    name = "FakeAV"
    current = {}

    def installed(self):
        return True

    def version(self):
        return "9.9"

    def state(self, now=None):
        return json.loads(json.dumps(FakeEngine.current))


@pytest.fixture
def fake_engine(monkeypatch):
    monkeypatch.setattr(registry, "BACKENDS", (FakeEngine,))
    FakeEngine.current = {
        "dbinfo": {"global_status": "up-to-date", "global_update_timestamp": 1795868160,
                   "service_status": "running", "modules": []},
        "avdetails": [{"attr": "onaccess:enabled", "value": 0}],
    }
    return FakeEngine


@pytest.fixture
def settings(tmp_path, fake_server):
    """Settings against the fake server, a fresh state directory and a fixed uuid."""
    return Settings(server_url=fake_server.url, state_dir=str(tmp_path / "state"),
                    uuid="4C4C4544-0033-4A10-8051-B4C04F4B4B32", retries=0)


@pytest.fixture
def unused_port():
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeClamd:
    """A unix-socket server answering clamd's z-commands from a table, one command per connection."""

    def __init__(self, path, replies):
        self.path = path
        self.replies = replies
        self.commands = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(5)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            with connection:
                command = b""
                while not command.endswith(b"\0"):
                    chunk = connection.recv(1024)
                    if not chunk:
                        break
                    command += chunk
                name = command.rstrip(b"\0").decode()
                self.commands.append(name)
                reply = self.replies.get(name, "UNKNOWN COMMAND")
                if reply is not None:
                    connection.sendall(reply.encode() + b"\0")

    def close(self):
        self.server.close()


@pytest.fixture
def fake_clamd(tmp_path):
    server = FakeClamd(str(tmp_path / "clamd.sock"), {
        "zPING": "PONG",
        "zVERSION": "ClamAV 1.4.6/27000/Sat Nov 28 04:16:48 2026",
        "zSILENT": None,
    })
    yield server
    server.close()
