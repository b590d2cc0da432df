# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``armadito-agent``: the command line of the legacy agent (protocol.md 20.2) on the shared tasks.

Run it as ``python3 -m armadito.cli`` with this package's parent directory on ``PYTHONPATH``
(the agent role installs a wrapper script of that name).

Output: each task's outcome on stdout (cron appends it to the log file); problems on stderr,
one line each, and the exit status 1; with a log file (``--logfile`` or agent.cfg ``logfile``)
everything is also appended there with the time.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from . import __version__, config, protocol
from .antivirus.registry import supported_names
from .errors import ArmaditoError
from .files import read_text
from .pause import pause
from .schedule import from_legacy_file
from .settings import Settings
from .storage import StateDir
from .tasks.alerts import send_alerts
from .tasks.avconfig import SERVER, apply_avconfig
from .tasks.enroll import enroll, read_enrollment
from .tasks.getjobs import get_jobs
from .tasks.runjobs import run_jobs
from .tasks.scan import run_scan
from .tasks.scheduler import CRON, SYSTEMD, apply_schedule, server_schedule
from .tasks.state import DEFAULT_MAX_AGE, report_state

PROG = "armadito-agent"
KEY_FILE = "enrollment.key"
# <confdir>/scheduler-cron.cfg: the legacy schedule, used when the server has none.
LEGACY_SCHEDULE_FILE = "scheduler-cron.cfg"
# agent.cfg "scheduler" (legacy: Cron or Win32Native) -> backend.
SCHEDULER_BACKENDS = {"cron": CRON, "systemd": SYSTEMD}

LOG = logging.getLogger(PROG)


def build_parser():
    parser = argparse.ArgumentParser(prog=PROG, description="Armadito agent: one task per run.")
    parser.add_argument("-t", "--task", help="task to run: %s" % ", ".join(protocol.TASKS))
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
    parser.add_argument("--setup", action="store_true", help="print the configuration and state directories")
    parser.add_argument("-v", "--version", action="version", version="%s %s" % (PROG, __version__))
    parser.add_argument("-d", "--debug", type=int, choices=(0, 1, 2), metavar="N",
                        help="0: problems only on stderr (default), 1: progress too, 2: details")
    parser.add_argument("--logfile", help="also append every message, with its time, to this file")
    parser.add_argument("--conf-file", default=config.DEFAULT_PATH, help="agent.cfg (default %(default)s)")
    parser.add_argument("--state-dir", help="state directory (default ARMADITO_STATE_DIR or /var/lib/armadito-agent)")
    parser.add_argument("--proxy", help="HTTP(S) proxy (overrides 'proxy' of agent.cfg)")
    parser.add_argument("--ca-cert-file", help="CA bundle to verify the server with")
    parser.add_argument("--ca-cert-dir", help="directory of hashed CA certificates")
    parser.add_argument("--no-ssl-check", action="store_true", help="do not verify the server certificate")
    parser.add_argument("--timeout", type=int, metavar="SECONDS", help="seconds to wait for each answer")
    parser.add_argument("--force", action="store_true", help="Enrollment: enroll again even if enrolled")
    parser.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE, metavar="SECONDS",
                        help="State: resend an unchanged state after this long (default %(default)s)")
    parser.add_argument("--scan-path", action="append", metavar="PATH",
                        help="Scan: file or directory to scan (repeat for several); jobs' scans run with -t Runjobs")
    parser.add_argument("--scan-options", metavar="TEXT",
                        help="Scan: options such as '--exclude-dir=^/proc --max-filesize=25M' (see the docs)")
    parser.add_argument("--scheduler", choices=sorted(SCHEDULER_BACKENDS),
                        help="Scheduler: cron or systemd (default: 'scheduler' of agent.cfg, else cron)")
    parser.add_argument("--splay", type=int, metavar="SECONDS",
                        help="Scheduler: spread this host's runs by a fixed offset below SECONDS")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_tasks:
        say("List of supported tasks :\n" + "\n".join(TASK_RUNNERS))
        return 0
    if args.list_avs:
        say("List of supported antiviruses :\n" + "\n".join(supported_names()))
        return 0
    if not (args.task or args.get_agentid or args.get_schedulerid or args.setup):
        parser.print_help()
        return 0
    pause(args.wait, args.wait_rand)
    stderr = setup_logging()
    try:
        values, warnings = config.read(args.conf_file)
        debug = args.debug if args.debug is not None else _int(values.get("debug"), 0)
        stderr.setLevel({0: logging.WARNING, 1: logging.INFO}.get(debug, logging.DEBUG))
        add_logfile(args.logfile or values.get("logfile"), debug)
        for warning in warnings:
            LOG.warning("%s: %s", args.conf_file, warning)
        return run(args, values)
    except ArmaditoError as exc:
        LOG.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        _close_logging()


