"""The admin API over real HTTP: bearer tokens, and the calls the Ansible modules make."""

from __future__ import annotations

import pytest
import requests

from armadito_server.models import Job, Scan
from armadito_server.services import admin_tokens
from armadito_server.services.admin_tokens import TokenCreate

from factories import UUID_A, UUID_F, bearer, create_agent

ADMIN_ROUTES = [
    ("GET", "/api/admin/keys"),
    ("POST", "/api/admin/keys"),
    ("POST", "/api/admin/keys/1/revoke"),
    ("GET", "/api/admin/jobs/1"),
    ("POST", "/api/admin/jobs"),
    ("GET", "/api/admin/agents"),
    ("DELETE", "/api/admin/agents/1"),
    ("PUT", "/api/admin/avconfig/all"),
    ("GET", "/api/admin/schedule"),
]


def new_token(database, name: str = "ansible") -> str:
    with database.transaction() as session:
        return admin_tokens.create(session, TokenCreate(name=name)).token


@pytest.fixture
def admin(server, database):
    """``admin.get(path)`` etc.: requests to the server carrying a valid admin token."""
    headers = bearer(new_token(database))

    class Admin:
        def call(self, method: str, path: str, **kwargs):
            return requests.request(method, server.url + path, headers=headers, timeout=10, **kwargs)

        def get(self, path, **kwargs):
            return self.call("GET", path, **kwargs)

        def post(self, path, **kwargs):
            return self.call("POST", path, **kwargs)

        def put(self, path, **kwargs):
            return self.call("PUT", path, **kwargs)

    return Admin()


@pytest.mark.parametrize("method, path", ADMIN_ROUTES)
def test_admin_token_required(server, database, method, path):
    revoked = new_token(database, "revoked")
    with database.transaction() as session:
        admin_tokens.revoke(session, "revoked")
    for headers, message in [
        ({}, "an admin token is required"),
        (bearer("adm_wrong"), "invalid or revoked admin token"),
        (bearer(revoked), "invalid or revoked admin token"),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "an admin token is required"),
    ]:
        response = requests.request(method, server.url + path, headers=headers, json={}, timeout=10)
        assert response.status_code == 401, (headers, response.text)
        assert response.json()["error"].startswith(message)


def test_agent_tokens_are_not_admin_tokens(server, database):
    _, agent_token = create_agent(database)
    assert server.get("/api/admin/agents", headers=bearer(agent_token)).status_code == 401


