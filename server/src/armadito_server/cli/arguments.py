"""Argument kinds several commands share."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def add_scope_options(parser: argparse.ArgumentParser, required: bool) -> None:
    """--antivirus NAME | --agent ID | --all: whom desired settings apply to."""
    scope = parser.add_mutually_exclusive_group(required=required)
    scope.add_argument("--antivirus", metavar="NAME", help="agents running this engine, e.g. ClamAV")
    scope.add_argument("--agent", metavar="ID|UUID", help="one agent")
    scope.add_argument("--all", action="store_true", help="every agent")


def scope_of(args: argparse.Namespace) -> str | None:
    """The scope the options name, or None when none was given."""
    if args.all:
        return "all"
    if args.antivirus is not None:
        return f"antivirus:{args.antivirus}"
    if args.agent is not None:
        return f"agent:{args.agent}"
    return None
