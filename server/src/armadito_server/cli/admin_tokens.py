"""``admin-token create|list|revoke``: bearer tokens of the admin API."""

from __future__ import annotations

import sys

from ..services import admin_tokens
from .common import emit
from .database import transaction
from .text import fields, table


def register(subparsers, common) -> None:
    token = subparsers.add_parser("admin-token", help="admin API tokens")
    commands = token.add_subparsers(dest="token_command", required=True, metavar="COMMAND")

    create = commands.add_parser("create", parents=[common], help="create a token (printed only once)")
    create.add_argument("--name", required=True, help="unique label, e.g. who or what uses it")
    create.set_defaults(handler=run_create)

    commands.add_parser("list", parents=[common], help="list tokens").set_defaults(handler=run_list)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a token")
    revoke.add_argument("token", metavar="ID|NAME")
    revoke.set_defaults(handler=run_revoke)


def run_create(args) -> None:
    with transaction(args) as session:
        created = admin_tokens.create(session, admin_tokens.TokenCreate(name=args.name))
    if not args.json:
        print(f"admin token {created.id} ({created.name}); it is shown only now", file=sys.stderr)
    emit(args, created, lambda token: token.token)


def run_list(args) -> None:
    with transaction(args) as session:
        found = admin_tokens.listing(session)
    emit(args, found, lambda rows: table(
        ["ID", "NAME", "CREATED", "REVOKED"],
        [(t.id, t.name, t.created_at, t.revoked_at) for t in rows],
        empty="no admin token",
    ))


def run_revoke(args) -> None:
    with transaction(args) as session:
        revoked = admin_tokens.revoke(session, args.token)
    emit(args, revoked, lambda t: fields([("revoked admin token", t.id), ("name", t.name), ("revoked at", t.revoked_at)]))
