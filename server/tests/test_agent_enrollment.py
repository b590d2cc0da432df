"""POST /api/agents: enrollment and re-enrollment (protocol 4.1, 5, 6)."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from factories import ARMADITO, UUID_A, UUID_B, UUID_F, bearer, create_key, enroll, uses_left
from sqlalchemy import delete, select

from armadito_server.models import Agent, Antivirus, Scheduler

LEGACY_REQUEST = {
    "task": {
        "obj": {"key": None},
        "name": "Enrollment",
        "antivirus": {"name": "Armadito", "version": "0.10.2", "os_info": {"name": "linux", "libpath": "linux"}},
    },
    "agent_version": "2.3.18",
    "agent_id": 0,
    "uuid": UUID_B,
}


@pytest.mark.parametrize(
    "path",
    ["/api/agents", "/api/agents/", "/api/agents/index.php", "/glpi/plugins/armadito//api/agents/index.php"],
)
def test_legacy_request_enrolls_on_every_url_form(legacy_server, database, path):
    key = create_key(database)
    request = {**LEGACY_REQUEST, "task": {**LEGACY_REQUEST["task"], "obj": {"key": key}}}
    response = legacy_server.post(path, json=request, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["agent_id"], body["scheduler_id"]) == (1, 1)
    assert body["agent_token"].startswith("agt_")
    assert response.headers["X-ArmaditoPlugin-Version"] == "0.10.1"


def test_legacy_id_sequence(server, database):
    """Agent ids are never reused; a deleted agent's scheduler slot is (protocol 4.1 table)."""
    key = create_key(database)

    def ids(agent_id, uuid):
        body = enroll(server, key, uuid, agent_id).json()
        return body["agent_id"], body["scheduler_id"]

    assert ids(0, UUID_B) == (1, 1)
    assert ids(0, UUID_F) == (2, 2)
    assert ids(2, UUID_F) == (2, 2)
    assert ids(0, UUID_F) == (2, 2)
    with database.transaction() as session:
        session.execute(delete(Agent).where(Agent.id == 1))
    assert ids(0, UUID_B) == (3, 1)
    assert ids(0, UUID_A) == (4, 3)


def test_the_id_of_the_newest_agent_is_not_reused_after_its_deletion(server, database):
    key = create_key(database)
    first = enroll(server, key, UUID_B).json()["agent_id"]
    with database.transaction() as session:
        session.execute(delete(Agent).where(Agent.id == first))
    assert enroll(server, key, UUID_B).json()["agent_id"] == first + 1


def test_the_response_token_authenticates_the_agent(server, database):
    body = enroll(server, create_key(database), UUID_F).json()
    response = server.get(f"/api/agents?agent_id={body['agent_id']}&uuid={UUID_F}", headers=bearer(body["agent_token"]))
    assert response.status_code == 200
    assert response.json()["agent_id"] == body["agent_id"]


def test_reenrollment_keeps_ids_and_scheduler_data_replaces_the_token_and_uses_no_key(server, database):
    key = create_key(database, uses=2)
    first = enroll(server, key, UUID_F).json()
    with database.transaction() as session:
        session.scalar(select(Scheduler).where(Scheduler.agent_id == first["agent_id"])).name = "Cron"
    upgraded = {**ARMADITO, "version": "0.12.8"}
    second = enroll(server, key, UUID_F, first["agent_id"], antivirus=upgraded).json()

    assert (second["agent_id"], second["scheduler_id"]) == (first["agent_id"], first["scheduler_id"])
    assert second["agent_token"] != first["agent_token"]
    assert uses_left(database, key) == 1
    identity = f"/api/agents?agent_id={first['agent_id']}&uuid={UUID_F}"
    assert server.get(identity, headers=bearer(first["agent_token"])).status_code == 401
    response = server.get(identity, headers=bearer(second["agent_token"]))
    assert response.json()["antivirus"] == {"name": "Armadito", "version": "0.12.8", "os": "linux"}
    with database.transaction() as session:
        assert session.scalar(select(Scheduler.name).where(Scheduler.agent_id == first["agent_id"])) == "Cron"


def test_key_uses_are_consumed_by_new_uuids_only(server, database):
    key = create_key(database, uses=2)
    assert enroll(server, key, UUID_F).status_code == 200
    assert uses_left(database, key) == 1
    assert enroll(server, key, UUID_B).status_code == 200
    assert uses_left(database, key) == 0
    response = enroll(server, key, UUID_A)
    assert (response.status_code, response.json()) == (
        403,
        {"error": "Your enrollment key reached its maximum usage count."},
    )


def test_a_request_failing_validation_consumes_no_use(server, database):
    key = create_key(database, uses=1)
    response = enroll(server, key, "not-a-uuid")
    assert (response.status_code, response.json()) == (400, {"error": 'Invalid UUID : "not-a-uuid"'})
    assert uses_left(database, key) == 1


def test_lower_case_key_with_a_newline_is_accepted(server, database):
    key = create_key(database)
    assert enroll(server, key.lower() + "\n", UUID_F).status_code == 200


@pytest.mark.parametrize(
    "key_options, message",
    [
        ({"revoked": True}, "Your enrollment key has been revoked."),
        ({"expires_in": dt.timedelta(seconds=-1)}, "Your enrollment key has expired."),
        ({"uses": 0}, "Your enrollment key reached its maximum usage count."),
    ],
)
def test_refused_keys_give_the_legacy_messages(server, database, key_options, message):
    key = create_key(database, **key_options)
    response = enroll(server, key, UUID_F)
    assert (response.status_code, response.json()) == (403, {"error": message})


def test_unknown_and_malformed_keys(server):
    response = enroll(server, "AAAAF-111AF-DZ78F-EE78F-DDD1F", UUID_F)
    assert (response.status_code, response.json()) == (403, {"error": "Enrollment key not found in database"})
    response = enroll(server, "AAAA-BBBB", UUID_F)
    assert (response.status_code, response.json()) == (400, {"error": 'Invalid Key format : "AAAA-BBBB"'})


def test_antivirus_row_is_shared_by_name_version_and_os(server, database):
    key = create_key(database)
    enroll(server, key, UUID_F)
    enroll(server, key, UUID_B)
    enroll(server, key, UUID_A, antivirus={**ARMADITO, "os_info": {"name": "MSWin32"}})
    with database.transaction() as session:
        assert sorted(session.scalars(select(Antivirus.fullname))) == [
            "Armadito+0.10.2+MSWin32",
            "Armadito+0.10.2+linux",
        ]


def test_concurrent_enrollments_get_distinct_ids_and_dense_slots(server, database):
    count = 200
    key = create_key(database, uses=count)
    uuids = [f"4C4C4544-0000-0000-0000-{index:012d}" for index in range(count)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(lambda uuid: enroll(server, key, uuid), uuids))
    assert [response.status_code for response in responses] == [200] * count
    bodies = [response.json() for response in responses]
    assert len({body["agent_id"] for body in bodies}) == count
    assert sorted(body["scheduler_id"] for body in bodies) == list(range(1, count + 1))
    assert uses_left(database, key) == 0


def test_concurrent_enrollments_of_one_uuid_make_one_agent(server, database):
    key = create_key(database, uses=20)
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: enroll(server, key, UUID_F), range(20)))
    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["agent_id"] for response in responses}) == 1
    assert uses_left(database, key) == 19
