#!/usr/bin/env python3
"""Jobs benchmark: 2,000 Scan jobs across 200 simulated agents, drained with Getjobs/Runjobs.

Starts ``armadito-server serve`` on a fresh SQLite database and a private clamd (the integration
tests' offline lab), on loopback only. Each simulated agent is a state directory and a uuid,
enrolled through the agent core. An administrator queues the jobs through the admin API
(``POST /api/admin/jobs`` with ``agents: "all"``, once per round); then every agent runs the
core's ``get_jobs`` and ``run_jobs`` (each Scan job scans a tiny directory through clamd and
reports ``/api/scans``, ``/api/alerts`` and ``/api/jobs``), ``--concurrency`` agents at a time.

Prints the end-to-end throughput (jobs per second, from the first fetch to the last report)
and the share of the agents' time spent waiting for the server (every HTTP call, timed in the
agent's client), beside the time spent scanning (clamd) and in the agent itself.

Usage: ``make bench-jobs`` or ``.venv/bin/python bench/jobs.py [--agents 200] [--jobs-per-agent 10]``.
Needs root (clamd runs as root) and the clamav, clamav-daemon packages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid as uuid_module
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from collection_staging import stage  # noqa: E402

stage()

from clamav_lab import ClamdLab  # noqa: E402

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import client as client_module  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import Settings  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks import jobrunners  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.getjobs import get_jobs  # noqa: E402
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.runjobs import run_jobs  # noqa: E402

HOST = "127.0.0.1"
PRIORITIES = ("low", "medium", "high", "urgent")


class Timer:
    """Seconds spent in a wrapped function, summed over threads; nested calls counted once.

    ``within``: another Timer; the seconds spent while inside it are also summed apart.
    """

    def __init__(self, within=None):
        self.seconds = 0.0
        self.seconds_within = 0.0
        self.calls = 0
        self.within = within
        self.lock = threading.Lock()
        self.local = threading.local()

    def wrap(self, function):
        def timed(*args, **kwargs):
            if getattr(self.local, "inside", False):
                return function(*args, **kwargs)
            self.local.inside = True
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.local.inside = False
                elapsed = time.perf_counter() - start
                with self.lock:
                    self.seconds += elapsed
                    self.calls += 1
                    if self.within is not None and getattr(self.within.local, "inside", False):
                        self.seconds_within += elapsed
        return timed


def armadito_server():
    return shutil.which("armadito-server") or os.path.join(os.path.dirname(sys.executable), "armadito-server")


def cli(database_url, *args):
    completed = subprocess.run([armadito_server(), *args, "--database-url", database_url, "--json"],
                               capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def start_server(workdir, database_url, port):
    log = open(os.path.join(workdir, "server.log"), "ab")
    process = subprocess.Popen([armadito_server(), "serve", "--host", HOST, "--port", str(port), "--database-url",
                                database_url, "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen("http://%s:%d/healthz" % (HOST, port), timeout=1).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("armadito-server exited; see %s/server.log" % workdir)
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("armadito-server did not answer within 60 s")


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def admin_post(url, token, path, document):
    request = urllib.request.Request(url + path, data=json.dumps(document).encode(), method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--jobs-per-agent", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8, help="agents draining at the same time")
    args = parser.parse_args()
    if not shutil.which("clamd", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", "")):
        raise SystemExit("clamd is not installed (make system-packages)")

    workdir = tempfile.mkdtemp(prefix="armadito-bench-jobs-")
    database_url = "sqlite:///%s/armadito.db" % workdir
    port = free_port()
    url = "http://%s:%d" % (HOST, port)
    lab = ClamdLab(os.path.join(workdir, "clamav"))
    lab.install_daily(27000, age_days=0)
    lab.start(shutil.which("clamd", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", "")))
    server = start_server(workdir, database_url, port)
    try:
        tiny = os.path.join(workdir, "tiny")
        os.makedirs(tiny)
        for number in range(3):
            with open(os.path.join(tiny, "file%d.txt" % number), "w") as handle:
                handle.write("clean file %d\n" % number)

        key = cli(database_url, "key", "create", "--uses", str(args.agents), "--expires", "1d")["key"]
        token = cli(database_url, "admin-token", "create", "--name", "bench")["token"]
        cli(database_url, "scanconfig", "create", "--name", "tiny", "--path", tiny, "--antivirus", "ClamAV")

        agents = []
        started = time.perf_counter()
        for number in range(args.agents):
            settings = Settings(server_url=url, state_dir=os.path.join(workdir, "agents", str(number)),
                                uuid=str(uuid_module.uuid4()).upper(), retries=0, antivirus="ClamAV",
                                antivirus_options={"clamd_config": lab.config})
            enroll(settings, key)
            agents.append(settings)
        enrolled = time.perf_counter() - started

        started = time.perf_counter()
        for round_number in range(args.jobs_per_agent):
            created = admin_post(url, token, "/api/admin/jobs", {"scanconfig": "tiny", "agents": "all",
                                                                 "priority": PRIORITIES[round_number % 4]})
            assert len(created["created"]) == args.agents, created
        queued_in = time.perf_counter() - started
        total_jobs = args.agents * args.jobs_per_agent

        scans = Timer()
        http = Timer(within=scans)
        client_module.Client.request = http.wrap(client_module.Client.request)
        jobrunners.RUNNERS["Scan"] = scans.wrap(jobrunners.RUNNERS["Scan"])

        def drain(settings):
            fetched = get_jobs(settings)
            ran = run_jobs(settings)
            failed = [job for job in ran["jobs"] if job["status"] != "successful"]
            assert not failed, failed
            return len(fetched["fetched"]), len(ran["jobs"])

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            counts = list(pool.map(drain, agents))
        drained = time.perf_counter() - started
        fetched, ran = sum(count[0] for count in counts), sum(count[1] for count in counts)
        assert fetched == ran == total_jobs, (fetched, ran, total_jobs)
        busy = drained * args.concurrency
        scanning = scans.seconds - http.seconds_within
        print("jobs benchmark: %d agents x %d jobs = %d Scan jobs, %d agents at a time, clamd on a %d-file directory"
              % (args.agents, args.jobs_per_agent, total_jobs, args.concurrency, len(os.listdir(tiny))))
        print("  enrollment of %d agents:          %7.2f s" % (args.agents, enrolled))
        print("  queueing (%d admin API calls):     %7.2f s" % (args.jobs_per_agent, queued_in))
        print("  drain (getjobs + runjobs):        %7.2f s  -> %.1f jobs/s end to end" % (drained, total_jobs / drained))
        print("  HTTP calls from agents:           %7d    (%.1f per job, %.1f ms each on average)"
              % (http.calls, http.calls / total_jobs, 1000 * http.seconds / max(http.calls, 1)))
        print("  share of the agents' time (%.1f s = drain time x concurrency):" % busy)
        print("    waiting for the server (every HTTP call):  %5.1f %%" % (100 * http.seconds / busy))
        print("    scanning (clamd and the file walk):         %5.1f %%" % (100 * scanning / busy))
        print("    the rest (queue files, locks, threads):     %5.1f %%" % (100 * (busy - http.seconds - scanning) / busy))
    finally:
        server.terminate()
        server.wait(timeout=30)
        lab.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
