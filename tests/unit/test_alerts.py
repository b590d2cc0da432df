from __future__ import annotations

import json

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import registry
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.base import LogSource
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamav_logs import parse_detection
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.alerts import send_alerts, spool_scan
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll

from .conftest import FakeEngine

NOW = 1795868160
LINE = "Sat Nov 28 04:17:%02d 2026 -> /srv/%s: Eicar-Signature FOUND\n"


class LoggingEngine(FakeEngine):
    log = None

    def detection_logs(self):
        return [LogSource(LoggingEngine.log, "clamd", parse_detection)]


@pytest.fixture
def enrolled(settings, fake_server, monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "BACKENDS", (LoggingEngine,))
    LoggingEngine.log = str(tmp_path / "clamd.log")
    open(LoggingEngine.log, "w").close()
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 7, "scheduler_id": 2, "agent_token": "agt_x"}))
    fake_server.on("POST", "/api/alerts", (200, {}))
    enroll(settings, "AAAAF-111AF-DZ78F-EE78F-DDD1F")
    return settings


def log(*names):
    with open(LoggingEngine.log, "a") as handle:
        handle.write("Sat Nov 28 04:17:00 2026 -> Loaded 3 signatures.\n")
        for second, name in enumerate(names):
            handle.write(LINE % (second, name))


def posted(fake_server):
    return [call["body"]["task"]["obj"] for call in fake_server.calls("POST", "/api/alerts")]


def test_new_detections_are_sent_once(enrolled, fake_server):
    log("a", "b")
    first = send_alerts(enrolled, now=NOW)
    assert (first["changed"], [alert["filepath"] for alert in first["alerts"]]) == (True, ["/srv/a", "/srv/b"])
    assert first["alerts"][0] == {"name": "Eicar-Signature", "filepath": "/srv/a", "action": "none",
                                  "module_name": "fakeav", "info": "clamd",
                                  "detection_time": first["alerts"][0]["detection_time"]}
    body = fake_server.calls("POST", "/api/alerts")[0]["body"]
    assert (body["task"]["name"], body["agent_id"], "job_id" in body["task"]["obj"]) == ("Alerts", 7, False)
    assert send_alerts(enrolled, now=NOW)["changed"] is False
    assert len(posted(fake_server)) == 1


def test_check_mode_moves_nothing(enrolled, fake_server, settings):
    log("a")
    predicted = send_alerts(enrolled, check_mode=True)
    assert (predicted["changed"], len(predicted["alerts"])) == (True, 1)
    assert posted(fake_server) == []
    assert send_alerts(enrolled)["changed"] is True


def test_batches(enrolled, fake_server):
    log("a", "b", "c", "d", "e")
    assert len(send_alerts(enrolled, batch_size=2)["alerts"]) == 5
    # At most 2 log lines per round and 2 alerts per request (the first round also read a noise line).
    sizes = [len(obj["alerts"]) for obj in posted(fake_server)]
    assert (sum(sizes), max(sizes), len(sizes)) == (5, 2, 3)


def test_an_outage_keeps_the_detections_for_the_next_run(enrolled, fake_server):
    log("a")
    fake_server.on("POST", "/api/alerts", (503, {"error": "busy"}), (200, {}))
    with pytest.raises(ArmaditoError, match="1 detection\\(s\\) stay in .*alerts.json"):
        send_alerts(enrolled)
    log("b")
    assert [alert["filepath"] for alert in send_alerts(enrolled)["alerts"]] == ["/srv/a", "/srv/b"]
    assert send_alerts(enrolled)["changed"] is False


def test_a_batch_refused_for_good_is_rejected(enrolled, fake_server):
    log("a")
    fake_server.on("POST", "/api/alerts", (400, {"error": "alerts[0].detection_time: bad"}))
    result = send_alerts(enrolled)
    assert (result["changed"], result["rejected"][0]["reason"]) == (False, "alerts[0].detection_time: bad")
    fake_server.on("POST", "/api/alerts", (200, {}))
    assert send_alerts(enrolled)["changed"] is False


def test_own_scan_detections_go_once_with_their_job(enrolled, fake_server):
    storage = enrolled.storage()
    log("a", "b")
    with open(LoggingEngine.log) as handle:
        when = parse_detection(handle.read().splitlines()[1])[2]
    spool_scan(storage, [{"name": "Eicar-Signature", "filepath": "/srv/a", "detection_time": when, "action": "none",
                          "module_name": "fakeav", "info": "on-demand"}], 12, when - 1, when + 1)
    result = send_alerts(enrolled)
    assert [(obj.get("job_id"), [alert["filepath"] for alert in obj["alerts"]]) for obj in posted(fake_server)] == [
        (12, ["/srv/a"]), (None, ["/srv/b"])]
    assert len(result["alerts"]) == 2
    with open(storage.file("alerts.json")) as handle:
        assert json.load(handle)["pending"] == []
