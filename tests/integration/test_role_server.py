"""playbooks/server.yml against localhost: armadito-server from the repository's server/
directory into a fresh virtual environment, SQLite, started in the background (no systemd
here), with the admin token and enrollment key returned as facts; a second run changes nothing.

pip fetches the server's dependencies from the package index: skipped when it is unreachable.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request

import pytest

from conftest import REPO_ROOT, free_port
from role_runs import local_inventory, run_playbook


def index_reachable():
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not index_reachable(), reason="pypi.org is unreachable: pip cannot fetch the server's dependencies")
def test_server_role_installs_runs_and_returns_secrets(tmp_path):
    port = free_port()
    install_dir = str(tmp_path / "venv")
    data_dir = str(tmp_path / "data")
    facts_file = str(tmp_path / "facts.json")
    variables = {"armadito_hosts": "localhost", "armadito_server_hosts": "localhost",
                 "armadito_server_pip_source": "directory", "armadito_server_source_dir": os.path.join(REPO_ROOT, "server"),
                 "armadito_server_install_dir": install_dir, "armadito_server_data_dir": data_dir,
                 "armadito_server_user": "root", "armadito_server_port": port,
                 "armadito_server_install_packages": False, "armadito_server_service_manager": "direct"}
    inventory = local_inventory(str(tmp_path / "inventory.ini"), {"localhost": {}})
    runs = str(tmp_path / "runs")
    # A play after the role's, to see its facts.
    playbook = tmp_path / "server-and-facts.yml"
    playbook.write_text(
        "- name: Server\n  ansible.builtin.import_playbook: %s\n"
        "- name: Keep the facts\n  hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - name: Write them\n      ansible.builtin.copy:\n"
        "        content: \"{{ {'key': armadito_server_enrollment_key, 'token': armadito_server_admin_token,"
        " 'url': armadito_server_public_url} | to_json }}\"\n"
        "        dest: %s\n        mode: \"0600\"\n" % (os.path.join(REPO_ROOT, "playbooks", "server.yml"), facts_file))
    try:
        first = run_playbook(runs, str(playbook), inventory, variables, timeout=900)
        first.assert_ok()
        with open(facts_file) as handle:
            facts = json.load(handle)
        assert facts["url"] == "http://127.0.0.1:%d" % port
        assert facts["token"].startswith("adm_") and len(facts["key"]) == 29
        assert facts["key"] not in first.output and facts["token"] not in first.output
        request = urllib.request.Request(facts["url"] + "/api/admin/agents",
                                         headers={"Authorization": "Bearer " + facts["token"]})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

        second = run_playbook(runs, str(playbook), inventory, variables, timeout=900)
        second.assert_ok()
        assert second.changed() == {"localhost": 0}, second.output[-4000:]
    finally:
        pid_file = os.path.join(data_dir, "server.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as handle:
                try:
                    os.kill(int(handle.read().strip()), 15)
                except (OSError, ValueError):
                    pass
