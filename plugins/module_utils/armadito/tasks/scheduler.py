# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scheduler: install the agent's schedule as cron or systemd timers, then report it
(protocol.md 4.8, 13, 20.9; armadito-server's GET /api/schedulers gives the desired one)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time

from .. import protocol, schedule_cron, schedule_systemd
from ..errors import ArmaditoError
from ..files import read_text, remove_file, replace_file
from ..identity import resolve
from ..schedule import build, from_confdetails
from ..storage import SCHEDULER_REPORT_FILE
from .enroll import enrolled_server_url, read_enrollment, require_enrollment

CRON = "cron"
SYSTEMD = "systemd"
BACKENDS = (CRON, SYSTEMD)
PARAMETERS = "parameters"
SERVER = "server"
SOURCES = (PARAMETERS, SERVER)
DEFAULT_AGENT_COMMAND = "/usr/local/bin/armadito-agent"


def schedule_agent(settings, source=PARAMETERS, tasks=None, user=None, logfile=None, **install):
    """:func:`apply_schedule` of the schedule given (``tasks``, ``user``, ``logfile``) or of the server's."""
    if source not in SOURCES:
        raise ArmaditoError("unknown schedule source %r" % source, "use parameters or server")
    desired = server_schedule(settings) if source == SERVER else build(tasks or {}, user, logfile)
    return apply_schedule(settings, desired, **install)


def server_schedule(settings):
    """The schedule the server wants for this agent (GET /api/schedulers), or None when it has none."""
    storage = settings.storage()
    record = require_enrollment(storage)
    client = settings.client(enrolled_server_url(settings, record), record.get("token"))
    answer = client.get(protocol.SCHEDULERS, params={"agent_id": record["agent_id"], "uuid": record["uuid"]})
    return from_confdetails(answer.get("confdetails"))


def splay_offset(uuid, splay):
    """A whole number of seconds in 0..splay-1, always the same for one host: a fleet whose
    schedules fire at the same minute reaches the server spread over ``splay`` seconds."""
    if not splay or splay <= 1:
        return 0
    return int(hashlib.sha256(uuid.encode("ascii")).hexdigest(), 16) % splay


def default_agent_command():
    return shutil.which("armadito-agent") or DEFAULT_AGENT_COMMAND


def apply_schedule(settings, desired, backend=CRON, splay=0, agent_command=None, cron_file=schedule_cron.CRON_FILE,
                   unit_dir=schedule_systemd.UNIT_DIR, enable_timers=True, report=True, check_mode=False, now=None):
    """Install ``desired`` (a :class:`schedule.Schedule`; None: leave everything as it is) with
    ``backend`` and remove what the other backend installed; then report it when it differs
    from the last report the server accepted.

    Returns ``changed``, ``schedule`` (as installed: with the splay's ``-w N``), ``files``
    (paths written or removed), ``reported``, ``splay_offset`` and ``diff`` (one entry per file).
    """
    if backend not in BACKENDS:
        raise ArmaditoError("unknown scheduler backend %r" % backend, "use cron or systemd")
    command = agent_command or default_agent_command()
    if not os.path.isabs(command):
        raise ArmaditoError("agent_command %r is not an absolute path" % command, "give the full path of armadito-agent")
    storage = settings.storage()
    record = require_enrollment(storage) if report else read_enrollment(storage)
    if desired is None:
        return {"changed": False, "schedule": None, "files": [], "reported": False, "splay_offset": None, "diff": [],
                "msg": "no schedule wanted for this agent: nothing changed"}
    uuid = record["uuid"] if record else resolve(settings.uuid).uuid
    offset = splay_offset(uuid, splay)
    installed = desired.with_leading_args("-w %d" % offset if offset else "")
    wanted, obsolete, name = _files(installed, backend, command, cron_file, unit_dir, now)
    changes = [(path, read_text(path), text) for path, text in sorted(wanted.items())]
    changes = [(path, old, new) for path, old, new in changes if not _same(path, old, new, cron_file)]
    removals = [(path, read_text(path)) for path in obsolete]
    if not check_mode:
        _install(changes, removals, backend, wanted, enable_timers)
    reported = _report(settings, storage, record, name, installed, check_mode, now) if report else False
    diff = [_diff(path, old, new) for path, old, new in changes] + [_diff(path, old, None) for path, old in removals]
    return {
        "changed": bool(changes or removals or reported),
        "schedule": installed.as_dict(),
        "backend": backend,
        "files": [path for path, _old, _new in changes] + [path for path, _old in removals],
        "reported": reported,
        "splay_offset": offset,
        "diff": diff,
    }


def _files(installed, backend, command, cron_file, unit_dir, now):
    """``(wanted {path: text}, obsolete paths, scheduler name)``."""
    ours = schedule_systemd.installed_units(unit_dir)
    if backend == CRON:
        return {cron_file: schedule_cron.render(installed, command, now)}, ours, schedule_cron.SCHEDULER_NAME
    wanted = dict((os.path.join(unit_dir, name), text)
                  for name, text in schedule_systemd.render(installed, command).items())
    obsolete = [path for path in ours if path not in wanted]
    if os.path.exists(cron_file):
        obsolete.append(cron_file)
    return wanted, obsolete, schedule_systemd.SCHEDULER_NAME


def _same(path, old, new, cron_file):
    return schedule_cron.same(old, new) if path == cron_file else old == new


def _install(changes, removals, backend, wanted, enable_timers):
    for path, _old in removals:
        if enable_timers and path.endswith(".timer"):
            schedule_systemd.systemctl("disable", "--now", os.path.basename(path))
        remove_file(path)
    for path, _old, new in changes:
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            raise ArmaditoError("%s does not exist" % directory,
                                "install cron (backend cron) or systemd (backend systemd) first")
        replace_file(path, new.encode("utf-8"), 0o644)
    touched = [change[0] for change in changes] + [removal[0] for removal in removals]
    units_changed = any(path.endswith((".service", ".timer")) for path in touched)
    if enable_timers and units_changed:
        schedule_systemd.systemctl("daemon-reload")
        if backend == SYSTEMD:
            timers = sorted(os.path.basename(path) for path in wanted if path.endswith(".timer"))
            schedule_systemd.systemctl("enable", "--now", *timers)


def _report(settings, storage, record, name, installed, check_mode, now):
    """POST /api/schedulers when the installed schedule differs from the last one the server took."""
    server_url = enrolled_server_url(settings, record)
    obj = {"name": name, "confdetails": installed.confdetails()}
    digest = hashlib.sha256(json.dumps({"server_url": server_url, "agent_id": record["agent_id"], "obj": obj},
                                       sort_keys=True).encode("utf-8")).hexdigest()
    with contextlib.nullcontext() if check_mode else storage.lock():
        last = storage.read(SCHEDULER_REPORT_FILE) or {}
        if last.get("digest") == digest:
            return False
        if check_mode:
            return True
        document = protocol.envelope(protocol.TASK_SCHEDULER, record["agent_id"], record["uuid"], record["antivirus"], obj)
        settings.client(server_url, record.get("token")).post(protocol.SCHEDULERS, document)
        storage.write(SCHEDULER_REPORT_FILE, {"digest": digest, "reported_at": int(now if now is not None else time.time()),
                                              "server_url": server_url, "agent_id": record["agent_id"]})
    return True


def _diff(path, old, new):
    return {"before_header": path, "after_header": path, "before": old or "", "after": new or ""}
