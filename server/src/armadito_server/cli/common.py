"""What every command shares: its error type and its output."""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable

from pydantic import BaseModel


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit status 1."""


def jsonable(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list):
        return [jsonable(item) for item in data]
    return data


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    """Print ``data`` as JSON with ``--json``, else as ``text(data)`` for people."""
    if args.json:
        print(json.dumps(jsonable(data), indent=2))
    else:
        print(text(data))
