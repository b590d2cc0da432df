#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_info
short_description: Show what a host knows about its Armadito enrollment and antivirus
version_added: 1.0.0
description:
  - Returns the enrollment kept in the state directory (server, agent id, scheduler id, uuid),
    the uuid the host would present now and where it comes from, and the antivirus engine with its state.
  - Never contacts the server and never changes anything.
author:
  - armadito.fleet contributors (@armadito)
extends_documentation_fragment:
  - armadito.fleet.attributes
  - armadito.fleet.attributes.info_module
  - armadito.fleet.connection
notes:
  - The connection options other than O(state_dir), O(uuid), O(antivirus) and O(antivirus_options)
    are accepted, so that C(module_defaults) for the group work, and ignored.
seealso:
  - module: armadito.fleet.armadito_enroll
  - module: armadito.fleet.armadito_state
"""

EXAMPLES = r"""
- name: Read the local enrollment and antivirus state
  armadito.fleet.armadito_info:
  register: armadito

- name: Enroll only the hosts that are not enrolled yet
  armadito.fleet.armadito_enroll:
    server_url: https://armadito.example.com
    key: "{{ armadito_enrollment_key }}"
  when: not armadito.enrolled

- name: Fail when signatures are out of date
  ansible.builtin.assert:
    that: armadito.antivirus.state.dbinfo.global_status == 'up-to-date'
"""

RETURN = r"""
enrolled:
  description: Whether the state directory holds an enrollment.
  returned: always
  type: bool
  sample: true
state_dir:
  description: The state directory read.
  returned: always
  type: str
  sample: /var/lib/armadito-agent
server_url:
  description: The server the host is enrolled with.
  returned: always
  type: str
  sample: https://armadito.example.com
agent_id:
  description: Agent id given by the server, null when not enrolled.
  returned: always
  type: int
  sample: 12
scheduler_id:
  description: Scheduler slot given by the server, null when not enrolled.
  returned: always
  type: int
  sample: 3
enrolled_uuid:
  description: The uuid the host was enrolled under, null when not enrolled.
  returned: always
  type: str
  sample: 4C4C4544-0033-4A10-8051-B4C04F4B4B32
uuid:
  description: The uuid the host presents now. It differs from RV(enrolled_uuid) when the hardware identity changed.
  returned: always
  type: str
  sample: 4C4C4544-0033-4A10-8051-B4C04F4B4B32
uuid_source:
  description: Where RV(uuid) came from, V(parameter), V(smbios), V(dmidecode) or V(machine-id).
  returned: always
  type: str
  sample: smbios
last_state_report:
  description: When the server last accepted a state report from this host (Unix seconds), null if never.
  returned: always
  type: int
  sample: 1795868160
antivirus:
  description: The antivirus engine and its state.
  returned: always
  type: dict
  contains:
    installed:
      description: Whether a supported engine was found.
      type: bool
      sample: true
    name:
      description: Engine name, null when none was found.
      type: str
      sample: ClamAV
    version:
      description: Engine version.
      type: str
      sample: 1.4.3
    program_path:
      description: Directory of the engine programs, or an empty string.
      type: str
      sample: /usr/bin/
    error:
      description: Why no engine could be read, null otherwise.
      type: str
      sample: null
    state:
      description: The state payload that M(armadito.fleet.armadito_state) would report; null when no engine was found.
      type: dict
      contains:
        dbinfo:
          description: Signature database information.
          type: dict
          contains:
            global_status:
              description: Worst status of the databases, V(up-to-date), V(late), V(critical) or V(non-available) when there is none.
              type: str
              sample: up-to-date
            global_update_timestamp:
              description: Build time of the newest database, Unix seconds (0 when there is none).
              type: int
              sample: 1795868160
            service_status:
              description: V(running) (the daemon answers), V(not-responding) (its process runs but does not answer) or V(stopped).
              type: str
              sample: running
            modules:
              description: One entry per signature database (for ClamAV, V(main), V(daily), V(bytecode)...).
              type: list
              elements: dict
              sample:
                - name: daily
                  mod_status: up-to-date
                  mod_update_timestamp: 1795868160
                  bases:
                    - name: daily.cld
                      version: "27000"
                      signature_count: 2066791
                      full_path: /var/lib/clamav/daily.cld
                      base_update_ts: 1795868160
        avdetails:
          description:
            - Engine details as C(attr)/C(value) pairs, for example C(onaccess:enabled) (V(1) when on-access scanning runs),
              C(clamd:status) or C(clamd:loaded_database_version).
          type: list
          elements: dict
          sample:
            - attr: onaccess:enabled
              value: 0
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.info import gather_info


def main():
    module = armadito_module({}, requires_server=False)
    run_task(module, gather_info)


if __name__ == "__main__":
    main()
