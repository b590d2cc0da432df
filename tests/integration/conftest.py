"""Real parts only: armadito-server on loopback, a private clamd, and ``ansible`` on localhost."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from collection_staging import REPO_ROOT, stage  # noqa: E402

COLLECTIONS_ROOT = stage()

from clamav_lab import ClamdLab  # noqa: E402

BIN = os.path.dirname(sys.executable)


def find_python38():
    """The managed host's Python 3.8 with requests: ARMADITO_TEST_PYTHON38, else the one
    ``scripts/host-python38`` (run by ``make test-integration``) builds."""
    candidates = [os.environ.get("ARMADITO_TEST_PYTHON38"), os.path.join(REPO_ROOT, ".venv", "py38", "bin", "python")]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


PYTHON38 = find_python38()


def program(name):
    """A program of this virtual environment, else from the PATH."""
    candidate = os.path.join(BIN, name)
    return candidate if os.access(candidate, os.X_OK) else shutil.which(name)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ArmaditoServer:
    """``armadito-server serve`` on a free loopback port with its own SQLite database."""

    def __init__(self, directory):
        self.database = os.path.join(directory, "armadito.db")
        self.database_url = "sqlite:///%s" % self.database
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(directory, "server.log")
        self.program = program("armadito-server")
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.program, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--database-url", self.database_url, "--log-level", "warning"],
                stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("armadito-server exited; see %s" % self.log_path)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("armadito-server did not listen within 60 seconds; see %s" % self.log_path)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def admin(self, *args):
        """An administration command of the server CLI, its --json output decoded."""
        completed = subprocess.run([self.program, *args, "--database-url", self.database_url, "--json"],
                                   capture_output=True, text=True, timeout=60, check=False)
        if completed.returncode != 0:
            raise RuntimeError("armadito-server %s failed: %s" % (" ".join(args), completed.stderr))
        return json.loads(completed.stdout) if completed.stdout.strip() else None

    def new_key(self, uses=5):
        """A fresh enrollment key: ``(key, id)``."""
        created = self.admin("key", "create", "--uses", str(uses), "--expires", "7d")
        return created["key"], created["id"]

    def key(self, key_id):
        return next(key for key in self.admin("key", "list") if key["id"] == key_id)

    def expire_key(self, key_id):
        # The CLI refuses to create a key that is already expired; age one in the database.
        with sqlite3.connect(self.database) as connection:
            connection.execute("UPDATE enrollment_keys SET expires_at = '2020-01-01 00:00:00.000000' WHERE id = ?",
                               (key_id,))

    def agent(self, uuid_):
        return next((agent for agent in self.admin("agents", "list") if agent["uuid"] == uuid_), None)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not program("armadito-server"):
        pytest.skip("armadito-server is not installed (pip install -e server)")
    instance = ArmaditoServer(str(tmp_path_factory.mktemp("server")))
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def clamd_lab(tmp_path):
    """A running clamd whose daily database was built today (version 27000)."""
    clamd = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if not clamd or not shutil.which("sigtool"):
        pytest.skip("ClamAV is not installed (make system-packages)")
    lab = ClamdLab(str(tmp_path / "clamav"))
    lab.install_daily(27000, age_days=0)
    lab.start(clamd)
    yield lab
    lab.stop()


class Host:
    """localhost as a managed host: its state directory, its uuid, and module runs through ``ansible``."""

    def __init__(self, directory, server, lab):
        self.directory = directory
        self.server = server
        self.lab = lab
        self.state_dir = os.path.join(directory, "state")
        self.uuid = str(uuid.uuid4()).upper()
        self.runs = 0

    def args(self, **extra):
        """The connection options every run uses, plus ``extra``."""
        values = {"server_url": self.server.url, "state_dir": self.state_dir, "uuid": self.uuid,
                  "retries": 0, "antivirus": "ClamAV",
                  "antivirus_options": {"clamd_config": self.lab.config}}
        values.update(extra)
        return {key: value for key, value in values.items() if value is not None}

    def inventory(self, python):
        path = os.path.join(self.directory, "inventory-%s.ini" % os.path.basename(python))
        with open(path, "w") as handle:
            # Explicit interpreter: discovery may pick a broken pyenv shim.
            handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % python)
        return path

    def environment(self):
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ARMADITO_", "ANSIBLE_"))}
        env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_HOME=os.path.join(self.directory, "ansible-home"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="0", ANSIBLE_RETRY_FILES_ENABLED="0")
        return env

    def module(self, name, args, check=False, python=sys.executable, diff=False):
        """Run armadito.fleet.<name> with ``ansible`` ad hoc; returns its result (the tree callback's file).

        ``failed`` is set from ansible's exit status: the tree file does not carry it; ``_output``
        is what ansible printed.
        """
        self.runs += 1
        tree = os.path.join(self.directory, "tree-%d" % self.runs)
        command = [program("ansible"), "-i", self.inventory(python), "localhost", "-m", "armadito.fleet." + name,
                   "-a", json.dumps(args), "-t", tree] + (["--check"] if check else []) + (["--diff"] if diff else [])
        completed = subprocess.run(command, env=self.environment(), capture_output=True, text=True, timeout=300,
                                   check=False)
        try:
            with open(os.path.join(tree, "localhost")) as handle:
                result = json.load(handle)
        except (OSError, ValueError):
            raise AssertionError("ansible gave no result (status %d):\n%s\n%s"
                                 % (completed.returncode, completed.stdout, completed.stderr))
        result["failed"] = completed.returncode != 0
        # What ansible printed: the only place a diff shows (the tree file leaves it out).
        result["_output"] = completed.stdout
        return result

    def playbook(self, path, python=sys.executable, extra_vars=None):
        return subprocess.run(
            [program("ansible-playbook"), "-i", self.inventory(python), path, "-e", json.dumps(extra_vars or {})],
            env=self.environment(), capture_output=True, text=True, timeout=300, check=False)

    def agent_cli(self, *args, config=None):
        """The armadito-agent command line from this checkout, with an agent.cfg for this host."""
        path = os.path.join(self.directory, "agent.cfg")
        with open(path, "w") as handle:
            handle.write(config if config is not None else
                         "server = %s/\nstate-dir = %s\nuuid = %s\nretries = 0\nantivirus = ClamAV\n"
                         "clamd-config = %s\n" % (self.server.url, self.state_dir, self.uuid, self.lab.config))
        env = dict(self.environment(), PYTHONPATH=os.path.join(REPO_ROOT, "plugins", "module_utils"))
        return subprocess.run([sys.executable, "-m", "armadito.cli", "--conf-file", path, *args],
                              env=env, capture_output=True, text=True, timeout=120, check=False)

    def stored(self, name):
        path = os.path.join(self.state_dir, name)
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return json.load(handle)


@pytest.fixture
def host(tmp_path, server, clamd_lab):
    return Host(str(tmp_path), server, clamd_lab)
