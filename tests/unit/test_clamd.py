from __future__ import annotations

import socket
import threading

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import clamd


def test_ping_and_version_over_a_unix_socket(fake_clamd):
    client = clamd.Clamd(fake_clamd.path)
    assert client.ping() is True
    assert client.version() == "ClamAV 1.4.6/27000/Sat Nov 28 04:16:48 2026"
    assert fake_clamd.commands == ["zPING", "zVERSION"]


def test_no_reply_is_an_error(fake_clamd):
    with pytest.raises(clamd.ClamdError, match="without answering SILENT"):
        clamd.Clamd(fake_clamd.path).command("SILENT")


def test_nobody_listening(tmp_path):
    client = clamd.Clamd(str(tmp_path / "none.sock"))
    assert client.ping() is False
    with pytest.raises(clamd.ClamdError, match="cannot connect to clamd"):
        client.version()


def test_tcp_address():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer():
        connection, _address = listener.accept()
        with connection:
            connection.recv(64)
            connection.sendall(b"PONG\0")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    address = clamd.parse_address("127.0.0.1:%d" % listener.getsockname()[1])
    assert clamd.Clamd(address).ping() is True
    listener.close()


@pytest.mark.parametrize("text, address", [
    ("/run/clamav/clamd.ctl", "/run/clamav/clamd.ctl"),
    ("127.0.0.1:3310", ("127.0.0.1", 3310)),
    ("tcp://[::1]:3310", ("::1", 3310)),
])
def test_parse_address(text, address):
    assert clamd.parse_address(text) == address


def test_parse_address_refuses_garbage():
    with pytest.raises(ValueError):
        clamd.parse_address("clamd")


@pytest.mark.parametrize("reply, parsed", [
    ("ClamAV 1.4.6/27000/Sat Nov 28 04:16:48 2026", ("1.4.6", "27000", "Sat Nov 28 04:16:48 2026")),
    ("ClamAV 1.4.6", ("1.4.6", None, None)),
])
def test_parse_version(reply, parsed):
    assert clamd.parse_version(reply) == parsed


def test_config_gives_the_socket_first_then_tcp(tmp_path):
    conf = tmp_path / "clamd.conf"
    conf.write_text("# comment\nLocalSocket /old.sock\nLocalSocket /run/c.sock # trailing\nTCPSocket 3310\n"
                    "DatabaseDirectory /srv/db\n")
    settings = clamd.read_config(str(conf))
    assert settings["DatabaseDirectory"] == "/srv/db"
    assert clamd.address_from_config(settings) == "/run/c.sock"
    assert clamd.address_from_config({"TCPSocket": "3310"}) == ("127.0.0.1", 3310)
    assert clamd.address_from_config({"TCPSocket": "3310", "TCPAddr": "10.0.0.1"}) == ("10.0.0.1", 3310)
    assert clamd.address_from_config({}) is None
