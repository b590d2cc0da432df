"""armadito_state and armadito_info against a real clamd and a real armadito-server, through ansible."""

from __future__ import annotations

import pytest


@pytest.fixture
def enrolled(host, server):
    key, _key_id = server.new_key()
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is True
    return host


def server_state(host):
    agent = host.server.agent(host.uuid)
    return host.server.admin("agents", "show", str(agent["id"]))["state"]


def test_reported_once_then_unchanged_then_changed_when_the_database_ages(enrolled):
    host = enrolled
    predicted = host.module("armadito_state", host.args(), check=True)
    assert (predicted["changed"], predicted["reason"]) == (True, "first report")
    assert server_state(host) is None
    assert host.stored("state-report.json") is None

    first = host.module("armadito_state", host.args())
    assert (first["failed"], first["changed"], first["reason"]) == (False, True, "first report")
    dbinfo = first["state"]["dbinfo"]
    assert (dbinfo["global_status"], dbinfo["service_status"]) == ("up-to-date", "running")
    assert dbinfo["modules"][0]["bases"][0]["version"] == "27000"
    assert dbinfo["modules"][0]["bases"][0]["signature_count"] == 1
    details = {item["attr"]: item["value"] for item in first["state"]["avdetails"]}
    assert details["clamd:loaded_database_version"] == "27000"
    stored = server_state(host)
    assert (stored["update_status"], stored["service_status"]) == ("up-to-date", "running")
    assert stored["modules"][0]["bases"][0]["version"] == "27000"

    assert host.module("armadito_state", host.args(), check=True)["changed"] is False
    assert host.module("armadito_state", host.args())["changed"] is False

    host.lab.install_daily(27001, age_days=4)
    aged = host.module("armadito_state", host.args())
    assert (aged["changed"], aged["reason"]) == (True, "state changed")
    assert aged["state"]["dbinfo"]["global_status"] == "late"
    assert server_state(host)["update_status"] == "late"
    assert host.module("armadito_state", host.args())["changed"] is False


@pytest.mark.parametrize("age_days, status", [(2, "up-to-date"), (4, "late"), (11, "critical")])
def test_info_rates_the_database_age(host, age_days, status):
    host.lab.install_daily(26000 + age_days, age_days=age_days)
    info = host.module("armadito_info", host.args(server_url=None))
    assert (info["failed"], info["changed"], info["enrolled"]) == (False, False, False)
    antivirus = info["antivirus"]
    assert (antivirus["installed"], antivirus["name"]) == (True, "ClamAV")
    assert antivirus["state"]["dbinfo"]["global_status"] == status
    assert antivirus["state"]["dbinfo"]["modules"][0]["mod_status"] == status


def test_thresholds_are_configurable(host):
    host.lab.install_daily(26100, age_days=2)
    options = {"clamd_config": host.lab.config, "late_days": 1, "critical_days": 2}
    info = host.module("armadito_info", host.args(antivirus_options=options))
    assert info["antivirus"]["state"]["dbinfo"]["global_status"] == "critical"


def test_stopped_clamd_is_reported(enrolled):
    host = enrolled
    host.lab.stop()
    result = host.module("armadito_state", host.args())
    assert result["failed"] is False, result.get("msg")
    assert result["state"]["dbinfo"]["service_status"] == "stopped"
    assert server_state(host)["service_status"] == "stopped"


def test_state_before_enrollment_says_what_to_do(host):
    result = host.module("armadito_state", host.args())
    assert result["failed"] is True
    assert "not enrolled" in result["msg"]
    assert "armadito.fleet.armadito_enroll" in result["msg"]
