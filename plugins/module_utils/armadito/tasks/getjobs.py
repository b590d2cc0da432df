# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Getjobs: fetch this agent's jobs into the local queue (protocol.md 4.2, 20.8.2)."""

from __future__ import annotations

import contextlib
import time

from .. import jobqueue, protocol
from ..errors import ArmaditoError
from .enroll import enrolled_server_url, require_enrollment

# The server hands out at most its getjobs limit (10 by default) per call; a backlog takes
# several calls. Bounded, so that a server repeating itself cannot keep the agent looping.
DEFAULT_MAX_FETCHES = 10


def get_jobs(settings, max_fetches=DEFAULT_MAX_FETCHES, check_mode=False, now=None):
    """Fetch until a call brings no new job (at most ``max_fetches`` calls) and queue the new ones.

    ``changed`` when new jobs arrived. Check mode makes no server call, because fetching is not
    read-only: the server marks every job it returns ``downloaded``. It returns the local queue.
    """
    storage = settings.storage()
    record = require_enrollment(storage)
    server_url = enrolled_server_url(settings, record)
    fetched_at = int(now if now is not None else time.time())
    if max_fetches < 1:
        raise ArmaditoError("max_fetches must be at least 1, not %s" % max_fetches)
    added = []
    fetches = 0
    with contextlib.nullcontext() if check_mode else storage.lock():
        queue = jobqueue.read_queue(storage, record)
        if not check_mode:
            client = settings.client(server_url, record.get("token"))
            while fetches < max_fetches:
                answer = client.get(protocol.JOBS, params={"agent_id": record["agent_id"], "uuid": record["uuid"]})
                fetches += 1
                jobs = answer.get("jobs")
                if not isinstance(jobs, list):
                    raise ArmaditoError("GET %s answered without a jobs list: %r" % (protocol.JOBS, answer),
                                        "check that server_url points at armadito-server or the Armadito GLPI plugin")
                queue, new = jobqueue.merge(queue, jobs, fetched_at)
                if not new:
                    break
                # Saved at once: the server already counts these jobs as delivered.
                jobqueue.write_queue(storage, record, queue)
                added.extend(new)
    return {
        "changed": bool(added),
        "fetched": [jobqueue.describe(job) for job in jobqueue.run_order(added)],
        "queue": [jobqueue.describe(job) for job in jobqueue.run_order(queue)],
        "fetches": fetches,
        "agent_id": record["agent_id"],
    }
