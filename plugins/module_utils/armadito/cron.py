# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Cron expressions: the full syntax validated, and translated into systemd ``OnCalendar`` values.

Five fields (minute, hour, day of month, month, day of week), each a comma list of ``*``,
``N``, ``N-M``, ``*/S`` or ``N-M/S``; month and weekday names (``JAN``, ``MON``, any case);
weekday 0 and 7 are Sunday; and the macros ``@hourly``, ``@daily``, ``@midnight``, ``@weekly``,
``@monthly``, ``@yearly``, ``@annually``, ``@reboot``. ``N/S`` is refused: cron implementations
disagree on it (cronie reads N-max/S, Vixie cron just N).
"""

from __future__ import annotations

import re
from collections import namedtuple

from .errors import ArmaditoError

REBOOT = "@reboot"
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
SYSTEMD_WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")

Field = namedtuple("Field", ["name", "low", "high", "names", "name_base"])
FIELDS = (
    Field("minute", 0, 59, (), 0),
    Field("hour", 0, 23, (), 0),
    Field("day of month", 1, 31, (), 0),
    Field("month", 1, 12, MONTHS, 1),
    Field("day of week", 0, 7, WEEKDAYS, 0),
)

Item = namedtuple("Item", ["start", "end", "step", "star"])
"""``start``..``end`` every ``step``; ``star``: written as ``*`` (or ``*/S``)."""

Expression = namedtuple("Expression", ["text", "fields"])
"""``fields``: five lists of :class:`Item`, or None for ``@reboot``."""

_ITEM = re.compile(r"^(?P<range>\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/(?P<step>[0-9]+))?$")
HINT = ("write five fields (minute hour day-of-month month day-of-week) such as '*/10 * * * *' or "
        "'0 6 * * MON-FRI', or a macro such as @daily")


def parse(text):
    """The :class:`Expression` of ``text``, or ArmaditoError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ArmaditoError("empty cron frequency", HINT)
    text = " ".join(text.split())
    if text.startswith("@"):
        if text == REBOOT:
            return Expression(text, None)
        if text.lower() not in MACROS:
            raise ArmaditoError("unknown cron macro %r" % text, HINT)
        return Expression(text, parse(MACROS[text.lower()]).fields)
    words = text.split(" ")
    if len(words) != len(FIELDS):
        raise ArmaditoError("cron frequency %r has %d fields, not 5" % (text, len(words)), HINT)
    return Expression(text, [_field(word, field, text) for word, field in zip(words, FIELDS)])


def validate(text):
    """``text`` with its whitespace normalised, once it parsed."""
    return parse(text).text


def _field(word, field, text):
    items = []
    for part in word.split(","):
        match = _ITEM.match(part)
        if not match:
            raise _error(text, field, "%r is not *, N, N-M, */S or N-M/S" % part)
        step = int(match.group("step")) if match.group("step") else 1
        if match.group("range") == "*":
            start, end, star = field.low, field.high if field.name != "day of week" else 6, True
        else:
            bounds = match.group("range").split("-")
            start = _value(bounds[0], field, text)
            end = _value(bounds[-1], field, text)
            star = False
            if len(bounds) == 1 and match.group("step"):
                raise _error(text, field, "%r is ambiguous (cron implementations disagree): write %s-%d/%s or */%s"
                             % (part, bounds[0], field.high, step, step))
            if start > end:
                raise _error(text, field, "range %r runs backwards" % part)
        if not 1 <= step <= field.high:
            raise _error(text, field, "step %d of %r is out of 1-%d" % (step, part, field.high))
        items.append(Item(start, end, step, star))
    return items


def _value(word, field, text):
    if word.isdigit():
        value = int(word)
    elif word.upper() in field.names:
        value = field.names.index(word.upper()) + field.name_base
    else:
        names = " (or %s-%s)" % (field.names[0], field.names[-1]) if field.names else ""
        raise _error(text, field, "%r is not a number%s" % (word, names))
    if not field.low <= value <= field.high:
        raise _error(text, field, "%d is out of %d-%d" % (value, field.low, field.high))
    return value


def _error(text, field, why):
    return ArmaditoError("invalid cron frequency %r: %s field: %s" % (text, field.name, why), HINT)


def values(items, field):
    """The set of values ``items`` match (weekday 7 folded onto 0, Sunday)."""
    matched = set()
    for item in items:
        matched.update(range(item.start, item.end + 1, item.step))
    if field.name == "day of week" and 7 in matched:
        matched.discard(7)
        matched.add(0)
    return matched


def starred(items):
    """Whether a field is written starting with ``*``: cron ORs day of month and day of week
    only when neither is (``*/2`` counts as starred, as in Vixie cron and cronie)."""
    return items[0].star


def on_calendar(text):
    """The systemd ``OnCalendar`` values that fire when cron would, or ``[]`` for ``@reboot``.

    Two values when neither day field is starred: cron fires when either matches, systemd
    when all fields of one value do.
    """
    expression = parse(text)
    if expression.fields is None:
        return []
    minute, hour, day, month, weekday = expression.fields
    clock = "%s:%s:00" % (_systemd_items(hour), _systemd_items(minute))
    months = _systemd_items(month)
    days = _systemd_items(day)
    weekdays = values(weekday, FIELDS[4])
    # Monday first, as systemd prints them.
    weekday_names = ",".join(SYSTEMD_WEEKDAYS[number] for number in (1, 2, 3, 4, 5, 6, 0) if number in weekdays)
    if not starred(day) and not starred(weekday):
        return ["*-%s-%s %s" % (months, days, clock), "%s *-%s-* %s" % (weekday_names, months, clock)]
    prefix = "" if len(weekdays) == 7 else weekday_names + " "
    return ["%s*-%s-%s %s" % (prefix, months, days, clock)]


def _systemd_items(items):
    parts = []
    for item in items:
        if item.star:
            text = "*" if item.step == 1 else "%02d/%d" % (item.start, item.step)
        elif item.start == item.end:
            text = "%02d" % item.start
        else:
            text = "%02d..%02d" % (item.start, item.end) + ("/%d" % item.step if item.step > 1 else "")
        parts.append(text)
    return ",".join(parts)
