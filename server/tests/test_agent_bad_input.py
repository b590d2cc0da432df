"""Bad input anywhere gives a JSON 4xx, never a 5xx (protocol 2.5, quirks 1-3 and 24)."""

import json

import pytest
from factories import UUID_F, bearer, create_agent, create_job, envelope

EMPTY = "Invalid request sent to plugin index"
POST_ENDPOINTS = [
    "/api/agents",
    "/api/jobs",
    "/api/scans",
    "/api/alerts",
    "/api/states",
    "/api/avconfigs",
    "/api/schedulers",
]


@pytest.fixture
def agent(database):
    agent_id, token = create_agent(database)
    return agent_id, token, create_job(database, agent_id, status="downloaded")


def body_with(agent_id, task, obj):
    return json.dumps(envelope(agent_id, UUID_F, task, obj))


@pytest.mark.parametrize("path", POST_ENDPOINTS)
def test_empty_body_is_the_legacy_400(server, agent, path):
    response = server.post(path, data=b"", headers={"Content-Type": "application/json", **bearer(agent[1])})
    assert (response.status_code, response.json()) == (400, {"error": EMPTY})


@pytest.mark.parametrize("path", POST_ENDPOINTS)
def test_json_syntax_error_is_the_legacy_400(server, agent, path):
    response = server.post(path, data=b'{"agent_id": 1,', headers=bearer(agent[1]))
    assert response.status_code == 400
    assert response.json()["error"].startswith("Json parsing error : ")


def bad_bodies(agent_id: int, job_id: int):
    """(endpoint, body) pairs that must each get a 400."""
    scan = {"job_id": job_id, "duration": "PT1S"}
    alert = {"name": "x", "filepath": "/x", "detection_time": 1483605762}
    state = {"dbinfo": {"global_status": "up-to-date"}}
    return [
        ("/api/states", b"[]"),
        ("/api/states", b'"just a string"'),
        ("/api/states", b'{"agent_id": NaN, "uuid": "x", "task": {"obj": {}}}'),
        ("/api/states", b'{"agent_id": 1, "uuid": "\\u0000", "task": {"obj": {}}}'),
        ("/api/states", b'{"agent_id": 1, "uuid": "\\ud800", "task": {"obj": {}}}'),
        ("/api/states", b"[" * 100_000 + b"]" * 100_000),
        ("/api/states", json.dumps({"agent_id": agent_id, "uuid": UUID_F, "task": "State"})),
        ("/api/states", json.dumps({"uuid": UUID_F, "task": {"obj": state}})),
        ("/api/states", body_with(None, "State", state)),
        ("/api/states", body_with("", "State", state)),
        ("/api/states", body_with(False, "State", state)),
        ("/api/states", body_with([], "State", state)),
        ("/api/states", body_with(10**30, "State", state)),
        ("/api/states", body_with(agent_id, "State", "obj")),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": "x"})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {"modules": {"name": "x"}}})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {"modules": ["x"]}})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {"modules": [{"bases": "x"}]}})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {"global_status": "x" * 33}})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {"global_update_timestamp": "yesterday"}})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {}, "avdetails": [{"attr": {}, "value": 1}]})),
        ("/api/states", body_with(agent_id, "State", {"dbinfo": {}, "avdetails": {"attr": "a"}})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "job_id": "abc"})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "job_id": "99999999999999999999999"})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "scanned_count": 10**20})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "progress": 101})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "progress": "x"})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "duration": "forever"})),
        ("/api/scans", body_with(agent_id, "Scan", {**scan, "end_time": {"t": 1}})),
        ("/api/scans", body_with(agent_id, "Scan", {"duration": "PT1S"})),
        ("/api/alerts", body_with(agent_id, "Alerts", {"alerts": "x"})),
        ("/api/alerts", body_with(agent_id, "Alerts", {"alerts": ["x"]})),
        ("/api/alerts", body_with(agent_id, "Alerts", {"alerts": [{**alert, "detection_time": 10**20}]})),
        ("/api/alerts", body_with(agent_id, "Alerts", {"alerts": [{**alert, "name": {"n": 1}}]})),
        ("/api/alerts", body_with(agent_id, "Alerts", {"job_id": "x", "alerts": []})),
        ("/api/alerts", body_with(agent_id, "Alerts", [alert])),
        ("/api/jobs", body_with(agent_id, "Runjobs", {"job_id": job_id, "code": "x"})),
        ("/api/jobs", body_with(agent_id, "Runjobs", {"job_id": job_id, "code": 2**40})),
        ("/api/jobs", body_with(agent_id, "Runjobs", {"job_id": job_id, "start_time": "x"})),
        ("/api/jobs", body_with(agent_id, "Runjobs", {"job_id": job_id, "message": ["a", "b"]})),
        ("/api/jobs", body_with(agent_id, "Runjobs", {"code": 0})),
        ("/api/avconfigs", body_with(agent_id, "AVConfig", {"attr": "a", "value": "b"})),
        ("/api/avconfigs", body_with(agent_id, "AVConfig", [{"attr": "", "value": "b"}])),
        ("/api/avconfigs", body_with(agent_id, "AVConfig", [{"attr": "a" * 513, "value": "b"}])),
        ("/api/schedulers", body_with(agent_id, "Scheduler", {"name": ["a", "b"]})),
        ("/api/schedulers", body_with(agent_id, "Scheduler", {"confdetails": "x"})),
        ("/api/agents", body_with(0, "Enrollment", "key")),
        ("/api/agents", body_with(0, "Enrollment", {"key": 12})),
        (
            "/api/agents",
            json.dumps({"agent_id": 0, "uuid": UUID_F, "task": {"obj": {"key": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}}}),
        ),
    ]


def test_bad_bodies_are_400(server, agent):
    agent_id, token, job_id = agent
    failures = []
    for path, body in bad_bodies(agent_id, job_id):
        response = server.post(path, data=body, headers={"Content-Type": "application/json", **bearer(token)})
        if response.status_code != 400 or not isinstance(response.json().get("error"), str):
            failures.append((path, body[:120], response.status_code, response.text[:200]))
    assert failures == []


@pytest.mark.parametrize(
    "query", ["agent_id=abc", "agent_id=", "agent_id=1&agent_id=2", "agent_id=99999999999999999999", "antivirus=x"]
)
def test_bad_get_queries_are_400(server, agent, query):
    response = server.get(f"/api/jobs?{query}", headers={"Content-Type": "application/json", **bearer(agent[1])})
    assert response.status_code == 400
    assert "error" in response.json()


def test_over_long_antivirus_name_at_enrollment_is_400(server):
    body = envelope(
        0,
        UUID_F,
        "Enrollment",
        {"key": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"},
        {"name": "x" * 256, "version": "1", "os_info": {"name": "linux"}},
    )
    response = server.post("/api/agents", json=body)
    assert (response.status_code, response.json()) == (
        400,
        {"error": "task.antivirus.name is longer than 255 characters"},
    )


def test_body_over_the_limit_is_413(server, agent):
    alerts = [{"name": "x" * 1000, "filepath": "/x", "detection_time": 1483605762}] * 1100
    response = server.post(
        "/api/alerts", json=envelope(agent[0], UUID_F, "Alerts", {"alerts": alerts}), headers=bearer(agent[1])
    )
    assert response.status_code == 413
    assert "error" in response.json()
