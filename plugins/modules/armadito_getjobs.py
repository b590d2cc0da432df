#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_getjobs
short_description: Fetch the jobs armadito-server queued for a host
version_added: 1.0.0
description:
  - Fetches the host's jobs from the server (C(GET /api/jobs)) and adds them to the local job queue in the state
    directory, de-duplicated by job id.
  - The server hands out a limited number of jobs per call (10 by default); the module calls again until a call brings
    no new job, at most O(max_fetches) times.
  - Run the queued jobs with M(armadito.fleet.armadito_runjobs) (or C(armadito-agent -t Runjobs)).
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
    support: partial
    details:
      - Fetching marks the jobs as delivered on the server, so check mode does not contact the server at all.
        It returns the local queue, unchanged.
  diff_mode:
    support: none
options:
  max_fetches:
    description:
      - Most calls to the server in one run.
    type: int
    default: 10
notes:
  - Changed only when new jobs arrived.
  - A job already in the queue is kept as it is when the server hands it out again (after its lease expired).
seealso:
  - module: armadito.fleet.armadito_runjobs
  - module: armadito.fleet.armadito_job
"""

EXAMPLES = r"""
- name: Fetch the queued jobs, then run them
  block:
    - name: Fetch
      armadito.fleet.armadito_getjobs:

    - name: Run
      armadito.fleet.armadito_runjobs:
"""

RETURN = r"""
fetched:
  description: The jobs that arrived in this run, in the order they will run.
  returned: success
  type: list
  elements: dict
  contains:
    job_id:
      description: Job id on the server.
      type: int
      sample: 42
    job_type:
      description: Job type; the server queues V(Scan) jobs.
      type: str
      sample: Scan
    priority:
      description: V(low), V(medium), V(high) or V(urgent).
      type: str
      sample: urgent
    scan_name:
      description: Name of the scan configuration of a Scan job.
      type: str
      sample: home
    fetched_at:
      description: When the job arrived, Unix seconds.
      type: int
      sample: 1795868160
queue:
  description: Every job in the local queue after this run, in run order (highest priority first, then oldest); same fields as RV(fetched).
  returned: success
  type: list
  elements: dict
fetches:
  description: How many calls were made to the server (0 in check mode).
  returned: success
  type: int
  sample: 1
agent_id:
  description: Agent id the jobs were fetched for.
  returned: success
  type: int
  sample: 12
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.getjobs import DEFAULT_MAX_FETCHES, get_jobs


def main():
    module = armadito_module(dict(max_fetches=dict(type="int", default=DEFAULT_MAX_FETCHES)))
    run_task(module, get_jobs, max_fetches=module.params["max_fetches"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
