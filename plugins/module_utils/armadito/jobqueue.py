# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The local queue of fetched jobs (``jobs.json``), shared by Getjobs and Runjobs.

A job enters when Getjobs fetches it (once, whatever the server repeats) and leaves only when
the server acknowledged its status, so a crash or an outage makes it run again, never vanish.
Callers hold the state directory's lock around a read-modify-write.
"""

from __future__ import annotations

from .client import normalize_server_url
from .protocol import PRIORITY_NAMES
from .storage import JOBS_FILE


def job_key(job):
    """The identity of a job: its ``job_id`` as text (the server sends numbers, old dumps strings)."""
    return str(job.get("job_id")).strip()


def priority(job):
    """0 (low) .. 3 (urgent); anything else counts as low, as the legacy server sends it."""
    try:
        value = int(str(job.get("job_priority")).strip())
    except ValueError:
        return 0
    return value if 0 <= value < len(PRIORITY_NAMES) else 0


def run_order(jobs):
    """Highest priority first; oldest (smallest job id, then first fetched) first within a priority."""
    def key(indexed):
        index, job = indexed
        number = job_key(job)
        return (-priority(job), int(number) if number.isdigit() else float("inf"), index)
    return [job for _index, job in sorted(enumerate(jobs), key=key)]


def read_queue(storage, record):
    """The queued jobs of the current enrollment; a queue left by another enrollment is dropped,
    because the server would refuse its reports (the jobs belong to another agent)."""
    document = storage.read(JOBS_FILE) or {}
    if not _owned_by(document, record):
        return []
    return list(document.get("jobs") or [])


def write_queue(storage, record, jobs):
    storage.write(JOBS_FILE, {"server_url": normalize_server_url(record["server_url"]),
                              "agent_id": record["agent_id"], "jobs": jobs})


def merge(queued, fetched, fetched_at):
    """``(queue, added)``: ``queued`` plus the ``fetched`` jobs it does not hold yet, by job id.

    A job the server hands out again (its lease expired, or a lost answer was replayed) keeps
    its place. Entries without a job id cannot be reported and are left out.
    """
    queue = list(queued)
    known = set(job_key(job) for job in queue)
    added = []
    for job in fetched:
        if not isinstance(job, dict) or job_key(job) in ("", "None") or job_key(job) in known:
            continue
        known.add(job_key(job))
        entry = dict(job, fetched_at=fetched_at)
        queue.append(entry)
        added.append(entry)
    return queue, added


def remove(storage, record, job):
    """Drop ``job`` from the queue on disk (re-read: Getjobs may have added jobs meanwhile)."""
    key = job_key(job)
    write_queue(storage, record, [entry for entry in read_queue(storage, record) if job_key(entry) != key])


def describe(job):
    """What results show of a job: id, type, priority name, scan name and when it was fetched."""
    obj = job.get("obj") if isinstance(job.get("obj"), dict) else {}
    number = job_key(job)
    return {
        "job_id": int(number) if number.isdigit() else number,
        "job_type": job.get("job_type"),
        "priority": PRIORITY_NAMES[priority(job)],
        "scan_name": obj.get("scan_name"),
        "fetched_at": job.get("fetched_at"),
    }


def _owned_by(document, record):
    if not document.get("server_url"):
        return False
    return (normalize_server_url(document["server_url"]) == normalize_server_url(record["server_url"])
            and str(document.get("agent_id")) == str(record["agent_id"]))
