# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""AVConfig: apply a desired antivirus configuration, then report the configuration (protocol.md 4.7, 12).

The configuration is the protocol's list of ``{"attr": "<kind>:<key>", "value"}`` (for ClamAV
``clamd:MaxThreads``, ``freshclam:Checks``); a key that repeats in its file is one entry whose
value holds its values one per line. The desired configuration, ``{kind: {key: value}}``, comes
from the caller or from the server's GET /api/avconfigs (agent-api.md 5.9), where the same
attr names are used and a null value removes the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time

from .. import protocol
from ..antivirus.registry import select
from ..errors import ArmaditoError
from ..files import backup_file, replace_file
from ..storage import AVCONFIG_REPORT_FILE
from .enroll import enrolled_server_url, read_enrollment, require_enrollment

PARAMS = "params"
SERVER = "server"


def apply_avconfig(settings, config=None, source=PARAMS, backup=True, reload=True, report=None, check_mode=False,
                   now=None):
    """Make the engine configuration match ``config`` (or the server's), then report it if it changed.

    Only the keys given change; the new files are checked by the engine's own parser before
    they replace the old ones (an invalid value changes nothing), backed up when ``backup``,
    and the engine is made to use them when ``reload``. ``report`` (None: when enrolled) posts
    the configuration when it differs from the last one the server accepted.

    Returns ``changed`` (a file changed or a new configuration was reported), ``changes``
    (``[{attr, before, after}]``, value lists; ``[]`` for an absent key), ``files``,
    ``backup_files``, ``actions`` (what was done to make the engine use the change),
    ``config`` (the resulting attr/value list), ``reported`` and ``diff`` (per file, before and
    after of the changed keys' lines). Check mode changes and sends nothing.
    """
    now = int(now if now is not None else time.time())
    storage = settings.storage()
    record = require_enrollment(storage) if report or source == SERVER else read_enrollment(storage)
    report = record is not None if report is None else report
    server_url = enrolled_server_url(settings, record) if record is not None and (report or source == SERVER) else None
    backend = select(settings.antivirus, settings.antivirus_options)
    if source == SERVER:
        desired = _fetch_desired(settings, record, server_url)
    elif source == PARAMS:
        desired = config or {}
    else:
        raise ArmaditoError("unknown source %r" % source, "use %s or %s" % (PARAMS, SERVER))
    if not isinstance(desired, dict) or any(not isinstance(keys, dict) for keys in desired.values()):
        raise ArmaditoError("the desired configuration must map a kind to its keys",
                            "give for example clamd: MaxThreads: 4, one key per line under clamd")

    plans = backend.plan_config(desired)
    if plans:
        backend.validate_config(dict((plan.kind, plan.after) for plan in plans))
    backups = []
    actions = []
    if plans and not check_mode:
        for plan in plans:
            if backup:
                backups.append(backup_file(plan.path, now))
            replace_file(plan.path, plan.after.encode("utf-8", "surrogateescape"), os.stat(plan.path).st_mode & 0o7777)
        if reload:
            actions = backend.activate_config([plan.kind for plan in plans])
    # In check mode the files are not written: the configuration is read from the planned texts.
    entries = backend.config_entries(dict((plan.kind, plan.after) for plan in plans) if check_mode else None)
    reported = _report(settings, storage, record, server_url, entries, check_mode, now) if report else False
    return {
        "changed": bool(plans) or reported,
        "changes": [{"attr": "%s:%s" % (plan.kind, key), "before": before, "after": after}
                    for plan in plans for key, (before, after) in plan.changes.items()],
        "files": [plan.path for plan in plans],
        "backup_files": backups,
        "actions": actions,
        "config": entries,
        "reported": reported,
        "diff": [_diff(plan) for plan in plans],
    }


def desired_from_entries(entries):
    """``{kind: {key: [values] or None}}`` from the protocol's attr/value list."""
    desired = {}
    for entry in entries:
        kind, separator, key = str(entry.get("attr", "")).partition(":")
        if not separator or not kind or not key:
            raise ArmaditoError("the server asks for %r, which is not <kind>:<key>" % entry.get("attr"),
                                "fix the desired configuration with 'armadito-server avconfig set'")
        value = entry.get("value")
        desired.setdefault(kind, {})[key] = None if value is None else str(value).split("\n")
    return desired


def _fetch_desired(settings, record, server_url):
    answer = settings.client(server_url, record.get("token")).get(
        protocol.AVCONFIGS, params={"agent_id": record["agent_id"], "uuid": record["uuid"]})
    entries = answer.get("avconfig")
    if not isinstance(entries, list):
        raise ArmaditoError("the server's answer has no avconfig list: %r" % (answer,),
                            "check that server_url points at armadito-server")
    return desired_from_entries(entries)


def _report(settings, storage, record, server_url, entries, check_mode, now):
    """Post ``entries`` unless they are what the server last accepted; whether they were (would be) sent."""
    canonical = json.dumps({"server_url": server_url, "agent_id": record["agent_id"], "config": entries},
                           sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    with contextlib.nullcontext() if check_mode else storage.lock():
        last = storage.read(AVCONFIG_REPORT_FILE) or {}
        if last.get("digest") == digest:
            return False
        if check_mode:
            return True
        document = protocol.envelope(protocol.TASK_AVCONFIG, record["agent_id"], record["uuid"], record["antivirus"],
                                     entries)
        settings.client(server_url, record.get("token")).post(protocol.AVCONFIGS, document)
        storage.write(AVCONFIG_REPORT_FILE, {"digest": digest, "reported_at": now, "server_url": server_url,
                                             "agent_id": record["agent_id"]})
    return True


def _diff(plan):
    def lines(values_of):
        return "".join("%s %s\n" % (key, value) for key, change in plan.changes.items() for value in values_of(change))

    return {"before_header": plan.path, "after_header": plan.path,
            "before": lines(lambda change: change[0]), "after": lines(lambda change: change[1])}
