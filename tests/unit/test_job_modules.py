"""Argument handling of the job, scheduler and admin modules, run in-process."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.armadito.fleet.plugins.modules import (
    armadito_enrollment_key,
    armadito_getjobs,
    armadito_job,
    armadito_runjobs,
    armadito_scheduler,
    armadito_server_info,
)
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import AGENT_FILE

from .test_modules import run_module

UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"


@pytest.fixture
def agent(tmp_path, fake_server, fake_engine):
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / AGENT_FILE).write_text(json.dumps({
        "server_url": fake_server.url, "agent_id": 7, "scheduler_id": 1, "uuid": UUID, "token": "agt_t",
        "antivirus": {"name": "FakeAV", "version": "9.9", "program_path": ""}}))
    fake_server.on("POST", "/api/jobs", (200, {}))
    fake_server.on("POST", "/api/schedulers", (200, {}))
    return {"state_dir": str(state_dir), "retries": 0}


@pytest.fixture
def admin(fake_server, monkeypatch):
    monkeypatch.setenv("ARMADITO_ADMIN_URL", fake_server.url)
    monkeypatch.setenv("ARMADITO_ADMIN_TOKEN", "adm_secret")
    return {"retries": 0}


def test_getjobs_then_runjobs_check_mode(agent, capsys, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [
        {"job_id": 1, "job_type": "Scan", "job_priority": "3",
         "obj": {"scan_name": "tmp", "scan_path": base64.b64encode(b"/nonexistent").decode(), "scan_options": ""}}]}),
        (200, {"jobs": []}))
    fetched = run_module(armadito_getjobs, agent, capsys)
    assert (fetched["changed"], fetched["fetched"][0]["priority"]) == (True, "urgent")
    predicted = run_module(armadito_runjobs, dict(agent, _ansible_check_mode=True, wait=30), capsys)
    assert (predicted["changed"], predicted["jobs"][0]["job_id"]) == (True, 1)
    assert fake_server.calls("POST", "/api/jobs") == []


def test_scheduler_requires_tasks_for_parameters(agent, capsys):
    result = run_module(armadito_scheduler, agent, capsys)
    assert result["msg"] == "source is parameters but all of the following are missing: tasks"


def test_scheduler_refuses_a_task_twice(agent, capsys, tmp_path):
    tasks = [{"task": "Getjobs", "freq": "* * * * *"}, {"task": "Getjobs", "freq": "*/5 * * * *"}]
    result = run_module(armadito_scheduler, dict(agent, tasks=tasks, cron_file=str(tmp_path / "c")), capsys)
    assert result["msg"] == "task Getjobs is listed twice in tasks"


def test_scheduler_diff_only_in_diff_mode(agent, capsys, tmp_path):
    args = dict(agent, tasks=[{"task": "Getjobs", "freq": "*/10 * * * *"}], cron_file=str(tmp_path / "cron"),
                unit_dir=str(tmp_path), enable_timers=False, agent_command="/usr/bin/armadito-agent")
    plain = run_module(armadito_scheduler, dict(args, _ansible_check_mode=True), capsys)
    assert "diff" not in plain and plain["changed"] is True
    shown = run_module(armadito_scheduler, dict(args, _ansible_diff=True), capsys)
    assert shown["diff"][0]["after_header"] == str(tmp_path / "cron")
    assert "*/10 * * * *\troot\t/usr/bin/armadito-agent -t \"Getjobs\"" in shown["diff"][0]["after"]


def test_admin_token_is_hidden_and_taken_from_the_environment(admin, capsys, fake_server):
    fake_server.on("GET", "/api/admin/keys", (200, []))
    fake_server.on("POST", "/api/admin/keys", (201, {"id": 1, "name": "w", "status": "active", "key": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"}))
    result = run_module(armadito_enrollment_key, dict(admin, name="w"), capsys)
    assert (result["changed"], result["key"]) == (True, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    assert "adm_secret" not in json.dumps(result)
    assert fake_server.calls("POST", "/api/admin/keys")[0]["headers"]["Authorization"] == "Bearer adm_secret"


def test_admin_modules_refuse_agent_options(admin, capsys):
    result = run_module(armadito_server_info, dict(admin, server_url="http://x"), capsys)
    assert "Unsupported parameters" in result["msg"]


def test_job_needs_agents_or_all_agents(admin, capsys):
    for agents in (None, []):
        assert run_module(armadito_job, dict(admin, name="n", scanconfig="s", agents=agents), capsys)["msg"] == (
            "no agent given: list agent ids or uuids in agents, or set all_agents")
    assert "mutually exclusive" in run_module(
        armadito_job, dict(admin, name="n", scanconfig="s", agents=["1"], all_agents=True), capsys)["msg"]


def test_server_info_gathers_what_is_asked(admin, capsys, fake_server):
    fake_server.on("GET", "/api/admin/states", (200, [{"agent_id": 1, "update_status": "late"}]))
    result = run_module(armadito_server_info, dict(admin, gather=["states"]), capsys)
    assert (result["changed"], "agents" in result) == (False, False)
    assert result["states"] == [{"agent_id": 1, "update_status": "late"}]
