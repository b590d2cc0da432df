"""armadito_enroll against a real armadito-server, through ansible."""

from __future__ import annotations

import os
import stat

import pytest
import requests

from conftest import PYTHON38, free_port


def test_check_real_check_real(host, server):
    key, key_id = server.new_key(uses=3)
    args = host.args(key=key)

    predicted = host.module("armadito_enroll", args, check=True)
    assert (predicted["failed"], predicted["changed"], predicted["agent_id"]) == (False, True, None)
    assert host.stored("agent.json") is None
    assert server.agent(host.uuid) is None
    assert server.key(key_id)["uses_left"] == 3

    first = host.module("armadito_enroll", args)
    assert first["changed"] is True
    assert first["agent_id"] == server.agent(host.uuid)["id"]
    assert (first["uuid"], first["uuid_source"]) == (host.uuid, "parameter")
    assert first["antivirus"]["name"] == "ClamAV"
    assert key not in str(first)
    stored = host.stored("agent.json")
    assert stored["token"].startswith("agt_")
    assert stat.S_IMODE(os.stat(os.path.join(host.state_dir, "agent.json")).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(host.state_dir).st_mode) == 0o700
    assert server.key(key_id)["uses_left"] == 2

    again_check = host.module("armadito_enroll", args, check=True)
    again = host.module("armadito_enroll", args)
    assert (again_check["changed"], again["changed"]) == (False, False)
    assert again["agent_id"] == first["agent_id"]
    assert host.stored("agent.json") == stored
    assert server.key(key_id)["uses_left"] == 2


def test_force_keeps_the_agent_and_renews_the_token(host, server):
    key, _key_id = server.new_key()
    first = host.module("armadito_enroll", host.args(key=key))
    token = host.stored("agent.json")["token"]
    forced = host.module("armadito_enroll", host.args(key=key, force=True))
    assert forced["changed"] is True
    assert forced["agent_id"] == first["agent_id"]
    assert host.stored("agent.json")["token"] != token
    # The server honours the new token only: the old one gets 401, which would make the
    # module enroll again; with the new one a normal run changes nothing.
    check = "%s/api/agents?agent_id=%d&uuid=%s" % (server.url, first["agent_id"], host.uuid)
    assert requests.get(check, headers={"Authorization": "Bearer " + token}, timeout=30).status_code == 401
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is False


def test_server_side_deletion_then_enroll_again(host, server):
    key, _key_id = server.new_key()
    first = host.module("armadito_enroll", host.args(key=key))
    token = host.stored("agent.json")["token"]
    server.admin("agents", "delete", str(first["agent_id"]))
    assert server.agent(host.uuid) is None

    again = host.module("armadito_enroll", host.args(key=key))
    assert again["changed"] is True
    assert server.agent(host.uuid)["id"] == again["agent_id"]
    assert host.stored("agent.json")["token"] != token
    assert host.stored("agent.json")["agent_id"] == again["agent_id"]


def refused(host, key):
    result = host.module("armadito_enroll", host.args(key=key))
    assert result["failed"] is True
    assert host.stored("agent.json") is None
    return result


def test_malformed_key(host, server):
    result = refused(host, "not-a-key")
    assert result["key_problem"] == "malformed"
    assert "five groups of five" in result["msg"]


def test_unknown_key(host, server):
    result = refused(host, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    assert result["key_problem"] == "unknown"


def test_expired_key(host, server):
    key, key_id = server.new_key()
    server.expire_key(key_id)
    result = refused(host, key)
    assert result["key_problem"] == "expired"
    assert "ask your administrator for a new enrollment key" in result["msg"]


def test_exhausted_key(host, server):
    key, _key_id = server.new_key(uses=1)
    other = host.args(key=key, uuid="4C4C4544-0000-0000-0000-%012d" % free_port(),
                      state_dir=os.path.join(host.directory, "other-host"))
    assert host.module("armadito_enroll", other)["changed"] is True
    result = refused(host, key)
    assert result["key_problem"] == "exhausted"


def test_revoked_key(host, server):
    key, key_id = server.new_key()
    server.admin("key", "revoke", str(key_id))
    assert refused(host, key)["key_problem"] == "revoked"


def test_server_down_fails_clearly_and_writes_nothing(host, server):
    key, _key_id = server.new_key()
    result = host.module("armadito_enroll", host.args(key=key, server_url="http://127.0.0.1:%d" % free_port()))
    assert result["failed"] is True
    assert "cannot connect to http://127.0.0.1:" in result["msg"]
    assert "armadito-server is running" in result["msg"]
    assert host.stored("agent.json") is None


def test_detected_uuid(host, server):
    key, _key_id = server.new_key()
    result = host.module("armadito_enroll", host.args(key=key, uuid=None))
    assert result["uuid_source"] in ("smbios", "dmidecode", "machine-id")
    assert server.agent(result["uuid"])["id"] == result["agent_id"]
    # The detection is stable: a second run finds the same uuid and changes nothing.
    assert host.module("armadito_enroll", host.args(key=key, uuid=None))["changed"] is False


@pytest.mark.skipif(PYTHON38 is None, reason="no Python 3.8 with requests (make host-python38)")
def test_enroll_on_python_38(host, server):
    key, _key_id = server.new_key()
    result = host.module("armadito_enroll", host.args(key=key), python=PYTHON38)
    assert result["failed"] is False, result.get("msg")
    assert result["changed"] is True
