#!/usr/bin/env python3
"""Collection overhead benchmark: armadito.fleet modules against the cheapest builtin doing the same job.

Everything on loopback and on localhost (``ansible_connection: local``, the interpreter set
explicitly: discovery may pick a broken pyenv shim), the collection staged as in the tests
(tests/collection_staging.py). Two figures, each against a baseline measured in the same run:

1. ``armadito_info`` overhead: a playbook of 20 ``armadito.fleet.armadito_info`` tasks against
   the same playbook with 20 ``ansible.builtin.ping`` tasks (the floor of a module task).
   One untimed warm-up run of each, then ``--repeat`` (5) runs of each, alternating, medians.
   Goal: info within 1.3x of ping.
2. Enrollment of 50 hosts (own state directory and uuid each, as host variables) at forks 25
   against a fresh ``armadito-server`` (SQLite in a temporary directory, a fresh key of 50 uses)
   per run: ``armadito.fleet.armadito_enroll`` against ``ansible.builtin.uri`` posting the same
   legacy envelope to POST /api/agents plus ``ansible.builtin.copy`` writing the answer (token)
   to ``<state_dir>/agent.json`` mode 0600, as the module does. Before a time is printed the
   run is checked: 50 distinct agent ids on the server, under the 50 uuids of the inventory,
   and 50 agent.json files holding a token; otherwise the bench fails (exit 2).
   Goal: the module no slower than uri.

No goal fails the run unless ``--strict`` (exit 1). ``--timeout`` bounds the whole run.

Usage: ``make bench-collection`` or ``.venv/bin/python bench/collection.py [--repeat 5] [--hosts 50] [--forks 25]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid as uuid_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(ROOT, "tests"))
from collection_staging import stage  # noqa: E402

HOST = "127.0.0.1"
TASKS = 20
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class BenchError(Exception):
    pass


class Deadline:
    """What is left of ``--timeout``; every subprocess is bounded by it."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        left = self.end - time.monotonic()
        if left <= 0:
            raise BenchError("the whole run exceeded --timeout")
        return left


# --- armadito-server -------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """``armadito-server serve`` on a free loopback port with a fresh SQLite database in ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        self.database_url = "sqlite:///%s" % os.path.join(directory, "armadito.db")
        self.port = free_port()
        self.url = "http://%s:%d" % (HOST, self.port)
        self.program = os.path.join(BIN, "armadito-server")
        self.log_path = os.path.join(directory, "server.log")
        self.process = None

    def start(self):
        self.cli("db", "upgrade", json_output=False)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.program, "serve", "--host", HOST, "--port", str(self.port), "--database-url",
                 self.database_url, "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError("armadito-server exited with %s:\n%s" % (self.process.returncode, self.log()))
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise BenchError("armadito-server did not answer /healthz within 60 s:\n%s" % self.log())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self):
        try:
            with open(self.log_path) as handle:
                return handle.read()[-3000:]
        except OSError:
            return ""

    def cli(self, *args, json_output=True):
        command = [self.program, *args, "--database-url", self.database_url] + (["--json"] if json_output else [])
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if completed.returncode != 0:
            raise BenchError("armadito-server %s failed (%d): %s" % (" ".join(args), completed.returncode,
                                                                     completed.stderr[-2000:]))
        return json.loads(completed.stdout) if json_output and completed.stdout.strip() else None


# --- ansible-playbook ------------------------------------------------------------------------------


def ansible_env(workdir, collections_root):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "ARMADITO_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_root, ANSIBLE_HOME=os.path.join(workdir, "ansible-home"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCAL_TEMP=os.path.join(workdir, "ansible-tmp"))
    return env


