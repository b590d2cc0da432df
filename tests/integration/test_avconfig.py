"""armadito_avconfig against a real clamd (restarted on change) and a real armadito-server."""

from __future__ import annotations

import glob
import re

import pytest


def args(host, **extra):
    options = {"clamd_config": host.lab.config, "freshclam_config": host.lab.freshclam_config,
               "clamd_restart_command": host.lab.restart_command}
    return host.args(antivirus_options=options, **extra)


def read(path):
    with open(path) as handle:
        return handle.read()


def max_threads(host):
    """What the running clamd uses: STATS says ``THREADS: live 1  idle 0 max N ...``."""
    return int(re.search(r"THREADS: .* max (\d+)", host.lab.command("STATS")).group(1))


@pytest.fixture
def enrolled(host, server):
    key, _key_id = server.new_key()
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is True
    return host


def test_check_apply_then_unchanged(enrolled):
    host = enrolled
    wanted = {"clamd": {"MaxThreads": 3, "OnAccessIncludePath": ["/srv/a", "/srv/b"], "SelfCheck": None},
              "freshclam": {"Checks": 12}}
    clamd_before = read(host.lab.config)
    freshclam_before = read(host.lab.freshclam_config)
    assert max_threads(host) == 2

    predicted = host.module("armadito_avconfig", args(host, config=wanted), check=True, diff=True)
    assert (predicted["failed"], predicted["changed"]) == (False, True)
    assert {(change["attr"], tuple(change["before"]), tuple(change["after"])) for change in predicted["changes"]} == {
        ("clamd:MaxThreads", ("2",), ("3",)),
        ("clamd:OnAccessIncludePath", (), ("/srv/a", "/srv/b")),
        ("clamd:SelfCheck", ("3600",), ()),
        ("freshclam:Checks", ("24",), ("12",)),
    }
    for line in ("--- before: %s" % host.lab.config, "-MaxThreads 2", "-SelfCheck 3600", "+MaxThreads 3",
                 "+OnAccessIncludePath /srv/a", "+OnAccessIncludePath /srv/b", "-Checks 24", "+Checks 12"):
        assert line + "\n" in predicted["_output"]
    assert (read(host.lab.config), read(host.lab.freshclam_config)) == (clamd_before, freshclam_before)
    assert max_threads(host) == 2
    assert predicted["reported"] is True
    assert host.stored("avconfig-report.json") is None

    applied = host.module("armadito_avconfig", args(host, config=wanted))
    assert (applied["failed"], applied["changed"], applied["reported"]) == (False, True, True), applied.get("msg")
    assert applied["actions"] == ["clamd restarted", "freshclam reads the new freshclam.conf at its next run"]
    assert max_threads(host) == 3
    clamd_after = read(host.lab.config)
    assert "MaxThreads 3\n" in clamd_after and "SelfCheck" not in clamd_after
    assert clamd_after.index("MaxThreads 3") < clamd_after.index("OnAccessIncludePath /srv/a")
    # Comments and the other lines stay where they were.
    assert read(host.lab.freshclam_config) == freshclam_before.replace("Checks 24", "Checks 12")
    backups = sorted(glob.glob(host.lab.config + ".*~"))
    assert len(backups) == 1 and read(backups[0]) == clamd_before
    entries = dict((entry["attr"], entry["value"]) for entry in applied["config"])
    assert entries["clamd:OnAccessIncludePath"] == "/srv/a\n/srv/b"
    assert entries["freshclam:Checks"] == "12"
    agent = host.server.agent(host.uuid)
    on_server = host.server.admin("agents", "show", str(agent["id"]))["avconfig"]["reported"]["entries"]
    assert dict((entry["attr"], entry["value"]) for entry in on_server) == entries

    again = host.module("armadito_avconfig", args(host, config=wanted))
    assert (again["changed"], again["changes"], again["reported"], again["actions"]) == (False, [], False, [])
    assert host.module("armadito_avconfig", args(host, config=wanted), check=True)["changed"] is False
    assert len(glob.glob(host.lab.config + ".*~")) == 1


def test_an_invalid_value_is_refused_and_nothing_changes(enrolled):
    host = enrolled
    before = read(host.lab.config)
    for config in ({"clamd": {"MaxThreads": "many"}}, {"clamd": {"NoSuchOption": "yes"}},
                   {"clamd": {"LogFile": "/x\nUser nobody"}}):
        result = host.module("armadito_avconfig", args(host, config=config))
        assert result["failed"] is True
        assert "nothing was changed" in result["msg"] or "invalid value" in result["msg"], result["msg"]
    assert read(host.lab.config) == before
    assert glob.glob(host.lab.config + ".*~") == []
    assert max_threads(host) == 2


def test_configuration_from_the_server(enrolled):
    host = enrolled
    host.server.admin("avconfig", "set", "--agent", host.uuid, "clamd:MaxThreads=4",
                      "clamd:OnAccessIncludePath=/srv/x", "--remove", "clamd:SelfCheck")
    result = host.module("armadito_avconfig", args(host, source="server"))
    assert (result["failed"], result["changed"]) == (False, True), result.get("msg")
    assert sorted(change["attr"] for change in result["changes"]) == [
        "clamd:MaxThreads", "clamd:OnAccessIncludePath", "clamd:SelfCheck"]
    assert max_threads(host) == 4
    assert host.module("armadito_avconfig", args(host, source="server"))["changed"] is False


def test_agent_cli_avconfig(enrolled):
    host = enrolled
    host.server.admin("avconfig", "set", "--agent", host.uuid, "clamd:MaxThreads=3")
    config = ("server = %s\nstate-dir = %s\nuuid = %s\nretries = 0\nantivirus = ClamAV\nclamd-config = %s\n"
              "freshclam-config = %s\nclamd-restart-command = %s\n"
              % (host.server.url, host.state_dir, host.uuid, host.lab.config, host.lab.freshclam_config,
                 host.lab.restart_command))
    first = host.agent_cli("-t", "AVConfig", config=config)
    assert (first.returncode, first.stdout) == (0, "AVConfig 1 key(s) changed: Send AVConfig successful\n"), first.stderr
    assert max_threads(host) == 3
    second = host.agent_cli("-t", "AVConfig", config=config)
    assert second.stdout == "AVConfig configuration unchanged: already reported\n"