def test_enrollment_key_lifecycle_as_the_ansible_module_runs_it(admin):
    assert admin.get("/api/admin/keys", params={"name": "lab"}).json() == []
    created = admin.post("/api/admin/keys", json={"name": "lab", "uses": 5, "expires": "2w"})
    assert created.status_code == 201
    key = created.json()
    assert len(key["key"]) == 29 and key["status"] == "active"

    [listed] = admin.get("/api/admin/keys", params={"name": "lab"}).json()
    assert "key" not in listed and listed["id"] == key["id"]
    assert admin.post("/api/admin/keys", json={"name": "lab", "uses": 5, "expires": "2w"}).status_code == 409

    revoked = admin.post(f"/api/admin/keys/{key['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert admin.post(f"/api/admin/keys/{key['id']}/revoke").json()["revoked_at"] == revoked.json()["revoked_at"]
    assert admin.get(f"/api/admin/keys/{key['id'] + 1}").status_code == 404


@pytest.mark.parametrize("path", ["/api/admin/jobs/-1", "/api/admin/jobs/2147483648", "/api/admin/keys/0", "/api/admin/agents/%C2%B9"])
def test_ids_out_of_range_are_400_or_404_never_500(admin, path):
    # PostgreSQL integer columns refuse ids beyond 32 bits; "¹" passes str.isdigit() but not int().
    assert admin.get(path).status_code in (400, 404)


@pytest.mark.parametrize(
    "body, message",
    [
        ({"uses": 0, "expires": "7d"}, "uses"),
        ({"uses": 1, "expires": "someday"}, "neither a duration"),
        ({"uses": 1, "expires": "7d", "extra": 1}, "extra"),
        ({"uses": 1, "expires": "7d", "name": "a\u0000b"}, "name"),
    ],
)
def test_invalid_key_requests_are_400(admin, body, message):
    response = admin.post("/api/admin/keys", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_scan_job_by_uuid_idempotent_by_tag_with_results(admin, database):
    agent_id, _ = create_agent(database, uuid=UUID_F)
    create_agent(database, uuid=UUID_A, antivirus="ClamAV")
    assert admin.post("/api/admin/scanconfigs", json={"name": "home", "path": "/home", "antivirus": "Armadito"}).status_code == 201
    request = {"scanconfig": "home", "agents": [UUID_F], "priority": "high", "tag": "run-1"}

    first = admin.post("/api/admin/jobs", json=request).json()
    [job] = first["created"]
    again = admin.post("/api/admin/jobs", json=request).json()
    assert again == {"created": [], "skipped": [{"agent_id": agent_id, "agent_uuid": UUID_F, "job_id": job["id"]}]}
    assert [j["id"] for j in admin.get("/api/admin/jobs", params={"tag": "run-1"}).json()] == [job["id"]]

    mismatch = admin.post("/api/admin/jobs", json={"scanconfig": "home", "agents": [UUID_A]})
    assert mismatch.status_code == 400
    assert mismatch.json()["error"].startswith("Cannot apply scan configuration (home) for agent (")
    assert admin.post("/api/admin/jobs", json={"scanconfig": "home", "agents": []}).status_code == 400

    with database.transaction() as session:  # the agent ran it
        session.get(Job, job["id"]).status = "successful"
        scan = session.query(Scan).filter_by(job_id=job["id"]).one()
        scan.scanned_count, scan.malware_count, scan.progress = 1200, 1, 100
    shown = admin.get(f"/api/admin/jobs/{job['id']}").json()
    assert shown["status"] == "successful"
    assert (shown["scan"]["scanned_count"], shown["scan"]["malware_count"], shown["scan"]["progress"]) == (1200, 1, 100)
    cancel = admin.post(f"/api/admin/jobs/{job['id']}/cancel")
    assert cancel.status_code == 409 and "only queued or downloaded" in cancel.json()["error"]


def test_desired_settings_put_then_get(admin, database):
    agent_id, _ = create_agent(database, uuid=UUID_F)
    put = admin.put(f"/api/admin/avconfig/agent:{UUID_F}", json={"entries": {"scan:archive": "0", "old": None}})
    assert put.status_code == 200
    expected = {"scope": f"agent:{agent_id}", "entries": [{"attr": "old", "value": None}, {"attr": "scan:archive", "value": "0"}]}
    assert put.json() == expected
    assert admin.get(f"/api/admin/avconfig/agent:{agent_id}").json() == expected
    assert admin.get("/api/admin/avconfig/agent:999").status_code == 404

    schedule = {"user": "root", "logfile": None, "tasks": {"Getjobs": {"freq": "*/10 * * * *", "args": ""}}}
    assert admin.put("/api/admin/schedule/antivirus:ClamAV", json=schedule).json() == {**schedule, "scope": "antivirus:ClamAV"}
    assert admin.get("/api/admin/schedule").json() == [{**schedule, "scope": "antivirus:ClamAV"}]
    bad = admin.put("/api/admin/schedule/all", json={"tasks": {"Getjobs": {"freq": "* * * * * ; reboot"}}})
    assert bad.status_code == 400 and "tasks.Getjobs.freq" in bad.json()["error"]
    assert admin.get("/api/admin/schedule/everyone").status_code == 400


def test_agents_states_alerts_and_delete(admin, database):
    agent_id, _ = create_agent(database, uuid=UUID_F)
    [agent] = admin.get("/api/admin/agents").json()
    assert (agent["id"], agent["uuid"], agent["scheduler_id"]) == (agent_id, UUID_F, 1)
    detail = admin.get(f"/api/admin/agents/{UUID_F}").json()
    assert (detail["id"], detail["state"], detail["jobs"], detail["scheduler"]["id"]) == (agent_id, None, [], 1)
    assert admin.get("/api/admin/states").json() == []
    assert admin.get("/api/admin/alerts", params={"agent": UUID_F}).json() == []
    assert admin.get("/api/admin/alerts", params={"agent": "nobody"}).status_code == 404

    assert admin.call("DELETE", f"/api/admin/agents/{agent_id}").json()["scheduler_id"] == 1
    assert admin.get(f"/api/admin/agents/{agent_id}").status_code == 404


def test_openapi_documents_the_admin_errors(server):
    document = server.get("/openapi.json").json()
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]
    operation = document["paths"]["/api/admin/jobs/{job_id}/cancel"]["post"]
    assert sorted(operation["responses"]) == ["200", "400", "401", "404", "409"]
    assert "413" in document["paths"]["/api/admin/jobs"]["post"]["responses"]
    assert operation["security"] == [{"HTTPBearer": []}]
