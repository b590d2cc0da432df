"""The database schema, as SQLAlchemy 2 declarative models.

Times are stored as timezone-aware UTC datetimes. Secrets (enrollment keys, agent and admin
tokens) are stored only as SHA-256 digests: they are random 128-bit-plus values, so a plain
digest is enough and lets the server find a row by its secret in one indexed lookup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Timestamp = DateTime(timezone=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Antivirus(Base):
    """An engine as agents report it at enrollment: name + version + OS (legacy ``fullname``)."""

    __tablename__ = "antiviruses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(255))
    osname: Mapped[str] = mapped_column(String(255))
    fullname: Mapped[str] = mapped_column(String(800), unique=True)


class Agent(Base):
    __tablename__ = "agents"
    # Agent ids are never reused (legacy behaviour agents and administrators rely on): SQLite
    # needs AUTOINCREMENT for that, other databases' sequences already guarantee it.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    agent_version: Mapped[Optional[str]] = mapped_column(String(255))
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    # NULL for agents enrolled by a legacy (token-less) agent.
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    last_contact: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    last_alert: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class Scheduler(Base):
    """A dense scheduler slot (legacy ``scheduler_id``); a freed slot is reused first."""

    __tablename__ = "schedulers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), unique=True
    )
    antivirus_id: Mapped[Optional[int]] = mapped_column(ForeignKey("antiviruses.id"))
    # Scheduler type the agent last reported (Cron, Systemd, Win32Native), "unknown" before.
    name: Mapped[str] = mapped_column(String(255), default="unknown")
    reported_at: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class EnrollmentKey(Base):
    __tablename__ = "enrollment_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Optional administrator label, unique so that automation can create keys idempotently.
    name: Mapped[Optional[str]] = mapped_column(String(255), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # First group of the key, enough for an administrator to recognise it in a list.
    hint: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    uses_total: Mapped[int] = mapped_column(Integer)
    uses_left: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class AdminToken(Base):
    __tablename__ = "admin_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class ScanConfig(Base):
    __tablename__ = "scan_configs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    path: Mapped[str] = mapped_column(Text)
    options: Mapped[str] = mapped_column(Text, default="")
    # Engine name (e.g. ClamAV), not the versioned antivirus row: an engine upgrade must not
    # orphan the scan configurations written for it.
    antivirus: Mapped[str] = mapped_column(String(255))


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    scan_config_id: Mapped[Optional[int]] = mapped_column(ForeignKey("scan_configs.id"))
    job_type: Mapped[str] = mapped_column(String(32), default="Scan")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    # queued, downloaded, successful, failed, cancelled
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    # Administrator tag; (tag, agent) is unique so re-running automation queues nothing twice.
    tag: Mapped[Optional[str]] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    downloaded_at: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    start_time: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    end_time: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    duration_seconds: Mapped[Optional[float]]
    error_code: Mapped[Optional[int]] = mapped_column(Integer)
    error_message: Mapped[Optional[str]] = mapped_column(Text)

    # Agents keep job ids in their local queue: a reused id would mix two jobs' reports.
    __table_args__ = (UniqueConstraint("tag", "agent_id"), {"sqlite_autoincrement": True})


class Scan(Base):
    """Results of one Scan job, overwritten by each progress report."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    scanned_count: Mapped[Optional[int]] = mapped_column(BigInteger)
    malware_count: Mapped[Optional[int]] = mapped_column(BigInteger)
    suspicious_count: Mapped[Optional[int]] = mapped_column(BigInteger)
    cleaned_count: Mapped[Optional[int]] = mapped_column(BigInteger)
    progress: Mapped[Optional[int]] = mapped_column(Integer)
    start_time: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    end_time: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    duration_seconds: Mapped[Optional[float]]
    updated_at: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    job_id: Mapped[Optional[int]] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    threat_name: Mapped[str] = mapped_column(Text)
    filepath: Mapped[str] = mapped_column(Text)
    module_name: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    info: Mapped[str] = mapped_column(Text)
    detection_time: Mapped[dt.datetime] = mapped_column(Timestamp)
    # sha256 of the legacy fields with the detection time formatted in UTC; unique, so a
    # resent batch is stored once even when two requests race.
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)


class State(Base):
    """The last state an agent reported: one row per agent."""

    __tablename__ = "states"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), unique=True)
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    update_status: Mapped[str] = mapped_column(String(32))
    last_update: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    service_status: Mapped[str] = mapped_column(String(255))
    # dbinfo fields beyond the legacy columns (on-access status, event_type, ...), kept verbatim.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # sha256 of the last report's validated content (services.state_reports).
    report_digest: Mapped[Optional[str]] = mapped_column(String(64))
    reported_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)


class StateModule(Base):
    __tablename__ = "state_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(255), default="unknown")
    update_status: Mapped[str] = mapped_column(String(32))
    last_update: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)
    # Signature databases of the module as reported: name, version, signature_count, ...
    bases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    __table_args__ = (UniqueConstraint("agent_id", "name"),)


class StateChange(Base):
    """History: one row each time an agent's update or service status changes."""

    __tablename__ = "state_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    update_status: Mapped[str] = mapped_column(String(32))
    service_status: Mapped[str] = mapped_column(String(255))
    last_update: Mapped[Optional[dt.datetime]] = mapped_column(Timestamp)


class ConfigReport(Base):
    """The last report of one kind of ``attr``/``value`` list by one agent.

    ``kind`` is ``avconfig`` (POST /api/avconfigs), ``avdetails`` (the state's avdetails) or
    ``scheduler`` (POST /api/schedulers). The entries themselves are stored "only as
    differences": see :mod:`armadito_server.services.differences`.
    """

    __tablename__ = "config_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    # avconfig only: derived from the on-access attribute, "non-available" when absent.
    realtime_status: Mapped[str] = mapped_column(String(32), default="non-available")
    reported_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "agent_id"),)


class ConfigBaseline(Base):
    """The common value of an attribute for every agent of one antivirus."""

    __tablename__ = "config_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    antivirus_id: Mapped[int] = mapped_column(ForeignKey("antiviruses.id"))
    attr: Mapped[str] = mapped_column(String(512))
    value: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("kind", "antivirus_id", "attr"),)


class ConfigOverride(Base):
    """Where one agent differs from the baseline; ``value`` NULL: the agent lacks the attribute."""

    __tablename__ = "config_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    attr: Mapped[str] = mapped_column(String(512))
    value: Mapped[Optional[str]] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("kind", "agent_id", "attr"),)


class DesiredSetting(Base):
    """What an administrator wants agents to run, served by GET /api/avconfigs and /api/schedulers.

    ``kind`` is ``avconfig`` or ``schedule``. ``scope`` is ``all``, ``antivirus:<name>`` or
    ``agent:<id>``; the narrower scope wins. ``value`` NULL asks the agent to remove the key.
    """

    __tablename__ = "desired_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(300))
    attr: Mapped[str] = mapped_column(String(512))
    value: Mapped[Optional[str]] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "scope", "attr"),)

