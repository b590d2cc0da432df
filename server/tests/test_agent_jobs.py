"""GET /api/jobs (at-least-once delivery) and POST /api/jobs (results, state machine)."""

import time

import pytest
from conftest import start_server
from factories import UUID_B, UUID_F, bearer, create_agent, create_job, envelope
from sqlalchemy import select

from armadito_server import wire
from armadito_server.models import Job


def job_row(database, job_id: int) -> Job:
    with database.transaction() as session:
        return session.get(Job, job_id)


def fetch(server, agent_id: int, token: str | None = None):
    headers = {"Content-Type": "application/json", **(bearer(token) if token else {})}
    return server.get(f"/api/jobs?agent_id={agent_id}&antivirus=Armadito&agent_id={agent_id}", headers=headers)


def result(agent_id, job_id, code=0, message="runJob successful", uuid=UUID_F):
    obj = {"message": message, "code": code, "job_id": str(job_id), "start_time": 1489067325, "end_time": 1489067340}
    return envelope(str(agent_id), uuid, "Runjobs", obj)


def test_legacy_getjobs_returns_legacy_job_json_and_marks_them_downloaded(legacy_server, database):
    agent_id, _ = create_agent(database)
    job_id = create_job(
        database, agent_id, priority=2, path="/home/uhuru/malwares/PDFMalwaresSamples/", options="-r", name="scan_2"
    )
    response = fetch(legacy_server, agent_id)
    assert response.status_code == 200
    job = response.json()["jobs"][0]
    config_id = job["obj"]["scanconfig_id"]
    assert response.json() == {
        "jobs": [
            {
                "job_id": job_id,
                "job_type": "Scan",
                "job_priority": "2",
                "obj": {
                    "scanconfig_id": config_id,
                    "scan_name": "scan_2",
                    "scan_path": "L2hvbWUvdWh1cnUvbWFsd2FyZXMvUERGTWFsd2FyZXNTYW1wbGVzLw==",
                    "scan_options": "LXI=",
                },
            }
        ]
    }
    assert job_row(database, job_id).status == "downloaded"
    assert fetch(legacy_server, agent_id).json() == {"jobs": []}


def test_empty_options_stay_empty_and_jobs_come_by_priority_then_id(server, database):
    agent_id, token = create_agent(database)
    low = create_job(database, agent_id, priority=0)
    urgent = create_job(database, agent_id, priority=3)
    low2 = create_job(database, agent_id, priority=0)
    jobs = fetch(server, agent_id, token).json()["jobs"]
    assert [job["job_id"] for job in jobs] == [urgent, low, low2]
    assert {job["obj"]["scan_options"] for job in jobs} == {""}


def test_getjobs_returns_at_most_the_limit(server, database):
    agent_id, token = create_agent(database)
    for _ in range(12):
        create_job(database, agent_id)
    assert len(fetch(server, agent_id, token).json()["jobs"]) == 10
    assert len(fetch(server, agent_id, token).json()["jobs"]) == 2


def test_getjobs_returns_only_the_callers_queued_jobs(server, database):
    agent_id, token = create_agent(database, UUID_F)
    other_id, _ = create_agent(database, UUID_B)
    create_job(database, other_id)
    create_job(database, agent_id, status="cancelled")
    assert fetch(server, agent_id, token).json() == {"jobs": []}
    assert fetch(server, other_id, token).status_code == 401


def test_strict_getjobs_needs_the_token(server, database):
    agent_id, _ = create_agent(database)
    assert fetch(server, agent_id).status_code == 401


def test_getjobs_without_agent_id_is_the_legacy_400(server):
    response = server.get("/api/jobs")
    assert (response.status_code, response.json()) == (400, {"error": "Invalid request sent to plugin index"})


@pytest.fixture
def short_lease_server(database_url, tmp_path):
    running = start_server(database_url, tmp_path / "server.log", env={"ARMADITO_JOB_LEASE_SECONDS": "1"})
    yield running
    running.stop()


def test_an_unreported_job_is_delivered_again_after_the_lease(short_lease_server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id)
    assert [job["job_id"] for job in fetch(short_lease_server, agent_id, token).json()["jobs"]] == [job_id]
    assert fetch(short_lease_server, agent_id, token).json()["jobs"] == []
    time.sleep(1.2)
    assert [job["job_id"] for job in fetch(short_lease_server, agent_id, token).json()["jobs"]] == [job_id]
    assert short_lease_server.post("/api/jobs", json=result(agent_id, job_id), headers=bearer(token)).status_code == 200
    time.sleep(1.2)
    assert fetch(short_lease_server, agent_id, token).json()["jobs"] == []


def test_legacy_result_is_stored(legacy_server, database):
    agent_id, _ = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    response = legacy_server.post("/api/jobs/index.php", json=result(agent_id, job_id))
    assert (response.status_code, response.json()) == (200, {})
    job = job_row(database, job_id)
    assert (job.status, job.duration_seconds, job.error_code) == ("successful", 15, None)
    assert wire.utc(job.start_time).timestamp() == 1489067325


def test_failure_stores_code_and_base64_message_as_sent(server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    message = (
        "dW5kZWZpbmVkIHNjYW5fdHlwZS4gYXQgL3Vzci9sb2NhbC9zaGFyZS9hcm1hZGl0by1hZ2VudC9s\n"
        "aWIvQXJtYWRpdG8vQWdlbnQvVGFzay9TY2FuLnBtIGxpbmUgMzYuCg==\n"
    )
    response = server.post("/api/jobs", json=result(agent_id, job_id, code=1, message=message), headers=bearer(token))
    assert response.status_code == 200
    job = job_row(database, job_id)
    assert (job.status, job.error_code, job.error_message) == ("failed", 1, message)


@pytest.mark.parametrize(
    "status, code, expected_status, expected_job_status",
    [
        ("downloaded", 0, 200, "successful"),
        ("downloaded", 1, 200, "failed"),
        ("queued", 0, 200, "successful"),
        ("queued", 2, 200, "failed"),
        ("successful", 0, 200, "successful"),
        ("failed", 1, 200, "failed"),
        ("successful", 1, 409, "successful"),
        ("failed", 0, 409, "failed"),
        ("cancelled", 0, 409, "cancelled"),
        ("cancelled", 1, 409, "cancelled"),
    ],
)
def test_job_state_machine(server, database, status, code, expected_status, expected_job_status):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status=status)
    response = server.post("/api/jobs", json=result(agent_id, job_id, code=code), headers=bearer(token))
    assert response.status_code == expected_status, response.text
    assert job_row(database, job_id).status == expected_job_status


def test_another_agents_job_is_refused(server, database):
    agent_id, token = create_agent(database, UUID_F)
    other_id, _ = create_agent(database, UUID_B)
    job_id = create_job(database, other_id, status="downloaded")
    response = server.post("/api/jobs", json=result(agent_id, job_id), headers=bearer(token))
    assert response.status_code == 403
    assert job_row(database, job_id).status == "downloaded"


def test_unknown_job_is_404(server, database):
    agent_id, token = create_agent(database)
    response = server.post("/api/jobs", json=result(agent_id, 12345), headers=bearer(token))
    assert response.status_code == 404
    assert "Unable to get job from database." in response.json()["error"]


def test_a_job_without_scan_configuration_is_failed_not_delivered(server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id)
    with database.transaction() as session:
        session.get(Job, job_id).scan_config_id = None
    assert fetch(server, agent_id, token).json() == {"jobs": []}
    with database.transaction() as session:
        assert session.scalar(select(Job.status).where(Job.id == job_id)) == "failed"


def test_a_downloaded_job_without_download_time_is_due(server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    assert [job["job_id"] for job in fetch(server, agent_id, token).json()["jobs"]] == [job_id]
    assert job_row(database, job_id).downloaded_at is not None
