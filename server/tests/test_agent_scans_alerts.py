"""POST /api/scans (protocol 4.4) and POST /api/alerts (protocol 4.5, 10)."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from factories import UUID_B, UUID_F, bearer, create_agent, create_job, envelope
from sqlalchemy import func, select

from armadito_server import wire
from armadito_server.models import Agent, Alert, Scan
from armadito_server.services.detections import checksum

LEGACY_SCAN = {
    "suspicious_count": 0,
    "event_type": "OnDemandCompletedEvent",
    "progress": 100,
    "malware_count": 177,
    "start_time": "1970-01-01T00:00:00Z",
    "job_id": None,
    "duration": "P0Y0M0DT00H00M01S",
    "scanned_count": 752,
}


def scan_of(database, job_id: int) -> Scan | None:
    with database.transaction() as session:
        return session.scalar(select(Scan).where(Scan.job_id == job_id))


def test_legacy_scan_report_creates_the_scan_row(legacy_server, database):
    agent_id, _ = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    body = envelope(agent_id, UUID_F, "Scan", {**LEGACY_SCAN, "job_id": str(job_id)})
    response = legacy_server.post("/glpi/plugins/armadito/api/scans/", json=body)
    assert (response.status_code, response.json()) == (200, {})
    scan = scan_of(database, job_id)
    assert (scan.scanned_count, scan.malware_count, scan.suspicious_count, scan.progress) == (752, 177, 0, 100)
    assert scan.duration_seconds == 1
    assert wire.utc(scan.start_time) == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def test_eset_style_arrays_fractional_duration_cleaned_count_and_missing_values(server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    obj = {
        "job_id": job_id,
        "scanned_count": ["131"],
        "malware_count": ["2"],
        "cleaned_count": "1",
        "duration": "PT0H1.25M15S",
    }
    response = server.post("/api/scans", json=envelope(agent_id, UUID_F, "Scan", obj), headers=bearer(token))
    assert response.status_code == 200, response.text
    scan = scan_of(database, job_id)
    assert (scan.scanned_count, scan.malware_count, scan.cleaned_count, scan.duration_seconds) == (131, 2, 1, 90)
    assert (scan.suspicious_count, scan.progress, scan.start_time) == (None, None, None)


def test_a_second_report_overwrites_the_first(server, database):
    agent_id, token = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    for progress in (40, 100):
        obj = {"job_id": job_id, "progress": progress, "duration": "00:00:10"}
        assert (
            server.post("/api/scans", json=envelope(agent_id, UUID_F, "Scan", obj), headers=bearer(token)).status_code
            == 200
        )
    assert scan_of(database, job_id).progress == 100
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 1


def test_unknown_job_is_404_in_strict_mode_and_ignored_in_legacy_mode(server, legacy_server, database):
    agent_id, token = create_agent(database)
    body = envelope(agent_id, UUID_F, "Scan", {"job_id": 999, "duration": "PT0H0M16S"})
    assert server.post("/api/scans", json=body, headers=bearer(token)).status_code == 404
    assert legacy_server.post("/api/scans", json=body).status_code == 200


def test_scan_of_another_agents_job_is_refused(server, database):
    agent_id, token = create_agent(database, UUID_F)
    other_id, _ = create_agent(database, UUID_B)
    job_id = create_job(database, other_id)
    body = envelope(agent_id, UUID_F, "Scan", {"job_id": job_id, "progress": 100})
    assert server.post("/api/scans", json=body, headers=bearer(token)).status_code == 403
    assert scan_of(database, job_id) is None


ALERTS = [
    {
        "name": "Pdf.Dropper.Agent-1507034",
        "filepath": "/home/malware/X",
        "action": "cleaned",
        "detection_time": 1483605762,
        "module_name": "clamav",
        "info": "real-time",
        "job_id": 55,
    },
    {
        "name": "Win.Trojan.Elpapok-1",
        "filepath": "/home/malware/Y",
        "action": "cleaned",
        "detection_time": "1483605777",
    },
    {"name": "Eicar", "filepath": "/tmp/eicar", "detection_time": "2017-01-05T08:00:00Z"},
]


def alerts_of(database) -> list[Alert]:
    with database.transaction() as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def test_checksum_matches_the_reference_example_in_utc():
    when = dt.datetime.fromtimestamp(1483605762, dt.timezone.utc)
    expected = "b4052dad745ab0a2b23c5af479eedb2fd9e165a33e50fa2cccbf44992bc2b298"
    assert checksum("Pdf.Dropper.Agent-1507034", "/home/malware/X", when, 2, 1) == expected


def test_legacy_alerts_are_stored_once_with_the_outer_job_id(legacy_server, database):
    agent_id, _ = create_agent(database)
    job_id = create_job(database, agent_id, status="downloaded")
    body = envelope(agent_id, UUID_F, "Alerts", {"job_id": job_id, "alerts": ALERTS})
    for _ in range(2):
        response = legacy_server.post("/api/alerts", json=body)
        assert (response.status_code, response.json()) == (200, {})
    alerts = alerts_of(database)
    assert [alert.threat_name for alert in alerts] == ["Pdf.Dropper.Agent-1507034", "Win.Trojan.Elpapok-1", "Eicar"]
    assert {alert.job_id for alert in alerts} == {job_id}
    assert (alerts[2].action, alerts[2].module_name, alerts[2].info) == ("non-available",) * 3
    with database.transaction() as session:
        last_alert = session.scalar(select(Agent.last_alert).where(Agent.id == agent_id))
    assert wire.utc(last_alert).timestamp() == 1483605777  # the maximum, not the last


def test_concurrent_identical_batches_are_stored_once(server, database):
    agent_id, token = create_agent(database)
    body = envelope(agent_id, UUID_F, "Alerts", {"alerts": ALERTS})
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(
            pool.map(lambda _: server.post("/api/alerts", json=body, headers=bearer(token)).status_code, range(10))
        )
    assert statuses == [200] * 10
    assert len(alerts_of(database)) == 3


def test_alerts_for_another_agents_job_are_refused(server, database):
    agent_id, token = create_agent(database, UUID_F)
    other_id, _ = create_agent(database, UUID_B)
    job_id = create_job(database, other_id)
    body = envelope(agent_id, UUID_F, "Alerts", {"job_id": job_id, "alerts": ALERTS})
    assert server.post("/api/alerts", json=body, headers=bearer(token)).status_code == 403
    assert alerts_of(database) == []


def test_an_alert_without_detection_time_is_400_and_nothing_is_stored(server, database):
    agent_id, token = create_agent(database)
    body = envelope(agent_id, UUID_F, "Alerts", {"alerts": [ALERTS[0], {"name": "x"}]})
    response = server.post("/api/alerts", json=body, headers=bearer(token))
    assert (response.status_code, response.json()) == (400, {"error": "task.obj.alerts[1].detection_time is required"})
    assert alerts_of(database) == []
