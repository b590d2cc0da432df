from __future__ import annotations

import os

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError, ServerError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll

KEY = "AAAAF-111AF-DZ78F-EE78F-DDD1F"
UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"
ENROLLED = {"agent_id": 7, "scheduler_id": 2, "agent_token": "agt_first"}


def enrolled(settings, fake_server):
    fake_server.on("POST", "/api/agents", (200, ENROLLED))
    return enroll(settings, KEY)


def test_first_enrollment_posts_the_envelope_and_stores_the_record(settings, fake_server, fake_engine):
    result = enrolled(settings, fake_server)
    assert result == {"changed": True, "server_url": fake_server.url, "agent_id": 7, "scheduler_id": 2,
                      "uuid": UUID, "uuid_source": "parameter",
                      "antivirus": {"name": "FakeAV", "version": "9.9", "program_path": ""}}
    body = fake_server.calls("POST", "/api/agents")[0]["body"]
    assert body["task"]["obj"] == {"key": KEY}
    assert body["task"]["name"] == "Enrollment"
    assert body["agent_id"] == 0
    assert body["uuid"] == UUID
    record = settings.storage().read("agent.json")
    assert record["token"] == "agt_first"
    assert record["agent_id"] == 7


def test_second_run_asks_the_server_and_spends_no_key(settings, fake_server, fake_engine):
    enrolled(settings, fake_server)
    fake_server.on("GET", "/api/agents", (200, {"agent_id": 7, "scheduler_id": 2, "uuid": UUID}))
    result = enroll(settings, KEY)
    assert result["changed"] is False
    assert result["agent_id"] == 7
    assert len(fake_server.calls("POST", "/api/agents")) == 1
    check = fake_server.calls("GET", "/api/agents")[0]
    assert check["raw_path"] == "/api/agents?agent_id=7&uuid=%s" % UUID
    assert check["headers"]["Authorization"] == "Bearer agt_first"


@pytest.mark.parametrize("status", [404, 401])
def test_enrolls_again_when_the_server_forgot_the_agent(settings, fake_server, fake_engine, status):
    enrolled(settings, fake_server)
    fake_server.on("GET", "/api/agents", (status, {"error": "gone"}))
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 8, "scheduler_id": 2, "agent_token": "agt_second"}))
    result = enroll(settings, KEY)
    assert result["changed"] is True
    assert result["agent_id"] == 8
    assert fake_server.calls("POST", "/api/agents")[-1]["body"]["agent_id"] == 7
    assert settings.storage().read("agent.json")["token"] == "agt_second"


def test_other_check_failures_are_reported_not_hidden(settings, fake_server, fake_engine):
    enrolled(settings, fake_server)
    fake_server.on("GET", "/api/agents", (500, {"error": "database down"}))
    with pytest.raises(ServerError, match="database down"):
        enroll(settings, KEY)


def test_force_enrolls_again(settings, fake_server, fake_engine):
    enrolled(settings, fake_server)
    result = enroll(settings, KEY, force=True)
    assert result["changed"] is True
    assert len(fake_server.calls("POST", "/api/agents")) == 2
    assert fake_server.calls("GET", "/api/agents") == []


def test_another_server_or_uuid_means_a_new_enrollment(settings, fake_server, fake_engine):
    enrolled(settings, fake_server)
    settings.uuid = "4C4C4544-0033-4A10-8051-AAAAAAAAAAAA"
    enroll(settings, KEY)
    assert fake_server.calls("POST", "/api/agents")[-1]["body"]["agent_id"] == 0
    assert fake_server.calls("GET", "/api/agents") == []


def test_check_mode_writes_nothing(settings, fake_server, fake_engine):
    result = enroll(settings, KEY, check_mode=True)
    assert result["changed"] is True
    assert result["agent_id"] is None
    assert fake_server.requests == []
    assert not os.path.exists(settings.storage().path)


def test_check_mode_on_an_enrolled_host_only_reads(settings, fake_server, fake_engine):
    enrolled(settings, fake_server)
    fake_server.on("GET", "/api/agents", (404, {"error": "gone"}))
    before = open(settings.storage().file("agent.json")).read()
    result = enroll(settings, KEY, check_mode=True)
    assert result["changed"] is True
    assert result["agent_id"] == 7
    assert len(fake_server.calls("POST", "/api/agents")) == 1
    assert open(settings.storage().file("agent.json")).read() == before


@pytest.mark.parametrize("message, problem", [
    ("Your enrollment key has expired.", "expired"),
    ("Your enrollment key reached its maximum usage count.", "exhausted"),
    ("Your enrollment key has been revoked.", "revoked"),
    ("Enrollment key not found in database", "unknown"),
    ('Invalid Key format : "AAAAF-111AF-DZ78F-EE78F-DDD1F"', "malformed"),
])
def test_refused_keys_say_why_and_write_nothing(settings, fake_server, fake_engine, message, problem):
    fake_server.on("POST", "/api/agents", (400, {"error": message}))
    with pytest.raises(ArmaditoError) as error:
        enroll(settings, KEY)
    assert str(error.value).startswith("enrollment key %s (server said: %s)" % (problem, message))
    assert error.value.details["key_problem"] == problem
    assert error.value.details["status"] == 400
    assert settings.storage().read("agent.json") is None


def test_legacy_plugin_answer_without_token(settings, fake_server, fake_engine):
    # The GLPI plugin answers 500 with invalid JSON for refused keys and no token on success.
    fake_server.on("POST", "/api/agents", (200, '{"agent_id": 2,"scheduler_id": 2}'))
    assert enroll(settings, KEY)["agent_id"] == 2
    assert settings.storage().read("agent.json")["token"] is None
    # Without a token there is nothing to ask: the local record is trusted.
    assert enroll(settings, KEY)["changed"] is False
    assert fake_server.calls("GET", "/api/agents") == []


def test_answer_without_agent_id_is_an_error(settings, fake_server, fake_engine):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 0}))
    with pytest.raises(ArmaditoError, match="returned no agent_id"):
        enroll(settings, KEY)
    assert settings.storage().read("agent.json") is None


def test_server_url_is_required(settings, fake_engine):
    settings.server_url = None
    with pytest.raises(ArmaditoError, match="ARMADITO_SERVER_URL"):
        enroll(settings, KEY)
