"""armadito_alerts against a real clamd log and a real armadito-server, outages and log rotation included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from clamav_lab import EICAR
from conftest import ArmaditoServer, Host


@pytest.fixture
def own_server(tmp_path):
    """A server of this test only: stopping it does not disturb the others."""
    instance = ArmaditoServer(str(tmp_path / "own-server"))
    os.makedirs(os.path.dirname(instance.database))
    instance.start()
    yield instance
    if instance.process.poll() is None:
        instance.stop()


@pytest.fixture
def agent(tmp_path, own_server, clamd_lab):
    """An enrolled host whose clamonacc log is a file the test writes."""
    host = Host(str(tmp_path), own_server, clamd_lab)
    host.onaccess_log = str(tmp_path / "clamonacc.log")
    open(host.onaccess_log, "w").close()
    key, _key_id = own_server.new_key()
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is True
    return host


def args(host, **extra):
    options = {"clamd_config": host.lab.config, "clamonacc_log": host.onaccess_log}
    return host.args(antivirus_options=options, **extra)


def stored(host):
    return sorted((alert["filepath"], alert["threat_name"] if "threat_name" in alert else alert["name"])
                  for alert in host.server.admin("alerts", "list", "--agent", host.uuid, "--limit", "1000"))


def detect_with_clamdscan(host, directory):
    """An on-demand scan by someone else: clamd logs the detection with its time."""
    path = os.path.join(directory, "eicar.com")
    with open(path, "wb") as handle:
        handle.write(EICAR)
    clamdscan = shutil.which("clamdscan")
    completed = subprocess.run([clamdscan, "--config-file=%s" % host.lab.config, "--no-summary", path],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    return path


def write_onaccess(host, *names, path=None):
    with open(path or host.onaccess_log, "a") as handle:
        for name in names:
            handle.write("/srv/oa/%s: Local.Eicar.HDB.UNOFFICIAL FOUND\n" % name)


def test_a_log_detection_is_stored_once_even_when_read_again(agent, tmp_path):
    host = agent
    path = detect_with_clamdscan(host, str(tmp_path))
    predicted = host.module("armadito_alerts", args(host), check=True)
    assert (predicted["changed"], [alert["filepath"] for alert in predicted["alerts"]]) == (True, [path])
    assert stored(host) == []

    first = host.module("armadito_alerts", args(host))
    assert (first["failed"], first["changed"]) == (False, True)
    assert [(alert["filepath"], alert["info"]) for alert in first["alerts"]] == [(path, "clamd")]
    assert host.module("armadito_alerts", args(host))["changed"] is False
    assert host.module("armadito_alerts", args(host), check=True)["changed"] is False

    # Forget the bookmarks: the same lines are read and sent again, the server keeps one copy.
    spool = os.path.join(host.state_dir, "alerts.json")
    with open(spool) as handle:
        document = json.load(handle)
    document["bookmarks"] = {}
    with open(spool, "w") as handle:
        json.dump(document, handle)
    again = host.module("armadito_alerts", args(host))
    assert [alert["filepath"] for alert in again["alerts"]] == [path]
    assert stored(host) == [(path, "Local.Eicar.HDB.UNOFFICIAL")]


def test_a_detection_logged_while_the_server_is_down_arrives_once_after(agent, tmp_path):
    host = agent
    host.server.stop()
    path = detect_with_clamdscan(host, str(tmp_path))
    down = host.module("armadito_alerts", args(host))
    assert down["failed"] is True
    assert "cannot connect to" in down["msg"]
    assert "1 detection(s) stay in" in down["msg"]

    host.server.start()
    back = host.module("armadito_alerts", args(host))
    assert (back["failed"], back["changed"], [alert["filepath"] for alert in back["alerts"]]) == (False, True, [path])
    assert host.module("armadito_alerts", args(host))["changed"] is False
    assert stored(host) == [(path, "Local.Eicar.HDB.UNOFFICIAL")]


@pytest.mark.parametrize("rotation", ["rename", "copytruncate"])
def test_rotation_in_the_middle_of_a_batch_loses_and_repeats_nothing(agent, rotation):
    host = agent
    write_onaccess(host, "a1", "a2", "a3", "a4", "a5")
    # Down after reading the first batch of 2: the bookmark stops in the middle of the file.
    host.server.stop()
    assert host.module("armadito_alerts", args(host, batch_size=2))["failed"] is True

    rotated = host.onaccess_log + ".1"
    if rotation == "rename":
        os.rename(host.onaccess_log, rotated)
    else:
        shutil.copy(host.onaccess_log, rotated)
        open(host.onaccess_log, "w").close()
    write_onaccess(host, "b1", "b2")
    host.server.start()

    sent = host.module("armadito_alerts", args(host, batch_size=2))
    assert sent["failed"] is False, sent.get("msg")
    expected = ["/srv/oa/%s" % name for name in ("a1", "a2", "a3", "a4", "a5", "b1", "b2")]
    assert [alert["filepath"] for alert in sent["alerts"]] == expected
    assert {alert["info"] for alert in sent["alerts"]} == {"real-time"}
    write_onaccess(host, "b3")
    assert [alert["filepath"] for alert in host.module("armadito_alerts", args(host))["alerts"]] == ["/srv/oa/b3"]
    assert [path for path, _name in stored(host)] == sorted(expected + ["/srv/oa/b3"])


def test_agent_cli_alerts(agent, tmp_path):
    host = agent
    detect_with_clamdscan(host, str(tmp_path))
    assert host.agent_cli("-t", "Alerts").stdout == "Send Alerts successful: 1 alert(s) sent\n"
    assert host.agent_cli("-t", "Alerts").stdout == "No new alerts\n"
