"""The admin API client of the controller-side modules, against a scripted server."""

from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import admin_api
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError

KEY_INFO = {"id": 3, "name": "wave", "hint": "0RV2V", "status": "active", "uses_left": 5, "uses_total": 5,
            "created_at": "2026-11-28T12:00:00Z", "expires_at": "2026-12-05T12:00:00Z", "revoked_at": None}


@pytest.fixture
def api(fake_server):
    return admin_api.AdminAPI(fake_server.url, "adm_x", retries=0)


def job(job_id, agent_id, status):
    return {"id": job_id, "agent_id": agent_id, "agent_uuid": "U%d" % agent_id, "status": status}


def test_token_is_required(fake_server):
    with pytest.raises(ArmaditoError, match="no admin token given"):
        admin_api.AdminAPI(fake_server.url, None)


def test_key_created_once_and_shown_once(api, fake_server):
    fake_server.on("GET", "/api/admin/keys", (200, []), (200, []), (200, [KEY_INFO]))
    fake_server.on("POST", "/api/admin/keys", (201, dict(KEY_INFO, key="0RV2V-2RYTX-NX4OW-7LARZ-KZQAJ")))
    assert admin_api.enrollment_key(api, "wave", check_mode=True) == {"changed": True, "key": None, "key_info": None}
    created = admin_api.enrollment_key(api, "wave", uses=5, expires="2w")
    assert (created["changed"], created["key"], created["key_info"]) == (True, "0RV2V-2RYTX-NX4OW-7LARZ-KZQAJ", KEY_INFO)
    assert fake_server.calls("POST", "/api/admin/keys")[0]["body"] == {"name": "wave", "uses": 5, "expires": "2w"}
    assert fake_server.calls("GET", "/api/admin/keys")[0]["raw_path"] == "/api/admin/keys?name=wave"
    assert fake_server.calls("GET", "/api/admin/keys")[0]["headers"]["Authorization"] == "Bearer adm_x"
    assert admin_api.enrollment_key(api, "wave") == {"changed": False, "key": None, "key_info": KEY_INFO}
    assert len(fake_server.calls("POST", "/api/admin/keys")) == 1


def test_key_revoked_once(api, fake_server):
    revoked = dict(KEY_INFO, status="revoked", revoked_at="2026-11-28T13:00:00Z")
    fake_server.on("GET", "/api/admin/keys", (200, [KEY_INFO]), (200, [KEY_INFO]), (200, [revoked]))
    fake_server.on("POST", "/api/admin/keys/3/revoke", (200, revoked))
    assert admin_api.enrollment_key(api, "wave", state="absent", check_mode=True)["changed"] is True
    assert fake_server.calls("POST", "/api/admin/keys/3/revoke") == []
    assert admin_api.enrollment_key(api, "wave", state="absent")["key_info"] == revoked
    assert admin_api.enrollment_key(api, "wave", state="absent")["changed"] is False


def test_bad_admin_token_says_what_to_do(api, fake_server):
    fake_server.on("GET", "/api/admin/keys", (401, {"error": "invalid or revoked admin token"}))
    with pytest.raises(ArmaditoError, match="admin-token create"):
        admin_api.enrollment_key(api, "wave")


def test_job_queued_once_per_tag_and_waited_for(api, fake_server):
    fake_server.on("POST", "/api/admin/jobs", (200, {"created": [job(8, 1, "queued")], "skipped": []}),
                   (200, {"created": [], "skipped": [{"agent_id": 1, "agent_uuid": "U1", "job_id": 8}]}))
    fake_server.on("GET", "/api/admin/jobs", (200, [job(8, 1, "queued")]), (200, [job(8, 1, "downloaded")]),
                   (200, [job(8, 1, "successful")]))
    sleeps = []
    first = admin_api.queue_scan(api, "weekly", "home", agents=["1", "U2"], priority="urgent", wait=True,
                                 sleep=sleeps.append)
    assert (first["changed"], first["jobs"]) == (True, [job(8, 1, "successful")])
    assert sleeps == [2, 2]
    assert fake_server.calls("POST", "/api/admin/jobs")[0]["body"] == {
        "scanconfig": "home", "agents": [1, "U2"], "priority": "urgent", "tag": "weekly"}
    again = admin_api.queue_scan(api, "weekly", "home", agents=["1"])
    assert (again["changed"], again["already_queued"][0]["job_id"]) == (False, 8)


def test_wait_times_out_with_the_pending_jobs(api, fake_server):
    fake_server.on("POST", "/api/admin/jobs", (200, {"created": [job(8, 1, "queued")], "skipped": []}))
    fake_server.on("GET", "/api/admin/jobs", (200, [job(8, 1, "queued")]))
    ticks = iter(range(0, 1000, 10))
    with pytest.raises(ArmaditoError) as error:
        admin_api.queue_scan(api, "weekly", "home", agents=None, wait=True, wait_timeout=30, sleep=lambda s: None,
                             clock=lambda: next(ticks))
    assert "still pending after 30 seconds: 8 (agent 1, queued)" in str(error.value)
    assert fake_server.calls("POST", "/api/admin/jobs")[0]["body"]["agents"] == "all"


def test_job_check_mode_predicts_from_agents_and_tagged_jobs(api, fake_server):
    fake_server.on("GET", "/api/admin/scanconfigs", (200, [{"name": "home", "antivirus": "ClamAV"}]))
    fake_server.on("GET", "/api/admin/agents", (200, [
        {"id": 1, "uuid": "U1", "antivirus": {"name": "ClamAV"}}, {"id": 2, "uuid": "U2", "antivirus": {"name": "ClamAV"}},
        {"id": 3, "uuid": "U3", "antivirus": {"name": "Eset"}}]))
    fake_server.on("GET", "/api/admin/jobs", (200, [job(8, 1, "successful")]))
    result = admin_api.queue_scan(api, "weekly", "home", check_mode=True)
    assert (result["changed"], result["created"]) == (True, [{"agent_id": 2, "agent_uuid": "U2"}])
    assert fake_server.calls("POST", "/api/admin/jobs") == []
    with pytest.raises(ArmaditoError, match="agent 3 runs Eset, not the ClamAV of scan configuration 'home'"):
        admin_api.queue_scan(api, "weekly", "home", agents=["3"], check_mode=True)
    with pytest.raises(ArmaditoError, match="no agent 'U9'"):
        admin_api.queue_scan(api, "weekly", "home", agents=["U9"], check_mode=True)
    with pytest.raises(ArmaditoError, match="no scan configuration named 'nope'"):
        admin_api.queue_scan(api, "weekly", "nope", check_mode=True)


def test_server_info_sections(api, fake_server):
    fake_server.on("GET", "/api/admin/agents", (200, [{"id": 1, "uuid": "U1"}, {"id": 2, "uuid": "U2"}]))
    fake_server.on("GET", "/api/admin/alerts", (200, [{"id": 4}]))
    result = admin_api.server_info(api, gather=["agents", "alerts"], agent="U2", limit=5)
    assert result == {"changed": False, "agents": [{"id": 2, "uuid": "U2"}], "alerts": [{"id": 4}]}
    assert fake_server.calls("GET", "/api/admin/alerts")[0]["raw_path"] == "/api/admin/alerts?agent=U2&limit=5"
