"""A playbook with module_defaults for the action group, on the oldest supported Python."""

from __future__ import annotations

import json
import os
import sys

import pytest

from conftest import PYTHON38

PLAYBOOK = """
- name: Enroll and report through the armadito.fleet action group
  hosts: all
  gather_facts: false
  module_defaults:
    group/armadito.fleet.armadito: "{{ connection }}"
  tasks:
    - name: Enroll
      armadito.fleet.armadito_enroll:
        key: "{{ key }}"
      register: enroll

    - name: Enroll again
      armadito.fleet.armadito_enroll:
        key: "{{ key }}"
      register: enroll_again

    - name: Report the state
      armadito.fleet.armadito_state:
      register: state

    - name: Read the local information
      armadito.fleet.armadito_info:
      register: info

    - name: Keep the results for the test
      ansible.builtin.copy:
        content: "{{ {'enroll': enroll, 'enroll_again': enroll_again, 'state': state, 'info': info} | to_json }}"
        dest: "{{ results }}"
        mode: "0600"
"""


def run_playbook(host, server, python):
    path = os.path.join(host.directory, "enroll.yml")
    with open(path, "w") as handle:
        handle.write(PLAYBOOK)
    results = os.path.join(host.directory, "results.json")
    key, _key_id = server.new_key()
    completed = host.playbook(path, python=python,
                              extra_vars={"connection": host.args(), "key": key, "results": results})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert key not in completed.stdout
    with open(results) as handle:
        return json.load(handle)


@pytest.mark.parametrize("python", [
    sys.executable,
    pytest.param(PYTHON38, marks=pytest.mark.skipif(PYTHON38 is None, reason="no Python 3.8 with requests (make host-python38)")),
], ids=["venv-python", "python3.8"])
def test_module_defaults_group(host, server, python):
    results = run_playbook(host, server, python)
    assert results["enroll"]["changed"] is True
    assert results["enroll_again"]["changed"] is False
    assert results["state"]["changed"] is True
    assert results["state"]["state"]["dbinfo"]["global_status"] == "up-to-date"
    assert results["info"]["enrolled"] is True
    assert results["info"]["agent_id"] == results["enroll"]["agent_id"] == server.agent(host.uuid)["id"]
