"""Value rules of the agent wire protocol: how a JSON value sent by an agent becomes a Python value.

The rules accept everything legacy agents really send (numeric strings for integers, one-element
arrays for scalars, fractional ISO durations, epoch seconds of any width) and reject, with a 400
and the legacy message text, what the legacy server let through by accident (``null`` as an
integer, JSON syntax it could not parse). Protocol reference: sections 3.2 and 19.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .errors import BadRequest

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
# Column width of the short text columns (names, versions, statuses).
NAME_LENGTH = 255

UUID_PATTERN = re.compile(r"^[A-Z0-9]{8}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{12}$")
KEY_PATTERN = re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$")
_CLOCK_DURATION = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_ISO_DURATION = re.compile(
    rf"^P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)
# Years and months have no fixed length; the calendar-free convention below is documented.
_ISO_UNIT_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)

# Engine enum names forwarded by the legacy Armadito AV backend (protocol 4.6).
UPDATE_STATUS_NAMES = {
    "A6O_UPDATE_OK": "up-to-date",
    "A6O_UPDATE_LATE": "late",
    "A6O_UPDATE_CRITICAL": "critical",
    "A6O_UPDATE_NON_AVAILABLE": "non-available",
}
NON_AVAILABLE = "non-available"


def quoted(value: Any) -> str:
    """A value as the legacy messages show it: ``Invalid int : "abc"``."""
    return json.dumps(value) if not isinstance(value, str) else f'"{value}"'


def unwrap(value: Any) -> Any:
    """A one-element array stands for its element (ESET and Kaspersky parsers send ``["131"]``)."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def integer(value: Any, field: str | None = None, *, minimum: int = 0, maximum: int = INT32_MAX) -> int:
    """JSON integers and numeric strings; never ``null``, ``""``, ``false`` or ``[]`` (quirk 24).

    The message is the legacy ``Invalid int : "<v>"``, followed by the field and range when known.
    """
    raw = value
    value = unwrap(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,19}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        where = f" ({field}: an integer from {minimum} to {maximum})" if field else ""
        raise BadRequest(f"Invalid int : {quoted(raw)}{where}")
    return value


def required_integer(value: Any, field: str, *, minimum: int = 0, maximum: int = INT32_MAX) -> int:
    if value is None:
        raise BadRequest(f"{field} is required")
    return integer(value, field, minimum=minimum, maximum=maximum)


def optional_integer(value: Any, field: str, *, minimum: int = 0, maximum: int = INT32_MAX) -> int | None:
    """Like :func:`integer`, but an absent value (``None``) stays absent."""
    return None if value is None else integer(value, field, minimum=minimum, maximum=maximum)


def text(value: Any, field: str, default: str | None = None, max_length: int | None = NAME_LENGTH) -> str | None:
    """A string field; numbers are accepted as their decimal text, absent gives ``default``."""
    value = unwrap(value)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadRequest(f"{field} must be a string")
    value = value if isinstance(value, str) else str(value)
    if max_length is not None and len(value) > max_length:
        raise BadRequest(f"{field} is longer than {max_length} characters")
    return value


def required_text(value: Any, field: str, max_length: int | None = NAME_LENGTH) -> str:
    result = text(value, field, max_length=max_length)
    if result is None:
        raise BadRequest(f"{field} is required")
    return result


def uuid(value: Any) -> str:
    """The agent identity; upper-cased because recent kernels print it in lower case."""
    candidate = unwrap(value)
    if not isinstance(candidate, str) or not UUID_PATTERN.match(candidate.strip().upper()):
        raise BadRequest(f"Invalid UUID : {quoted(value)}")
    return candidate.strip().upper()


def enrollment_key(value: Any) -> str:
    """An enrollment key, trimmed and upper-cased (key files often end with a newline)."""
    candidate = unwrap(value)
    if not isinstance(candidate, str) or not KEY_PATTERN.match(candidate.strip().upper()):
        raise BadRequest(f"Invalid Key format : {quoted(value)}")
    return candidate.strip().upper()


def moment(value: Any, field: str) -> dt.datetime | None:
    """Epoch seconds (number or numeric string, any width) or an ISO 8601 date, as aware UTC.

    Absent gives None. The legacy server wanted exactly 10 digits (quirk 10).
    """
    raw = value
    value = unwrap(value)
    if value is None:
        return None
    problem = f"{field}: Date is not a valid unix timestamp : {quoted(raw)}"
    try:
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
            value = float(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        if isinstance(value, str):
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return utc(parsed)
    except (ValueError, OverflowError, OSError):
        pass
    raise BadRequest(problem)


def utc(value: dt.datetime) -> dt.datetime:
    """Aware UTC; naive datetimes (agents' ISO dates, SQLite read-backs) are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def duration(value: Any, field: str) -> float | None:
    """Seconds from ``HH:MM:SS``, an ISO 8601 duration (fractional parts allowed) or a number.

    ``PT0H1.25M15S`` (the legacy agent's float formatting, quirk 9) is 90 s. Absent gives None.
    """
    raw = value
    value = unwrap(value)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1e12:
        return float(value)
    if isinstance(value, str):
        candidate = value.strip().upper()
        clock = _CLOCK_DURATION.match(candidate)
        if clock:
            hours, minutes, seconds = clock.groups()
            return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        iso = _ISO_DURATION.match(candidate)
        if iso and candidate not in ("P", "PT") and not candidate.endswith("T"):
            parts = (float(part.replace(",", ".")) if part else 0.0 for part in iso.groups())
            seconds = sum(part * unit for part, unit in zip(parts, _ISO_UNIT_SECONDS))
            if seconds < 1e12:
                return seconds
    raise BadRequest(f"{field}: Invalid duration : {quoted(raw)}")


def update_status(value: Any, field: str) -> str:
    """An update status in the four-word vocabulary; engine enum names are translated."""
    status = text(value, field, default=NON_AVAILABLE, max_length=32)
    return UPDATE_STATUS_NAMES.get(status, status)


def config_value(value: Any, field: str) -> str:
    """An ``attr``/``value`` entry's value as the exact string the comparison uses.

    ``true`` -> ``"1"``, ``false`` -> ``"0"``, ``null`` -> ``""``, numbers via ``str``.
    """
    value = unwrap(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise BadRequest(f"{field} must be a string, a number, a boolean or null")


def config_entries(value: Any, field: str) -> dict[str, str]:
    """``[{"attr": ..., "value": ...}, ...]`` as an ordered mapping; a repeated attr keeps the last."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise BadRequest(f'{field} must be an array of {{"attr", "value"}} objects')
    entries: dict[str, str] = {}
    for index, entry in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(entry, dict):
            raise BadRequest(f"{where} must be an object with attr and value")
        attr = required_text(entry.get("attr"), f"{where}.attr", max_length=512)
        if not attr:
            raise BadRequest(f"{where}.attr must not be empty")
        entries[attr] = config_value(entry.get("value"), f"{where}.value")
    return entries
