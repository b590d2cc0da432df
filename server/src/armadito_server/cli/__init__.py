"""The ``armadito-server`` command line.

Administration commands work on the database directly (``--database-url`` or
``ARMADITO_DATABASE_URL``), so they need no running server. Every command accepts ``--json``
and then prints one JSON document on stdout; failures are one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Sequence

from pydantic import ValidationError

from .. import __version__
from ..errors import ApiError
from ..settings import DEFAULT_DATABASE_URL
# Each command module adds its sub-commands: register(subparsers, common) -> None.
from . import admin_tokens, agents, desired, jobs, keys, scanconfigs, serve
from .common import CommandError, emit  # noqa: F401  (emit: used by serve)


class Parser(argparse.ArgumentParser):
    """Reports usage mistakes like every other failure: one line, exit status 1."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{self.prog}: {message} (see --help)")


COMMAND_MODULES = [serve, keys, admin_tokens, scanconfigs, jobs, desired, agents]


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--database-url",
        default=None,
        help=f"database URL (env ARMADITO_DATABASE_URL, default {DEFAULT_DATABASE_URL})",
    )
    common.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")
    parser = Parser(prog="armadito-server", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"armadito-server {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    return parser


def describe_invalid(exc: ValidationError) -> str:
    """One line naming each invalid value, e.g. ``uses: Input should be greater than or equal to 1``."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        if error["type"] == "string_pattern_mismatch":
            message = f"{error['input']!r} does not match {error['ctx']['pattern']}"
        else:
            message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args) or 0
    except (CommandError, ApiError) as exc:
        print(f"armadito-server: {exc}", file=sys.stderr)
    except ValidationError as exc:
        print(f"armadito-server: {describe_invalid(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1