def run(args, values):
    settings = load_settings(args, values)
    if args.setup:
        say("confdir: %s\nvardir: %s" % (os.path.dirname(os.path.abspath(args.conf_file)), settings.storage().path))
        return 0
    if args.get_agentid or args.get_schedulerid:
        record = read_enrollment(settings.storage()) or {}
        field = "agent_id" if args.get_agentid else "scheduler_id"
        sys.stdout.write(str(record.get(field) or 0))
        return 0
    if args.task not in TASK_RUNNERS:
        raise ArmaditoError("unsupported task %r" % args.task,
                            "use --list-tasks to see which tasks are supported (names are case-sensitive)")
    LOG.debug("running task %s with %s", args.task, args.conf_file)
    return TASK_RUNNERS[args.task](settings, args, values)


def load_settings(args, values):
    fields = config.settings_values(values)
    overrides = (("server_url", args.server), ("antivirus", args.antivirus), ("state_dir", args.state_dir),
                 ("proxy", args.proxy), ("ca_path", args.ca_cert_file or args.ca_cert_dir), ("timeout", args.timeout))
    for field, value in overrides:
        if value:
            fields[field] = value
    if args.no_ssl_check:
        fields["validate_certs"] = False
    return Settings(**fields)


def run_enrollment(settings, args, _values):
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


def run_state(settings, args, _values):
    result = report_state(settings, max_age=args.max_age)
    status = result["state"]["dbinfo"]["global_status"]
    if result["changed"]:
        say("Send AV State successful (%s, %s)" % (result["reason"], status))
    else:
        say("AV State unchanged (%s), nothing sent" % status)
    return 0


def run_getjobs(settings, _args, _values):
    result = get_jobs(settings)
    for job in result["fetched"]:
        LOG.info("fetched job %s (%s %s, %s)", job["job_id"], job["job_type"], job["scan_name"], job["priority"])
    say("Getjobs successful: %d new job(s), %d queued" % (len(result["fetched"]), len(result["queue"])))
    return 0


def run_runjobs(settings, _args, _values):
    result = run_jobs(settings)
    if result["busy"]:
        say("Runjobs already running on this host: nothing done")
        return 0
    for job in result["jobs"]:
        what = "Job %s (%s %s, %s)" % (job["job_id"], job["job_type"], job["scan_name"], job["priority"])
        if job["status"] == "successful":
            say("%s successful" % what)
        else:
            say("%s %s: %s" % (what, job["status"], job["message"]))
    say("Runjobs sendStatus successful: %d job(s) run" % len(result["jobs"]))
    return 0


def run_scan_task(settings, args, _values):
    if not args.scan_path:
        raise ArmaditoError("Scan needs --scan-path", "give the path to scan; scan jobs run with -t Runjobs")
    result = run_scan(settings, args.scan_path, options=args.scan_options)
    for detection in result["detections"]:
        say("%s: %s FOUND" % (detection["path"], detection["name"]))
    for error in result["errors"]:
        LOG.warning("%s: %s", error["path"], error["message"])
    say("Scan successful (%s): %d file(s) scanned, %d malware, %d suspicious, %d error(s) in %.1f s%s"
        % (result["engine"], result["scanned_count"], result["malware_count"], result["suspicious_count"],
           result["error_count"], result["duration"], ", detections sent" if result["reported"] else ""))
    return 0


def run_alerts(settings, _args, _values):
    result = send_alerts(settings)
    for alert in result["rejected"]:
        LOG.warning("the server refused the alert %s %s: %s", alert["filepath"], alert["name"], alert["reason"])
    if result["alerts"]:
        say("Send Alerts successful: %d alert(s) sent" % len(result["alerts"]))
    else:
        say("No new alerts")
    return 0


def run_avconfig(settings, _args, _values):
    result = apply_avconfig(settings, source=SERVER)
    for change in result["changes"]:
        LOG.info("%s: %s -> %s", change["attr"], change["before"], change["after"])
    for action in result["actions"]:
        LOG.info("%s", action)
    applied = "%d key(s) changed" % len(result["changes"]) if result["changes"] else "configuration unchanged"
    reported = "Send AVConfig successful" if result["reported"] else "already reported"
    say("AVConfig %s: %s" % (applied, reported))
    return 0


