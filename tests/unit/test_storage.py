from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import StateDir


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_then_read_with_private_permissions(tmp_path):
    storage = StateDir(str(tmp_path / "state"))
    storage.write("agent.json", {"agent_id": 3})
    assert storage.read("agent.json") == {"agent_id": 3}
    assert mode(storage.path) == 0o700
    assert mode(storage.file("agent.json")) == 0o600
    # No temporary file is left behind by the atomic write.
    assert os.listdir(storage.path) == ["agent.json"]


def test_write_replaces_the_previous_document(tmp_path):
    storage = StateDir(str(tmp_path))
    storage.write("agent.json", {"agent_id": 3})
    storage.write("agent.json", {"agent_id": 4})
    assert storage.read("agent.json") == {"agent_id": 4}


def test_missing_document_reads_as_none_and_creates_nothing(tmp_path):
    storage = StateDir(str(tmp_path / "absent"))
    assert storage.read("agent.json") is None
    assert not os.path.exists(storage.path)


def test_corrupt_document_names_the_file(tmp_path):
    (tmp_path / "agent.json").write_text("{not json")
    with pytest.raises(ArmaditoError, match="agent.json is not valid JSON"):
        StateDir(str(tmp_path)).read("agent.json")


def test_state_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ARMADITO_STATE_DIR", str(tmp_path / "env"))
    assert StateDir().path == str(tmp_path / "env")
    assert StateDir(str(tmp_path / "explicit")).path == str(tmp_path / "explicit")


def test_lock_excludes_a_second_holder(tmp_path):
    first = StateDir(str(tmp_path))
    second = StateDir(str(tmp_path), lock_timeout=0.2)
    with first.lock():
        with pytest.raises(ArmaditoError, match="locked by another armadito run"):
            with second.lock():
                pass
    # Released on exit: the second one gets it now.
    with second.lock():
        pass


def test_remove_is_quiet_when_absent(tmp_path):
    storage = StateDir(str(tmp_path))
    storage.write("x.json", {})
    storage.remove("x.json")
    storage.remove("x.json")
    assert storage.read("x.json") is None
