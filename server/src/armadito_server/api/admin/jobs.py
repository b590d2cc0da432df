"""/api/admin/jobs: scan jobs, with their results."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from ...services import scan_jobs
from ...services.types import MAX_INT, Name
from .common import errors, transaction
from .params import AgentFilter, RowIdPath

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=list[scan_jobs.JobView], responses=errors(404), summary="List jobs, newest first")
def list_jobs(
    request: Request,
    agent: AgentFilter = None,
    status: Optional[scan_jobs.JobStatus] = Query(None),
    tag: Optional[Name] = Query(None),
    limit: Optional[int] = Query(None, ge=1, le=MAX_INT),
):
    with transaction(request) as session:
        return scan_jobs.listing(session, agent=agent, status=status, tag=tag, limit=limit)


@router.post(
    "",
    response_model=scan_jobs.JobCreation,
    responses=errors(404, 409, 413),
    summary="Queue a Scan job per agent; with a tag, agents that already have one are skipped",
)
def create_jobs(request: Request, spec: scan_jobs.JobCreate):
    with transaction(request) as session:
        return scan_jobs.create(session, spec)


@router.get("/{job_id}", response_model=scan_jobs.JobView, responses=errors(404), summary="Show a job and its scan results")
def get_job(request: Request, job_id: RowIdPath):
    with transaction(request) as session:
        return scan_jobs.get(session, job_id)


@router.post(
    "/{job_id}/cancel",
    response_model=scan_jobs.JobView,
    responses=errors(404, 409),
    summary="Cancel a queued or downloaded job",
)
def cancel_job(request: Request, job_id: RowIdPath):
    with transaction(request) as session:
        return scan_jobs.cancel(session, job_id)
