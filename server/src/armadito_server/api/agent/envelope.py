"""The common JSON envelope of every agent POST (protocol 3.1), read from the raw body.

Bodies are parsed by hand rather than by pydantic so that legacy agents get the legacy messages
(``Invalid request sent to plugin index``, ``Json parsing error : ...``) and so that the lenient
value rules of :mod:`armadito_server.wire` apply.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from fastapi import Request

from ... import wire
from ...errors import BadRequest
from ...services.antiviruses import AntivirusIdentity

EMPTY_REQUEST = "Invalid request sent to plugin index"


@dataclasses.dataclass(frozen=True)
class Envelope:
    agent_id: int
    uuid: Any  # as sent; validated by the endpoints that need it
    agent_version: str | None
    task: dict[str, Any]
    obj: Any

    def antivirus(self) -> AntivirusIdentity:
        """``task.antivirus``, required at enrollment only (other endpoints use the stored one)."""
        antivirus = self.task.get("antivirus")
        if not isinstance(antivirus, dict):
            raise BadRequest("task.antivirus must be an object with name, version and os_info.name")
        os_info = antivirus.get("os_info")
        if not isinstance(os_info, dict):
            raise BadRequest("task.antivirus.os_info must be an object with a name")
        return AntivirusIdentity(
            name=wire.required_text(antivirus.get("name"), "task.antivirus.name"),
            version=wire.required_text(antivirus.get("version"), "task.antivirus.version"),
            os=wire.required_text(os_info.get("name"), "task.antivirus.os_info.name"),
        )

    def obj_object(self) -> dict[str, Any]:
        """``task.obj`` where the endpoint expects an object."""
        if not isinstance(self.obj, dict):
            raise BadRequest("task.obj must be an object")
        return self.obj


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> Any:
    """The body as JSON; every defect is a 400 with the legacy wording."""
    if not body:
        raise BadRequest(EMPTY_REQUEST)
    try:
        document = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"Json parsing error : {exc}") from None
    _check_strings(document)
    return document


def _check_strings(document: Any) -> None:
    """Refuse strings the databases cannot store: NUL characters and lone UTF-16 surrogates."""
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequest("Json parsing error : invalid Unicode text (lone surrogate)") from None
            if "\x00" in value:
                raise BadRequest("Json parsing error : NUL characters are not accepted in text")


def parse_envelope(body: bytes) -> Envelope:
    document = parse_json(body)
    if not isinstance(document, dict):
        raise BadRequest("the request body must be a JSON object (the agent envelope)")
    if "agent_id" not in document:
        raise BadRequest("agent_id is required")
    task = document.get("task")
    if not isinstance(task, dict):
        raise BadRequest("task must be an object")
    if "obj" not in task:
        raise BadRequest("task.obj is required")
    return Envelope(
        agent_id=wire.integer(document["agent_id"]),
        uuid=document.get("uuid"),
        agent_version=wire.text(document.get("agent_version"), "agent_version"),
        task=task,
        obj=task["obj"],
    )


async def read_envelope(request: Request) -> Envelope:
    """FastAPI dependency: the parsed envelope of a POST."""
    return parse_envelope(await request.body())
