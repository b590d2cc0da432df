from __future__ import annotations

import itertools

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import registry
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.base import Detection, ScanOutcome
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError, ServerError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.alerts import send_alerts
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scan import run_scan

from .conftest import FakeEngine


class ScanningEngine(FakeEngine):
    """Files named bad* are malware, odd* suspicious."""

    scans = []

    def scan(self, files, options, on_result=None, fallback=True):
        ScanningEngine.scans.append((files, options, fallback))
        detections = []
        for path in files:
            name = path.rsplit("/", 1)[-1]
            if name.startswith(("bad", "odd")):
                detections.append(Detection(path, "Heuristics.X" if name.startswith("odd") else "Eicar", 1795868160,
                                            name.startswith("odd")))
            if on_result:
                on_result()
        return ScanOutcome("fake", len(files), detections, [])


@pytest.fixture
def tree(tmp_path):
    for name in ("bad1", "clean1", "clean2", "odd1", "clean3", "clean4"):
        (tmp_path / "tree" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "tree" / name).write_text(name)
    return str(tmp_path / "tree")


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(registry, "BACKENDS", (ScanningEngine,))
    ScanningEngine.scans = []
    return ScanningEngine


@pytest.fixture
def enrolled(settings, fake_server, engine):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 7, "scheduler_id": 2, "agent_token": "agt_x"}))
    fake_server.on("POST", "/api/alerts", (200, {}))
    fake_server.on("POST", "/api/scans", (200, {}))
    enroll(settings, "AAAAF-111AF-DZ78F-EE78F-DDD1F")
    return settings


def test_not_enrolled_scans_and_sends_nothing(settings, fake_server, engine, tree):
    result = run_scan(settings, [tree])
    assert (result["changed"], result["reported"], result["engine"]) == (False, False, "fake")
    assert (result["scanned_count"], result["malware_count"], result["suspicious_count"]) == (6, 1, 1)
    assert fake_server.requests == []
    with pytest.raises(ArmaditoError, match="not enrolled"):
        run_scan(settings, [tree], report=True)


def test_a_job_scan_posts_progress_results_then_alerts(enrolled, fake_server, tree):
    ticks = itertools.count(0, 3)
    result = run_scan(enrolled, [tree], options="--exclude=clean4", job_id=42, clock=lambda: float(next(ticks)))
    assert (result["changed"], result["reported"], result["scanned_count"]) == (True, True, 5)
    paths = [call["path"] for call in fake_server.requests[1:]]
    assert paths[-2:] == ["/api/scans", "/api/alerts"]
    scans = [call["body"]["task"]["obj"] for call in fake_server.calls("POST", "/api/scans")]
    assert [obj["progress"] for obj in scans[:-1]] and all(obj["progress"] < 100 for obj in scans[:-1])
    assert scans[-1] == {"job_id": 42, "scanned_count": 5, "malware_count": 1, "suspicious_count": 1,
                         "progress": 100, "duration": "PT0H0M%dS" % result["duration"],
                         "start_time": result["start_time"], "end_time": result["end_time"]}
    alerts = fake_server.calls("POST", "/api/alerts")[0]["body"]["task"]["obj"]
    assert alerts["job_id"] == 42
    assert sorted(alert["name"] for alert in alerts["alerts"]) == ["Eicar", "Heuristics.X"]
    assert {alert["info"] for alert in alerts["alerts"]} == {"on-demand"}


def test_the_detections_survive_a_server_outage(enrolled, fake_server, tree):
    fake_server.on("POST", "/api/alerts", (503, "down"), (200, {}))
    with pytest.raises(ArmaditoError, match="2 detection\\(s\\) stay in") as failed:
        run_scan(enrolled, [tree])
    assert failed.value.details["delivered"] == []
    sent = send_alerts(enrolled)
    assert sorted(alert["filepath"].rsplit("/", 1)[-1] for alert in sent["alerts"]) == ["bad1", "odd1"]
    assert send_alerts(enrolled)["changed"] is False


def test_a_failed_results_post_raises_the_server_error_with_the_counts(enrolled, fake_server, tree):
    fake_server.on("POST", "/api/scans", (502, "bad gateway"))
    with pytest.raises(ServerError) as failed:
        run_scan(enrolled, [tree], job_id=42)
    assert failed.value.details["scan"]["malware_count"] == 1


def test_options_are_refused_before_anything_runs(enrolled, fake_server, engine, tree):
    with pytest.raises(ArmaditoError, match="scan option '--remove;' is not supported"):
        run_scan(enrolled, [tree], options="--remove; rm -rf /", job_id=3)
    assert engine.scans == []
    assert fake_server.calls("POST", "/api/scans") == []


def test_check_mode_predicts(enrolled, fake_server, tree):
    assert run_scan(enrolled, [tree], check_mode=True)["changed"] is True
    assert run_scan(enrolled, [tree + "/clean1"], check_mode=True)["changed"] is False
    assert fake_server.calls("POST", "/api/alerts") == []
