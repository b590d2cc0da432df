from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError, ServerError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.state import report_state

NOW = 1795868160


@pytest.fixture
def enrolled(settings, fake_server, fake_engine):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 7, "scheduler_id": 2, "agent_token": "agt_x"}))
    fake_server.on("POST", "/api/states", (200, {}))
    enroll(settings, "AAAAF-111AF-DZ78F-EE78F-DDD1F")
    return settings


def posts(fake_server):
    return fake_server.calls("POST", "/api/states")


def test_first_report_then_unchanged(enrolled, fake_server, fake_engine):
    first = report_state(enrolled, now=NOW)
    assert (first["changed"], first["reason"], first["reported_at"]) == (True, "first report", NOW)
    sent = posts(fake_server)[0]
    assert sent["body"]["task"]["name"] == "State"
    assert sent["body"]["task"]["obj"] == fake_engine.current
    assert sent["body"]["agent_id"] == 7
    assert sent["headers"]["Authorization"] == "Bearer agt_x"

    second = report_state(enrolled, now=NOW + 60)
    assert (second["changed"], second["reason"], second["reported_at"]) == (False, None, NOW)
    assert len(posts(fake_server)) == 1


def test_a_changed_state_is_sent_again(enrolled, fake_server, fake_engine):
    report_state(enrolled, now=NOW)
    fake_engine.current["dbinfo"]["global_status"] = "late"
    result = report_state(enrolled, now=NOW + 60)
    assert (result["changed"], result["reason"]) == (True, "state changed")
    assert posts(fake_server)[-1]["body"]["task"]["obj"]["dbinfo"]["global_status"] == "late"


def test_max_age_forces_a_report(enrolled, fake_server, fake_engine):
    report_state(enrolled, now=NOW, max_age=3600)
    assert report_state(enrolled, now=NOW + 3599, max_age=3600)["changed"] is False
    result = report_state(enrolled, now=NOW + 3600, max_age=3600)
    assert (result["changed"], result["reason"]) == (True, "last report older than max_age")
    assert report_state(enrolled, now=NOW + 10 ** 6, max_age=0)["changed"] is False


def test_check_mode_sends_and_writes_nothing(enrolled, fake_server, fake_engine):
    result = report_state(enrolled, now=NOW, check_mode=True)
    assert (result["changed"], result["reason"]) == (True, "first report")
    assert result["state"] == fake_engine.current
    assert posts(fake_server) == []
    assert enrolled.storage().read("state-report.json") is None


def test_a_failed_report_is_not_remembered(enrolled, fake_server, fake_engine):
    fake_server.on("POST", "/api/states", (500, {"error": "boom"}), (200, {}))
    with pytest.raises(ServerError, match="boom"):
        report_state(enrolled, now=NOW)
    assert enrolled.storage().read("state-report.json") is None
    assert report_state(enrolled, now=NOW)["reason"] == "first report"


def test_a_new_enrollment_sends_the_state_again(enrolled, fake_server, fake_engine):
    report_state(enrolled, now=NOW)
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 9, "scheduler_id": 2, "agent_token": "agt_y"}))
    enroll(enrolled, "AAAAF-111AF-DZ78F-EE78F-DDD1F", force=True)
    result = report_state(enrolled, now=NOW + 1)
    assert (result["changed"], result["agent_id"]) == (True, 9)


def test_not_enrolled(settings, fake_engine):
    with pytest.raises(ArmaditoError, match="not enrolled"):
        report_state(settings)


def test_another_server_than_the_enrolled_one(enrolled):
    enrolled.server_url = "http://other.example.com"
    with pytest.raises(ArmaditoError, match="enrolled with http://127.0.0.1"):
        report_state(enrolled)
