"""Who may call the agent API: bearer token, agent_id and uuid bound together (protocol 3.3, 18)."""

import pytest
from factories import UUID_B, UUID_F, bearer, create_agent, envelope
from sqlalchemy import select

from armadito_server.models import Agent

STATE = {"dbinfo": {"global_status": "up-to-date", "global_update_timestamp": 1479467793}}


def test_identity_check_answers_who_the_agent_is(server, database):
    agent_id, token = create_agent(database, UUID_F)
    response = server.get(f"/api/agents?agent_id={agent_id}&uuid={UUID_F}", headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "agent_id": agent_id,
        "scheduler_id": 1,
        "uuid": UUID_F,
        "antivirus": {"name": "Armadito", "version": "1.0", "os": "linux"},
    }


def test_identity_check_of_an_unknown_agent_says_enroll_again(server, database):
    _, token = create_agent(database, UUID_F)
    response = server.get(f"/api/agents?agent_id=99&uuid={UUID_F}", headers=bearer(token))
    assert (response.status_code, response.json()) == (
        404,
        {"error": "agent 99 is not enrolled on this server: enroll it again"},
    )


@pytest.mark.parametrize("headers", [{}, bearer("agt_wrong"), {"Authorization": "Basic dXNlcjpwYXNz"}])
def test_identity_check_without_the_right_token_is_401(server, database, headers):
    agent_id, _ = create_agent(database, UUID_F)
    response = server.get(f"/api/agents?agent_id={agent_id}&uuid={UUID_F}", headers=headers)
    assert response.status_code == 401
    assert "error" in response.json()


def test_identity_check_with_another_uuid_is_403(server, database):
    agent_id, token = create_agent(database, UUID_F)
    response = server.get(f"/api/agents?agent_id={agent_id}&uuid={UUID_B}", headers=bearer(token))
    assert response.status_code == 403


def test_a_token_does_not_authenticate_another_agent(server, database):
    _, token_f = create_agent(database, UUID_F)
    agent_b, _ = create_agent(database, UUID_B)
    response = server.post("/api/states", json=envelope(agent_b, UUID_B, "State", STATE), headers=bearer(token_f))
    assert response.status_code == 401


def test_strict_mode_refuses_token_less_agents(server, database):
    agent_id, _ = create_agent(database, UUID_F)
    response = server.post("/api/states", json=envelope(agent_id, UUID_F, "State", STATE))
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]


def test_legacy_mode_accepts_token_less_agents_whose_uuid_matches(legacy_server, database):
    agent_id, _ = create_agent(database, UUID_F)
    create_agent(database, UUID_B)
    assert legacy_server.post("/api/states", json=envelope(agent_id, UUID_F, "State", STATE)).status_code == 200
    # the legacy server never compared the two (protocol 3.3): here another enrolled uuid is refused
    response = legacy_server.post("/api/states", json=envelope(agent_id, UUID_B, "State", STATE))
    assert response.status_code == 403
    response = legacy_server.post("/api/states", json=envelope(agent_id, None, "State", STATE))
    assert (response.status_code, response.json()) == (400, {"error": "Invalid UUID : null"})


def test_legacy_mode_still_checks_a_token_that_is_sent(legacy_server, database):
    agent_id, _ = create_agent(database, UUID_F)
    response = legacy_server.post(
        "/api/states", json=envelope(agent_id, UUID_F, "State", STATE), headers=bearer("agt_x")
    )
    assert response.status_code == 401


def test_unknown_agent_id_is_404(legacy_server, database):
    create_agent(database, UUID_F)
    response = legacy_server.post("/api/alerts", json=envelope(0, UUID_F, "Alerts", {"alerts": []}))
    assert response.status_code == 404


def test_authenticated_calls_update_last_contact(server, database):
    agent_id, token = create_agent(database, UUID_F)
    with database.transaction() as session:
        before = session.scalar(select(Agent.last_contact).where(Agent.id == agent_id))
    assert server.get(f"/api/jobs?agent_id={agent_id}", headers=bearer(token)).status_code == 200
    with database.transaction() as session:
        assert session.scalar(select(Agent.last_contact).where(Agent.id == agent_id)) > before
