# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scan options: what a scan may be asked to do, from module parameters or from the server's text.

The server sends a scan configuration's options as free text (protocol.md 9); the legacy agent
pasted it into a shell command line, a command-injection path from the server to every agent.
Here the text is split like a shell would (:func:`shlex.split`, nothing is ever run through a
shell) and every word must be one of the few options below, in clamscan's spelling; anything
else is refused with the list of what is accepted.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Optional, Tuple

from .errors import ArmaditoError

# clamscan's size syntax: a number of bytes, or with a K or M suffix.
_SIZE = re.compile(r"^(\d+)([kKmMgG]?)$")
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
_YES = ("yes", "true", "1", "on")
_NO = ("no", "false", "0", "off")

# Words accepted for compatibility that change nothing: scans are always recursive and only
# detections are reported.
_NO_OPS = ("-r", "--recursive", "-i", "--infected", "--no-summary")
_WITH_VALUE = ("--exclude", "--exclude-dir", "--max-filesize", "--scan-archive")
SUPPORTED = _NO_OPS + tuple(name + "=..." for name in _WITH_VALUE) + ("--no-archive",)


@dataclass(frozen=True)
class ScanOptions:
    """``exclude`` / ``exclude_dir``: regular expressions searched in the full path of a file /
    directory (as clamscan's --exclude / --exclude-dir); ``max_filesize``: bytes, larger files
    are skipped; ``scan_archive``: look inside archives."""

    exclude: Tuple[str, ...] = field(default_factory=tuple)
    exclude_dir: Tuple[str, ...] = field(default_factory=tuple)
    max_filesize: Optional[int] = None
    scan_archive: bool = True

    def __post_init__(self):
        for pattern in self.exclude + self.exclude_dir:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ArmaditoError("invalid exclusion pattern %r: %s" % (pattern, exc),
                                    "give a regular expression, for example \\.iso$")

    def excluded_file(self, path):
        return any(re.search(pattern, path) for pattern in self.exclude)

    def excluded_dir(self, path):
        return any(re.search(pattern, path) for pattern in self.exclude_dir)

    def as_dict(self):
        return {"exclude": list(self.exclude), "exclude_dir": list(self.exclude_dir),
                "max_filesize": self.max_filesize, "scan_archive": self.scan_archive}


def parse(text, base=None):
    """``base`` (default: no option) updated with the options in ``text``; ArmaditoError for any
    word that is not an accepted option."""
    options = base or ScanOptions()
    try:
        words = shlex.split(text or "")
    except ValueError as exc:
        raise ArmaditoError("scan options %r cannot be parsed: %s" % (text, exc), _hint())
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word in _NO_OPS:
            continue
        if word == "--no-archive":
            options = replace(options, scan_archive=False)
            continue
        name, equals, value = word.partition("=")
        if name not in _WITH_VALUE:
            raise ArmaditoError("scan option %r is not supported" % word, _hint())
        if not equals:
            if position == len(words):
                raise ArmaditoError("scan option %s needs a value" % name, _hint())
            value = words[position]
            position += 1
        options = _with(options, name, value)
    return options


def parse_size(value):
    """Bytes from ``25M``, ``100K``, ``1G`` or a plain number; ArmaditoError otherwise."""
    match = _SIZE.match(str(value).strip())
    if not match:
        raise ArmaditoError("invalid size %r" % (value,), "give bytes, or a number with K, M or G, for example 25M")
    return int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]


def _with(options, name, value):
    if name == "--exclude":
        return replace(options, exclude=options.exclude + (value,))
    if name == "--exclude-dir":
        return replace(options, exclude_dir=options.exclude_dir + (value,))
    if name == "--max-filesize":
        return replace(options, max_filesize=parse_size(value))
    if value.lower() in _YES + _NO:
        return replace(options, scan_archive=value.lower() in _YES)
    raise ArmaditoError("--scan-archive takes yes or no, not %r" % value, _hint())


def _hint():
    return "accepted options: %s" % ", ".join(SUPPORTED)
