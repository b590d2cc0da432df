"""armadito-agent (the core's command line) against the real server and clamd, sharing state with the modules."""

from __future__ import annotations

from conftest import free_port


def test_enrollment_and_state_from_cron_then_ansible_agrees(host, server):
    key, key_id = server.new_key(uses=2)
    enrolled = host.agent_cli("-t", "Enrollment", "-k", key)
    assert (enrolled.returncode, enrolled.stderr) == (0, "")
    agent_id = server.agent(host.uuid)["id"]
    assert enrolled.stdout == "Agent successfully enrolled with id %d (scheduler id %d)\n" % (
        agent_id, server.agent(host.uuid)["scheduler_id"])
    assert host.agent_cli("--get-agentid").stdout == str(agent_id)

    reported = host.agent_cli("-t", "State")
    assert (reported.returncode, reported.stdout) == (0, "Send AV State successful (first report, up-to-date)\n")

    # Same state directory: the modules see the enrollment and the report the CLI made.
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is False
    assert host.module("armadito_state", host.args())["changed"] is False
    assert server.key(key_id)["uses_left"] == 1


def test_failures_are_one_line_with_status_1(host, server):
    refused = host.agent_cli("-t", "Enrollment", "-k", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith("armadito-agent: enrollment key unknown")
    assert refused.stderr.count("\n") == 1

    down = host.agent_cli("-t", "Enrollment", "-k", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", config=(
        "server = http://127.0.0.1:%d\nstate-dir = %s\nretries = 0\n" % (free_port(), host.state_dir)))
    assert down.returncode == 1
    assert "cannot connect to" in down.stderr
    assert host.stored("agent.json") is None
