# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""armadito-server's admin API (``/api/admin``, docs/admin.md 7), for the controller-side modules.

Not an agent task: it speaks with an administrator's token. It rides on the agent's
:class:`client.Client` (session, retries, error decoding) with hints for an administrator.
"""

from __future__ import annotations

import time

from .client import Client
from .errors import ArmaditoError

KEYS = "/api/admin/keys"
JOBS = "/api/admin/jobs"
SCANCONFIGS = "/api/admin/scanconfigs"
AGENTS = "/api/admin/agents"
STATES = "/api/admin/states"
ALERTS = "/api/admin/alerts"

PRIORITIES = ("low", "medium", "high", "urgent")
PENDING = ("queued", "downloaded")
INFO_SECTIONS = ("agents", "states", "alerts", "jobs")
DEFAULT_LIMIT = 50

_HINTS = {
    401: "the admin token is missing, unknown or revoked: create one with 'armadito-server admin-token create --name NAME'",
    404: "check the name or id",
    409: "it conflicts with what the server holds: look at it with armadito.fleet.armadito_server_info",
    413: "the request is too large for the server: send fewer agents at once",
}


class AdminAPI:
    def __init__(self, admin_url, admin_token, validate_certs=True, ca_path=None, timeout=30, retries=3):
        if not admin_url:
            raise ArmaditoError("no admin URL given", "set admin_url (or ARMADITO_ADMIN_URL)")
        if not admin_token:
            raise ArmaditoError("no admin token given",
                                "set admin_token (or ARMADITO_ADMIN_TOKEN); create one with "
                                "'armadito-server admin-token create --name NAME'")
        self.client = Client(admin_url, token=admin_token, validate_certs=validate_certs, ca_path=ca_path,
                             timeout=timeout, retries=retries, hints=_HINTS)


def enrollment_key(api, name, state="present", uses=1, expires="7d", check_mode=False):
    """Create the key called ``name`` unless it exists (``state=present``), or revoke it (``absent``).

    The key itself is returned only by the run that created it: the server shows it once.
    """
    found = api.client.get(KEYS, params={"name": name})
    current = found[0] if found else None
    if state == "absent":
        if current is None or current["status"] == "revoked":
            return {"changed": False, "key": None, "key_info": current}
        if check_mode:
            return {"changed": True, "key": None, "key_info": current}
        return {"changed": True, "key": None,
                "key_info": api.client.request("POST", "%s/%d/revoke" % (KEYS, current["id"]))}
    if current is not None:
        return {"changed": False, "key": None, "key_info": current}
    if check_mode:
        return {"changed": True, "key": None, "key_info": None}
    created = api.client.post(KEYS, {"name": name, "uses": uses, "expires": expires})
    key = created.pop("key")
    return {"changed": True, "key": key, "key_info": created}


def queue_scan(api, tag, scanconfig, agents=None, priority="low", wait=False, wait_timeout=600, poll_interval=2,
               check_mode=False, sleep=time.sleep, clock=time.monotonic):
    """Queue a Scan job of ``scanconfig`` for ``agents`` (ids or uuids; None: every agent running
    the configuration's engine), once per agent and ``tag``; with ``wait``, until they finished.

    Returns ``changed``, ``created`` (the jobs queued now), ``already_queued`` (agents that already
    had a job with this tag; the server calls them ``skipped``, a word Ansible reserves) and
    ``jobs`` (every job of the tag, after the wait).
    """
    if priority not in PRIORITIES:
        raise ArmaditoError("unknown priority %r" % priority, "use one of %s" % ", ".join(PRIORITIES))
    targets = "all" if agents is None else [int(agent) if str(agent).isdigit() else agent for agent in agents]
    if check_mode:
        created, already_queued = _predict(api, tag, scanconfig, targets), []
    else:
        answer = api.client.post(JOBS, {"scanconfig": scanconfig, "agents": targets, "priority": priority, "tag": tag})
        created, already_queued = answer["created"], answer["skipped"]
    jobs = tagged_jobs(api, tag)
    if wait and not check_mode:
        jobs = _wait(api, tag, jobs, wait_timeout, poll_interval, sleep, clock)
    return {"changed": bool(created), "created": created, "already_queued": already_queued, "jobs": jobs}


def tagged_jobs(api, tag):
    return api.client.get(JOBS, params={"tag": tag})


def server_info(api, gather=INFO_SECTIONS, agent=None, limit=DEFAULT_LIMIT):
    """The ``gather`` sections (agents, states, alerts, jobs), newest first where it applies."""
    unknown = sorted(set(gather) - set(INFO_SECTIONS))
    if unknown:
        raise ArmaditoError("unknown section(s) %s" % ", ".join(unknown), "gather some of %s" % ", ".join(INFO_SECTIONS))
    queries = {
        "agents": (AGENTS, {}),
        "states": (STATES, {"agent": agent}),
        "alerts": (ALERTS, {"agent": agent, "limit": limit}),
        "jobs": (JOBS, {"agent": agent, "limit": limit}),
    }
    result = {"changed": False}
    for section in INFO_SECTIONS:
        if section in gather:
            path, params = queries[section]
            rows = api.client.get(path, params=dict((key, value) for key, value in params.items() if value is not None))
            if section == "agents" and agent is not None:
                rows = [row for row in rows if agent in (str(row["id"]), row["uuid"])]
            result[section] = rows
    return result


def _predict(api, tag, scanconfig, targets):
    """The agents a POST would queue a job for, as ``{"agent_id", "agent_uuid"}``; nothing is sent."""
    config = next((item for item in api.client.get(SCANCONFIGS) if item["name"] == scanconfig), None)
    if config is None:
        raise ArmaditoError("no scan configuration named %r on the server" % scanconfig,
                            "create it with 'armadito-server scanconfig create'")
    agents = api.client.get(AGENTS)
    if targets == "all":
        chosen = [agent for agent in agents if agent["antivirus"]["name"] == config["antivirus"]]
    else:
        chosen = []
        for ref in targets:
            agent = next((agent for agent in agents if str(ref) in (str(agent["id"]), agent["uuid"])), None)
            if agent is None:
                raise ArmaditoError("no agent %r on the server" % ref, "give an agent id or uuid it knows")
            if agent["antivirus"]["name"] != config["antivirus"]:
                # The server refuses the whole request in this case; so does the prediction.
                raise ArmaditoError("agent %s runs %s, not the %s of scan configuration %r"
                                    % (agent["id"], agent["antivirus"]["name"], config["antivirus"], scanconfig),
                                    "choose a scan configuration for that antivirus")
            chosen.append(agent)
    already = set(job["agent_id"] for job in tagged_jobs(api, tag))
    return [{"agent_id": agent["id"], "agent_uuid": agent["uuid"]} for agent in chosen if agent["id"] not in already]


def _wait(api, tag, jobs, timeout, interval, sleep, clock):
    deadline = clock() + timeout
    while any(job["status"] in PENDING for job in jobs):
        if clock() >= deadline:
            pending = ", ".join("%s (agent %s, %s)" % (job["id"], job["agent_id"], job["status"])
                                for job in jobs if job["status"] in PENDING)
            raise ArmaditoError("jobs tagged %r still pending after %s seconds: %s" % (tag, timeout, pending),
                                "check that the agents run Getjobs and Runjobs (armadito.fleet.armadito_scheduler), "
                                "or raise wait_timeout", {"jobs": jobs})
        sleep(interval)
        jobs = tagged_jobs(api, tag)
    return jobs
