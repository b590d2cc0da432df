# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Alerts: every detection on this host reaches the server once (protocol.md 4.5, 10, 20.8.5).

Detections come from the engine's logs (clamd's LogFile, clamonacc's log) and from the scans
this agent ran. Both go through one spool, ``alerts.json`` in the state directory:

* log lines are read from a bookmark (:mod:`..logtail`, which follows rotation); the lines of
  a round are parsed, added to the spool and the bookmark moved, in one atomic write. Nothing
  read is lost when the server is down: it waits in the spool. Spooling before sending also
  fixes the detection time of lines that carry none (clamonacc's), so a resend is identical;
* a batch leaves the spool only once the server acknowledged it; a batch sent again after a
  lost acknowledgement is stored once thanks to the server's checksum (name, path, time);
* clamd logs the detections of this agent's own scans too, which the scan already spooled
  (with its job id): the spool remembers each recent scan's time window and detections, and
  log lines matching one are skipped.
"""

from __future__ import annotations

import time

from .. import protocol
from ..antivirus.registry import select
from ..errors import ArmaditoError, ServerError
from ..logtail import read_new_lines
from ..storage import ALERTS_FILE
from .enroll import enrolled_server_url, require_enrollment

# Alerts per POST, and log lines per source read per round. The server takes 1 MiB bodies;
# 500 alerts with long paths stay well under it.
BATCH_SIZE = 500
ACTION = "none"
ON_DEMAND = "on-demand"
# Scans remembered to recognise their detections in the engine log: the most recent ones, for
# a week at most. The log is usually read within minutes of a scan.
MAX_SCANS = 100
SCAN_MEMORY = 7 * 86400
# clamd stamps its log line within a second of its reply to the scan.
TIME_SLACK = 2


def send_alerts(settings, batch_size=BATCH_SIZE, check_mode=False, now=None):
    """Read new detections from the engine logs and send everything spooled.

    Returns ``changed`` (alerts were sent), ``alerts`` (those sent, or in check mode those that
    would be sent), ``rejected`` (alerts the server refused for good) and ``sources`` (the logs
    read). Check mode reads the logs without moving any bookmark and sends nothing.
    """
    storage = settings.storage()
    record = require_enrollment(storage)
    server_url = enrolled_server_url(settings, record)
    backend = select(settings.antivirus, settings.antivirus_options)
    sources = backend.detection_logs()
    module_name = backend.name.lower()
    if check_mode:
        document = _load(storage)
        waiting = list(document["pending"])
        while True:
            alerts, document["bookmarks"], lines = _read_logs(document, sources, batch_size, module_name, now)
            waiting.extend(alerts)
            if not lines:
                break
        return _result(waiting, [], sources)
    sent = []
    rejected = []
    while True:
        with storage.lock():
            document = _load(storage)
            alerts, bookmarks, lines = _read_logs(document, sources, batch_size, module_name, now)
            if lines:
                document["pending"].extend(alerts)
                document["bookmarks"] = bookmarks
                storage.write(ALERTS_FILE, document)
        delivered, refused = deliver(settings, storage, record, server_url, batch_size)
        sent.extend(delivered)
        rejected.extend(refused)
        if not lines:
            break
    return _result(sent, rejected, sources)


def spool_scan(storage, alerts, job_id, started, ended):
    """Add a scan's alerts to the spool (once, even if the scan of a job runs again) and
    remember the scan so that the engine log's copies of its detections are not sent again."""
    with storage.lock():
        document = _load(storage)
        waiting = set(_key(alert) for alert in document["pending"])
        for alert in alerts:
            alert = dict(alert, job_id=job_id or 0)
            if _key(alert) not in waiting:
                document["pending"].append(alert)
        if alerts:
            scans = document["scans"] + [{"start": started, "end": ended,
                                          "found": sorted([alert["name"], alert["filepath"]] for alert in alerts)}]
            document["scans"] = [scan for scan in scans if scan["end"] >= ended - SCAN_MEMORY][-MAX_SCANS:]
        storage.write(ALERTS_FILE, document)


def deliver(settings, storage, record, server_url, batch_size=BATCH_SIZE):
    """Send the spool in batches of one job id each; ``(delivered, rejected)`` alerts.

    A batch the server refuses for good (a 4xx other than 401: a job deleted meanwhile, an
    invalid alert) leaves the spool as rejected; anything else stops the delivery with the
    rest kept for the next run.
    """
    client = settings.client(server_url, record.get("token"))
    delivered = []
    rejected = []
    while True:
        with storage.lock():
            document = _load(storage)
            if not document["pending"]:
                return delivered, rejected
            job_id = document["pending"][0].get("job_id") or 0
            batch = [alert for alert in document["pending"] if (alert.get("job_id") or 0) == job_id][:batch_size]
            obj = {"alerts": [_wire(alert) for alert in batch]}
            if job_id:
                obj["job_id"] = job_id
            try:
                client.post(protocol.ALERTS, protocol.envelope(protocol.TASK_ALERTS, record["agent_id"], record["uuid"],
                                                               record["antivirus"], obj))
                delivered.extend(batch)
            except ServerError as exc:
                if exc.status is None or exc.status >= 500 or exc.status == 401:
                    raise ArmaditoError(exc.message, "%s; %d detection(s) stay in %s and are sent by the next run"
                                        % (exc.hint, len(document["pending"]), storage.file(ALERTS_FILE)),
                                        dict(exc.details, delivered=delivered))
                rejected.extend(dict(alert, reason=exc.server_message) for alert in batch)
            sent = set(id(alert) for alert in batch)
            document["pending"] = [alert for alert in document["pending"] if id(alert) not in sent]
            storage.write(ALERTS_FILE, document)


def _read_logs(document, sources, limit, module_name, now):
    """``(new alerts, bookmarks after them, lines read)``: one round of at most ``limit`` lines per log."""
    bookmarks = dict(document["bookmarks"])
    alerts = []
    count = 0
    for source in sources:
        lines, bookmark = read_new_lines(source.path, bookmarks.get(source.path), limit)
        count += len(lines)
        if bookmark is not None:
            bookmarks[source.path] = bookmark
        for line in lines:
            parsed = source.parse(line)
            if parsed is None:
                continue
            name, path, when = parsed
            if when is not None and _from_own_scan(document["scans"], name, path, when):
                continue
            alerts.append({"name": name, "filepath": path,
                           "detection_time": when if when is not None else int(now if now is not None else time.time()),
                           "action": ACTION, "module_name": module_name, "info": source.info, "job_id": 0})
    return alerts, bookmarks, count


def _from_own_scan(scans, name, path, when):
    return any(scan["start"] - TIME_SLACK <= when <= scan["end"] + TIME_SLACK and [name, path] in scan["found"]
               for scan in scans)


def _load(storage):
    document = storage.read(ALERTS_FILE) or {}
    for field, empty in (("bookmarks", {}), ("pending", []), ("scans", [])):
        document.setdefault(field, empty)
    return document


def _key(alert):
    return alert["name"], alert["filepath"], alert.get("job_id") or 0


_WIRE_FIELDS = ("name", "filepath", "detection_time", "action", "module_name", "info")


def _wire(alert):
    """The alert as the protocol carries it (the spool adds job_id)."""
    return dict((field, alert[field]) for field in _WIRE_FIELDS)


def _result(alerts, rejected, sources):
    return {"changed": bool(alerts), "alerts": [_wire(alert) for alert in alerts],
            "rejected": [dict(_wire(alert), reason=alert["reason"]) for alert in rejected],
            "sources": [source.path for source in sources]}
