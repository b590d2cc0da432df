from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import __version__, cli

KEY = "AAAAF-111AF-DZ78F-EE78F-DDD1F"


@pytest.fixture
def agent_cfg(tmp_path, fake_server, fake_engine):
    path = tmp_path / "agent.cfg"
    path.write_text("server = %s/\nstate-dir = %s\nuuid = 4C4C4544-0033-4A10-8051-B4C04F4B4B32\nretries = 0\n"
                    % (fake_server.url, tmp_path / "state"))
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 5, "scheduler_id": 1, "agent_token": "agt_z"}))
    fake_server.on("GET", "/api/agents", (200, {"agent_id": 5}))
    fake_server.on("POST", "/api/states", (200, ""))
    return str(path)


def run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["-v"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == "armadito-agent %s\n" % __version__


def test_list_tasks_in_the_legacy_order(capsys):
    status, out, err = run(capsys, "--list-tasks")
    listed = out.splitlines()
    assert (status, err, listed[0]) == (0, "", "List of supported tasks :")
    assert listed[1:] == ["Enrollment", "Getjobs", "Runjobs", "State", "Scan", "Alerts", "AVConfig", "Scheduler"]


def test_bad_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--no-such-option"])
    assert exit_.value.code == 2


def test_enrollment_state_and_ids(capsys, agent_cfg, tmp_path, fake_server):
    assert run(capsys, "--conf-file", agent_cfg, "--get-agentid") == (0, "0", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Enrollment", "-k", KEY) == (
        0, "Agent successfully enrolled with id 5 (scheduler id 1)\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Enrollment", "-k", KEY) == (
        0, "Agent already enrolled with id 5\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "--get-agentid") == (0, "5", "")
    assert run(capsys, "--conf-file", agent_cfg, "--get-schedulerid") == (0, "1", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "State") == (
        0, "Send AV State successful (first report, up-to-date)\n", "")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "State") == (
        0, "AV State unchanged (up-to-date), nothing sent\n", "")
    assert fake_server.requests[0]["raw_path"] == "/api/agents"


def test_enrollment_key_file_is_consumed(capsys, agent_cfg, tmp_path):
    (tmp_path / "state").mkdir()
    key_file = tmp_path / "state" / "enrollment.key"
    key_file.write_text(KEY.lower() + "\n")
    assert run(capsys, "--conf-file", agent_cfg, "-t", "Enrollment")[0] == 0
    assert not key_file.exists()


def test_failures_are_one_line_and_exit_1(capsys, agent_cfg, fake_server):
    fake_server.on("POST", "/api/agents", (400, {"error": "Your enrollment key has expired."}))
    status, out, err = run(capsys, "--conf-file", agent_cfg, "-t", "Enrollment", "-k", KEY)
    assert (status, out) == (1, "")
    assert err.startswith("armadito-agent: enrollment key expired (server said: Your enrollment key has expired.)")
    assert err.count("\n") == 1


@pytest.mark.parametrize("task, message", [("enrollment", "unsupported task"), ("GetJobs", "case-sensitive")])
def test_unsupported_tasks(capsys, agent_cfg, task, message):
    status, _out, err = run(capsys, "--conf-file", agent_cfg, "-t", task)
    assert status == 1
    assert message in err


def test_no_key_at_all(capsys, agent_cfg):
    status, _out, err = run(capsys, "--conf-file", agent_cfg, "-t", "Enrollment")
    assert status == 1
    assert "no enrollment key found" in err
