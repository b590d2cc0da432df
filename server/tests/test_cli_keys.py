"""``armadito-server key ...`` and ``admin-token ...``: secrets shown once, stored hashed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from armadito_server import security
from armadito_server.errors import BadRequest
from armadito_server.models import AdminToken, EnrollmentKey
from armadito_server.services import keys
from armadito_server.services.keys import parse_expiry

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
KEY_FORMAT = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30m", NOW + dt.timedelta(minutes=30)),
        ("12h", NOW + dt.timedelta(hours=12)),
        ("7d", NOW + dt.timedelta(days=7)),
        ("2w", NOW + dt.timedelta(weeks=2)),
        ("2026-12-01", dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)),
        ("2026-12-01T10:00:00+02:00", dt.datetime(2026, 12, 1, 8, tzinfo=dt.timezone.utc)),
    ],
)
def test_expiry_forms(text, expected):
    assert parse_expiry(text, NOW) == expected


@pytest.mark.parametrize("text", ["0d", "7x", "soon", "2026-11-19", "99999w", "2026-13-01"])
def test_bad_expiries_are_refused(text):
    with pytest.raises(BadRequest):
        parse_expiry(text, NOW)


def test_key_is_printed_once_stored_hashed_and_never_listed(cli, database):
    created = cli.json("key", "create", "--uses", "3", "--expires", "7d", "--name", "lab")
    key = created["key"]
    assert KEY_FORMAT.match(key)
    assert created["hint"] == key[:5]
    assert (created["uses_left"], created["uses_total"], created["status"]) == (3, 3, "active")

    with database.transaction() as session:
        row = session.scalar(select(EnrollmentKey))
    assert row.key_hash == security.digest(key)

    listed = cli.json("key", "list")
    assert [item["id"] for item in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert key not in cli.run("key", "list").stdout
    assert key not in cli.run("key", "list", "--json").stdout


def test_human_create_prints_only_the_key_on_stdout(cli):
    result = cli.run("key", "create", "--uses", "1", "--expires", "1h")
    assert KEY_FORMAT.match(result.stdout.strip())
    assert "shown only now" in result.stderr


def test_revoke_by_name_then_by_id(cli, database):
    with database.transaction() as session:
        first = keys.create(session, keys.KeyCreate(name="first", uses=1, expires="1d"))
        second = keys.create(session, keys.KeyCreate(uses=1, expires="1d"))
        keys.create(session, keys.KeyCreate(name="kept", uses=1, expires="1d"))
    assert cli.json("key", "revoke", "first")["status"] == "revoked"
    assert cli.run("key", "revoke", str(second.id)).stdout.startswith(f"revoked key: {second.id}")
    with database.transaction() as session:
        statuses = {key.name: key.status for key in keys.listing(session)}
    assert statuses == {"first": "revoked", None: "revoked", "kept": "active"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["key", "create", "--uses", "0", "--expires", "7d"], "uses"),
        (["key", "create", "--uses", "x", "--expires", "7d"], "--uses"),
        (["key", "create", "--uses", "1", "--expires", "tomorrow"], "neither a duration"),
        (["key", "revoke", "99999999999999999999"], "no enrollment key '99999999999999999999'"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(cli, args, message):
    result = cli.run(*args, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_duplicate_key_name_is_refused(cli, database):
    with database.transaction() as session:
        keys.create(session, keys.KeyCreate(name="lab", uses=1, expires="1d"))
    result = cli.run("key", "create", "--uses", "1", "--expires", "1d", "--name", "lab", check=False)
    assert result.returncode == 1
    assert "already exists" in result.stderr


def test_admin_token_create_list_revoke(cli, database):
    created = cli.json("admin-token", "create", "--name", "ansible")
    assert created["token"].startswith("adm_")
    with database.transaction() as session:
        assert session.scalar(select(AdminToken.token_hash)) == security.digest(created["token"])
    listed = cli.json("admin-token", "list")
    assert [(item["name"], item["revoked_at"]) for item in listed] == [("ansible", None)]
    assert "token" not in listed[0]
    assert cli.json("admin-token", "revoke", "ansible")["revoked_at"] is not None
    assert cli.json("admin-token", "list")[0]["revoked_at"] is not None
