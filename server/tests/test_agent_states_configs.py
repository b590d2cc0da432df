"""POST /api/states, /api/avconfigs, /api/schedulers (protocol 4.6-4.8) and the GET extensions."""

from factories import UUID_F, bearer, create_agent, envelope
from sqlalchemy import select

from armadito_server import wire
from armadito_server.models import ConfigReport, Scheduler, State, StateChange, StateModule
from armadito_server.services import desired
from armadito_server.services.differences import effective_config

CLAMAV_BASE = {
    "version": "22558",
    "signature_count": 890643,
    "name": "daily.cld",
    "full_path": "/x/daily.cld",
    "base_update_ts": 1479467793,
}
LEGACY_STATE = {
    "dbinfo": {
        "event_type": "StatusEvent",
        "global_update_timestamp": 1479467793,
        "global_status": "up-to-date",
        "modules": [
            {"name": "clamav", "mod_update_timestamp": 1479467793, "mod_status": "up-to-date", "bases": [CLAMAV_BASE]},
            {"mod_status": "up-to-date", "mod_update_timestamp": 1409556600, "name": "moduleH1"},
        ],
    },
    "avdetails": [
        {"attr": "onaccess:enabled", "value": 0},
        {"attr": "onaccess:scan_archive", "value": 1},
        {"attr": "modules:moduleX:param1", "value": "C"},
    ],
}
LEGACY_AVCONFIG = [
    {"attr": "on-access", "value": "enabled"},
    {"attr": "scan:archive", "value": "1"},
    {"attr": "module:clamav", "value": "enabled"},
]
CRON_REPORT = {
    "name": "Cron",
    "confdetails": [
        {"attr": "scheduler:user", "value": "root"},
        {"attr": "scheduler:logfile", "value": "/var/log/armadito-agent.log"},
        {"attr": "scheduler:task:Getjobs:freq", "value": "*/10 * * * *"},
        {"attr": "scheduler:task:Getjobs:args", "value": "-wr 60"},
        {"attr": "scheduler:task:Runjobs:freq", "value": "*/30 * * * *"},
        {"attr": "scheduler:task:Runjobs:args", "value": ""},
    ],
}


def modules_of(session, agent_id):
    rows = session.scalars(select(StateModule).where(StateModule.agent_id == agent_id).order_by(StateModule.name))
    return {row.name: (row.update_status, row.bases) for row in rows}


def test_legacy_state_is_stored(legacy_server, database):
    agent_id, _ = create_agent(database)
    response = legacy_server.post("/api/states", json=envelope(agent_id, UUID_F, "State", LEGACY_STATE))
    assert (response.status_code, response.json()) == (200, {})
    with database.transaction() as session:
        state = session.scalar(select(State).where(State.agent_id == agent_id))
        assert (state.update_status, state.service_status) == ("up-to-date", "non-available")
        assert wire.utc(state.last_update).timestamp() == 1479467793
        assert state.extra == {"event_type": "StatusEvent"}
        assert modules_of(session, agent_id) == {
            "clamav": ("up-to-date", [CLAMAV_BASE]),
            "moduleH1": ("up-to-date", []),
        }
        assert effective_config(session, "avdetails", agent_id) == {
            "modules:moduleX:param1": "C",
            "onaccess:enabled": "0",
            "onaccess:scan_archive": "1",
        }


def test_modules_are_updated_and_history_grows_only_on_change(server, database):
    agent_id, token = create_agent(database)

    def post(global_status, module_status, modules=("clamav",)):
        dbinfo = {
            "global_status": global_status,
            "global_update_timestamp": "1479467793",
            "modules": [{"name": name, "mod_status": module_status} for name in modules],
        }
        body = envelope(agent_id, UUID_F, "State", {"dbinfo": dbinfo, "avdetails": []})
        assert server.post("/api/states", json=body, headers=bearer(token)).status_code == 200

    post("A6O_UPDATE_OK", "A6O_UPDATE_OK")
    post("A6O_UPDATE_OK", "A6O_UPDATE_LATE")
    post("A6O_UPDATE_CRITICAL", "A6O_UPDATE_CRITICAL", modules=("clamav", "yara"))
    post("A6O_UPDATE_CRITICAL", "A6O_UPDATE_NON_AVAILABLE", modules=("yara",))
    with database.transaction() as session:
        assert modules_of(session, agent_id) == {"yara": ("non-available", [])}
        history = session.scalars(
            select(StateChange.update_status).where(StateChange.agent_id == agent_id).order_by(StateChange.id)
        )
        assert list(history) == ["up-to-date", "critical"]
        assert session.scalar(select(State.update_status).where(State.agent_id == agent_id)) == "critical"


