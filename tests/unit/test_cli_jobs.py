"""armadito-agent's Getjobs, Runjobs and Scheduler tasks, and its logging, against a scripted server."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import cli
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import AGENT_FILE

from .test_cli import run

UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"


@pytest.fixture
def agent_cfg(tmp_path, fake_server, fake_engine):
    state = tmp_path / "state"
    state.mkdir()
    (state / AGENT_FILE).write_text(json.dumps({
        "server_url": fake_server.url, "agent_id": 7, "scheduler_id": 1, "uuid": UUID, "token": "agt_t",
        "antivirus": {"name": "FakeAV", "version": "9.9", "program_path": ""}}))
    (tmp_path / "cron.d").mkdir()
    path = tmp_path / "agent.cfg"
    path.write_text("server = %s\nstate-dir = %s\nretries = 0\n" % (fake_server.url, state))
    fake_server.on("POST", "/api/jobs", (200, {}))
    fake_server.on("POST", "/api/schedulers", (200, {}))
    return str(path)


def test_getjobs_then_runjobs_report_each_job(capsys, agent_cfg, fake_server):
    bad_path = base64.b64encode(b"/x").decode()
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [
        {"job_id": 4, "job_type": "Inventory", "job_priority": "1", "obj": {"scan_name": "inv", "scan_path": bad_path}}]}),
        (200, {"jobs": []}))
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Getjobs") == (
        0, "Getjobs successful: 1 new job(s), 1 queued\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Runjobs") == (
        0, "Job 4 (Inventory inv, medium) failed: unknown job type 'Inventory': this agent runs Scan jobs\n"
           "Runjobs sendStatus successful: 1 job(s) run\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Runjobs") == (
        0, "Runjobs sendStatus successful: 0 job(s) run\n", "")


def test_server_down_exits_1_with_one_line(capsys, agent_cfg, unused_port, tmp_path):
    with open(agent_cfg, "a") as handle:
        handle.write("server = http://127.0.0.1:%d\n" % unused_port)
    status, out, err = run(capsys, "--conf-file", agent_cfg, "-s", "http://127.0.0.1:%d" % unused_port, "-t", "Getjobs")
    assert (status, out) == (1, "")
    assert err.startswith("armadito-agent: ") and err.count("\n") == 1


def test_scheduler_uses_the_legacy_file_when_the_server_has_no_schedule(capsys, agent_cfg, tmp_path, fake_server,
                                                                        monkeypatch):
    fake_server.on("GET", "/api/schedulers", (200, {"agent_id": 7, "scheduler_id": 1, "confdetails": []}))
    status, out, err = run(capsys, "--conf-file", agent_cfg, "-t", "Scheduler")
    assert status == 1 and "scheduler-cron.cfg does not exist" in err
    (tmp_path / "scheduler-cron.cfg").write_text("User = root\nLogfile = /tmp/a.log\n*/5 * * * * ; Getjobs ;\n")
    cron_file = tmp_path / "cron.d" / "armadito-agent"
    # The cron file location is a module option; the command line always writes /etc/cron.d.
    monkeypatch.setattr(cli, "apply_schedule", _with_cron_file(cli.apply_schedule, str(cron_file)))
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Scheduler") == (
        0, "Scheduler cron (1 file(s) changed): Send Scheduler infos successful\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Scheduler") == (
        0, "Scheduler cron (unchanged): already reported\n", "")
    assert "*/5 * * * *\troot\t" in cron_file.read_text()


def _with_cron_file(apply, cron_file):
    def wrapped(settings, desired, **options):
        return apply(settings, desired, cron_file=cron_file, unit_dir=cron_file + ".units", enable_timers=False,
                     agent_command="/usr/bin/armadito-agent", **options)
    return wrapped


def test_logfile_gets_outcomes_and_problems_with_the_time(capsys, agent_cfg, tmp_path, fake_server):
    log = tmp_path / "agent.log"
    fake_server.on("GET", "/api/jobs", (200, {"jobs": []}))
    assert run(capsys, "--conf-file", agent_cfg, "--logfile", str(log), "-t", "Getjobs")[0] == 0
    assert run(capsys, "--conf-file", agent_cfg, "--logfile", str(log), "-t", "NoSuch")[0] == 1
    lines = log.read_text().splitlines()
    assert lines[0].endswith("][INFO] Getjobs successful: 0 new job(s), 0 queued")
    assert lines[1].endswith("][ERROR] unsupported task 'NoSuch': use --list-tasks to see which tasks are supported "
                             "(names are case-sensitive)")
    assert lines[0].startswith("[20")


def test_debug_shows_progress_on_stderr(capsys, agent_cfg, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": []}))
    status, out, err = run(capsys, "--conf-file", agent_cfg, "-d", "2", "-t", "Getjobs")
    assert (status, out) == (0, "Getjobs successful: 0 new job(s), 0 queued\n")
    assert err.startswith("[debug] running task Getjobs")
    assert "Getjobs successful" not in err


def test_setup_and_schedulerid(capsys, agent_cfg, tmp_path):
    assert run(capsys, "--conf-file", agent_cfg, "--setup") == (
        0, "confdir: %s\nvardir: %s\n" % (tmp_path, tmp_path / "state"), "")
    assert run(capsys, "--conf-file", agent_cfg, "--get-schedulerid") == (0, "1", "")
