"""Scan configurations: what a Scan job scans, with which options, for which engine."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..models import ScanConfig
from .types import LongText, Model, Name


class ScanConfigCreate(Model):
    name: Name
    path: LongText = Field(min_length=1, description="what the engine scans")
    options: LongText = Field("", description="engine options, checked by the agent against its allow-list")
    antivirus: Name = Field(description="engine name as agents report it, e.g. ClamAV")


class ScanConfigView(Model):
    id: int
    name: str
    path: str
    options: str
    antivirus: str


def view(config: ScanConfig) -> ScanConfigView:
    return ScanConfigView(
        id=config.id, name=config.name, path=config.path, options=config.options, antivirus=config.antivirus
    )


def create(session: Session, spec: ScanConfigCreate) -> ScanConfigView:
    if session.scalar(select(ScanConfig.id).where(ScanConfig.name == spec.name)):
        raise Conflict(f"a scan configuration named {spec.name!r} already exists")
    config = ScanConfig(name=spec.name, path=spec.path, options=spec.options, antivirus=spec.antivirus)
    session.add(config)
    session.flush()
    return view(config)


def listing(session: Session) -> list[ScanConfigView]:
    return [view(config) for config in session.scalars(select(ScanConfig).order_by(ScanConfig.name))]


def find(session: Session, name: str) -> ScanConfig:
    config = session.scalar(select(ScanConfig).where(ScanConfig.name == name))
    if config is None:
        raise NotFound(f"no scan configuration named {name!r}")
    return config
