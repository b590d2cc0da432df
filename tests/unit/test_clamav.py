from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import base, sigtool
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamav import ClamAV
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError

DAY = 86400
NOW = 1795868160

needs_sigtool = pytest.mark.skipif(shutil.which("sigtool") is None, reason="sigtool (package clamav) is not installed")


@pytest.mark.parametrize("age_days, status", [(0, "up-to-date"), (2.9, "up-to-date"), (3, "late"),
                                              (9.9, "late"), (10, "critical"), (400, "critical")])
def test_status_by_age(age_days, status):
    assert base.update_status(NOW - age_days * DAY, base.DEFAULT_THRESHOLDS, now=NOW) == status


def test_status_without_timestamp_is_non_available():
    assert base.update_status(0, base.DEFAULT_THRESHOLDS, now=NOW) == "non-available"


def test_configurable_thresholds():
    limits = base.thresholds({"late_days": 1, "critical_days": 2})
    assert base.update_status(NOW - 1.5 * DAY, limits, now=NOW) == "late"


@pytest.mark.parametrize("options", [{"late_days": 10, "critical_days": 3}, {"late_days": 0}])
def test_thresholds_must_make_sense(options):
    with pytest.raises(ArmaditoError, match="invalid thresholds"):
        base.thresholds(options)


def test_worst_status():
    assert base.worst_status(["up-to-date", "critical", "late"]) == "critical"
    assert base.worst_status(["non-available", "up-to-date"]) == "up-to-date"
    assert base.worst_status([]) == "non-available"


@pytest.mark.parametrize("text, seconds", [("28 Nov 2026 12:16 +0000", 1795868160),
                                           ("28 Nov 2026 13:16 +0100", 1795868160),
                                           ("1 Jan 2024 00:00 -0130", 1704072600)])
def test_parse_build_time(text, seconds):
    assert sigtool.parse_build_time(text) == seconds


def test_parse_build_time_refuses_other_text():
    with pytest.raises(ValueError):
        sigtool.parse_build_time("yesterday")


def build_database(directory, version):
    """A one-signature daily.cud built by the real sigtool (antivirus.md 5.3)."""
    work = directory / "build"
    work.mkdir()
    (work / "daily.hdb").write_text("44d88612fea8a8f36de82e1278abb02f:68:Local.Eicar.HDB\n")
    shutil.copy("/usr/share/common-licenses/GPL-2", str(work / "COPYING"))
    # --datadir: without it sigtool raises the version past the host's own daily database.
    subprocess.run(["sigtool", "--build=daily.cud", "--unsigned", "--cvd-version=%d" % version, "--no-cdiff",
                    "--datadir=%s" % work],
                   cwd=str(work), input="tester\n", text=True, capture_output=True, check=True)
    database_dir = directory / "db"
    database_dir.mkdir()
    shutil.move(str(work / "daily.cud"), str(database_dir / "daily.cud"))
    (database_dir / "local.hdb").write_text("44d88612fea8a8f36de82e1278abb02f:68:Local.Eicar.HDB\n")
    return database_dir


@needs_sigtool
def test_state_of_a_real_database_and_a_fake_clamd(tmp_path, fake_clamd):
    database_dir = build_database(tmp_path, 27000)
    engine = ClamAV({"database_dir": str(database_dir), "clamd_socket": fake_clamd.path})
    header = sigtool.read_header(shutil.which("sigtool"), str(database_dir / "daily.cud"))
    state = engine.state(now=header.build_time + 4 * DAY)

    assert engine.version() == "1.4.6"
    module = state["dbinfo"]["modules"][0]
    assert [m["name"] for m in state["dbinfo"]["modules"]] == ["daily"]
    assert module["mod_status"] == "late"
    assert module["bases"] == [{"name": "daily.cud", "version": "27000", "signature_count": 1,
                                "full_path": str(database_dir / "daily.cud"),
                                "base_update_ts": header.build_time}]
    assert state["dbinfo"]["global_status"] == "late"
    assert state["dbinfo"]["global_update_timestamp"] == header.build_time
    assert state["dbinfo"]["service_status"] == "running"
    details = {item["attr"]: item["value"] for item in state["avdetails"]}
    assert details["clamd:loaded_database_version"] == "27000"
    assert details["clamd:address"] == fake_clamd.path
    assert details["onaccess:enabled"] in (0, 1)


@needs_sigtool
def test_without_databases_or_daemon(tmp_path):
    engine = ClamAV({"database_dir": str(tmp_path), "clamd_socket": str(tmp_path / "none.sock")})
    state = engine.state(now=NOW)
    assert state["dbinfo"]["modules"] == []
    assert state["dbinfo"]["global_status"] == "non-available"
    assert state["dbinfo"]["global_update_timestamp"] == 0
    assert state["dbinfo"]["service_status"] in ("stopped", "not-responding")


def test_database_dir_comes_from_clamd_conf(tmp_path):
    conf = tmp_path / "clamd.conf"
    conf.write_text("DatabaseDirectory %s\nLocalSocket %s\n" % (tmp_path / "db", tmp_path / "s.sock"))
    engine = ClamAV({"clamd_config": str(conf)})
    assert engine.database_dir() == str(tmp_path / "db")
    assert ClamAV({"clamd_config": str(tmp_path / "absent.conf")}).database_dir() == "/var/lib/clamav"


def test_invalid_clamd_socket_option(tmp_path):
    with pytest.raises(ArmaditoError, match="invalid clamd_socket"):
        ClamAV({"clamd_socket": "nonsense", "database_dir": str(tmp_path)}).state(now=NOW)


def test_a_clamd_with_a_pid_file_is_judged_by_that_pid_only(tmp_path):
    proc = tmp_path / "proc"
    for pid, name in ((10, "clamd"), (20, "bash")):
        (proc / str(pid)).mkdir(parents=True)
        (proc / str(pid) / "comm").write_text(name + "\n")
    pid_file = tmp_path / "clamd.pid"

    pid_file.write_text("10\n")
    assert base.process_running("clamd", proc=str(proc), pid_file=str(pid_file)) is True
    # A recycled pid now belongs to another program, or the file is stale or missing.
    pid_file.write_text("20\n")
    assert base.process_running("clamd", proc=str(proc), pid_file=str(pid_file)) is False
    pid_file.write_text("30\n")
    assert base.process_running("clamd", proc=str(proc), pid_file=str(pid_file)) is False
    assert base.process_running("clamd", proc=str(proc), pid_file=str(tmp_path / "absent.pid")) is False
    # Without a pid file, any clamd counts.
    assert base.process_running("clamd", proc=str(proc)) is True
