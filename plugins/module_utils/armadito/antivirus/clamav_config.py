# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""clamd.conf and freshclam.conf: ``Key Value`` lines, read and rewritten in place.

A rewrite touches only the lines of the keys it changes; comments, blank lines and the order of
everything else stay as they were, so a diff of the file shows exactly the requested change.
A key may appear several times (``OnAccessIncludePath``, ``ExcludePath``, ``DatabaseMirror``):
its value is then the list of its values, in file order.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict

from ..errors import ArmaditoError

# Debian/Ubuntu first, then RHEL/Fedora (clamd@scan).
CLAMD_CONFIGS = ("/etc/clamav/clamd.conf", "/etc/clamd.d/scan.conf")
FRESHCLAM_CONFIGS = ("/etc/clamav/freshclam.conf", "/etc/freshclam.conf")

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def default_path(candidates):
    """The first of ``candidates`` that exists, else the first one."""
    return next((path for path in candidates if os.path.exists(path)), candidates[0])


def _directive(line):
    """``(key, value)`` of a configuration line, or None for comments and blank lines."""
    # As clamd.conf readers always did here: everything from '#' on is a comment.
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    key, dummy, value = text.partition(" ")
    return key, value.strip()


class ConfigText:
    """The lines of one configuration file."""

    def __init__(self, text):
        self.lines = text.splitlines()

    def text(self):
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def values(self):
        """``{key: [values]}`` in the order the keys first appear."""
        values = OrderedDict()
        for line in self.lines:
            directive = _directive(line)
            if directive:
                values.setdefault(directive[0], []).append(directive[1])
        return values

    def apply(self, desired):
        """A new ConfigText with ``desired`` (``{key: [values] or None}``) applied, and the
        ``{key: (before values, after values)}`` of the keys that changed."""
        lines = list(self.lines)
        current = self.values()
        changes = OrderedDict()
        for key, wanted in desired.items():
            before = current.get(key, [])
            after = list(wanted or [])
            if before == after:
                continue
            changes[key] = (before, after)
            lines = _rewrite(lines, key, after)
        result = ConfigText("")
        result.lines = lines
        return result, changes


def _rewrite(lines, key, values):
    positions = [index for index, line in enumerate(lines) if (_directive(line) or (None,))[0] == key]
    replacement = ["%s %s" % (key, value) for value in values]
    if positions:
        # The new values take the place of the first occurrence; the other occurrences go.
        first = positions[0]
        kept = [line for index, line in enumerate(lines) if index not in positions[1:]]
        return kept[:first] + replacement + kept[first + 1:]
    # A new key goes under its commented-out example ("#MaxThreads 20") when there is one.
    example = re.compile(r"^#\s*%s(\s|$)" % re.escape(key))
    for index, line in enumerate(lines):
        if example.match(line):
            return lines[:index + 1] + replacement + lines[index + 1:]
    return lines + replacement


def normalize(kind, config):
    """``{key: [strings] or None}`` from a user's ``{key: value}``: booleans become yes/no,
    numbers their text, a list a repeated key, None a removal. ArmaditoError for what no
    configuration line can hold."""
    normalized = OrderedDict()
    for key, value in config.items():
        if not _KEY.match(str(key)):
            raise ArmaditoError("invalid %s key %r" % (kind, key), "keys are letters and digits, as in MaxThreads")
        if value is None:
            normalized[key] = None
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values:
            raise ArmaditoError("%s:%s is an empty list" % (kind, key), "give null to remove the key")
        normalized[key] = [_text(kind, key, item) for item in values]
    return normalized


def _text(kind, key, value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list, tuple)) or value is None:
        raise ArmaditoError("%s:%s has an invalid value %r" % (kind, key, value), "give a string, a number or a boolean")
    text = str(value).strip()
    if not text or "\n" in text or "\0" in text or "#" in text:
        raise ArmaditoError("%s:%s has an invalid value %r" % (kind, key, value),
                            "give a non-empty single-line value without '#'")
    return text


def read(path):
    """The :class:`ConfigText` of ``path``; ArmaditoError when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return ConfigText(handle.read())
    except OSError as exc:
        raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "check the path, or run as root")
