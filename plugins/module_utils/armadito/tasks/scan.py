# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scan: an on-demand scan of files and directories, reported to the server (protocol.md 4.4, 4.5, 20.8.4)."""

from __future__ import annotations

import time

from .. import protocol, scan_options
from ..antivirus.registry import select
from ..errors import ServerError
from ..scan_walk import walk
from .alerts import ACTION, ON_DEMAND, deliver, spool_scan
from .enroll import enrolled_server_url, read_enrollment, require_enrollment

# Progress reports of a job's scan: the first after this many seconds, then at most one per period.
PROGRESS_PERIOD = 5.0


def run_scan(settings, paths, options=None, job_id=None, report=None, fallback=True, check_mode=False,
             clock=time.monotonic):
    """Scan ``paths`` (files or directories, recursively) and report the results.

    ``options``: a :class:`..scan_options.ScanOptions`, or option text as a scan configuration
    of the server holds it (parsed strictly, refused with ArmaditoError when it holds anything
    else). ``job_id``: the job the scan belongs to; its results then go to ``POST /api/scans``
    (progress while it runs, then the final counts) before its detections. ``report``: send to
    the server; None means "when this host is enrolled". ``fallback``: allow clamscan when
    clamd does not answer. Check mode scans (a scan changes nothing on the host) but sends nothing.

    Detections go through the alert spool (:mod:`.alerts`): if the server cannot take them now,
    the next Alerts run sends them. A failure to reach the server raises ServerError (the job
    then runs again) with the scan's counts in its ``details``.

    Returns a dict: ``changed`` (something was, or in check mode would be, sent to the server),
    ``engine`` (clamd or clamscan), ``scanned_count``, ``malware_count``, ``suspicious_count``,
    ``error_count``, ``skipped_count`` (files over max_filesize), ``detections``
    (``[{path, name, detection_time, suspicious}]``), ``errors`` (``[{path, message}]``),
    ``duration`` (seconds), ``start_time`` and ``end_time`` (Unix seconds), ``job_id``,
    ``reported``, ``options`` (the options applied).
    """
    if not isinstance(options, scan_options.ScanOptions):
        options = scan_options.parse(options)
    storage = settings.storage()
    record = require_enrollment(storage) if report else read_enrollment(storage)
    report = record is not None if report is None else report
    server_url = enrolled_server_url(settings, record) if report else None
    backend = select(settings.antivirus, settings.antivirus_options)
    client = settings.client(server_url, record.get("token")) if report else None

    started_at = time.time()
    started = clock()
    found = walk(paths, options)
    progress = _Progress(client, record, job_id, len(found.files), started, clock) \
        if report and job_id and not check_mode else None
    outcome = backend.scan(found.files, options, on_result=progress, fallback=fallback)
    duration = clock() - started
    ended_at = started_at + duration

    malware = [item for item in outcome.detections if not item.suspicious]
    errors = [{"path": path, "message": message} for path, message in found.errors + outcome.errors]
    result = {
        "changed": bool(report and (job_id or outcome.detections)),
        "engine": outcome.engine,
        "scanned_count": outcome.scanned,
        "malware_count": len(malware),
        "suspicious_count": len(outcome.detections) - len(malware),
        "error_count": len(errors),
        "skipped_count": found.skipped,
        "detections": [{"path": item.path, "name": item.name, "detection_time": item.time,
                        "suspicious": item.suspicious} for item in outcome.detections],
        "errors": errors,
        "duration": round(duration, 3),
        "start_time": int(started_at),
        "end_time": int(ended_at),
        "job_id": job_id,
        "reported": False,
        "options": options.as_dict(),
    }
    if not report or check_mode:
        return result
    alerts = [{"name": item.name, "filepath": item.path, "detection_time": item.time, "action": ACTION,
               "module_name": backend.name.lower(), "info": ON_DEMAND} for item in outcome.detections]
    # Spooled first: whatever happens to the posts below, the detections are not lost.
    spool_scan(storage, alerts, job_id, started_at, ended_at)
    try:
        if job_id:
            client.post(protocol.SCANS, _envelope(record, _scan_obj(result, job_id, 100)))
        deliver(settings, storage, record, server_url)
    except ServerError as exc:
        exc.details.update(scan=result)
        raise
    result["reported"] = True
    return result


def _scan_obj(result, job_id, progress):
    return {
        "job_id": job_id,
        "scanned_count": result["scanned_count"],
        "malware_count": result["malware_count"],
        "suspicious_count": result["suspicious_count"],
        "progress": progress,
        "duration": protocol.iso_duration(result["duration"]),
        "start_time": result["start_time"],
        "end_time": result["end_time"],
    }


def _envelope(record, obj):
    return protocol.envelope(protocol.TASK_SCAN, record["agent_id"], record["uuid"], record["antivirus"], obj)


class _Progress:
    """Called after each file; posts ``progress`` < 100 to /api/scans at a bounded rate.

    Best effort: a progress report that fails stops further ones but not the scan, whose final
    report decides.
    """

    def __init__(self, client, record, job_id, total, started, clock):
        self.client = client
        self.record = record
        self.job_id = job_id
        self.total = max(total, 1)
        self.started = started
        self.clock = clock
        self.done = 0
        self.next_post = started + PROGRESS_PERIOD

    def __call__(self):
        self.done += 1
        now = self.clock()
        if self.client is None or now < self.next_post:
            return
        self.next_post = now + PROGRESS_PERIOD
        obj = {"job_id": self.job_id, "progress": min(99, self.done * 100 // self.total),
               "scanned_count": self.done, "duration": protocol.iso_duration(now - self.started)}
        try:
            self.client.post(protocol.SCANS, _envelope(self.record, obj))
        except ServerError:
            self.client = None
