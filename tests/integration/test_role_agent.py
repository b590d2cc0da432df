"""playbooks/enroll.yml and avconfig.yml against localhost, the way community.crypto tests
modules: real run, real run again (changed=0), check mode on a fresh host (nothing changes),
check and diff mode for a configuration rollout (shown, not applied)."""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from role_runs import PrivateClamav, agent_paths, local_inventory, run_playbook


@pytest.fixture
def localhost(tmp_path, server):
    """localhost with a private clamd, a fresh uuid and every deployed path under tmp_path."""
    clamav = PrivateClamav(str(tmp_path / "clamav"))
    key, _key_id = server.new_key(uses=10)
    host_uuid = str(uuid.uuid4()).upper()
    variables = dict(clamav.role_vars(), **agent_paths(str(tmp_path / "agent")))
    variables.update(armadito_agent_server_url=server.url, armadito_agent_enrollment_key=key,
                     armadito_agent_uuid=host_uuid, armadito_agent_retries=0,
                     # Packages are installed through the role (apt: already present here).
                     armadito_agent_install_packages=True)
    inventory = local_inventory(str(tmp_path / "inventory.ini"), {"localhost": {}})
    yield {"vars": variables, "inventory": inventory, "uuid": host_uuid, "dir": str(tmp_path), "clamav": clamav}
    clamav.stop()


def run(host, playbook, *options, **extra):
    return run_playbook(os.path.join(host["dir"], "runs"), playbook, host["inventory"],
                        dict(host["vars"], **extra), *options)


def test_enroll_playbook_is_idempotent_and_check_mode_changes_nothing(localhost, server):
    first = run(localhost, "enroll.yml")
    first.assert_ok()
    assert first.changed()["localhost"] > 0
    agent = server.agent(localhost["uuid"])
    assert agent is not None and agent["antivirus"]["name"] == "ClamAV"
    states = [state for state in server.admin("states", "list") if state["agent_uuid"] == localhost["uuid"]]
    assert states and states[0]["update_status"] == "up-to-date"
    assert states[0]["service_status"] == "running"
    assert localhost["vars"]["armadito_agent_enrollment_key"] not in first.output

    second = run(localhost, "enroll.yml")
    second.assert_ok()
    assert second.changed() == {"localhost": 0}, second.output[-4000:]

    # The deployed command works on its own, with the enrollment the playbook made.
    command = localhost["vars"]["armadito_agent_command"]
    completed = subprocess.run([command, "--get-agentid"], capture_output=True, text=True, check=False)
    assert completed.stdout.strip() == str(agent["id"]), completed.stderr

    # Check mode on a host that was never enrolled: nothing is written, nothing is enrolled.
    fresh_dir = os.path.join(localhost["dir"], "fresh")
    fresh_uuid = str(uuid.uuid4()).upper()
    agents_before = len(server.admin("agents", "list"))
    checked = run(localhost, "enroll.yml", "--check", **dict(agent_paths(fresh_dir), armadito_agent_uuid=fresh_uuid))
    checked.assert_ok()
    # Only the cron directory the test made (as the cron package would), still empty.
    assert os.listdir(fresh_dir) == ["cron.d"] and not os.listdir(os.path.join(fresh_dir, "cron.d"))
    assert server.agent(fresh_uuid) is None
    assert len(server.admin("agents", "list")) == agents_before


def test_avconfig_rollout_check_diff_shows_and_applies_nothing(localhost):
    localhost["vars"]["armadito_agent_install_packages"] = False  # the first test proves it
    run(localhost, "enroll.yml").assert_ok()
    config = localhost["clamav"].config
    with open(config) as handle:
        before = handle.read()

    rollout = {"armadito_agent_avconfig": {"clamd": {"MaxThreads": 3}}, "armadito_serial": 1,
               "armadito_max_fail_percentage": 0}
    checked = run(localhost, "avconfig.yml", "--check", "--diff", **rollout)
    checked.assert_ok()
    assert "-MaxThreads 2" in checked.output and "+MaxThreads 3" in checked.output
    assert checked.changed() == {"localhost": 1}
    with open(config) as handle:
        assert handle.read() == before

    applied = run(localhost, "avconfig.yml", **rollout)
    applied.assert_ok()
    with open(config) as handle:
        assert "MaxThreads 3" in handle.read()
    again = run(localhost, "avconfig.yml", **rollout)
    again.assert_ok()
    assert again.changed() == {"localhost": 0}


def test_report_playbooks_after_enrollment(localhost):
    localhost["vars"]["armadito_agent_install_packages"] = False
    run(localhost, "enroll.yml").assert_ok()
    for playbook in ("state.yml", "alerts.yml", "jobs.yml"):
        result = run(localhost, playbook)
        result.assert_ok()
        assert result.changed() == {"localhost": 0}, (playbook, result.output[-3000:])
    scan_dir = os.path.join(localhost["dir"], "scan-me")
    os.makedirs(scan_dir)
    with open(os.path.join(scan_dir, "clean.txt"), "w") as handle:
        handle.write("nothing to see\n")
    scan = run(localhost, "scan.yml", armadito_agent_scan_paths=[scan_dir], armadito_fail_on_malware=True)
    scan.assert_ok()
