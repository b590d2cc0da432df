# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Enrollment: register this host with the server and keep its ids and token (protocol.md 4.1, 20.8.1)."""

from __future__ import annotations

import contextlib
import time

from .. import protocol
from ..antivirus.registry import select
from ..client import normalize_server_url
from ..errors import ArmaditoError, ServerError
from ..identity import resolve
from ..storage import AGENT_FILE

NEW_KEY = "ask your administrator for a new enrollment key ('armadito-server key create')"

# Server messages of a refused key (armadito-server and the legacy plugin say the same), the
# name of the problem, and what to do about it.
_KEY_PROBLEMS = (
    ("has expired", "expired", NEW_KEY),
    ("maximum usage count", "exhausted", NEW_KEY + ", or one with more uses"),
    ("has been revoked", "revoked", NEW_KEY),
    ("not found in database", "unknown", "check that the key was copied completely and belongs to this server"),
    ("invalid key format", "malformed", "copy the key again: five groups of five letters or digits"),
)


def read_enrollment(storage):
    """The enrollment record of the state directory, or None when this host is not enrolled."""
    record = storage.read(AGENT_FILE)
    if not record or int(record.get("agent_id") or 0) <= 0:
        return None
    return record


def require_enrollment(storage):
    record = read_enrollment(storage)
    if record is None:
        raise ArmaditoError(
            "this host is not enrolled (no %s in %s)" % (AGENT_FILE, storage.path),
            "enroll it first with armadito.fleet.armadito_enroll or 'armadito-agent -t Enrollment -k KEY'",
        )
    return record


def enrolled_server_url(settings, record):
    """The server this host is enrolled with; a different ``server_url`` setting is an error."""
    enrolled_with = normalize_server_url(record["server_url"])
    if settings.server_url and settings.required_server_url() != enrolled_with:
        raise ArmaditoError(
            "this host is enrolled with %s, not %s" % (enrolled_with, settings.required_server_url()),
            "enroll it with the new server first, or leave server_url unset",
        )
    return enrolled_with


def enroll(settings, key, force=False, check_mode=False):
    """Enroll unless this host is already enrolled with this server under this uuid.

    Returns ``changed`` and the enrollment facts. In check mode nothing is written, locally or
    on the server; the read-only check of an existing enrollment still happens.
    """
    key = protocol.normalize_key(key)
    server_url = settings.required_server_url()
    identity = resolve(settings.uuid)
    antivirus = select(settings.antivirus, settings.antivirus_options).identity()
    storage = settings.storage()
    with contextlib.nullcontext() if check_mode else storage.lock():
        record = read_enrollment(storage)
        if not force and _known_by_server(settings, record, server_url, identity.uuid):
            return _result(False, record, identity, antivirus)
        same_agent = record is not None and _same_agent(record, server_url, identity.uuid)
        previous_id = int(record["agent_id"]) if same_agent else 0
        if check_mode:
            predicted = dict(record) if same_agent else {"agent_id": None, "scheduler_id": None}
            return _result(True, dict(predicted, server_url=server_url), identity, antivirus)
        document = protocol.envelope(protocol.TASK_ENROLLMENT, previous_id, identity.uuid, antivirus, {"key": key})
        try:
            answer = settings.client(server_url).post(protocol.AGENTS, document)
        except ServerError as exc:
            raise _key_error(exc) or exc
        agent_id = _positive_int(answer.get("agent_id"))
        if agent_id is None:
            raise ArmaditoError(
                "the server accepted the enrollment but returned no agent_id (%r)" % (answer,),
                "check that server_url points at armadito-server or the Armadito GLPI plugin",
            )
        record = {
            "server_url": server_url,
            "agent_id": agent_id,
            "scheduler_id": _positive_int(answer.get("scheduler_id")) or 0,
            "uuid": identity.uuid,
            "uuid_source": identity.source,
            # The legacy plugin issues no token; later calls then go without Authorization.
            "token": answer.get("agent_token"),
            "antivirus": antivirus,
            "enrolled_at": int(time.time()),
        }
        storage.write(AGENT_FILE, record)
    return _result(True, record, identity, antivirus)


def _same_agent(record, server_url, uuid):
    return normalize_server_url(record.get("server_url")) == server_url and record.get("uuid") == uuid


def _known_by_server(settings, record, server_url, uuid):
    """Whether ``record`` is an enrollment with this server and uuid that the server still honours."""
    if record is None or not _same_agent(record, server_url, uuid):
        return False
    if not record.get("token"):
        # A legacy server has no way to ask; trust the local record as the legacy agent did.
        return True
    try:
        settings.client(server_url, record["token"]).get(
            protocol.AGENTS, params={"agent_id": record["agent_id"], "uuid": uuid})
    except ServerError as exc:
        # 404: deleted server-side; 401: token revoked or from another database. Enroll again.
        if exc.status in (401, 404):
            return False
        raise
    return True


def _key_error(exc):
    """An ArmaditoError naming the key problem, or None when the failure is not about the key."""
    message = (exc.server_message or "").lower()
    for fragment, problem, hint in _KEY_PROBLEMS:
        if exc.status is not None and fragment in message:
            return ArmaditoError(
                "enrollment key %s (server said: %s)" % (problem, exc.server_message),
                hint,
                dict(exc.details, key_problem=problem),
            )
    return None


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _result(changed, record, identity, antivirus):
    return {
        "changed": changed,
        "server_url": record.get("server_url"),
        "agent_id": record.get("agent_id"),
        "scheduler_id": record.get("scheduler_id"),
        "uuid": identity.uuid,
        "uuid_source": identity.source,
        "antivirus": antivirus,
    }
