"""Listing the detections agents reported, newest first."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Agent, Alert, Antivirus
from . import agents
from .types import Model, UtcDatetime

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


class AlertView(Model):
    id: int
    agent_id: int
    agent_uuid: str
    antivirus: str
    job_id: Optional[int]
    threat_name: str
    filepath: str
    module_name: str
    action: str
    info: str
    detection_time: UtcDatetime
    received_at: UtcDatetime


def listing(session: Session, agent: str | int | None = None, limit: int = DEFAULT_LIMIT) -> list[AlertView]:
    query = (
        select(Alert, Agent.uuid, Antivirus.name)
        .join(Agent, Agent.id == Alert.agent_id)
        .join(Antivirus, Antivirus.id == Alert.antivirus_id)
        .order_by(Alert.detection_time.desc(), Alert.id.desc())
        .limit(limit)
    )
    if agent is not None:
        query = query.where(Alert.agent_id == agents.find(session, agent).id)
    return [
        AlertView(
            id=alert.id,
            agent_id=alert.agent_id,
            agent_uuid=uuid,
            antivirus=antivirus,
            job_id=alert.job_id,
            threat_name=alert.threat_name,
            filepath=alert.filepath,
            module_name=alert.module_name,
            action=alert.action,
            info=alert.info,
            detection_time=alert.detection_time,
            received_at=alert.received_at,
        )
        for alert, uuid, antivirus in session.execute(query)
    ]
