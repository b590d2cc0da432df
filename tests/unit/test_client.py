from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import __version__
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.client import Client, normalize_server_url
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError, ServerError


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def client(url, **kwargs):
    kwargs.setdefault("retries", 0)
    return Client(url, **kwargs)


@pytest.mark.parametrize("base", ["/", "//", "/glpi/plugins/armadito/"])
def test_trailing_slashes_never_double(fake_server, base):
    prefix = base.rstrip("/")
    fake_server.on("POST", prefix + "/api/states", (200, ""))
    client(fake_server.url + base).post("/api/states", {"a": 1})
    assert fake_server.requests[-1]["raw_path"] == prefix + "/api/states"


@pytest.mark.parametrize("url", ["", "ftp://host", "host:8000", "http://"])
def test_invalid_server_url(url):
    with pytest.raises(ArmaditoError, match="invalid server URL"):
        normalize_server_url(url)


def test_headers_and_json_body(fake_server):
    fake_server.on("POST", "/api/agents", (200, {"agent_id": 2, "scheduler_id": 1}))
    answer = client(fake_server.url, token="agt_x").post("/api/agents", {"k": "v"})
    request = fake_server.requests[-1]
    assert answer == {"agent_id": 2, "scheduler_id": 1}
    assert request["body"] == {"k": "v"}
    assert request["headers"]["User-Agent"] == "armadito-fleet/%s" % __version__
    assert request["headers"]["Authorization"] == "Bearer agt_x"
    assert request["headers"]["Content-Type"] == "application/json"


def test_no_authorization_without_token(fake_server):
    fake_server.on("GET", "/api/agents", (200, {}))
    client(fake_server.url).get("/api/agents", params={"agent_id": 1})
    assert "Authorization" not in fake_server.requests[-1]["headers"]
    assert fake_server.requests[-1]["raw_path"] == "/api/agents?agent_id=1"


def test_empty_success_body_is_an_empty_object(fake_server):
    fake_server.on("POST", "/api/states", (200, ""))
    assert client(fake_server.url).post("/api/states", {}) == {}


def test_legacy_error_body_with_unescaped_quotes(fake_server):
    fake_server.on("POST", "/api/agents", (500, '{"error" : "Invalid UUID : "x""}'))
    with pytest.raises(ServerError) as error:
        client(fake_server.url).post("/api/agents", {})
    assert error.value.status == 500
    assert error.value.server_message == 'Invalid UUID : "x"'
    assert str(error.value).startswith('POST /api/agents failed with HTTP 500: Invalid UUID : "x": ')


def test_success_status_with_an_error_body_is_a_failure(fake_server):
    fake_server.on("POST", "/api/states", (200, '<div>PHP Notice</div>{"error" : "UUID not found in database."}'))
    with pytest.raises(ServerError, match="UUID not found in database"):
        client(fake_server.url).post("/api/states", {})


def test_php_notice_before_a_success_body_is_skipped(fake_server):
    fake_server.on("POST", "/api/agents", (200, '<div>PHP Notice: x</div>{"agent_id": 2,"scheduler_id": 2}'))
    assert client(fake_server.url).post("/api/agents", {}) == {"agent_id": 2, "scheduler_id": 2}


def test_non_json_success_body_fails_clearly(fake_server):
    fake_server.on("GET", "/api/agents", (200, "<html>login</html>"))
    with pytest.raises(ServerError, match="not JSON"):
        client(fake_server.url).get("/api/agents")


@pytest.mark.parametrize("status, hint", [(401, "enroll the agent again"), (404, "deleted server-side"),
                                          (413, "too large"), (400, "fix what its message names")])
def test_status_hints(fake_server, status, hint):
    fake_server.on("POST", "/api/states", (status, {"error": "nope"}))
    with pytest.raises(ServerError, match=hint) as error:
        client(fake_server.url).post("/api/states", {})
    assert error.value.status == status
    assert error.value.details == {"status": status, "server_message": "nope"}


def test_retries_503_with_exponential_backoff(fake_server):
    fake_server.on("POST", "/api/states", (503, ""), (502, ""), (200, ""))
    sleeps = Sleeps()
    assert Client(fake_server.url, retries=3, sleep=sleeps).post("/api/states", {}) == {}
    assert len(fake_server.calls("POST", "/api/states")) == 3
    assert sleeps == [0.5, 1.0]


def test_never_retries_500(fake_server):
    fake_server.on("POST", "/api/states", (500, {"error": "boom"}), (200, ""))
    sleeps = Sleeps()
    with pytest.raises(ServerError, match="boom"):
        Client(fake_server.url, retries=3, sleep=sleeps).post("/api/states", {})
    assert len(fake_server.calls("POST", "/api/states")) == 1
    assert sleeps == []


def test_gives_up_after_the_last_retry(fake_server):
    fake_server.on("GET", "/api/agents", (504, ""))
    with pytest.raises(ServerError) as error:
        Client(fake_server.url, retries=2, sleep=Sleeps()).get("/api/agents")
    assert error.value.status == 504
    assert len(fake_server.calls("GET", "/api/agents")) == 3


def test_connection_refused_is_retried_then_named(unused_port):
    sleeps = Sleeps()
    with pytest.raises(ServerError, match="cannot connect to http://127.0.0.1:%d" % unused_port) as error:
        Client("http://127.0.0.1:%d" % unused_port, retries=2, sleep=sleeps).post("/api/agents", {})
    assert error.value.status is None
    assert "armadito-server is running" in str(error.value)
    assert sleeps == [0.5, 1.0]


def test_explicit_proxy_wins_over_the_environment(fake_server, monkeypatch, unused_port):
    # The environment points at a dead proxy; the explicit one (the fake server) must be used.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:%d" % unused_port)
    monkeypatch.setenv("NO_PROXY", "")
    fake_server.on("POST", "/api/states", (200, ""))
    client("http://armadito.invalid", proxy=fake_server.url).post("/api/states", {})
    assert fake_server.requests[-1]["raw_path"] == "http://armadito.invalid/api/states"


def test_tls_settings_reach_the_session():
    session = Client("https://h", ca_path="/etc/ca.pem", client_cert="/c.pem", client_key="/k.pem").session
    assert session.verify == "/etc/ca.pem"
    assert session.cert == ("/c.pem", "/k.pem")
    assert Client("https://h", validate_certs=False).session.verify is False
