"""``armadito-server scanconfig ...`` and ``job ...``: engine match, tag idempotence, cancel rules."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from armadito_server.models import Job, Scan
from armadito_server.services import scanconfigs
from armadito_server.services.scanconfigs import ScanConfigCreate

from factories import UUID_A, UUID_F, create_agent, create_job


@pytest.fixture
def fleet(cli, database):
    """Agent 1 runs Armadito, agent 2 ClamAV; scan configuration "home" is for Armadito."""
    armadito_agent, _ = create_agent(database, uuid=UUID_F, antivirus="Armadito")
    clamav_agent, _ = create_agent(database, uuid=UUID_A, antivirus="ClamAV")
    with database.transaction() as session:
        scanconfigs.create(session, ScanConfigCreate(name="home", path="/home", antivirus="Armadito"))
    return armadito_agent, clamav_agent


def test_scanconfig_create_and_list(cli, fleet):
    cli.run("scanconfig", "create", "--name", "tmp", "--path", "/tmp", "--options=-r", "--antivirus", "ClamAV")
    duplicate = cli.run("scanconfig", "create", "--name", "tmp", "--path", "/", "--antivirus", "ClamAV", check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    listed = cli.json("scanconfig", "list")
    assert [(c["name"], c["path"], c["options"], c["antivirus"]) for c in listed] == [
        ("home", "/home", "", "Armadito"),
        ("tmp", "/tmp", "-r", "ClamAV"),
    ]


def test_antivirus_mismatch_is_refused_with_the_legacy_message(cli, database, fleet):
    armadito_agent, clamav_agent = fleet
    result = cli.run(
        "job", "create", "--scanconfig", "home", "--agent", str(armadito_agent), "--agent", str(clamav_agent),
        "--priority", "high", check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"armadito-server: Cannot apply scan configuration (home) for agent ({clamav_agent}) with antivirus (ClamAV)."
    )
    with database.transaction() as session:
        assert session.scalars(select(Job)).all() == []  # all or nothing


def test_job_with_its_scan_row(cli, database, fleet):
    armadito_agent, _ = fleet
    creation = cli.json("job", "create", "--scanconfig", "home", "--agent", UUID_F, "--priority", "urgent")
    [job] = creation["created"]
    assert (job["agent_id"], job["priority"], job["status"], job["scan_config"]) == (armadito_agent, "urgent", "queued", "home")
    with database.transaction() as session:
        stored = session.get(Job, job["id"])
        assert (stored.priority, stored.job_type) == (3, "Scan")
        assert session.scalar(select(Scan.agent_id).where(Scan.job_id == job["id"])) == armadito_agent


def test_tag_makes_creation_idempotent(cli, database, fleet):
    armadito_agent, clamav_agent = fleet
    with database.transaction() as session:
        scanconfigs.create(session, ScanConfigCreate(name="tmp", path="/tmp", antivirus="ClamAV"))
    first = cli.json("job", "create", "--scanconfig", "tmp", "--all", "--tag", "weekly")
    assert [job["agent_id"] for job in first["created"]] == [clamav_agent]  # --all: the engine's agents only
    second = cli.json("job", "create", "--scanconfig", "tmp", "--all", "--tag", "weekly")
    assert second["created"] == []
    assert second["skipped"] == [{"agent_id": clamav_agent, "agent_uuid": UUID_A, "job_id": first["created"][0]["id"]}]
    assert "already has job" in cli.run("job", "create", "--scanconfig", "tmp", "--all", "--tag", "weekly").stdout
    assert len(cli.json("job", "list", "--tag", "weekly")) == 1


def test_cancel_rules(cli, database):
    agent_id, _ = create_agent(database)
    jobs = {status: create_job(database, agent_id, status=status) for status in ("queued", "downloaded", "successful", "failed")}
    for status, job_id in jobs.items():
        result = cli.run("job", "cancel", str(job_id), check=False)
        if status in ("queued", "downloaded"):
            assert result.returncode == 0, result.stderr
        else:
            assert result.returncode == 1
            assert f"job {job_id} is {status}: only queued or downloaded jobs can be cancelled" in result.stderr
    with database.transaction() as session:
        statuses = {status: session.get(Job, job_id).status for status, job_id in jobs.items()}
    assert statuses == {"queued": "cancelled", "downloaded": "cancelled", "successful": "successful", "failed": "failed"}


def test_list_decodes_the_error_message_and_filters(cli, database):
    agent_id, _ = create_agent(database)
    failed = create_job(database, agent_id, status="failed")
    create_job(database, agent_id, status="queued")
    with database.transaction() as session:
        job = session.get(Job, failed)
        job.error_code = 2
        job.error_message = base64.encodebytes("scan engine not found".encode()).decode()
    [listed] = cli.json("job", "list", "--status", "failed")
    assert (listed["id"], listed["error_code"], listed["error_message"]) == (failed, 2, "scan engine not found")
    assert "scan engine not found" in cli.run("job", "list", "--agent", str(agent_id)).stdout


def test_unknown_job_and_scanconfig(cli, database):
    agent_id, _ = create_agent(database)
    assert "no job 42" in cli.run("job", "show", "42", check=False).stderr
    result = cli.run("job", "create", "--scanconfig", "nope", "--agent", str(agent_id), check=False)
    assert result.returncode == 1 and "no scan configuration named 'nope'" in result.stderr
