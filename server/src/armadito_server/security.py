"""Secrets: enrollment keys, agent tokens and admin tokens.

All come from :mod:`secrets` and are stored as SHA-256 digests only.
"""

from __future__ import annotations

import hashlib
import secrets
import string

KEY_ALPHABET = string.digits + string.ascii_uppercase
KEY_GROUPS = 5
KEY_GROUP_LENGTH = 5


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_enrollment_key() -> str:
    """A key in the legacy format ``XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`` (about 129 bits)."""
    return "-".join(
        "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_GROUP_LENGTH))
        for _ in range(KEY_GROUPS)
    )


def new_token(prefix: str) -> str:
    """A bearer token; the prefix (``agt``, ``adm``) tells a reader what kind it is."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
