#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_server_info
short_description: Read agents, antivirus states, alerts and jobs from armadito-server
version_added: 1.0.0
description:
  - Returns what armadito-server knows, through its admin API, as data for reports (for example in AWX).
  - Never changes anything.
author:
  - armadito.fleet contributors (@armadito)
extends_documentation_fragment:
  - armadito.fleet.admin
  - armadito.fleet.attributes.info_module
options:
  gather:
    description:
      - Which sections to return.
    type: list
    elements: str
    choices: [agents, states, alerts, jobs]
    default: [agents, states, alerts, jobs]
  agent:
    description:
      - Only this agent (id or uuid).
    type: str
  limit:
    description:
      - Most alerts and most jobs returned, newest first. The server returns at most 1000 alerts.
    type: int
    default: 50
seealso:
  - module: armadito.fleet.armadito_job
  - module: armadito.fleet.armadito_enrollment_key
"""

EXAMPLES = r"""
- name: Read the fleet's state
  armadito.fleet.armadito_server_info:
    admin_url: https://armadito.example.com
    gather: [agents, states]
  delegate_to: localhost
  run_once: true
  register: fleet

- name: List the agents whose signatures are not up to date
  ansible.builtin.debug:
    msg: "{{ fleet.states | rejectattr('update_status', 'equalto', 'up-to-date') | map(attribute='agent_uuid') | list }}"
  run_once: true
"""

RETURN = r"""
agents:
  description: Enrolled agents (C(id), C(uuid), C(agent_version), C(antivirus), C(enrolled_at), C(last_contact), C(last_alert), C(scheduler_id)).
  returned: when gathered
  type: list
  elements: dict
states:
  description: Each agent's last antivirus state (C(update_status), C(service_status), C(last_update), C(modules)...).
  returned: when gathered
  type: list
  elements: dict
alerts:
  description: Detections, newest first (C(threat_name), C(filepath), C(detection_time), C(agent_uuid), C(job_id)...).
  returned: when gathered
  type: list
  elements: dict
jobs:
  description: Jobs, newest first, with their scan results (see M(armadito.fleet.armadito_job)).
  returned: when gathered
  type: list
  elements: dict
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_admin import admin_module, run_admin
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.admin_api import DEFAULT_LIMIT, INFO_SECTIONS, server_info


def main():
    module = admin_module(dict(
        gather=dict(type="list", elements="str", choices=list(INFO_SECTIONS), default=list(INFO_SECTIONS)),
        agent=dict(type="str"),
        limit=dict(type="int", default=DEFAULT_LIMIT),
    ))
    params = module.params
    run_admin(module, server_info, gather=params["gather"], agent=params["agent"], limit=params["limit"])


if __name__ == "__main__":
    main()
