#!/usr/bin/python
# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: armadito_scheduler
short_description: Schedule the armadito-agent tasks with cron or systemd timers
version_added: 1.0.0
description:
  - Installs the schedule that runs the C(armadito-agent) command between Ansible runs, either as
    C(/etc/cron.d/armadito-agent) in the legacy agent's layout or as one systemd service and timer per task.
  - The schedule is given as O(tasks) or fetched from the server (C(GET /api/schedulers)), where administrators set it
    with C(armadito-server schedule set).
  - Whatever the other backend installed is removed, so that tasks never run twice.
  - Then the installed schedule is reported to the server (C(POST /api/schedulers)), only when it differs from the last
    report the server accepted.
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
      - In check mode nothing is written, run or sent; O(source=server) still reads the schedule from the server.
  diff_mode:
    support: full
    details:
      - One diff per file written or removed.
options:
  source:
    description:
      - Where the schedule comes from.
      - V(parameters) uses O(tasks), O(user) and O(logfile).
      - V(server) uses the schedule the server returns for this agent; when the server has none, nothing changes.
    type: str
    choices: [parameters, server]
    default: parameters
  tasks:
    description:
      - The tasks to schedule, with O(source=parameters). Tasks not listed are not scheduled.
    type: list
    elements: dict
    suboptions:
      task:
        description: Task name.
        type: str
        required: true
        choices: [Enrollment, Getjobs, Runjobs, State, Scan, Alerts, AVConfig, Scheduler]
      freq:
        description:
          - When the task runs, in cron syntax, validated in full (ranges, steps, month and weekday names, macros
            such as V(@hourly)).
          - C(N/S) is refused because cron implementations disagree on it; write C(N-59/S) or C(*/S).
        type: str
        required: true
      args:
        description:
          - Extra arguments of the task, for example V(-wr 60).
          - "Letters, digits, spaces and C(_ . , : = / @ + -) only."
        type: str
        default: ''
  user:
    description:
      - Account the tasks run as, with O(source=parameters).
    type: str
    default: root
  logfile:
    description:
      - Absolute path of the file the tasks append their output to, with O(source=parameters).
    type: path
    default: /var/log/armadito-agent.log
  backend:
    description:
      - V(cron) writes O(cron_file); V(systemd) writes units in O(unit_dir).
    type: str
    choices: [cron, systemd]
    default: cron
  splay:
    description:
      - Spread the fleet's server calls over this many seconds.
      - Each host waits a fixed number of seconds below O(splay) (C(-w N) before the task's arguments), derived from its
        uuid, so that the same host always gets the same offset and a run changes nothing.
      - V(0) disables it.
    type: int
    default: 0
  agent_command:
    description:
      - Absolute path of the C(armadito-agent) command the schedule runs.
      - Defaults to C(armadito-agent) found on the PATH, else V(/usr/local/bin/armadito-agent).
    type: path
  cron_file:
    description:
      - The cron file.
    type: path
    default: /etc/cron.d/armadito-agent
  unit_dir:
    description:
      - Directory of the systemd units (C(armadito-agent-<task>.service) and C(.timer)).
    type: path
    default: /etc/systemd/system
  enable_timers:
    description:
      - Whether to run C(systemctl daemon-reload) and C(systemctl enable --now) (or C(disable --now)) on the timers
        when units changed.
    type: bool
    default: true
  report:
    description:
      - Whether to report the installed schedule to the server. The host must then be enrolled.
    type: bool
    default: true
notes:
  - The cron file's header carries the time of the last change; a run that would only change that time changes nothing.
seealso:
  - module: armadito.fleet.armadito_getjobs
  - module: armadito.fleet.armadito_runjobs
"""

EXAMPLES = r"""
- name: Fetch jobs every 10 minutes and run them every 30, spread over 5 minutes
  armadito.fleet.armadito_scheduler:
    splay: 300
    tasks:
      - task: Getjobs
        freq: "*/10 * * * *"
      - task: Runjobs
        freq: "*/30 * * * *"
      - task: State
        freq: "0 6-18 * * MON-FRI"

- name: Install the schedule administrators set on the server, as systemd timers
  armadito.fleet.armadito_scheduler:
    source: server
    backend: systemd
"""

RETURN = r"""
schedule:
  description: The schedule installed (with the splay's C(-w N) in the arguments); null when the server has none.
  returned: success
  type: dict
  contains:
    user:
      description: Account the tasks run as.
      type: str
      sample: root
    logfile:
      description: Log file of the tasks.
      type: str
      sample: /var/log/armadito-agent.log
    tasks:
      description: Task name to C(freq) and C(args).
      type: dict
      sample: {"Getjobs": {"freq": "*/10 * * * *", "args": "-w 17"}}
backend:
  description: V(cron) or V(systemd).
  returned: when a schedule was installed
  type: str
  sample: cron
files:
  description: Files written or removed (in check mode, that would be).
  returned: success
  type: list
  elements: str
  sample: [/etc/cron.d/armadito-agent]
reported:
  description: Whether the schedule was (in check mode, would be) reported to the server.
  returned: success
  type: bool
  sample: true
splay_offset:
  description: Seconds this host waits before each task; null when nothing was installed.
  returned: success
  type: int
  sample: 17
"""

from ansible_collections.armadito.fleet.plugins.module_utils._armadito_module import armadito_module, run_task
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.schedule import DEFAULT_LOGFILE, DEFAULT_USER
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.schedule_cron import CRON_FILE
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.schedule_systemd import UNIT_DIR
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.protocol import TASKS
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scheduler import (
    BACKENDS,
    CRON,
    PARAMETERS,
    SOURCES,
    schedule_agent,
)


def main():
    module = armadito_module(
        dict(
            source=dict(type="str", choices=list(SOURCES), default=PARAMETERS),
            tasks=dict(type="list", elements="dict", options=dict(
                task=dict(type="str", required=True, choices=list(TASKS)),
                freq=dict(type="str", required=True),
                args=dict(type="str", default=""),
            )),
            user=dict(type="str", default=DEFAULT_USER),
            logfile=dict(type="path", default=DEFAULT_LOGFILE),
            backend=dict(type="str", choices=list(BACKENDS), default=CRON),
            splay=dict(type="int", default=0),
            agent_command=dict(type="path"),
            cron_file=dict(type="path", default=CRON_FILE),
            unit_dir=dict(type="path", default=UNIT_DIR),
            enable_timers=dict(type="bool", default=True),
            report=dict(type="bool", default=True),
        ),
        required_if=[("source", PARAMETERS, ("tasks",))],
    )
    params = module.params
    tasks = {}
    for entry in params["tasks"] or []:
        if entry["task"] in tasks:
            module.fail_json(msg="task %s is listed twice in tasks" % entry["task"])
        tasks[entry["task"]] = {"freq": entry["freq"], "args": entry["args"]}
    run_task(module, schedule_agent, source=params["source"], tasks=tasks, user=params["user"],
             logfile=params["logfile"], backend=params["backend"], splay=params["splay"],
             agent_command=params["agent_command"], cron_file=params["cron_file"], unit_dir=params["unit_dir"],
             enable_timers=params["enable_timers"], report=params["report"], check_mode=module.check_mode)


if __name__ == "__main__":
    main()
