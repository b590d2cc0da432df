"""``scanconfig create|list``: what Scan jobs scan."""

from __future__ import annotations

from ..services import scanconfigs
from .common import emit
from .database import transaction
from .text import table


def register(subparsers, common) -> None:
    scanconfig = subparsers.add_parser("scanconfig", help="scan configurations")
    commands = scanconfig.add_subparsers(dest="scanconfig_command", required=True, metavar="COMMAND")

    create = commands.add_parser("create", parents=[common], help="create a scan configuration")
    create.add_argument("--name", required=True)
    create.add_argument("--path", required=True, help="what to scan")
    create.add_argument("--options", default="", help="engine options; write --options=-r when they start with -")
    create.add_argument("--antivirus", required=True, help="engine name as agents report it, e.g. ClamAV")
    create.set_defaults(handler=run_create)

    commands.add_parser("list", parents=[common], help="list scan configurations").set_defaults(handler=run_list)


def run_create(args) -> None:
    spec = scanconfigs.ScanConfigCreate(name=args.name, path=args.path, options=args.options, antivirus=args.antivirus)
    with transaction(args) as session:
        created = scanconfigs.create(session, spec)
    emit(args, created, lambda config: f"created scan configuration {config.id} ({config.name})")


def run_list(args) -> None:
    with transaction(args) as session:
        found = scanconfigs.listing(session)
    emit(args, found, lambda rows: table(
        ["ID", "NAME", "ANTIVIRUS", "PATH", "OPTIONS"],
        [(c.id, c.name, c.antivirus, c.path, c.options) for c in rows],
        empty="no scan configuration",
    ))
