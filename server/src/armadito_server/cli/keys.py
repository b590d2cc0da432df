"""``key create|list|revoke``: enrollment keys."""

from __future__ import annotations

import sys

from ..services import keys
from .common import emit
from .database import transaction
from .text import fields, table, when


def register(subparsers, common) -> None:
    key = subparsers.add_parser("key", help="enrollment keys")
    commands = key.add_subparsers(dest="key_command", required=True, metavar="COMMAND")

    create = commands.add_parser("create", parents=[common], help="create a key (printed only once)")
    create.add_argument("--uses", type=int, required=True, help=f"enrollments allowed (1..{keys.MAX_USES})")
    create.add_argument("--expires", required=True, help="lifetime (30m, 12h, 7d, 2w) or ISO date (UTC)")
    create.add_argument("--name", help="unique label")
    create.set_defaults(handler=run_create)

    listing = commands.add_parser("list", parents=[common], help="list keys (never the keys themselves)")
    listing.add_argument("--name", help="only the key with this name")
    listing.set_defaults(handler=run_list)

    revoke = commands.add_parser("revoke", parents=[common], help="revoke a key")
    revoke.add_argument("key", metavar="ID|NAME")
    revoke.set_defaults(handler=run_revoke)


def run_create(args) -> None:
    with transaction(args) as session:
        created = keys.create(session, keys.KeyCreate(name=args.name, uses=args.uses, expires=args.expires))
    if not args.json:
        # The key alone on stdout, so that scripts can capture it; the reminder goes to people.
        print(
            f"enrollment key {created.id} allows {created.uses_total} enrollment(s) until "
            f"{when(created.expires_at)} UTC; it is shown only now",
            file=sys.stderr,
        )
    emit(args, created, lambda key: key.key)


def run_list(args) -> None:
    with transaction(args) as session:
        found = keys.listing(session, name=args.name)
    emit(args, found, lambda rows: table(
        ["ID", "NAME", "HINT", "CREATED", "EXPIRES", "USES LEFT", "STATUS"],
        [(k.id, k.name, f"{k.hint}-...", k.created_at, k.expires_at, f"{k.uses_left}/{k.uses_total}", k.status) for k in rows],
        empty="no enrollment key",
    ))


def run_revoke(args) -> None:
    with transaction(args) as session:
        revoked = keys.revoke(session, args.key)
    emit(args, revoked, lambda key: fields([("revoked key", key.id), ("name", key.name), ("revoked at", key.revoked_at)]))
