# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""State: report the antivirus state to the server when it changed (protocol.md 4.6, 11)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time

from .. import protocol
from ..antivirus.registry import select
from ..storage import STATE_REPORT_FILE
from .enroll import enrolled_server_url, require_enrollment

# An unchanged state is still sent once a day, so that the server sees the agent alive.
DEFAULT_MAX_AGE = 86400

FIRST_REPORT = "first report"
STATE_CHANGED = "state changed"
REPORT_EXPIRED = "last report older than max_age"


def report_state(settings, max_age=DEFAULT_MAX_AGE, check_mode=False, now=None):
    """Gather the state and post it when it differs from the last accepted report.

    ``max_age`` (seconds; 0 or None to never resend an unchanged state) forces a report when
    the last one is older. Returns ``changed``, ``state`` (the ``task.obj`` sent or that would
    be sent), ``reason`` and ``reported_at``.
    """
    now = int(now if now is not None else time.time())
    storage = settings.storage()
    record = require_enrollment(storage)
    server_url = enrolled_server_url(settings, record)
    antivirus = select(settings.antivirus, settings.antivirus_options)
    identity = antivirus.identity()
    state = antivirus.state(now)
    digest = _digest(server_url, record, identity, state)
    with contextlib.nullcontext() if check_mode else storage.lock():
        last = storage.read(STATE_REPORT_FILE) or {}
        reason = _reason_to_send(last, digest, now, max_age)
        result = {"changed": reason is not None, "reason": reason, "state": state, "antivirus": identity,
                  "reported_at": last.get("reported_at"), "agent_id": record["agent_id"]}
        if reason is None or check_mode:
            return result
        document = protocol.envelope(protocol.TASK_STATE, record["agent_id"], record["uuid"], identity, state)
        settings.client(server_url, record.get("token")).post(protocol.STATES, document)
        storage.write(STATE_REPORT_FILE, {"digest": digest, "reported_at": now,
                                          "server_url": server_url, "agent_id": record["agent_id"]})
    result["reported_at"] = now
    return result


def _digest(server_url, record, identity, state):
    # The destination is part of the digest: after a re-enrollment under a new agent_id (or
    # with another server) the state must be sent again even if the engine did not change.
    canonical = json.dumps(
        {"server_url": server_url, "agent_id": record["agent_id"], "uuid": record["uuid"],
         "antivirus": identity, "state": state},
        sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _reason_to_send(last, digest, now, max_age):
    if not last.get("digest"):
        return FIRST_REPORT
    if last["digest"] != digest:
        return STATE_CHANGED
    if max_age and now - int(last.get("reported_at") or 0) >= max_age:
        return REPORT_EXPIRED
    return None
