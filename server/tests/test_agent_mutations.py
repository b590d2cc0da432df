"""Valid agent requests with one value replaced by a value of another type: never a 5xx.

Each reference example is walked; every value in it (at any depth) is replaced in turn by each
value of ``REPLACEMENTS``, and the server must answer 200 or a JSON 4xx.
"""

import copy
import json

import pytest
from factories import UUID_F, bearer, create_agent, create_job, create_key, envelope

REPLACEMENTS = [None, "", "x" * 300, "\u00e9\u4e2d", -1, 0, 2**31, 10**25, 1.5, True, [], ["1", "2"], {}, {"a": [1]}]


def paths(value, prefix=()):
    """Every position in a JSON document, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(document, path, replacement):
    if not path:
        return replacement
    mutated = copy.deepcopy(document)
    parent = mutated
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    return mutated


def examples(agent_id, job_id):
    alert = {"name": "Eicar", "filepath": "/tmp/e", "action": "none", "detection_time": 1483605762, "info": "x"}
    return {
        "/api/jobs": {"code": 1, "message": "bWVzc2FnZQ==", "job_id": job_id, "start_time": 1489067325, "end_time": 1},
        "/api/scans": {
            "job_id": job_id,
            "duration": "PT0H0M16S",
            "scanned_count": 50,
            "malware_count": 2,
            "progress": 100,
        },
        "/api/alerts": {"job_id": job_id, "alerts": [alert]},
        "/api/states": {
            "dbinfo": {
                "global_status": "A6O_UPDATE_OK",
                "global_update_timestamp": 1479467793,
                "modules": [{"name": "clamav", "mod_status": "up-to-date", "mod_update_timestamp": 1, "bases": [{}]}],
            },
            "avdetails": [{"attr": "onaccess:enabled", "value": 0}],
        },
        "/api/avconfigs": [{"attr": "on-access", "value": "enabled"}],
        "/api/schedulers": {"name": "Cron", "confdetails": [{"attr": "scheduler:user", "value": "root"}]},
    }


@pytest.mark.parametrize(
    "path", ["/api/jobs", "/api/scans", "/api/alerts", "/api/states", "/api/avconfigs", "/api/schedulers"]
)
def test_no_replacement_anywhere_gives_a_server_error(server, database, path):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    document = envelope(agent_id, UUID_F, "Task", examples(agent_id, job_id)[path])
    failures = []
    for position in paths(document):
        for replacement in REPLACEMENTS:
            body = json.dumps(replaced(document, position, replacement))
            response = server.post(path, data=body, headers=bearer(token))
            if response.status_code >= 500 or not isinstance(response.json(), dict):
                failures.append((position, replacement, response.status_code, response.text[:200]))
    assert failures == []


def test_enrollment_replacements_never_give_a_server_error(server, database):
    document = envelope(0, UUID_F, "Enrollment", {"key": create_key(database, uses=1000)})
    failures = []
    for position in paths(document):
        for replacement in REPLACEMENTS:
            response = server.post("/api/agents", data=json.dumps(replaced(document, position, replacement)))
            if response.status_code >= 500:
                failures.append((position, replacement, response.status_code, response.text[:200]))
    assert failures == []
