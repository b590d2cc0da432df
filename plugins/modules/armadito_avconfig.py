#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_avconfig
short_description: Configure the antivirus engine of a host and report its configuration to armadito-server
version_added: 1.0.0
description:
  - Sets keys of the antivirus configuration files (for ClamAV, C(clamd.conf) and C(freshclam.conf)) from O(config),
    or from what the administrator set on the server for this host (O(source=server), C(GET /api/avconfigs)).
  - Only the keys given change; comments, blank lines and the order of the other lines stay.
  - The new file is checked with the engine's own parser (C(clamconf) for ClamAV) before it replaces the old one.
    An invalid value fails the module and leaves the file untouched.
  - Then the engine is made to use it (O(reload)). clamd reads its configuration only when it starts, so a running
    clamd is restarted; a freshclam daemon under systemd is restarted, otherwise freshclam reads its file at its
    next run.
  - When the host is enrolled, the resulting configuration is reported (C(POST /api/avconfigs)) when it differs
    from the last one the server accepted.
author:
  - armadito.fleet contributors (@armadito)
requirements:
  - requests (Python library on the managed host), when reporting or with O(source=server)
extends_documentation_fragment:
  - armadito.fleet.attributes
  - armadito.fleet.connection
attributes:
  check_mode:
    support: full
    details:
      - In check mode the new files are built and checked but not written, the engine is not touched and nothing is
        sent; RV(changes) and the diff show what would change.
  diff_mode:
    support: full
    details:
      - The diff shows, per file, the lines of the keys that change, before and after.
options:
  config:
    description:
      - "The wanted configuration, by file then key, for example C({clamd: {MaxThreads: 4}})."
      - Files are V(clamd) and V(freshclam).
      - A value is a string, a number or a boolean (written V(yes) or V(no)); a list sets a key that repeats
        (C(OnAccessIncludePath)); V(null) removes the key.
      - Keys not listed are left as they are.
      - Used with O(source=params).
    type: dict
    default: {}
  source:
    description:
      - Where the wanted configuration comes from.
      - V(params) is O(config); V(server) is what the administrator set for this host on the server
        (C(armadito-server avconfig set)), where attributes are C(clamd:MaxThreads) and a value with several
        lines sets a repeated key.
    type: str
    choices: [params, server]
    default: params
  backup:
    description:
      - Keep a copy of each changed file, named after it with a time stamp and a C(~).
    type: bool
    default: true
  reload:
    description:
      - Make the engine use the changed configuration (restart clamd when it runs).
    type: bool
    default: true
  report:
    description:
      - Report the configuration to the server when it changed since the last report.
      - By default, when the host is enrolled.
    type: bool
notes:
  - B(changed) is V(true) when a file changed or a configuration the server did not have yet was reported.
  - Paths of the files are set with O(antivirus_options.clamd_config) and O(antivirus_options.freshclam_config);
    the restart command with O(antivirus_options.clamd_restart_command).
seealso:
  - module: armadito.fleet.armadito_state
"""

EXAMPLES = r"""
- name: Four scanning threads, on-access scanning of two directories, no verbose log
  armadito.fleet.armadito_avconfig:
    config:
      clamd:
        MaxThreads: 4
        OnAccessIncludePath:
          - /home
          - /srv
        LogVerbose: null
      freshclam:
        Checks: 12

- name: Apply what the administrator set on the server
  armadito.fleet.armadito_avconfig:
    source: server

- name: Only report the configuration
  armadito.fleet.armadito_avconfig:
"""

RETURN = r"""
changes:
  description: The keys that changed (or would change), each with its values before and after; V([]) is an absent key.
  returned: success
  type: list
  elements: dict
  sample:
    - attr: clamd:MaxThreads
      before: ["12"]
      after: ["4"]
files:
  description: The files changed (or that would change).
  returned: success
  type: list
  elements: str
  sample:
    - /etc/clamav/clamd.conf
backup_files:
  description: The copies made of the changed files.
  returned: success
  type: list
  elements: str
  sample:
    - /etc/clamav/clamd.conf.4242.2026-11-28@12:00:00~
actions:
  description: What was done to make the engine use the change.
  returned: success
  type: list
  elements: str
  sample:
    - clamd restarted
config:
  description:
    - The resulting configuration as C(attr)/C(value) pairs (in check mode, as it would be).
    - A key that repeats is one entry whose value holds its values one per line.
  returned: success
  type: list
  elements: dict
  sample:
    - attr: clamd:MaxThreads
      value: "4"
reported:
  description: Whether the configuration was (in check mode, would be) sent to the server.
  returned: success
  type: bool
  sample: true
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.avconfig import PARAMS, SERVER, apply_avconfig


def main():
    module = armadito_module(
        dict(
            config=dict(type="dict", default={}),
            source=dict(type="str", choices=[PARAMS, SERVER], default=PARAMS),
            backup=dict(type="bool", default=True),
            reload=dict(type="bool", default=True),
            report=dict(type="bool"),
        ),
        requires_server=False,
    )
    params = module.params
    run_task(module, apply_avconfig, config=params["config"], source=params["source"], backup=params["backup"],
             reload=params["reload"], report=params["report"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
