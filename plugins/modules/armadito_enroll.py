#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_enroll
short_description: Enroll a host with armadito-server
version_added: 1.0.0
description:
  - Registers the host with armadito-server (or a legacy Armadito GLPI plugin) using an enrollment key,
    and keeps the agent id, scheduler id and agent token in the state directory.
  - Idempotent. When the state directory says the host is enrolled with this server under this uuid and the
    server still knows the agent, nothing is sent and no use of the key is spent.
  - When the server deleted the agent, or no longer accepts its token, the host is enrolled again.
  - A refused key (expired, used up, revoked, unknown or malformed) fails with a message saying which,
    and nothing is written.
author:
  - armadito.fleet contributors (@armadito)
requirements:
  - requests (Python library on the managed host)
extends_documentation_fragment:
  - armadito.fleet.attributes
  - armadito.fleet.connection
attributes:
  check_mode:
    support: full
    details:
      - Check mode writes nothing locally or on the server; it may ask the server whether it still knows the agent.
  diff_mode:
    support: none
options:
  key:
    description:
      - Enrollment key, five groups of five letters or digits, for example V(AAAAF-111AF-DZ78F-EE78F-DDD1F).
      - Created by an administrator with C(armadito-server key create).
      - Surrounding whitespace is removed and letters are upper-cased.
    type: str
    required: true
    aliases:
      - enrollment_key
  force:
    description:
      - Enroll again even when the host is already enrolled.
      - Against armadito-server a re-enrollment keeps the agent id and issues a new token.
    type: bool
    default: false
seealso:
  - module: armadito.fleet.armadito_info
  - module: armadito.fleet.armadito_state
notes:
  - The O(server_url) option is required, through the option or E(ARMADITO_SERVER_URL).
"""

EXAMPLES = r"""
- name: Enroll every host of the inventory
  armadito.fleet.armadito_enroll:
    server_url: https://armadito.example.com
    key: "{{ armadito_enrollment_key }}"

- name: Set connection options once for the whole armadito.fleet group
  module_defaults:
    group/armadito.fleet.armadito:
      server_url: https://armadito.example.com
      ca_path: /etc/pki/armadito-ca.pem
  block:
    - name: Enroll
      armadito.fleet.armadito_enroll:
        key: "{{ armadito_enrollment_key }}"

    - name: Report the antivirus state
      armadito.fleet.armadito_state:

- name: Enroll again, for example after restoring a host from a backup
  armadito.fleet.armadito_enroll:
    server_url: https://armadito.example.com
    key: "{{ armadito_enrollment_key }}"
    force: true
"""

RETURN = r"""
agent_id:
  description: Agent id given by the server. In check mode, null when the host would be enrolled for the first time.
  returned: success
  type: int
  sample: 12
scheduler_id:
  description: Scheduler slot given by the server. In check mode, null when the host would be enrolled for the first time.
  returned: success
  type: int
  sample: 3
server_url:
  description: The server the host is enrolled with.
  returned: success
  type: str
  sample: https://armadito.example.com
uuid:
  description: Identity of the host towards the server, upper case.
  returned: success
  type: str
  sample: 4C4C4544-0033-4A10-8051-B4C04F4B4B32
uuid_source:
  description:
    - Where O(uuid) came from.
    - V(parameter) (the O(uuid) option), V(smbios) (sysfs), V(dmidecode), or V(machine-id) (derived from C(/etc/machine-id)).
  returned: success
  type: str
  sample: smbios
antivirus:
  description: The antivirus engine announced to the server.
  returned: success
  type: dict
  contains:
    name:
      description: Engine name.
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
key_problem:
  description:
    - When the key was refused, which problem was found.
    - One of V(expired), V(exhausted), V(revoked), V(unknown) (not known to the server) or V(malformed).
  returned: failure, when the key was refused
  type: str
  sample: expired
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll


def main():
    module = armadito_module(
        dict(
            key=dict(type="str", required=True, no_log=True, aliases=["enrollment_key"]),
            force=dict(type="bool", default=False),
        )
    )
    run_task(module, enroll, module.params["key"], force=module.params["force"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