def test_legacy_avconfig_is_stored_with_its_realtime_status(legacy_server, database):
    agent_id, _ = create_agent(database)
    response = legacy_server.post("/api/avconfigs", json=envelope(agent_id, UUID_F, "AVConfig", LEGACY_AVCONFIG))
    assert (response.status_code, response.json()) == (200, {})
    with database.transaction() as session:
        assert effective_config(session, "avconfig", agent_id) == {
            "module:clamav": "enabled",
            "on-access": "enabled",
            "scan:archive": "1",
        }
        report = session.scalar(select(ConfigReport).where(ConfigReport.kind == "avconfig"))
        assert report.realtime_status == "enabled"


def test_legacy_scheduler_report_names_the_slot_and_stores_confdetails(legacy_server, database):
    agent_id, _ = create_agent(database)
    response = legacy_server.post("/api/schedulers", json=envelope(agent_id, UUID_F, "Scheduler", CRON_REPORT))
    assert (response.status_code, response.json()) == (200, {})
    with database.transaction() as session:
        slot = session.scalar(select(Scheduler).where(Scheduler.agent_id == agent_id))
        assert (slot.id, slot.name, slot.reported_at is not None) == (1, "Cron", True)
        reported = effective_config(session, "scheduler", agent_id)
        assert reported == {entry["attr"]: entry["value"] for entry in CRON_REPORT["confdetails"]}


def test_get_avconfigs_returns_the_desired_configuration(server, database):
    agent_id, token = create_agent(database)
    with database.transaction() as session:
        desired.replace(session, "avconfig", "all", {"clamd:MaxThreads": "2", "clamd:Foo": "x"})
        desired.replace(session, "avconfig", "antivirus:Armadito", {"clamd:MaxThreads": "4"})
        desired.replace(session, "avconfig", f"agent:{agent_id}", {"clamd:Foo": None})
        desired.replace(session, "avconfig", "antivirus:ClamAV", {"clamd:Other": "1"})
    response = server.get(f"/api/avconfigs?agent_id={agent_id}", headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "agent_id": agent_id,
        "antivirus": "Armadito",
        "avconfig": [{"attr": "clamd:Foo", "value": None}, {"attr": "clamd:MaxThreads", "value": "4"}],
    }


def test_get_schedulers_returns_the_desired_schedule(server, database):
    agent_id, token = create_agent(database)
    with database.transaction() as session:
        desired.replace(session, "schedule", "all", {"scheduler:task:State:freq": "0 * * * *"})
    response = server.get(f"/api/schedulers/?agent_id={agent_id}&uuid={UUID_F}", headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "agent_id": agent_id,
        "scheduler_id": 1,
        "confdetails": [{"attr": "scheduler:task:State:freq", "value": "0 * * * *"}],
    }


def test_get_desired_needs_the_agents_token(server, database):
    agent_id, _ = create_agent(database)
    assert server.get(f"/api/avconfigs?agent_id={agent_id}").status_code == 401
    assert server.get(f"/api/schedulers?agent_id={agent_id}", headers=bearer("agt_nope")).status_code == 401


def test_an_unchanged_report_only_refreshes_its_time(server, database):
    agent_id, token = create_agent(database)
    body = envelope(agent_id, UUID_F, "State", LEGACY_STATE)

    def stored():
        with database.transaction() as session:
            state = session.scalar(select(State).where(State.agent_id == agent_id))
            return state.reported_at, state.report_digest, modules_of(session, agent_id)

    assert server.post("/api/states", json=body, headers=bearer(token)).status_code == 200
    first_time, first_digest, modules = stored()
    assert server.post("/api/states", json=body, headers=bearer(token)).status_code == 200
    second_time, second_digest, modules_again = stored()
    assert second_time > first_time
    assert (second_digest, modules_again) == (first_digest, modules)
    with database.transaction() as session:
        assert len(list(session.scalars(select(StateChange).where(StateChange.agent_id == agent_id)))) == 1
