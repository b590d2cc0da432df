"""API errors: every failure leaves the server as JSON ``{"error": "<message>"}``.

Messages keep the legacy wording where the legacy server had one (``Invalid UUID : "x"``), and
the status codes are meaningful (the legacy server answered 500 to everything).
"""

from __future__ import annotations

from pydantic import BaseModel


class Error(BaseModel):
    """The body of every error response, agent and admin API alike."""

    error: str


class ApiError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    """Malformed or invalid body or query."""

    status_code = 400


class Unauthorized(ApiError):
    """Missing or wrong bearer token."""

    status_code = 401


class Forbidden(ApiError):
    """Authenticated, but the request is about another agent."""

    status_code = 403


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    """Illegal state transition or duplicate."""

    status_code = 409


class PayloadTooLarge(ApiError):
    status_code = 413
