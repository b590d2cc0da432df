#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_state
short_description: Report the antivirus state of a host to armadito-server
version_added: 1.0.0
description:
  - Gathers the antivirus state (engine version, each signature database with its version, signature count,
    build time and status, the scanning daemon, on-access scanning) and posts it to the server (C(POST /api/states)).
  - Reports only when the state differs from the last one the server accepted, or when that report is older than
    O(max_age). The digest of the last report is kept in the state directory.
  - The host must be enrolled first, see M(armadito.fleet.armadito_enroll).
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
      - In check mode nothing is sent or written; RV(state) is what would be sent.
  diff_mode:
    support: none
options:
  max_age:
    description:
      - Seconds after which an unchanged state is reported again, so that the server sees the host alive.
      - V(0) reports an unchanged state never again.
    type: int
    default: 86400
notes:
  - O(server_url) defaults to the server the host is enrolled with; giving another one fails.
  - Database statuses are V(up-to-date), V(late) (at least O(antivirus_options.late_days) old),
    V(critical) (at least O(antivirus_options.critical_days) old) and V(non-available).
seealso:
  - module: armadito.fleet.armadito_enroll
  - module: armadito.fleet.armadito_info
"""

EXAMPLES = r"""
- name: Report the antivirus state when it changed
  armadito.fleet.armadito_state:

- name: Report with stricter thresholds, at least every hour
  armadito.fleet.armadito_state:
    max_age: 3600
    antivirus_options:
      late_days: 1
      critical_days: 3
"""

RETURN = r"""
reason:
  description: Why the state was (or in check mode would be) sent; null when it was not.
  returned: success
  type: str
  sample: state changed
  choices:
    - first report
    - state changed
    - last report older than max_age
reported_at:
  description: When the server last accepted a state from this host, Unix seconds; null if never.
  returned: success
  type: int
  sample: 1795868160
agent_id:
  description: Agent id the state is reported under.
  returned: success
  type: int
  sample: 12
antivirus:
  description: The antivirus engine.
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
state:
  description: The state sent (or, in check mode or when unchanged, the state gathered), in the protocol's shape.
  returned: success
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
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.state import DEFAULT_MAX_AGE, report_state


def main():
    module = armadito_module(dict(max_age=dict(type="int", default=DEFAULT_MAX_AGE)))
    run_task(module, report_state, max_age=module.params["max_age"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
