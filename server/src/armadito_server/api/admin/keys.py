"""/api/admin/keys: enrollment keys."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from ...services import keys
from ...services.types import Name
from .common import errors, transaction
from .params import RowIdPath

router = APIRouter(prefix="/keys", tags=["enrollment keys"])


@router.get("", response_model=list[keys.KeyView], responses=errors(), summary="List enrollment keys")
def list_keys(request: Request, name: Optional[Name] = Query(None, description="only the key with this name")):
    with transaction(request) as session:
        return keys.listing(session, name=name)


@router.post(
    "",
    status_code=201,
    response_model=keys.CreatedKey,
    responses=errors(409, 413),
    summary="Create an enrollment key (the key is returned only here)",
)
def create_key(request: Request, spec: keys.KeyCreate):
    with transaction(request) as session:
        return keys.create(session, spec)


@router.get("/{key_id}", response_model=keys.KeyView, responses=errors(404), summary="Show an enrollment key")
def get_key(request: Request, key_id: RowIdPath):
    with transaction(request) as session:
        return keys.view(keys.find(session, key_id))


@router.post(
    "/{key_id}/revoke",
    response_model=keys.KeyView,
    responses=errors(404),
    summary="Revoke an enrollment key (revoking it again changes nothing)",
)
def revoke_key(request: Request, key_id: RowIdPath):
    with transaction(request) as session:
        return keys.revoke(session, key_id)
