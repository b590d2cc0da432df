"""A simulated fleet: 50 hosts on this machine, each with its own uuid, state directory and
deployed paths (host variables), enrolled by playbooks/enroll.yml with forks 20.

Package installation, signatures and clamd are left out (one clamd of the lab serves them
all): what is tested is the enrollment, reporting and idempotence across many hosts at once.
"""

from __future__ import annotations

import os
import uuid

from role_runs import agent_paths, local_inventory, run_playbook

HOSTS = 50
FORKS = 20


def fleet_vars(server, clamd_lab, key):
    return {
        "armadito_agent_server_url": server.url,
        "armadito_agent_enrollment_key": key,
        "armadito_agent_retries": 0,
        "armadito_agent_install_packages": False,
        "armadito_agent_signatures_source": "none",
        "armadito_agent_clamd_manage": False,
        "armadito_agent_clamd_config": clamd_lab.config,
        "armadito_agent_database_dir": clamd_lab.database_dir,
    }


def test_fifty_hosts_enroll_once_each(tmp_path, server, clamd_lab):
    key, _key_id = server.new_key(uses=HOSTS)
    uuids = {"host%03d" % number: str(uuid.uuid4()).upper() for number in range(1, HOSTS + 1)}
    hosts = {name: dict(agent_paths(str(tmp_path / name)), armadito_agent_uuid=uuids[name]) for name in uuids}
    inventory = local_inventory(str(tmp_path / "fleet.ini"), hosts)
    runs = str(tmp_path / "runs")

    first = run_playbook(runs, "enroll.yml", inventory, fleet_vars(server, clamd_lab, key), "--forks", str(FORKS))
    first.assert_ok()
    assert len(first.recap) == HOSTS and all(changed > 0 for changed in first.changed().values())
    agents = {agent["uuid"]: agent["id"] for agent in server.admin("agents", "list") if agent["uuid"] in uuids.values()}
    assert len(agents) == HOSTS
    assert len(set(agents.values())) == HOSTS

    second = run_playbook(runs, "enroll.yml", inventory, fleet_vars(server, clamd_lab, key), "--forks", str(FORKS))
    second.assert_ok()
    assert set(second.changed().values()) == {0}, second.output[-4000:]
    # Nothing was enrolled twice: the key has no use left and the server the same 50 agents.
    assert {agent["uuid"]: agent["id"] for agent in server.admin("agents", "list")
            if agent["uuid"] in uuids.values()} == agents
    assert os.path.exists(os.path.join(str(tmp_path / "host050"), "state", "agent.json"))
