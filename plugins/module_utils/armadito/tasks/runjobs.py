# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runjobs: run the queued jobs by priority and report each one (protocol.md 4.3, 20.8.3).

Order per job: run, report the status, then remove it from the queue. A job whose status the
server did not acknowledge stays queued and runs again next time.
"""

from __future__ import annotations

import base64
import contextlib
import time

from .. import jobqueue, protocol
from ..errors import ArmaditoError, ServerError
from ..storage import RUNJOBS_LOCK_FILE, Locked
from .enroll import enrolled_server_url, require_enrollment
from .jobrunners import RUNNERS

# The server keeps 255 characters of the base64 message: 189 bytes of text at most.
MAX_MESSAGE_BYTES = 180

SUCCESSFUL = "successful"
FAILED = "failed"
REJECTED = "rejected"


def run_jobs(settings, check_mode=False, runners=None, clock=time.time):
    """Run every queued job, highest priority first.

    Returns ``changed`` (a job ran), ``jobs`` (each with ``status`` successful, failed or
    rejected, ``message`` and the runner's ``result``) and ``busy`` (another Runjobs holds the
    lock; nothing ran). Check mode returns the jobs that would run, in order.
    """
    runners = RUNNERS if runners is None else runners
    storage = settings.storage()
    record = require_enrollment(storage)
    server_url = enrolled_server_url(settings, record)
    if check_mode:
        queue = jobqueue.run_order(jobqueue.read_queue(storage, record))
        return {"changed": bool(queue), "busy": False, "jobs": [jobqueue.describe(job) for job in queue]}
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(storage.lock(RUNJOBS_LOCK_FILE, timeout=0))
        except Locked:
            return {"changed": False, "busy": True, "jobs": []}
        with storage.lock():
            queue = jobqueue.run_order(jobqueue.read_queue(storage, record))
        client = settings.client(server_url, record.get("token"))
        done = []
        for position, job in enumerate(queue):
            try:
                outcome = _run_one(settings, job, runners, clock)
                done.append(_acknowledge(client, storage, record, job, outcome))
            except ServerError as exc:
                raise ArmaditoError(
                    "job %s: %s" % (jobqueue.job_key(job), exc.message),
                    "%s%d job(s) stay queued and run again on the next Runjobs"
                    % (exc.hint + "; " if exc.hint else "", len(queue) - position),
                    dict(exc.details, jobs=done),
                )
    return {"changed": bool(done), "busy": False, "jobs": done}


def _run_one(settings, job, runners, clock):
    """The job's outcome: its description plus status, message, times and runner result.

    Raises ServerError when the server could not take the job's results (unreachable or 5xx):
    the job then runs again later. Anything else a job raises makes it fail.
    """
    outcome = jobqueue.describe(job)
    start = int(clock())
    runner = runners.get(job.get("job_type"))
    try:
        if runner is None:
            raise ArmaditoError("unknown job type %r" % job.get("job_type"),
                                "this agent runs %s jobs" % ", ".join(sorted(runners)))
        result, status, message = runner(settings, job), SUCCESSFUL, protocol.JOB_SUCCESS_MESSAGE
    except ServerError as exc:
        if exc.status is None or exc.status >= 500:
            raise
        # The server refused the job's own reports (4xx): running it again would not help.
        result, status, message = None, FAILED, str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever breaks a job is that job's failure
        result, status, message = None, FAILED, str(exc) or type(exc).__name__
    outcome.update(status=status, message=message, result=result, start_time=start, end_time=int(clock()))
    return outcome


def _acknowledge(client, storage, record, job, outcome):
    """Report the outcome; remove the job once the server accepted (or finally refused) it."""
    failed = outcome["status"] == FAILED
    obj = {
        "code": protocol.JOB_FAILURE_CODE if failed else protocol.JOB_SUCCESS_CODE,
        "message": encode_message(outcome["message"]) if failed else outcome["message"],
        "job_id": outcome["job_id"],
        "start_time": outcome["start_time"],
        "end_time": outcome["end_time"],
    }
    document = protocol.envelope(protocol.TASK_RUNJOBS, record["agent_id"], record["uuid"], record["antivirus"], obj)
    try:
        client.post(protocol.JOBS, document)
    except ServerError as exc:
        if not _final_refusal(exc):
            raise
        # Cancelled meanwhile, already final, deleted, or not ours: asking again changes nothing.
        outcome.update(status=REJECTED, message="the server refused the status: %s" % exc.server_message)
    with storage.lock():
        jobqueue.remove(storage, record, job)
    return outcome


def _final_refusal(exc):
    """A 4xx other than 401: the server will never take this report. No answer, a 5xx or a
    token problem (fixed by enrolling again, which keeps the agent id) are worth retrying."""
    return exc.status is not None and 400 <= exc.status < 500 and exc.status != 401


def encode_message(text):
    """The error text as the protocol wants it: base64, short enough for the server's column."""
    data = text.encode("utf-8")[:MAX_MESSAGE_BYTES].decode("utf-8", errors="ignore").encode("utf-8")
    return base64.b64encode(data).decode("ascii")
