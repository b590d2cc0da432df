"""The ``armadito-server`` command line.

Administration commands work on the database directly (``--database-url`` or
``ARMADITO_DATABASE_URL``), so they need no running server. Every command accepts ``--json``
and then prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Sequence

from .. import __version__
from ..settings import DEFAULT_DATABASE_URL

# Each command module adds its sub-commands: register(subparsers) -> None.
from . import serve

COMMAND_MODULES = [serve]


class CommandError(Exception):
    """A failure to report as one line on stderr, with exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=None,
        help=f"database URL (env ARMADITO_DATABASE_URL, default {DEFAULT_DATABASE_URL})",
    )
    common.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    parser = argparse.ArgumentParser(prog="armadito-server", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"armadito-server {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    return parser


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    """Print ``data`` as JSON with ``--json``, else as ``text(data)`` for people."""
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print(text(data))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except CommandError as exc:
        print(f"armadito-server: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
