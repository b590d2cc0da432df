from __future__ import annotations

import glob

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import registry
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamav import ClamAV
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.avconfig import (
    apply_avconfig, desired_from_entries)
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.enroll import enroll

CLAMD = "# clamd\nLocalSocket /nonexistent/clamd.sock\nMaxThreads 2\n"
FRESHCLAM = "Checks 24\n"


class QuietClamAV(ClamAV):
    """ClamAV on files of the test: no clamconf, no restart; both recorded."""

    calls = []

    def installed(self):
        return True

    def version(self):
        return "1.4.3"

    def validate_config(self, texts):
        QuietClamAV.calls.append(("validate", sorted(texts)))
        if "MaxThreads many" in texts.get("clamd", ""):
            raise ArmaditoError("ClamAV refuses the new configuration: ERROR: bad", "fix the value; nothing was changed")

    def activate_config(self, kinds):
        QuietClamAV.calls.append(("activate", kinds))
        return ["clamd restarted"]


@pytest.fixture
def files(tmp_path, settings, monkeypatch):
    monkeypatch.setattr(registry, "BACKENDS", (QuietClamAV,))
    QuietClamAV.calls = []
    (tmp_path / "clamd.conf").write_text(CLAMD)
    (tmp_path / "freshclam.conf").write_text(FRESHCLAM)
    settings.antivirus_options = {"clamd_config": str(tmp_path / "clamd.conf"),
                                  "freshclam_config": str(tmp_path / "freshclam.conf")}
    return tmp_path


@pytest.fixture
def enrolled(settings, fake_server, files):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 7, "scheduler_id": 2, "agent_token": "agt_x"}))
    fake_server.on("POST", "/api/avconfigs", (200, {}))
    enroll(settings, "AAAAF-111AF-DZ78F-EE78F-DDD1F")
    return settings


def test_check_mode_then_apply_then_unchanged(enrolled, fake_server, files):
    wanted = {"clamd": {"MaxThreads": 4, "LogTime": True}}
    predicted = apply_avconfig(enrolled, wanted, check_mode=True)
    assert (predicted["changed"], predicted["reported"], predicted["files"]) == (True, True, [str(files / "clamd.conf")])
    assert predicted["diff"] == [{"before_header": str(files / "clamd.conf"), "after_header": str(files / "clamd.conf"),
                                  "before": "MaxThreads 2\n", "after": "MaxThreads 4\nLogTime yes\n"}]
    assert {"attr": "clamd:MaxThreads", "value": "4"} in predicted["config"]
    assert (files / "clamd.conf").read_text() == CLAMD
    assert fake_server.calls("POST", "/api/avconfigs") == []
    assert QuietClamAV.calls == [("validate", ["clamd"])]

    applied = apply_avconfig(enrolled, wanted)
    assert (files / "clamd.conf").read_text() == CLAMD.replace("MaxThreads 2", "MaxThreads 4") + "LogTime yes\n"
    assert applied["actions"] == ["clamd restarted"]
    assert [open(path).read() for path in applied["backup_files"]] == [CLAMD]
    obj = fake_server.calls("POST", "/api/avconfigs")[0]["body"]["task"]["obj"]
    assert obj == predicted["config"] == applied["config"]
    assert {"attr": "freshclam:Checks", "value": "24"} in obj

    again = apply_avconfig(enrolled, wanted)
    assert (again["changed"], again["reported"], again["backup_files"]) == (False, False, [])
    assert len(fake_server.calls("POST", "/api/avconfigs")) == 1


def test_a_refused_value_changes_nothing(enrolled, fake_server, files):
    with pytest.raises(ArmaditoError, match="nothing was changed"):
        apply_avconfig(enrolled, {"clamd": {"MaxThreads": "many"}})
    assert (files / "clamd.conf").read_text() == CLAMD
    assert glob.glob(str(files / "clamd.conf.*~")) == []
    assert fake_server.calls("POST", "/api/avconfigs") == []


def test_from_the_server(enrolled, fake_server, files):
    fake_server.on("GET", "/api/avconfigs", (200, {"agent_id": 7, "antivirus": "ClamAV", "avconfig": [
        {"attr": "clamd:MaxThreads", "value": "3"}, {"attr": "clamd:ExcludePath", "value": "^/proc\n^/sys"},
        {"attr": "clamd:LocalSocket", "value": None}]}))
    result = apply_avconfig(enrolled, source="server", backup=False, reload=False)
    assert (files / "clamd.conf").read_text() == "# clamd\nMaxThreads 3\nExcludePath ^/proc\nExcludePath ^/sys\n"
    assert (result["backup_files"], result["actions"]) == ([], [])
    request = fake_server.calls("GET", "/api/avconfigs")[0]
    assert "agent_id=7" in request["raw_path"] and request["headers"]["Authorization"] == "Bearer agt_x"


def test_unknown_files_and_shapes_are_refused(settings, files):
    with pytest.raises(ArmaditoError, match="unknown ClamAV configuration 'milter'"):
        apply_avconfig(settings, {"milter": {"A": 1}})
    with pytest.raises(ArmaditoError, match="must map a kind to its keys"):
        apply_avconfig(settings, {"clamd": "MaxThreads 4"})
    with pytest.raises(ArmaditoError, match="not enrolled"):
        apply_avconfig(settings, source="server")


def test_desired_from_entries():
    assert desired_from_entries([{"attr": "clamd:A", "value": "1"}, {"attr": "clamd:B", "value": None},
                                 {"attr": "freshclam:C", "value": "x\ny"}]) == {
        "clamd": {"A": ["1"], "B": None}, "freshclam": {"C": ["x", "y"]}}
    with pytest.raises(ArmaditoError, match="not <kind>:<key>"):
        desired_from_entries([{"attr": "MaxThreads", "value": "1"}])