def run_playbook(env, inventory, playbook, deadline, forks=5, extra_vars=None):
    """Wall time of one ``ansible-playbook`` run and its PLAY RECAP ({host: (ok, changed, unreachable, failed)})."""
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, playbook, "--forks", str(forks)]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    started = time.perf_counter()
    try:
        completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=deadline.left(),
                                   check=False)
    except subprocess.TimeoutExpired:
        raise BenchError("%s: the whole run exceeded --timeout" % os.path.basename(playbook))
    elapsed = time.perf_counter() - started
    recap = {host: tuple(int(n) for n in counts) for host, *counts in RECAP.findall(completed.stdout)}
    if completed.returncode != 0 or not recap or any(counts[2] or counts[3] for counts in recap.values()):
        raise BenchError("%s failed (exit %d):\n%s\n%s" % (os.path.basename(playbook), completed.returncode,
                                                           completed.stdout[-4000:], completed.stderr[-2000:]))
    return elapsed, recap


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)
    return path


def tasks_playbook(name, module, args):
    lines = ["- name: %s" % name, "  hosts: all", "  gather_facts: false", "  tasks:"]
    for number in range(1, TASKS + 1):
        lines += ["    - name: %s %d" % (module, number), "      %s:%s" % (module, " " + args if args else "")]
    return "\n".join(lines) + "\n"


ENROLL_MODULE = """\
- name: Enroll with armadito.fleet.armadito_enroll
  hosts: all
  gather_facts: false
  tasks:
    - name: Enroll
      armadito.fleet.armadito_enroll:
        server_url: "{{ server_url }}"
        key: "{{ enrollment_key }}"
        state_dir: "{{ armadito_state_dir }}"
        uuid: "{{ armadito_uuid }}"
        retries: 0
"""

# The same work: the legacy envelope the module sends (protocol.envelope), then the answer, token
# included, kept in the state directory with the mode the module's storage uses.
ENROLL_URI = """\
- name: Enroll with ansible.builtin.uri
  hosts: all
  gather_facts: false
  tasks:
    - name: Enroll
      ansible.builtin.uri:
        url: "{{ server_url }}/api/agents"
        method: POST
        body_format: json
        body:
          agent_id: 0
          agent_version: "{{ agent_version }}"
          uuid: "{{ armadito_uuid }}"
          task:
            name: Enrollment
            antivirus: "{{ antivirus }}"
            obj: {key: "{{ enrollment_key }}"}
      register: enrolled

    - name: Keep the token on the host
      ansible.builtin.copy:
        content: "{{ enrolled.json | to_json }}"
        dest: "{{ armadito_state_dir }}/agent.json"
        mode: "0600"
"""


# --- 1. armadito_info against ping -------------------------------------------------------------------


def bench_info(workdir, env, deadline, repeat, rows):
    state_dir = os.path.join(workdir, "info-state")
    os.makedirs(state_dir, mode=0o700)
    inventory = write(os.path.join(workdir, "localhost.ini"),
                      "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    playbooks = {
        "ping": write(os.path.join(workdir, "ping.yml"), tasks_playbook("ping", "ansible.builtin.ping", "")),
        "info": write(os.path.join(workdir, "info.yml"),
                      tasks_playbook("info", "armadito.fleet.armadito_info", "{state_dir: %s}" % json.dumps(state_dir))),
    }
    times = {name: [] for name in playbooks}
    for round_number in range(repeat + 1):  # round 0: warm-up (byte-compiled files, caches), not counted
        for name, playbook in (playbooks.items() if round_number % 2 else reversed(playbooks.items())):
            elapsed, recap = run_playbook(env, inventory, playbook, deadline)
            if recap.get("localhost", (0,))[0] != TASKS:
                raise BenchError("%s: %d tasks ok, expected %d" % (name, recap.get("localhost", (0,))[0], TASKS))
            if round_number:
                times[name].append(elapsed)
            else:
                print("  warm-up %-4s %.2f s" % (name, elapsed), flush=True)
    ping, info = statistics.median(times["ping"]), statistics.median(times["info"])
    spread = lambda values: "%.2f-%.2f" % (min(values), max(values))  # noqa: E731
    rows.add("%d x ansible.builtin.ping" % TASKS, "%.2f s median (%s)" % (ping, spread(times["ping"])), "floor", None)
    rows.add("%d x armadito.fleet.armadito_info" % TASKS, "%.2f s median (%s)" % (info, spread(times["info"])), "", None)
    rows.add("  info / ping", "%.2fx  (%.0f ms per task above ping)" % (info / ping, (info - ping) / TASKS * 1000),
             "<= 1.30x", info / ping <= 1.3)


