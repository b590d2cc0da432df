"""/api/admin/scanconfigs: scan configurations."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...services import scanconfigs
from .common import errors, transaction

router = APIRouter(prefix="/scanconfigs", tags=["scan configurations"])


@router.get("", response_model=list[scanconfigs.ScanConfigView], responses=errors(), summary="List scan configurations")
def list_scanconfigs(request: Request):
    with transaction(request) as session:
        return scanconfigs.listing(session)


@router.post(
    "",
    status_code=201,
    response_model=scanconfigs.ScanConfigView,
    responses=errors(409, 413),
    summary="Create a scan configuration",
)
def create_scanconfig(request: Request, spec: scanconfigs.ScanConfigCreate):
    with transaction(request) as session:
        return scanconfigs.create(session, spec)
