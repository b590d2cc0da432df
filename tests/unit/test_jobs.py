"""Getjobs and Runjobs against a scripted server, with fake job runners."""

from __future__ import annotations

import base64
import threading

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import (
    AGENT_FILE,
    JOBS_FILE,
    RUNJOBS_LOCK_FILE,
)
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks import runjobs
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.getjobs import get_jobs
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.runjobs import run_jobs

UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"


def job(job_id, priority, job_type="Scan", path="/tmp"):
    return {"job_id": job_id, "job_type": job_type, "job_priority": str(priority),
            "obj": {"scanconfig_id": 1, "scan_name": "scan%d" % job_id,
                    "scan_path": base64.b64encode(path.encode()).decode(), "scan_options": ""}}


@pytest.fixture
def enrolled(settings, fake_server):
    settings.storage().write(AGENT_FILE, {
        "server_url": fake_server.url, "agent_id": 7, "scheduler_id": 1, "uuid": UUID, "token": "agt_t",
        "antivirus": {"name": "FakeAV", "version": "9.9", "program_path": ""}})
    fake_server.on("POST", "/api/jobs", (200, {}))
    return settings


def queued_ids(settings):
    return [entry["job_id"] for entry in (settings.storage().read(JOBS_FILE) or {"jobs": []})["jobs"]]


def test_getjobs_fetches_until_nothing_new_and_deduplicates(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 0), job(2, 3)]}), (200, {"jobs": [job(2, 3), job(3, 1)]}),
                   (200, {"jobs": []}))
    result = get_jobs(enrolled, now=1000)
    assert (result["changed"], result["fetches"]) == (True, 3)
    assert [entry["job_id"] for entry in result["fetched"]] == [2, 3, 1]
    assert queued_ids(enrolled) == [1, 2, 3]
    call = fake_server.calls("GET", "/api/jobs")[0]
    assert call["raw_path"] == "/api/jobs?agent_id=7&uuid=%s" % UUID
    assert call["headers"]["Authorization"] == "Bearer agt_t"
    # The server hands job 2 out again (lease expired): not new, not changed.
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(2, 3)]}))
    again = get_jobs(enrolled)
    assert (again["changed"], again["fetches"], queued_ids(enrolled)) == (False, 1, [1, 2, 3])


def test_getjobs_is_bounded(enrolled, fake_server):
    answers = [(200, {"jobs": [job(number, 0)]}) for number in range(1, 30)]
    fake_server.on("GET", "/api/jobs", *answers)
    assert get_jobs(enrolled, max_fetches=4)["fetches"] == 4
    assert queued_ids(enrolled) == [1, 2, 3, 4]


def test_getjobs_check_mode_does_not_call_the_server(enrolled, fake_server):
    result = get_jobs(enrolled, check_mode=True)
    assert (result["changed"], result["fetches"], result["queue"]) == (False, 0, [])
    assert fake_server.requests == []


def test_getjobs_needs_an_enrollment(settings):
    with pytest.raises(ArmaditoError, match="not enrolled"):
        get_jobs(settings)


def test_runjobs_in_priority_order_reporting_each(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 0), job(2, 3), job(3, 1), job(4, 3)]}), (200, {"jobs": []}))
    get_jobs(enrolled)
    ran = []
    result = run_jobs(enrolled, runners={"Scan": lambda settings, entry: ran.append(entry["job_id"]) or {"ok": 1}},
                      clock=lambda: 1500)
    assert ran == [2, 4, 3, 1]
    assert [(entry["job_id"], entry["status"], entry["result"]) for entry in result["jobs"]] == [
        (2, "successful", {"ok": 1}), (4, "successful", {"ok": 1}), (3, "successful", {"ok": 1}),
        (1, "successful", {"ok": 1})]
    reports = [call["body"] for call in fake_server.calls("POST", "/api/jobs")]
    assert reports[0]["task"]["name"] == "Runjobs"
    assert reports[0]["task"]["obj"] == {"code": 0, "message": "runJob successful", "job_id": 2,
                                         "start_time": 1500, "end_time": 1500}
    assert (reports[0]["agent_id"], reports[0]["uuid"]) == (7, UUID)
    assert queued_ids(enrolled) == []
    assert run_jobs(enrolled)["changed"] is False