# --- 2. enrollment: armadito_enroll against uri -----------------------------------------------------


def host_inventory(path, directory, hosts):
    """``hosts`` local hosts, each with its own (existing, 0700) state directory and uuid."""
    uuids = {}
    lines = []
    for number in range(1, hosts + 1):
        name = "host%03d" % number
        state_dir = os.path.join(directory, name, "state")
        os.makedirs(state_dir, mode=0o700)
        uuids[name] = str(uuid_module.uuid4()).upper()
        lines.append("%s ansible_connection=local ansible_python_interpreter=%s armadito_state_dir=%s armadito_uuid=%s"
                     % (name, sys.executable, state_dir, uuids[name]))
    write(path, "\n".join(lines) + "\n")
    return uuids


def verify_enrollment(label, server, directory, uuids):
    """Fail unless every host got its own agent id on the server and a token in its agent.json."""
    agents = server.cli("agents", "list")
    by_uuid = {agent["uuid"]: agent for agent in agents}
    ids = {agent["id"] if "id" in agent else agent["agent_id"] for agent in agents}
    missing = [name for name, value in uuids.items() if value not in by_uuid]
    if len(agents) != len(uuids) or len(ids) != len(uuids) or missing:
        raise BenchError("%s: the server has %d agents with %d distinct ids, expected %d (hosts missing: %s)"
                         % (label, len(agents), len(ids), len(uuids), ", ".join(missing[:5]) or "none"))
    for name in uuids:
        path = os.path.join(directory, name, "state", "agent.json")
        try:
            with open(path) as handle:
                record = json.load(handle)
        except (OSError, ValueError) as exc:
            raise BenchError("%s: %s: %s" % (label, path, exc))
        if not (record.get("token") or record.get("agent_token")) or os.stat(path).st_mode & 0o077:
            raise BenchError("%s: %s holds no token or is readable by others" % (label, path))
    return len(ids)


def enroll_run(label, playbook, workdir, env, deadline, hosts, forks, extra_vars):
    """One timed run on a fresh server, database, key and hosts; returns seconds."""
    directory = tempfile.mkdtemp(prefix=label + "-", dir=workdir)
    server = Server(directory)
    server.start()
    try:
        key = server.cli("key", "create", "--uses", str(hosts), "--expires", "7d")["key"]
        inventory = os.path.join(directory, "hosts.ini")
        uuids = host_inventory(inventory, directory, hosts)
        elapsed, recap = run_playbook(env, inventory, playbook, deadline, forks,
                                      dict(extra_vars, server_url=server.url, enrollment_key=key))
        if len(recap) != hosts:
            raise BenchError("%s: PLAY RECAP lists %d hosts, expected %d" % (label, len(recap), hosts))
        verify_enrollment(label, server, directory, uuids)
    except BenchError as exc:
        raise BenchError("%s\n--- server log (end)\n%s" % (exc, server.log()))
    finally:
        server.stop()
    shutil.rmtree(directory, ignore_errors=True)
    return elapsed


def bench_enroll(workdir, env, deadline, hosts, forks, repeat, antivirus, rows):
    playbooks = {"uri": write(os.path.join(workdir, "enroll-uri.yml"), ENROLL_URI),
                 "module": write(os.path.join(workdir, "enroll-module.yml"), ENROLL_MODULE)}
    extra = {"uri": {"antivirus": antivirus, "agent_version": agent_version()}, "module": {}}
    times = {name: [] for name in playbooks}
    for round_number in range(repeat):
        order = ("uri", "module") if round_number % 2 == 0 else ("module", "uri")
        for name in order:
            times[name].append(enroll_run(name, playbooks[name], workdir, env, deadline, hosts, forks, extra[name]))
    uri, module = statistics.median(times["uri"]), statistics.median(times["module"])
    each = lambda values: ", ".join("%.2f" % v for v in values)  # noqa: E731
    rows.add("%d hosts, ansible.builtin.uri + copy" % hosts, "%.2f s  (runs: %s)" % (uri, each(times["uri"])),
             "baseline", None)
    rows.add("%d hosts, armadito_enroll" % hosts, "%.2f s  (runs: %s)" % (module, each(times["module"])), "", None)
    rows.add("  enroll / uri", "%.2fx" % (module / uri), "<= 1.00x", module <= uri)


