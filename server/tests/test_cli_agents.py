"""``armadito-server agents ...``, ``alerts list``, ``states list``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from armadito_server.models import Agent, Alert, DesiredSetting, Job, Scheduler, State, StateModule

from factories import UUID_A, UUID_F, create_agent, create_job


def add_report(database, agent_id: int) -> None:
    """A state with one module, and one alert, as the agent API would have stored them."""
    when = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc)
    with database.transaction() as session:
        antivirus_id = session.get(Agent, agent_id).antivirus_id
        session.add(State(agent_id=agent_id, antivirus_id=antivirus_id, update_status="up-to-date", service_status="running"))
        session.add(StateModule(agent_id=agent_id, name="clamav", version="1.0", update_status="up-to-date",
                                bases=[{"name": "daily.cvd", "version": "27000"}]))
        session.add(Alert(agent_id=agent_id, antivirus_id=antivirus_id, threat_name="Eicar-Test-Signature",
                          filepath="/tmp/eicar.com", module_name="clamav", action="none", info="", detection_time=when,
                          checksum=f"{agent_id:064d}"))


def test_list_and_show(cli, database):
    agent_id, _ = create_agent(database, uuid=UUID_F)
    create_job(database, agent_id)
    add_report(database, agent_id)
    cli.run("avconfig", "set", "--all", "on-access=enabled")
    [listed] = cli.json("agents", "list")
    assert (listed["uuid"], listed["antivirus"]["name"], listed["scheduler_id"]) == (UUID_F, "Armadito", 1)
    shown = cli.json("agents", "show", UUID_F)
    assert shown["id"] == agent_id
    assert shown["state"]["modules"][0]["bases"] == [{"name": "daily.cvd", "version": "27000"}]
    assert [alert["threat_name"] for alert in shown["alerts"]] == ["Eicar-Test-Signature"]
    assert len(shown["jobs"]) == 1
    assert shown["avconfig"]["desired"] == [{"attr": "on-access", "value": "enabled"}]
    assert shown["avconfig"]["reported"] is None
    human = cli.run("agents", "show", str(agent_id)).stdout
    assert "daily.cvd 27000" in human and "Eicar-Test-Signature" in human

    assert cli.json("states", "list")[0]["update_status"] == "up-to-date"
    assert cli.json("alerts", "list", "--agent", UUID_F)[0]["filepath"] == "/tmp/eicar.com"
    assert cli.json("alerts", "list", "--limit", "1")[0]["agent_id"] == agent_id


def test_delete_frees_the_scheduler_slot(cli, database):
    gone, _ = create_agent(database, uuid=UUID_F)
    kept, _ = create_agent(database, uuid=UUID_A)
    create_job(database, gone)
    add_report(database, gone)
    cli.run("avconfig", "set", "--agent", str(gone), "a=1")
    deleted = cli.json("agents", "delete", UUID_F)
    assert (deleted["id"], deleted["scheduler_id"]) == (gone, 1)
    with database.transaction() as session:
        slots = dict(session.execute(select(Scheduler.id, Scheduler.agent_id)).all())
        assert slots == {1: None, 2: kept}
        assert session.scalars(select(Job)).all() == []
        assert session.scalars(select(Alert)).all() == []
        assert session.scalars(select(DesiredSetting)).all() == []
    assert [agent["id"] for agent in cli.json("agents", "list")] == [kept]
    result = cli.run("agents", "delete", UUID_F, check=False)
    assert result.returncode == 1 and f"no agent '{UUID_F}'" in result.stderr
