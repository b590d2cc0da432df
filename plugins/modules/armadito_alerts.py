#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_alerts
short_description: Send the antivirus detections of a host to armadito-server, each one once
version_added: 1.0.0
description:
  - Reads the new detections of the antivirus engine's logs (for ClamAV, clamd's C(LogFile) and the log of the
    on-access scanner C(clamonacc)) and sends them to the server (C(POST /api/alerts)), with the detections of
    M(armadito.fleet.armadito_scan) runs that could not be sent yet.
  - Each log is read from a bookmark kept in the state directory, across log rotation (renamed or
    copied-and-truncated files), so that no line is lost or read twice.
  - Detections wait in the state directory until the server acknowledged them; when the server is down the module
    fails and the next run sends them. A detection the server already has (same name, path and time) is not stored
    twice.
  - clamd also logs the detections of scans run by M(armadito.fleet.armadito_scan) and job scans; those are sent
    once, by the scan.
  - Large backlogs are sent in batches of O(batch_size).
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
      - In check mode nothing is sent and no bookmark moves; RV(alerts) is what would be sent.
  diff_mode:
    support: none
options:
  batch_size:
    description:
      - Detections per request to the server, and log lines read per log and round.
    type: int
    default: 500
notes:
  - The first run reads each log from its beginning; older rotated files are not read.
  - Lines of a log rotated twice, or compressed, between two runs cannot be read any more. Run the module (or
    C(armadito-agent -t Alerts)) more often than the logs rotate.
seealso:
  - module: armadito.fleet.armadito_scan
  - module: armadito.fleet.armadito_enroll
"""

EXAMPLES = r"""
- name: Send the new detections
  armadito.fleet.armadito_alerts:
  register: alerts

- name: Show what was found
  ansible.builtin.debug:
    msg: "{{ item.filepath }}: {{ item.name }}"
  loop: "{{ alerts.alerts }}"
"""

RETURN = r"""
alerts:
  description: The detections sent (in check mode, those that would be sent), in the protocol's shape.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Signature name.
      type: str
      sample: Eicar-Signature
    filepath:
      description: The infected file.
      type: str
      sample: /home/alice/eicar.com
    detection_time:
      description: When it was detected, Unix seconds.
      type: int
      sample: 1795868160
    action:
      description: What the engine did; V(none) (ClamAV reports, it does not remove).
      type: str
      sample: none
    module_name:
      description: The engine, lower case.
      type: str
      sample: clamav
    info:
      description: Where it was found, V(clamd) (clamd's log), V(real-time) (clamonacc) or V(on-demand) (a scan).
      type: str
      sample: clamd
rejected:
  description: Detections the server refused for good (for example of a job deleted meanwhile), with its reason.
  returned: success
  type: list
  elements: dict
  sample: []
sources:
  description: The logs read.
  returned: success
  type: list
  elements: str
  sample:
    - /var/log/clamav/clamav.log
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.alerts import BATCH_SIZE, send_alerts


def main():
    module = armadito_module(dict(batch_size=dict(type="int", default=BATCH_SIZE)))
    if module.params["batch_size"] < 1:
        module.fail_json(msg="batch_size must be at least 1")
    run_task(module, send_alerts, batch_size=module.params["batch_size"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
