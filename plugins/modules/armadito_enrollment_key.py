#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_enrollment_key
short_description: Create or revoke an armadito-server enrollment key
version_added: 1.0.0
description:
  - Creates the enrollment key called O(name) on armadito-server through its admin API, unless a key of that name
    exists; or revokes it.
  - The key itself is returned only by the run that creates it (the server shows it once and keeps only its digest).
    Register the result with C(no_log) and pass it on, for example to M(armadito.fleet.armadito_enroll).
  - "Runs where the admin API is reachable, usually on the controller (C(delegate_to: localhost), C(run_once))."
author:
  - armadito.fleet contributors (@armadito)
extends_documentation_fragment:
  - armadito.fleet.admin
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module only reads.
  diff_mode:
    support: none
options:
  name:
    description:
      - Unique label of the key; the module's idempotence rests on it.
    type: str
    required: true
  state:
    description:
      - V(present) creates the key if no key has this name; an existing key is left as it is, even expired, used up or
        revoked (its name stays taken; choose a new name for a new key).
      - V(absent) revokes the key; agents can no longer enroll with it. Enrolled agents stay enrolled.
    type: str
    choices: [present, absent]
    default: present
  uses:
    description:
      - How many enrollments the key allows, when it is created.
    type: int
    default: 1
  expires:
    description:
      - Lifetime of the key when it is created, V(30m), V(12h), V(7d), V(2w), or an ISO date or date-time (UTC unless
        it has a zone).
    type: str
    default: 7d
seealso:
  - module: armadito.fleet.armadito_enroll
  - module: armadito.fleet.armadito_server_info
"""

EXAMPLES = r"""
- name: Create the key of this enrollment wave
  armadito.fleet.armadito_enrollment_key:
    admin_url: https://armadito.example.com
    name: wave-2026-11
    uses: 500
    expires: 2w
  delegate_to: localhost
  run_once: true
  no_log: true
  register: wave

- name: Enroll with it
  armadito.fleet.armadito_enroll:
    server_url: https://armadito.example.com
    key: "{{ wave.key }}"
  when: wave.key is not none

- name: Revoke it once the wave is done
  armadito.fleet.armadito_enrollment_key:
    name: wave-2026-11
    state: absent
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
key:
  description: The enrollment key, only when this run created it; null otherwise.
  returned: success
  type: str
  sample: 0RV2V-2RYTX-NX4OW-7LARZ-KZQAJ
key_info:
  description: The key as the server lists it (never the key itself); null when there is none (or, in check mode, before creation).
  returned: success
  type: dict
  contains:
    id:
      description: Key id.
      type: int
      sample: 3
    name:
      description: Key name.
      type: str
      sample: wave-2026-11
    hint:
      description: First group of the key.
      type: str
      sample: 0RV2V
    status:
      description: V(active), V(expired), V(exhausted) or V(revoked).
      type: str
      sample: active
    uses_left:
      description: Enrollments left.
      type: int
      sample: 500
    uses_total:
      description: Enrollments allowed.
      type: int
      sample: 500
    created_at:
      description: Creation time, ISO 8601 UTC.
      type: str
      sample: "2026-11-28T12:00:00Z"
    expires_at:
      description: Expiry time, ISO 8601 UTC.
      type: str
      sample: "2026-12-12T12:00:00Z"
    revoked_at:
      description: Revocation time, null unless revoked.
      type: str
      sample: null
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_admin import admin_module, run_admin
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.admin_api import enrollment_key


def main():
    module = admin_module(dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        uses=dict(type="int", default=1),
        expires=dict(type="str", default="7d"),
    ))
    params = module.params
    run_admin(module, enrollment_key, params["name"], state=params["state"], uses=params["uses"],
              expires=params["expires"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