def agent_version():
    sys.path.insert(0, os.path.join(ROOT, "plugins", "module_utils"))
    from armadito import __version__

    return __version__


def antivirus_identity():
    """What the uri variant announces: the engine the module would detect (ClamAV's version), outside the timing."""
    version = "unknown"
    program = shutil.which("clamscan")
    if program:
        output = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
        match = re.match(r"ClamAV ([^/\s]+)", output)
        version = match.group(1) if match else version
    return {"name": "ClamAV", "version": version, "os_info": {"name": "linux", "libpath": "Linux"},
            "program_path": os.path.dirname(program) + "/" if program else ""}


# --- Output ------------------------------------------------------------------------------------------


class Table(list):
    """The result rows, each printed as soon as it is measured."""

    def add(self, name, figure, goal, met):
        self.append((name, figure, goal, met))
        mark = "" if met is None else ("ok" if met else "MISSED")
        print("  %-38s  %-46s  %s %s" % (name, figure, ("goal " + goal) if goal else "", mark), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each info/ping playbook (default 5)")
    parser.add_argument("--hosts", type=int, default=50, help="hosts enrolled in each enrollment run (default 50)")
    parser.add_argument("--forks", type=int, default=25, help="forks of the enrollment runs (default 25)")
    parser.add_argument("--enroll-repeat", type=int, default=1,
                        help="enrollment runs of each variant, alternating, median (default 1)")
    parser.add_argument("--only", choices=("info", "enroll"), help="run one part only")
    parser.add_argument("--timeout", type=float, default=300, help="give up after this many seconds (default 300)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    deadline = Deadline(args.timeout)
    collections_root = stage()
    workdir = tempfile.mkdtemp(prefix="armadito-bench-collection-")
    env = ansible_env(workdir, collections_root)
    from ansible.release import __version__ as ansible_version

    antivirus = antivirus_identity()
    print("armadito.fleet collection bench: ansible-core %s, Python %s, %d CPUs, load %.1f, %s %s on this host"
          % (ansible_version, sys.version.split()[0], os.cpu_count(), os.getloadavg()[0],
             antivirus["name"], antivirus["version"]), flush=True)
    rows = Table()
    started = time.monotonic()
    try:
        if args.only in (None, "info"):
            print("1. %d tasks on localhost (local connection), %d runs each after a warm-up, alternating"
                  % (TASKS, args.repeat), flush=True)
            bench_info(workdir, env, deadline, args.repeat, rows)
        if args.only in (None, "enroll"):
            print("2. %d hosts (local connection, own state dir and uuid), forks %d, fresh armadito-server "
                  "(SQLite) and key per run, %d run(s) each" % (args.hosts, args.forks, args.enroll_repeat),
                  flush=True)
            bench_enroll(workdir, env, deadline, args.hosts, args.forks, args.enroll_repeat, antivirus, rows)
    except BenchError as exc:
        print("bench failed: %s" % exc, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        # The staged root holds a symlink to this checkout: remove the link itself, never follow it.
        link = os.path.join(collections_root, "ansible_collections", "armadito", "fleet")
        if os.path.islink(link):
            os.unlink(link)
            shutil.rmtree(collections_root, ignore_errors=True)
    print("total %.0f s, load %.1f" % (time.monotonic() - started, os.getloadavg()[0]))
    missed = [name for name, _figure, _goal, met in rows if met is False]
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
