# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client for clamd's socket protocol (antivirus.md 5.7), on a unix socket or TCP.

The protocol is small enough that the standard library does it; no third-party clamd library
on the managed host.
"""

from __future__ import annotations

import socket

from .clamav_config import ConfigText

DEFAULT_TCP_ADDR = "127.0.0.1"
_REPLY_LIMIT = 1 << 20


class ClamdError(Exception):
    """clamd cannot be reached or gave no reply."""


class Clamd:
    """``address`` is a unix socket path, or ``(host, port)`` for TCP."""

    def __init__(self, address, timeout=5.0):
        self.address = address
        self.timeout = timeout

    def command(self, name):
        """Send one NUL-terminated command (``z`` prefix) and return its reply without the NUL."""
        try:
            if isinstance(self.address, tuple):
                connection = socket.create_connection(self.address, timeout=self.timeout)
            else:
                connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                connection.settimeout(self.timeout)
                connection.connect(self.address)
        except OSError as exc:
            raise ClamdError("cannot connect to clamd at %s: %s" % (describe(self.address), exc))
        with connection:
            try:
                connection.sendall(b"z" + name.encode("ascii") + b"\0")
                reply = b""
                # One command per connection: clamd closes after the reply's NUL.
                while not reply.endswith(b"\0") and len(reply) < _REPLY_LIMIT:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
            except OSError as exc:
                raise ClamdError("clamd at %s did not answer %s: %s" % (describe(self.address), name, exc))
        if not reply:
            raise ClamdError("clamd at %s closed the connection without answering %s" % (describe(self.address), name))
        return reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()

    def ping(self):
        """Whether clamd answers PONG."""
        try:
            return self.command("PING") == "PONG"
        except ClamdError:
            return False

    def version(self):
        """The raw VERSION reply, e.g. ``ClamAV 1.4.6/27000/Sat Nov 28 04:16:48 2026``."""
        return self.command("VERSION")


def parse_address(text):
    """A unix socket path, or ``(host, port)`` from ``host:port`` / ``tcp://host:port``."""
    text = text.strip()
    if text.startswith("tcp://"):
        text = text[len("tcp://"):]
    elif text.startswith("/"):
        return text
    host, dummy, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("expected a socket path or host:port, got %r" % text)
    return (host.strip("[]"), int(port))


def describe(address):
    return "%s:%s" % address if isinstance(address, tuple) else address


def read_config(path):
    """``Key Value`` lines of a clamd.conf, as a dict (the last occurrence of a key wins)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        values = ConfigText(handle.read()).values()
    return dict((key, occurrences[-1]) for key, occurrences in values.items())


def address_from_config(settings):
    """Where clamd listens per its configuration: LocalSocket first, then TCPSocket."""
    if settings.get("LocalSocket"):
        return settings["LocalSocket"]
    if settings.get("TCPSocket", "").isdigit():
        return (settings.get("TCPAddr") or DEFAULT_TCP_ADDR, int(settings["TCPSocket"]))
    return None


def parse_version(reply):
    """``(engine version, database version, database date text)`` from a VERSION reply.

    The database parts are None when clamd loaded no daily database container.
    """
    parts = reply.strip().split("/")
    engine = parts[0].split(" ", 1)[-1].strip()
    database = parts[1].strip() if len(parts) > 1 else None
    built = parts[2].strip() if len(parts) > 2 else None
    return engine, database, built