def run_scheduler(settings, args, values):
    desired = server_schedule(settings)
    if desired is None:
        legacy = os.path.join(os.path.dirname(os.path.abspath(args.conf_file)), LEGACY_SCHEDULE_FILE)
        text = read_text(legacy)
        if text is None:
            raise ArmaditoError("the server has no schedule for this agent and %s does not exist" % legacy,
                                "set one with 'armadito-server schedule set', or write %s" % legacy)
        LOG.info("the server has no schedule for this agent: using %s", legacy)
        desired = from_legacy_file(text)
    backend_name = (args.scheduler or values.get("scheduler") or CRON).lower()
    if backend_name not in SCHEDULER_BACKENDS:
        raise ArmaditoError("unsupported scheduler %r in %s" % (backend_name, args.conf_file), "use Cron or Systemd")
    splay = args.splay if args.splay is not None else _int(values.get("scheduler-splay"), 0)
    result = apply_schedule(settings, desired, backend=SCHEDULER_BACKENDS[backend_name], splay=splay)
    for path in result["files"]:
        LOG.info("%s changed", path)
    installed = "%d file(s) changed" % len(result["files"]) if result["files"] else "unchanged"
    reported = "Send Scheduler infos successful" if result["reported"] else "already reported"
    say("Scheduler %s (%s): %s" % (backend_name, installed, reported))
    return 0


# --list-tasks order is the legacy one; a task is listed once it runs.
TASK_RUNNERS = dict((task, runner) for task, runner in (
    (protocol.TASK_ENROLLMENT, run_enrollment),
    (protocol.TASK_GETJOBS, run_getjobs),
    (protocol.TASK_RUNJOBS, run_runjobs),
    (protocol.TASK_STATE, run_state),
    (protocol.TASK_SCAN, run_scan_task),
    (protocol.TASK_ALERTS, run_alerts),
    (protocol.TASK_AVCONFIG, run_avconfig),
    (protocol.TASK_SCHEDULER, run_scheduler),
))


def _read_key_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ArmaditoError("no enrollment key found", "give one with -k KEY or write it to %s" % path)
    except OSError as exc:
        raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root")


def _int(value, default):
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise ArmaditoError("agent.cfg: %r is not a whole number" % value, "fix agent.cfg")


class _StderrFormatter(logging.Formatter):
    """``armadito-agent: <error>``, ``armadito-agent: warning: <warning>``, ``[info] <progress>``."""

    def format(self, record):
        if record.levelno >= logging.ERROR:
            return "%s: %s" % (PROG, record.getMessage())
        if record.levelno >= logging.WARNING:
            return "%s: warning: %s" % (PROG, record.getMessage())
        return "[%s] %s" % (record.levelname.lower(), record.getMessage())


class _NotOutcome(logging.Filter):
    """Outcome lines are already on stdout: keep them off stderr."""

    def filter(self, record):
        return not getattr(record, "outcome", False)


def setup_logging():
    """The stderr handler (problems only until the configuration says otherwise)."""
    LOG.setLevel(logging.DEBUG)
    LOG.propagate = False
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(_StderrFormatter())
    stderr.addFilter(_NotOutcome())
    LOG.addHandler(stderr)
    return stderr


def add_logfile(logfile, debug):
    if not logfile:
        return
    try:
        handler = logging.FileHandler(logfile, encoding="utf-8")
    except OSError as exc:
        raise ArmaditoError("cannot open the log file %s: %s" % (logfile, exc.strerror),
                            "run as root or fix logfile in agent.cfg")
    handler.setLevel(logging.DEBUG if debug >= 2 else logging.INFO)
    handler.setFormatter(logging.Formatter("[%(asctime)s][%(levelname)s] %(message)s", "%Y-%m-%d %H:%M:%S"))
    LOG.addHandler(handler)


def _close_logging():
    for handler in list(LOG.handlers):
        LOG.removeHandler(handler)
        handler.close()


def say(text):
    # Plain writes: print() and sys.exit() are reserved for AnsibleModule in module_utils.
    sys.stdout.write(text + "\n")
    LOG.info("%s", text, extra={"outcome": True})


if __name__ == "__main__":
    raise SystemExit(main())
