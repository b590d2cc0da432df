"""Argument handling of armadito_scan, armadito_alerts and armadito_avconfig, and their CLI tasks."""

from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import cli
from ansible_collections.armadito.fleet.plugins.modules import armadito_alerts, armadito_avconfig, armadito_scan

from .test_modules import run_module


@pytest.fixture
def common(tmp_path, fake_server, fake_engine):
    return {"server_url": fake_server.url, "state_dir": str(tmp_path / "state"), "retries": 0,
            "uuid": "4C4C4544-0033-4A10-8051-B4C04F4B4B32"}


@pytest.mark.parametrize("extra, message", [
    ({}, "missing required arguments: path"),
    ({"path": "/tmp", "max_filesize": "big"}, "invalid size 'big'"),
    ({"path": "/tmp", "exclude": ["("]}, "invalid exclusion pattern '('"),
    ({"path": "/tmp", "options": "--remove; rm -rf /"}, "scan option '--remove;' is not supported"),
    ({"path": "/tmp", "report": True}, "this host is not enrolled"),
])
def test_scan_refusals(common, capsys, fake_server, extra, message):
    result = run_module(armadito_scan, dict(common, **extra), capsys)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake_server.requests == []


def test_scan_with_an_engine_that_cannot_scan(common, capsys):
    result = run_module(armadito_scan, dict(common, path="/tmp"), capsys)
    assert result["msg"].startswith("scanning with FakeAV is not supported")


def test_alerts_batch_size_and_enrollment(common, capsys):
    assert run_module(armadito_alerts, dict(common, batch_size=0), capsys)["msg"] == "batch_size must be at least 1"
    assert "not enrolled" in run_module(armadito_alerts, common, capsys)["msg"]


def test_avconfig_source_choices(common, capsys):
    result = run_module(armadito_avconfig, dict(common, source="ldap"), capsys)
    assert "value of source must be one of: params, server" in result["msg"]


def test_cli_scan_needs_a_path(capsys, tmp_path):
    config = tmp_path / "agent.cfg"
    config.write_text("state-dir = %s\n" % (tmp_path / "state"))
    assert cli.main(["--conf-file", str(config), "-t", "Scan"]) == 1
    assert "Scan needs --scan-path" in capsys.readouterr().err
