#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_runjobs
short_description: Run the jobs queued on a host and report their results to armadito-server
version_added: 1.0.0
description:
  - Runs the jobs that M(armadito.fleet.armadito_getjobs) queued, highest priority first (urgent, high, medium, low),
    oldest first within a priority.
  - A Scan job scans its scan configuration's path with the antivirus engine, sends the scan results
    (C(POST /api/scans)) and the detections (C(POST /api/alerts)).
  - Each job's status is then reported (C(POST /api/jobs)); a job leaves the local queue only once the server
    acknowledged it, so a job interrupted by a crash or a server outage runs again on the next run.
  - A job that fails (unknown type, path that does not exist, refused options) is reported as failed with its
    message and the next job runs.
  - Only one run executes jobs at a time on a host, whether from Ansible or C(armadito-agent -t Runjobs).
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
      - In check mode nothing runs; RV(jobs) lists the jobs that would run, in order.
  diff_mode:
    support: none
options:
  wait:
    description:
      - Seconds to sleep before running anything (the legacy C(-w) option). Not in check mode.
    type: int
    default: 0
  wait_random:
    description:
      - Then sleep a random whole number of seconds below this (the legacy C(-wr) option). Not in check mode.
    type: int
    default: 0
notes:
  - The module fails when the server cannot be reached; jobs not reported yet stay queued. Jobs finished before the
    failure are in the failure's RV(jobs).
  - A job the server refuses for good (for example cancelled meanwhile) is dropped with status V(rejected).
seealso:
  - module: armadito.fleet.armadito_getjobs
  - module: armadito.fleet.armadito_job
"""

EXAMPLES = r"""
- name: Run the queued jobs
  armadito.fleet.armadito_runjobs:
  register: run

- name: Show failed jobs
  ansible.builtin.debug:
    msg: "{{ run.jobs | selectattr('status', 'equalto', 'failed') | list }}"
"""

RETURN = r"""
busy:
  description: Another run was executing jobs on this host; nothing ran.
  returned: success
  type: bool
  sample: false
jobs:
  description: The jobs run (in check mode, that would run), in run order.
  returned: success
  type: list
  elements: dict
  contains:
    job_id:
      description: Job id on the server.
      type: int
      sample: 42
    job_type:
      description: Job type.
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
      description: When the job was fetched, Unix seconds.
      type: int
      sample: 1795868160
    status:
      description: V(successful), V(failed) or V(rejected) (the server refused the status for good). Not in check mode.
      type: str
      sample: successful
    message:
      description: V(runJob successful), or why the job failed or was rejected. Not in check mode.
      type: str
      sample: "cannot scan /srv/missing: No such file or directory: give an existing file or directory"
    start_time:
      description: When the job started, Unix seconds. Not in check mode.
      type: int
      sample: 1795868160
    end_time:
      description: When the job ended, Unix seconds. Not in check mode.
      type: int
      sample: 1795868164
    result:
      description: What the job returned; for a Scan job the scan summary and detections. Null when it failed.
      type: dict
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.pause import pause
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.runjobs import run_jobs


def main():
    module = armadito_module(dict(wait=dict(type="int", default=0), wait_random=dict(type="int", default=0)))
    if not module.check_mode:
        pause(module.params["wait"], module.params["wait_random"])
    run_task(module, run_jobs, check_mode=module.check_mode)


if __name__ == "__main__":
    main()
