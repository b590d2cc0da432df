# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading the new lines of a log file from a bookmark, across log rotation.

A bookmark is ``{"device", "inode", "offset", "head", "head_size"}``: which file, how far it was
read, and a digest of its first bytes. The digest recognises the file after it was renamed
(logrotate's default) and also its copy after ``copytruncate`` (a new inode holding the old
content, while the original inode restarts empty): the rest of the old content is read from
the rotated file, then the new file from its start, so nothing is lost and nothing repeats.

Only the most recently rotated file is followed: lines of a file rotated twice between two
runs, or compressed before it was read, cannot be recovered.
"""

from __future__ import annotations

import hashlib
import os

HEAD_BYTES = 1024
# Rotated names are <log>.1, <log>-20261128, <log>.old...; compressed ones cannot be read.
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".lz4")


def read_new_lines(path, bookmark, limit):
    """``(lines, bookmark)``: at most ``limit`` complete new lines of the log ``path`` (text
    without the newline) and the bookmark after them. ``bookmark`` None starts at the beginning
    of the current file; a missing file gives no lines and keeps the bookmark."""
    lines = []
    source, offset = _locate(path, bookmark) if bookmark else (path, 0)
    while True:
        taken, offset, at_end, identity = _read(source, offset, limit - len(lines), final=source != path)
        lines.extend(taken)
        if identity is not None:
            bookmark = identity
        if source == path or not at_end or len(lines) >= limit:
            break
        # The rotated file is finished: go on with the current one from its start.
        source, offset = path, 0
    return lines, bookmark


def _locate(path, bookmark):
    """Where reading resumes: ``(file, offset)``, preferring the bookmarked inode."""
    candidates = [path] + _rotated(path)
    matches = [candidate for candidate in candidates if _continues(candidate, bookmark)]
    if not matches:
        # The bookmarked content is gone (rotated away and compressed or deleted).
        return path, 0
    same_inode = [candidate for candidate in matches if _same_inode(candidate, bookmark)]
    return (same_inode or matches)[0], bookmark["offset"]


def _continues(candidate, bookmark):
    try:
        with open(candidate, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(bookmark["head_size"])
    except OSError:
        return False
    return size >= bookmark["offset"] and hashlib.sha256(head).hexdigest() == bookmark["head"]


def _same_inode(candidate, bookmark):
    try:
        info = os.stat(candidate)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == (bookmark["device"], bookmark["inode"])


def _rotated(path):
    directory, name = os.path.split(path)
    try:
        siblings = [os.path.join(directory, entry) for entry in os.listdir(directory or ".")
                    if entry != name and entry.startswith(name) and not entry.endswith(_COMPRESSED)]
    except OSError:
        return []
    # The most recently written first: that is the one rotated last.
    return sorted(siblings, key=_mtime, reverse=True)


def _mtime(path):
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0


def _read(path, offset, limit, final):
    """``(lines, offset after them, reached the end, bookmark)`` of ``path`` from ``offset``.

    A last line without its newline is still being written, unless the file is ``final`` (rotated).
    """
    try:
        handle = open(path, "rb")
    except OSError:
        return [], offset, True, None
    lines = []
    with handle:
        info = os.fstat(handle.fileno())
        handle.seek(offset)
        at_end = False
        while len(lines) < limit:
            raw = handle.readline()
            if not raw or (not raw.endswith(b"\n") and not final):
                at_end = True
                break
            offset += len(raw)
            lines.append(raw.rstrip(b"\r\n").decode("utf-8", "replace"))
        else:
            at_end = handle.read(1) == b""
        handle.seek(0)
        # Only bytes before the offset: they no longer change, so the digest stays valid.
        head = handle.read(min(HEAD_BYTES, offset))
    bookmark = {"device": info.st_dev, "inode": info.st_ino, "offset": offset,
                "head": hashlib.sha256(head).hexdigest(), "head_size": len(head)}
    return lines, offset, at_end, bookmark
