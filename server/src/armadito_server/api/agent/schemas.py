"""OpenAPI description of the agent API: response models and request-body schemas.

Request bodies are parsed by :mod:`.envelope` and :mod:`armadito_server.wire` (legacy messages,
lenient legacy values), so their schemas are declared here for the document only. They describe
what agents send; the value rules the server applies on top are in docs/agent-api.md.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from ...errors import Error


class Empty(BaseModel):
    """Success of an endpoint that answered an empty body in the legacy protocol."""

    model_config = ConfigDict(extra="forbid")


class Enrolled(BaseModel):
    agent_id: int
    scheduler_id: int
    agent_token: str


class AntivirusInfo(BaseModel):
    name: str
    version: str
    os: str


class AgentIdentity(BaseModel):
    agent_id: int
    scheduler_id: Optional[int]
    uuid: str
    antivirus: AntivirusInfo


class ScanJobObject(BaseModel):
    scanconfig_id: int
    scan_name: str
    scan_path: str
    scan_options: str


class JobOut(BaseModel):
    job_id: int
    job_type: str
    job_priority: str
    obj: ScanJobObject


class Jobs(BaseModel):
    jobs: list[JobOut]


class DesiredEntry(BaseModel):
    attr: str
    value: Optional[str]


class DesiredAvconfig(BaseModel):
    agent_id: int
    antivirus: str
    avconfig: list[DesiredEntry]


class DesiredSchedule(BaseModel):
    agent_id: int
    scheduler_id: Optional[int]
    confdetails: list[DesiredEntry]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for the error codes an endpoint can answer."""
    meaning = {
        400: "Malformed or invalid request (legacy message text where the legacy server had one)",
        401: "Missing or wrong bearer token",
        403: "The request is about another agent, or the enrollment key is refused",
        404: "Unknown agent or job",
        409: "Illegal job status transition",
        413: "Request body over the server's limit",
    }
    return {code: {"model": Error, "description": meaning[code]} for code in codes}


_INTEGER = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}]}
_TIME = {
    "description": "Epoch seconds (any width, number or numeric string) or an ISO 8601 date",
    "anyOf": [{"type": "integer"}, {"type": "string"}],
}
_SCALAR = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]}
_ENTRIES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["attr", "value"],
        "properties": {"attr": {"type": "string", "minLength": 1, "maxLength": 512}, "value": _SCALAR},
    },
}
_ANTIVIRUS = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "os_info": {"type": "object", "properties": {"name": {"type": "string"}, "libpath": {"type": "string"}}},
        "program_path": {"type": "string"},
    },
}


def envelope_body(obj: dict[str, Any], obj_required: list[str] | None = None) -> dict[str, Any]:
    """``openapi_extra`` declaring the common envelope (protocol 3.1) around ``task.obj``."""
    if obj_required:
        obj = {**obj, "required": obj_required}
    schema = {
        "type": "object",
        "required": ["agent_id", "uuid", "task"],
        "properties": {
            "agent_id": _INTEGER,
            "agent_version": {"type": "string"},
            "uuid": {
                "type": "string",
                "pattern": "^[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12}$",
            },
            "task": {
                "type": "object",
                "required": ["obj"],
                "properties": {"name": {"type": "string"}, "antivirus": _ANTIVIRUS, "obj": obj},
            },
        },
    }
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def agent_id_query(*extra: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``?agent_id=N`` (read by hand: legacy agents repeat it)."""
    parameter = {"name": "agent_id", "in": "query", "required": True, "schema": _INTEGER}
    return {"parameters": [parameter, *extra]}


OPTIONAL_UUID_QUERY = {"name": "uuid", "in": "query", "required": False, "schema": {"type": "string"}}
REQUIRED_UUID_QUERY = {**OPTIONAL_UUID_QUERY, "required": True}

ENROLLMENT_OBJ = {"type": "object", "properties": {"key": {"type": "string"}}}
JOB_RESULT_OBJ = {
    "type": "object",
    "properties": {
        "job_id": _INTEGER,
        "code": _INTEGER,
        "message": {"type": "string"},
        "start_time": _TIME,
        "end_time": _TIME,
    },
}
SCAN_OBJ = {
    "type": "object",
    "properties": {
        "job_id": _INTEGER,
        "duration": {"type": "string", "description": "HH:MM:SS or ISO 8601 (fractional parts accepted)"},
        "start_time": _TIME,
        "end_time": _TIME,
        "scanned_count": _INTEGER,
        "malware_count": _INTEGER,
        "suspicious_count": _INTEGER,
        "cleaned_count": _INTEGER,
        "progress": _INTEGER,
    },
}
ALERTS_OBJ = {
    "type": "object",
    "properties": {
        "job_id": _INTEGER,
        "alerts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["detection_time"],
                "properties": {
                    "name": {"type": "string"},
                    "filepath": {"type": "string"},
                    "module_name": {"type": "string"},
                    "action": {"type": "string"},
                    "info": {"type": "string"},
                    "detection_time": _TIME,
                },
            },
        },
    },
}
STATE_OBJ = {
    "type": "object",
    "properties": {
        "dbinfo": {
            "type": "object",
            "properties": {
                "global_update_timestamp": _TIME,
                "global_status": {"type": "string"},
                "service_status": {"type": "string"},
                "modules": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "mod_status": {"type": "string"},
                            "mod_update_timestamp": _TIME,
                            "bases": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                },
            },
        },
        "avdetails": _ENTRIES,
    },
}
AVCONFIG_OBJ = _ENTRIES
SCHEDULER_OBJ = {"type": "object", "properties": {"name": {"type": "string"}, "confdetails": _ENTRIES}}
