#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_job
short_description: Queue a scan job for Armadito agents on armadito-server
version_added: 1.0.0
description:
  - Queues a Scan job of a scan configuration for the agents named, or for every agent running the configuration's
    antivirus, through the server's admin API.
  - The job is queued once per agent and O(name). Rerunning the task queues nothing for agents that already have a
    job of that name, whatever became of it.
  - Agents pick the job up with M(armadito.fleet.armadito_getjobs) and M(armadito.fleet.armadito_runjobs), from a playbook
    or from their schedule.
  - Runs where the admin API is reachable, usually on the controller.
author:
  - armadito.fleet contributors (@armadito)
extends_documentation_fragment:
  - armadito.fleet.admin
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module only reads; RV(created) lists the agents that would get a job.
  diff_mode:
    support: none
options:
  name:
    description:
      - Name (tag) of the job; one job per agent and name.
    type: str
    required: true
  scanconfig:
    description:
      - Name of the scan configuration to run (C(armadito-server scanconfig create)).
    type: str
    required: true
  agents:
    description:
      - Agent ids or uuids.
      - To target inventory hosts, pass their enrolled uuids, for example from a registered
        M(armadito.fleet.armadito_info) result (RV(armadito.fleet.armadito_info#module:enrolled_uuid)).
      - Mutually exclusive with O(all_agents).
    type: list
    elements: str
  all_agents:
    description:
      - Queue for every agent running the scan configuration's antivirus.
    type: bool
    default: false
  priority:
    description:
      - Agents run the jobs they hold highest priority first.
    type: str
    choices: [low, medium, high, urgent]
    default: low
  wait:
    description:
      - Wait until every job of this name is finished (successful, failed or cancelled) and return them.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait) before failing.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two looks at the jobs with O(wait).
    type: int
    default: 5
seealso:
  - module: armadito.fleet.armadito_getjobs
  - module: armadito.fleet.armadito_runjobs
  - module: armadito.fleet.armadito_server_info
"""

EXAMPLES = r"""
- name: Gather the enrolled uuid of every web server
  armadito.fleet.armadito_info:
  register: armadito

- name: Scan /home on every web server, urgently, once
  armadito.fleet.armadito_job:
    admin_url: https://armadito.example.com
    name: web-home-2026-11-28
    scanconfig: home
    agents: "{{ ansible_play_hosts | map('extract', hostvars, ['armadito', 'enrolled_uuid']) | list }}"
    priority: urgent
  delegate_to: localhost
  run_once: true

- name: Scan every ClamAV agent and wait for the results
  armadito.fleet.armadito_job:
    name: weekly-48
    scanconfig: full-clamav
    all_agents: true
    wait: true
    wait_timeout: 3600
  delegate_to: localhost
  run_once: true
  register: weekly
"""

RETURN = r"""
created:
  description: The jobs queued by this run; in check mode the agents (C(agent_id), C(agent_uuid)) that would get one.
  returned: success
  type: list
  elements: dict
already_queued:
  description: Agents that already had a job of this name (C(agent_id), C(agent_uuid), C(job_id)); empty in check mode.
  returned: success
  type: list
  elements: dict
jobs:
  description: Every job of this name, newest first; with O(wait), once all are finished.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Job id.
      type: int
      sample: 42
    agent_id:
      description: Agent id.
      type: int
      sample: 12
    agent_uuid:
      description: Agent uuid.
      type: str
      sample: 4C4C4544-0033-4A10-8051-B4C04F4B4B32
    priority:
      description: V(low), V(medium), V(high) or V(urgent).
      type: str
      sample: urgent
    status:
      description: V(queued), V(downloaded), V(successful), V(failed) or V(cancelled).
      type: str
      sample: successful
    error_message:
      description: Why the job failed, as the agent said.
      type: str
      sample: null
    scan:
      description: Scan results (C(scanned_count), C(malware_count), C(suspicious_count), C(cleaned_count), C(progress),
        C(start_time), C(end_time), C(duration_seconds)).
      type: dict
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_admin import admin_module, run_admin
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.admin_api import PRIORITIES, queue_scan


def main():
    module = admin_module(
        dict(
            name=dict(type="str", required=True),
            scanconfig=dict(type="str", required=True),
            agents=dict(type="list", elements="str"),
            all_agents=dict(type="bool", default=False),
            priority=dict(type="str", choices=list(PRIORITIES), default="low"),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=600),
            poll_interval=dict(type="int", default=5),
        ),
        mutually_exclusive=[("agents", "all_agents")],
    )
    params = module.params
    if not params["all_agents"] and not params["agents"]:
        module.fail_json(msg="no agent given: list agent ids or uuids in agents, or set all_agents")
    run_admin(module, queue_scan, params["name"], params["scanconfig"],
              agents=None if params["all_agents"] else params["agents"], priority=params["priority"],
              wait=params["wait"], wait_timeout=params["wait_timeout"], poll_interval=params["poll_interval"],
              check_mode=module.check_mode)


if __name__ == "__main__":
    main()
