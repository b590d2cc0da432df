from __future__ import annotations

import array
import os
import socket
import struct
import threading

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus import clamd_scan
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamd import ClamdError

MARK = b"MALWARE"


@pytest.mark.parametrize("reply, parsed", [
    ("/a/b: OK", ("/a/b", "OK", None)),
    ("/a: b/c: Eicar-Signature FOUND", ("/a: b/c", "FOUND", "Eicar-Signature")),
    ("/a/x: File path check failure: Permission denied. ERROR", ("/a/x", "ERROR",
                                                                 "File path check failure: Permission denied.")),
    ("stream: OK", ("stream", "OK", None)),
    ("UNKNOWN COMMAND", (None, "ERROR", "UNKNOWN COMMAND")),
])
def test_parse_reply(reply, parsed):
    assert clamd_scan.parse_reply(reply) == parsed


def test_parse_reply_of_a_known_path():
    assert clamd_scan.parse_reply("/a: b: Can't open: x ERROR", "/a: b") == ("/a: b", "ERROR", "Can't open: x")
    assert clamd_scan.parse_reply("/a: b: OK", "/a: b") == ("/a: b", "OK", None)


class SessionClamd:
    """A clamd on a unix socket: IDSESSION with replies in reverse order, FILDES, INSTREAM.

    Files whose content holds MARK are infected; paths in ``denied`` cannot be opened by "clamd".
    """

    def __init__(self, path, denied=()):
        self.path = path
        self.denied = set(denied)
        self.commands = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(5)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            with connection:
                try:
                    self._session(connection)
                except OSError:
                    # The client may close once it has every reply, before the duplicates.
                    pass

    def _verdict(self, subject, data):
        return "%s: %s" % (subject, "Test.Sig FOUND" if MARK in data else "OK")

    def _session(self, connection):
        buffered = b""
        number = 0
        held = []
        descriptors = []
        while True:
            # recvmsg throughout: the descriptor of FILDES may come with the command's bytes.
            chunk, ancillary, _flags, _address = connection.recvmsg(65536, socket.CMSG_LEN(4))
            descriptors.extend(array.array("i", data)[0] for _level, _type, data in ancillary)
            if not chunk:
                return
            buffered += chunk
            *commands, buffered = buffered.split(b"\0")
            for command in commands:
                name = command.decode()
                self.commands.append(name.split(" ")[0])
                if name == "zFILDES":
                    while not descriptors:
                        _chunk, ancillary, _flags, _address = connection.recvmsg(1, socket.CMSG_LEN(4))
                        descriptors.extend(array.array("i", data)[0] for _level, _type, data in ancillary)
                    fd = descriptors.pop(0)
                    with os.fdopen(fd, "rb") as handle:
                        connection.sendall(self._verdict("fd[%d]" % fd, handle.read()).encode() + b"\0")
                    return
                if name == "zEND":
                    return
                if name.startswith("zSCAN "):
                    number += 1
                    path = name[len("zSCAN "):]
                    if path in self.denied:
                        reply = "%s: File path check failure: Permission denied. ERROR" % path
                        # As clamd 1.4 does: an error reply of a session comes twice.
                        held.append(("%d: %s" % (number, reply)).encode() + b"\0")
                    else:
                        with open(path, "rb") as handle:
                            reply = self._verdict(path, handle.read())
                    held.append(("%d: %s" % (number, reply)).encode() + b"\0")
            # Out of order, as clamd's thread pool answers.
            for reply in reversed(held):
                connection.sendall(reply)
            held = []

    def close(self):
        self.server.close()


@pytest.fixture
def files(tmp_path):
    paths = []
    for index in range(100):
        path = tmp_path / ("f%03d" % index)
        path.write_bytes(MARK if index % 10 == 0 else b"clean")
        paths.append(str(path))
    return paths


def test_a_session_scans_every_file_out_of_order_with_a_window(tmp_path, files):
    clamd = SessionClamd(str(tmp_path / "clamd.sock"))
    results = {}
    clamd_scan.scan_session(clamd.path, files, lambda path, status, detail: results.setdefault(path, (status, detail)),
                            window=7)
    assert len(results) == 100
    assert sorted(path for path, (status, _detail) in results.items() if status == "FOUND") == files[::10]
    assert results[files[0]] == ("FOUND", "Test.Sig")
    assert clamd.commands.count("zSCAN") == 100
    clamd.close()


def test_a_file_clamd_cannot_open_goes_as_a_descriptor(tmp_path, files):
    clamd = SessionClamd(str(tmp_path / "clamd.sock"), denied=[files[0]])
    replies = []
    clamd_scan.scan_session(clamd.path, files[:3], lambda *reply: replies.append(reply))
    assert replies[-1][1:] == ("ERROR", "File path check failure: Permission denied.")
    assert clamd_scan.access_error(replies[-1][2])
    assert clamd_scan.scan_one(clamd.path, files[0]) == ("FOUND", "Test.Sig")
    clamd.close()


def test_instream_over_tcp(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    received = []

    def answer():
        connection, _address = listener.accept()
        with connection:
            reader = connection.makefile("rb")
            assert reader.read(10) == b"zINSTREAM\0"
            while True:
                size = struct.unpack(">I", reader.read(4))[0]
                if not size:
                    break
                received.append(reader.read(size))
            connection.sendall(b"stream: Test.Sig FOUND\0")

    threading.Thread(target=answer, daemon=True).start()
    path = tmp_path / "x"
    path.write_bytes(MARK * 30000)
    assert clamd_scan.scan_one(listener.getsockname(), str(path)) == ("FOUND", "Test.Sig")
    assert b"".join(received) == MARK * 30000
    listener.close()


def test_a_session_clamd_drops_is_an_error(tmp_path, files):
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(tmp_path / "s.sock"))
    server.listen(1)

    def drop():
        connection, _address = server.accept()
        connection.recv(100)
        connection.sendall(b"UNKNOWN COMMAND\0")
        connection.close()

    threading.Thread(target=drop, daemon=True).start()
    # Depending on timing the client reads the reply, or finds the connection closed first.
    with pytest.raises(ClamdError, match="answered b'UNKNOWN COMMAND'|Broken pipe|Connection reset"):
        clamd_scan.scan_session(str(tmp_path / "s.sock"), files, lambda *reply: None)
    server.close()
