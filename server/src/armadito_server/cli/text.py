"""Human output: aligned tables and readable times."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional, Sequence


def when(value: Optional[dt.datetime]) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def duration(seconds: Optional[float]) -> str:
    """The legacy console's ``%dd %Hh %Im %Ss``, leading zero units left out."""
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "d"), (hours, "h"), (minutes, "m")]
    shown = [f"{amount}{unit}" for amount, unit in parts if amount] + [f"{secs}s"]
    return " ".join(shown)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        return when(value)
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "nothing to show") -> str:
    if not rows:
        return empty
    cells = [[cell(value) for value in row] for row in rows]
    widths = [max(len(header), *(len(row[i]) for row in cells)) for i, header in enumerate(headers)]
    lines = [headers, *cells]
    return "\n".join("  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip() for line in lines)


def fields(pairs: Sequence[tuple[str, Any]]) -> str:
    """``name: value`` lines, names aligned."""
    width = max(len(name) for name, _ in pairs)
    return "\n".join(f"{(name + ':').ljust(width + 1)} {cell(value)}" for name, value in pairs)
