"""Argument handling of the modules: run each main() in-process with patched module arguments."""

from __future__ import annotations

import contextlib
import json

import pytest

from ansible_collections.armadito.fleet.plugins.modules import armadito_enroll, armadito_info, armadito_state

KEY = "AAAAF-111AF-DZ78F-EE78F-DDD1F"
UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"


@contextlib.contextmanager
def module_args(args):
    try:
        # ansible-core 2.19 and later.
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        from ansible.module_utils import basic
        from ansible.module_utils.common.text.converters import to_bytes

        previous = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous
    else:
        with patch_module_args(args):
            yield


def run_module(module, args, capsys):
    with module_args(args):
        with pytest.raises(SystemExit) as exit_:
            module.main()
    result = json.loads(capsys.readouterr().out)
    result["_rc"] = exit_.value.code
    return result


@pytest.fixture
def common(tmp_path, fake_server, fake_engine):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 3, "scheduler_id": 1, "agent_token": "agt_m"}))
    fake_server.on("POST", "/api/states", (200, ""))
    return {"server_url": fake_server.url, "state_dir": str(tmp_path / "state"), "uuid": UUID, "retries": 0}


def test_enroll_requires_a_key(common, capsys):
    result = run_module(armadito_enroll, common, capsys)
    assert result["failed"] is True
    assert result["msg"] == "missing required arguments: key"


def test_enroll_with_the_alias_hides_the_key(common, capsys, fake_server):
    result = run_module(armadito_enroll, dict(common, enrollment_key=KEY), capsys)
    assert result["changed"] is True
    assert result["agent_id"] == 3
    assert KEY not in json.dumps(result)
    assert fake_server.calls("POST", "/api/agents")[0]["body"]["task"]["obj"]["key"] == KEY


def test_server_url_from_the_environment(common, capsys, monkeypatch, fake_server):
    monkeypatch.setenv("ARMADITO_SERVER_URL", fake_server.url)
    args = dict(common, key=KEY)
    del args["server_url"]
    assert run_module(armadito_enroll, args, capsys)["server_url"] == fake_server.url


def test_state_dir_from_the_environment(common, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("ARMADITO_STATE_DIR", str(tmp_path / "from-env"))
    args = dict(common, key=KEY)
    del args["state_dir"]
    run_module(armadito_enroll, args, capsys)
    assert (tmp_path / "from-env" / "agent.json").exists()


def test_refused_key_fails_with_its_problem(common, capsys, fake_server):
    fake_server.on("POST", "/api/agents", (400, {"error": "Your enrollment key reached its maximum usage count."}))
    result = run_module(armadito_enroll, dict(common, key=KEY), capsys)
    assert result["failed"] is True
    assert result["key_problem"] == "exhausted"
    assert result["status"] == 400
    assert result["msg"].startswith("enrollment key exhausted")


def test_client_key_needs_client_cert(common, capsys):
    result = run_module(armadito_enroll, dict(common, key=KEY, client_key="/k.pem"), capsys)
    assert result["msg"] == "client_key needs client_cert"


def test_antivirus_options_are_validated(common, capsys):
    result = run_module(armadito_info, dict(common, antivirus_options={"late_days": "soon"}), capsys)
    assert result["failed"] is True
    assert "late_days" in result["msg"]


def test_info_needs_no_server_and_never_changes(common, capsys, fake_server):
    args = dict(common)
    del args["server_url"]
    result = run_module(armadito_info, args, capsys)
    assert result["changed"] is False
    assert result["enrolled"] is False
    assert result["uuid"] == UUID
    assert result["antivirus"]["name"] == "FakeAV"
    assert result["antivirus"]["state"]["dbinfo"]["global_status"] == "up-to-date"
    assert fake_server.requests == []


def test_info_after_enrollment(common, capsys):
    run_module(armadito_enroll, dict(common, key=KEY), capsys)
    result = run_module(armadito_info, common, capsys)
    assert (result["enrolled"], result["agent_id"], result["enrolled_uuid"]) == (True, 3, UUID)


def test_state_module(common, capsys, fake_server):
    run_module(armadito_enroll, dict(common, key=KEY), capsys)
    first = run_module(armadito_state, common, capsys)
    second = run_module(armadito_state, common, capsys)
    assert (first["changed"], second["changed"]) == (True, False)
    assert len(fake_server.calls("POST", "/api/states")) == 1


def test_unknown_antivirus(common, capsys):
    result = run_module(armadito_info, dict(common, antivirus="Norton"), capsys)
    assert result["antivirus"]["installed"] is False
    assert "unsupported antivirus 'Norton'" in result["antivirus"]["error"]
    result = run_module(armadito_enroll, dict(common, key=KEY, antivirus="Norton"), capsys)
    assert result["failed"] is True
    assert "unsupported antivirus 'Norton'" in result["msg"]
