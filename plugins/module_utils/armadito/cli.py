# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``armadito-agent``: the command line of the legacy agent (protocol.md 20.2) on the shared tasks.

Run it as ``python3 -m armadito.cli`` with this package's parent directory on ``PYTHONPATH``
(the agent role installs a wrapper script of that name).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

from . import __version__, config
from .antivirus.registry import supported_names
from .errors import ArmaditoError
from .settings import Settings
from .storage import StateDir
from .tasks.enroll import enroll, read_enrollment
from .tasks.state import DEFAULT_MAX_AGE, report_state

PROG = "armadito-agent"
KEY_FILE = "enrollment.key"
TASKS = ("Enrollment", "State")
# Tasks of the legacy agent that this agent does not run yet: named so that the error says so.
LEGACY_TASKS = ("Getjobs", "Runjobs", "Scan", "Alerts", "AVConfig", "Scheduler")


def build_parser():
    parser = argparse.ArgumentParser(prog=PROG, description="Armadito agent: one task per run.")
    parser.add_argument("-t", "--task", help="task to run: %s" % ", ".join(TASKS))
    parser.add_argument("-k", "--key", help="enrollment key (else <state dir>/%s)" % KEY_FILE)
    parser.add_argument("-s", "--server", help="server URL (overrides 'server' of agent.cfg)")
    parser.add_argument("-av", "--antivirus", help="antivirus (overrides 'antivirus' of agent.cfg)")
    parser.add_argument("-w", "--wait", type=int, metavar="N", help="sleep N seconds first")
    parser.add_argument("-wr", "--wait-rand", type=int, metavar="N",
                        help="then sleep a random 0..N-1 seconds (spreads a fleet's cron runs)")
    parser.add_argument("--list-tasks", action="store_true", help="list the supported tasks")
    parser.add_argument("--list-avs", action="store_true", help="list the supported antiviruses")
    parser.add_argument("--get-agentid", action="store_true", help="print the stored agent id (0 if not enrolled)")
    parser.add_argument("--get-schedulerid", action="store_true", help="print the stored scheduler id")
    parser.add_argument("-v", "--version", action="version", version="%s %s" % (PROG, __version__))
    parser.add_argument("--conf-file", default=config.DEFAULT_PATH, help="agent.cfg (default %(default)s)")
    parser.add_argument("--state-dir", help="state directory (default ARMADITO_STATE_DIR or /var/lib/armadito-agent)")
    parser.add_argument("--force", action="store_true", help="Enrollment: enroll again even if enrolled")
    parser.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE, metavar="SECONDS",
                        help="State: resend an unchanged state after this long (default %(default)s)")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_tasks:
        say("List of supported tasks :\n" + "\n".join(TASKS))
        return 0
    if args.list_avs:
        say("List of supported antiviruses :\n" + "\n".join(supported_names()))
        return 0
    if not (args.task or args.get_agentid or args.get_schedulerid):
        parser.print_help()
        return 0
    if args.wait:
        time.sleep(args.wait)
    if args.wait_rand:
        time.sleep(random.randrange(args.wait_rand))
    try:
        return run(args)
    except ArmaditoError as exc:
        warn("%s: %s" % (PROG, exc))
        return 1
    except KeyboardInterrupt:
        return 130


def run(args):
    settings = load_settings(args)
    if args.get_agentid or args.get_schedulerid:
        record = read_enrollment(settings.storage()) or {}
        field = "agent_id" if args.get_agentid else "scheduler_id"
        sys.stdout.write(str(record.get(field) or 0))
        return 0
    if args.task == "Enrollment":
        return run_enrollment(settings, args)
    if args.task == "State":
        return run_state(settings, args)
    if args.task in LEGACY_TASKS:
        raise ArmaditoError("task %s is not available in this agent yet" % args.task,
                            "use --list-tasks to see which tasks are supported")
    raise ArmaditoError("unsupported task %r" % args.task, "use --list-tasks to see which tasks are supported")


def load_settings(args):
    values, warnings = config.read(args.conf_file)
    for warning in warnings:
        warn("%s: warning: %s: %s" % (PROG, args.conf_file, warning))
    fields = config.settings_values(values)
    for field, value in (("server_url", args.server), ("antivirus", args.antivirus), ("state_dir", args.state_dir)):
        if value:
            fields[field] = value
    return Settings(**fields)


def run_enrollment(settings, args):
    key_file = os.path.join(StateDir(settings.state_dir).path, KEY_FILE)
    key = args.key or _read_key_file(key_file)
    result = enroll(settings, key, force=args.force)
    if args.key is None:
        # The legacy agent consumes the key file once enrolled: the key is a secret.
        StateDir(settings.state_dir).remove(KEY_FILE)
    if result["changed"]:
        say("Agent successfully enrolled with id %s (scheduler id %s)" % (result["agent_id"], result["scheduler_id"]))
    else:
        say("Agent already enrolled with id %s" % result["agent_id"])
    return 0


def run_state(settings, args):
    result = report_state(settings, max_age=args.max_age)
    status = result["state"]["dbinfo"]["global_status"]
    if result["changed"]:
        say("Send AV State successful (%s, %s)" % (result["reason"], status))
    else:
        say("AV State unchanged (%s), nothing sent" % status)
    return 0


def _read_key_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ArmaditoError("no enrollment key found", "give one with -k KEY or write it to %s" % path)
    except OSError as exc:
        raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root")


def say(text):
    # Plain writes: print() and sys.exit() are reserved for AnsibleModule in module_utils.
    sys.stdout.write(text + "\n")


def warn(text):
    sys.stderr.write(text + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