def test_failures_are_reported_in_base64_and_the_next_job_runs(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 2), job(2, 1, job_type="Format"), job(3, 0)]}),
                   (200, {"jobs": []}))
    get_jobs(enrolled)

    def runner(settings, entry):
        if entry["job_id"] == 1:
            raise ArmaditoError("cannot scan /nope: No such file or directory", "give an existing file or directory")
        return {}

    result = run_jobs(enrolled, runners={"Scan": runner})
    assert [entry["status"] for entry in result["jobs"]] == ["failed", "failed", "successful"]
    assert result["jobs"][1]["message"] == "unknown job type 'Format': this agent runs Scan jobs"
    objs = [call["body"]["task"]["obj"] for call in fake_server.calls("POST", "/api/jobs")]
    assert objs[0]["code"] == 1
    assert base64.b64decode(objs[0]["message"]).decode() == (
        "cannot scan /nope: No such file or directory: give an existing file or directory")
    assert queued_ids(enrolled) == []


def test_long_messages_fit_the_server_column():
    encoded = runjobs.encode_message("é" * 500)
    assert len(encoded) <= 255
    assert base64.b64decode(encoded).decode("utf-8") == "é" * 90


def test_outage_keeps_the_job_and_those_after_it(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 3), job(2, 2), job(3, 1)]}), (200, {"jobs": []}))
    get_jobs(enrolled)
    fake_server.on("POST", "/api/jobs", (200, {}), (503, {"error": "down"}))
    with pytest.raises(ArmaditoError) as error:
        run_jobs(enrolled, runners={"Scan": lambda settings, entry: {}})
    assert "job 2: POST /api/jobs failed with HTTP 503: down" in str(error.value)
    assert "2 job(s) stay queued" in str(error.value)
    assert [entry["job_id"] for entry in error.value.details["jobs"]] == [1]
    assert queued_ids(enrolled) == [2, 3]
    fake_server.on("POST", "/api/jobs", (200, {}))
    assert [entry["job_id"] for entry in run_jobs(enrolled, runners={"Scan": lambda settings, entry: {}})["jobs"]] == [2, 3]


def test_a_runner_that_cannot_reach_the_server_keeps_the_job(enrolled, fake_server, unused_port):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 3)]}), (200, {"jobs": []}))
    get_jobs(enrolled)

    def unreachable(settings, entry):
        settings.client("http://127.0.0.1:%d" % unused_port).post("/api/scans", {})

    with pytest.raises(ArmaditoError, match="cannot connect"):
        run_jobs(enrolled, runners={"Scan": unreachable})
    assert queued_ids(enrolled) == [1]
    assert fake_server.calls("POST", "/api/jobs") == []


def test_a_final_refusal_drops_the_job(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 3), job(2, 3)]}), (200, {"jobs": []}))
    get_jobs(enrolled)
    fake_server.on("POST", "/api/jobs", (409, {"error": "job 1 was cancelled: its result is not recorded"}), (200, {}))
    result = run_jobs(enrolled, runners={"Scan": lambda settings, entry: {}})
    assert [(entry["job_id"], entry["status"]) for entry in result["jobs"]] == [(1, "rejected"), (2, "successful")]
    assert "was cancelled" in result["jobs"][0]["message"]
    assert queued_ids(enrolled) == []


def test_check_mode_lists_and_runs_nothing(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 0), job(2, 2)]}), (200, {"jobs": []}))
    get_jobs(enrolled)
    result = run_jobs(enrolled, check_mode=True, runners={"Scan": pytest.fail})
    assert (result["changed"], [entry["job_id"] for entry in result["jobs"]]) == (True, [2, 1])
    assert fake_server.calls("POST", "/api/jobs") == [] and queued_ids(enrolled) == [1, 2]


def test_a_second_run_does_not_execute_the_same_jobs(enrolled, fake_server):
    fake_server.on("GET", "/api/jobs", (200, {"jobs": [job(1, 0)]}), (200, {"jobs": []}))
    get_jobs(enrolled)
    started, release = threading.Event(), threading.Event()
    results = {}

    def slow(settings, entry):
        started.set()
        release.wait(10)
        return {}

    first = threading.Thread(target=lambda: results.setdefault("first", run_jobs(enrolled, runners={"Scan": slow})))
    first.start()
    started.wait(10)
    results["second"] = run_jobs(enrolled, runners={"Scan": pytest.fail})
    release.set()
    first.join(10)
    assert (results["second"]["busy"], results["second"]["jobs"]) == (True, [])
    assert [entry["job_id"] for entry in results["first"]["jobs"]] == [1]
    assert len(fake_server.calls("POST", "/api/jobs")) == 1
    with enrolled.storage().lock(RUNJOBS_LOCK_FILE, timeout=0):
        pass
