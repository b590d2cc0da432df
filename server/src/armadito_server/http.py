"""HTTP plumbing shared by every route: legacy URL forms, body size limit, error bodies."""

from __future__ import annotations

import json
import re

from fastapi.responses import JSONResponse

_SLASHES = re.compile(r"/{2,}")
API_HEADERS = {"X-ArmaditoPlugin-Version": "0.10.1"}


def error_response(status_code: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status_code, headers={**API_HEADERS, **(headers or {})})


def normalize_path(path: str, prefix: str = "") -> str:
    """``//glpi/plugins/armadito//api/jobs/index.php`` -> ``/api/jobs``.

    Legacy agents concatenate a configured base URL with ``/api/<x>``, and the legacy server was
    a directory of ``index.php`` files, so all of these forms name the same endpoint.
    """
    path = _SLASHES.sub("/", path)
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):] or "/"
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


class LegacyPathMiddleware:
    def __init__(self, app, prefix: str = "") -> None:
        self.app = app
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = normalize_path(scope["path"], self.prefix)
            if path != scope["path"]:
                scope = dict(scope, path=path, raw_path=path.encode("utf-8"))
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Answers 413 to bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_body_bytes
                except ValueError:
                    too_large = False
                if too_large:
                    await self._reject(send)
                    return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._reject(send)

    async def _reject(self, send) -> None:
        body = json.dumps(
            {"error": f"request body is larger than the server's limit of {self.max_body_bytes} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass
