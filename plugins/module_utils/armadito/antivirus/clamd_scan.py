# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scanning files through clamd (antivirus.md 5.7).

Many files go through one ``IDSESSION``: clamd hands each ``SCAN`` of the session to its thread
pool, so the files are scanned in parallel as with ``MULTISCAN``, while the agent keeps its own
file list (exclusions, size limit, counts, progress). A file clamd cannot open itself (it runs
as ``clamav``) is sent again as an open descriptor (``FILDES``, unix socket) or as a stream
(``INSTREAM``, TCP), so that it is scanned rather than reported as an error.
"""

from __future__ import annotations

import array
import os
import socket
import struct

from .clamd import ClamdError, describe

# Requests in flight in a session. clamd stops reading a session whose queue is full; with at
# most this many replies pending, they always fit in the socket buffers and nobody blocks.
WINDOW = 32
_CHUNK = 1 << 16
# Errors that mean "clamd may not open this file", not "the file is bad".
_ACCESS_ERRORS = ("Permission denied", "Access denied", "Operation not permitted")

OK = "OK"
FOUND = "FOUND"
ERROR = "ERROR"


def parse_reply(text, path=None):
    """``(subject, status, detail)`` of ``<path>: OK``, ``<path>: <signature> FOUND`` or
    ``<path>: <message> ERROR``.

    Paths may contain ``": "``: a signature name never does, so FOUND is split from the right;
    an error message often does ("File path check failure: ..."), so ERROR is split after the
    ``path`` that was asked for when it is known, else at the first ``": "``.
    """
    if path is not None and text.startswith(path + ": "):
        subject, rest = path, text[len(path) + 2:]
    else:
        subject, rest = None, text
    for status in (FOUND, ERROR):
        if rest.endswith(" " + status):
            body = rest[:-len(status) - 1]
            if subject is not None:
                return subject, status, body
            split = body.rpartition(": ") if status == FOUND else body.partition(": ")
            if split[1]:
                return split[0], status, split[2]
    if rest == OK or rest.endswith(": " + OK):
        return (subject if subject is not None else rest[:-len(OK) - 2]), OK, None
    return subject, ERROR, rest


def access_error(detail):
    return any(reason in (detail or "") for reason in _ACCESS_ERRORS)


def connect(address, timeout):
    try:
        if isinstance(address, tuple):
            return socket.create_connection(address, timeout=timeout)
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(address)
        return connection
    except OSError as exc:
        raise ClamdError("cannot connect to clamd at %s: %s" % (describe(address), exc))


def scan_session(address, files, on_reply, timeout=600.0, window=WINDOW):
    """``SCAN`` every path of ``files`` in one session; ``on_reply(path, status, detail)`` for each.

    ``timeout`` bounds the wait for any one reply (a big archive can take minutes).
    """
    with connect(address, timeout) as connection:
        try:
            connection.sendall(b"zIDSESSION\0")
            pending = {}
            buffered = b""
            position = 0
            while position < len(files) or pending:
                batch = []
                while position < len(files) and len(pending) < window:
                    position += 1
                    pending[position] = files[position - 1]
                    batch.append(b"zSCAN " + os.fsencode(files[position - 1]) + b"\0")
                if batch:
                    connection.sendall(b"".join(batch))
                chunk = connection.recv(_CHUNK)
                if not chunk:
                    raise ClamdError("clamd at %s closed the session with %d replies missing"
                                     % (describe(address), len(pending)))
                buffered += chunk
                *replies, buffered = buffered.split(b"\0")
                for reply in replies:
                    number, separator, text = reply.decode("utf-8", "surrogateescape").partition(": ")
                    if not separator or not number.isdigit() or not 0 < int(number) <= position:
                        # "UNKNOWN COMMAND" or a limit message: the session is no longer usable.
                        raise ClamdError("clamd at %s answered %r" % (describe(address), reply[:200]))
                    if int(number) not in pending:
                        # clamd (1.4) sends an ERROR reply of a session twice: the copy adds nothing.
                        continue
                    path = pending.pop(int(number))
                    dummy, status, detail = parse_reply(text, path)
                    on_reply(path, status, detail)
            connection.sendall(b"zEND\0")
        except OSError as exc:
            raise ClamdError("scan session with clamd at %s failed: %s" % (describe(address), exc))


def scan_one(address, path, timeout=600.0):
    """``(status, detail)`` of ``path`` scanned from a descriptor opened by this process."""
    with open(path, "rb") as handle, connect(address, timeout) as connection:
        try:
            if isinstance(address, tuple):
                connection.sendall(b"zINSTREAM\0")
                while True:
                    chunk = handle.read(_CHUNK)
                    connection.sendall(struct.pack(">I", len(chunk)) + chunk)
                    if not chunk:
                        break
            else:
                connection.sendall(b"zFILDES\0")
                descriptors = array.array("i", [handle.fileno()])
                connection.sendmsg([b"\0"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, descriptors)])
            reply = b""
            while not reply.endswith(b"\0"):
                chunk = connection.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError as exc:
            raise ClamdError("clamd at %s failed to scan %s: %s" % (describe(address), path, exc))
    dummy, status, detail = parse_reply(reply.rstrip(b"\0").decode("utf-8", "surrogateescape"))
    return status, detail
