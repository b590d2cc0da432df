"""/api/admin/agents, /api/admin/alerts, /api/admin/states: what agents are and report."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from ...services import agent_detail, agents, alert_list, state_list
from .common import errors, transaction
from .params import AgentFilter, AgentPath

router = APIRouter(tags=["agents"])


@router.get("/agents", response_model=list[agents.AgentView], responses=errors(), summary="List agents")
def list_agents(request: Request):
    with transaction(request) as session:
        return agents.listing(session)


@router.get(
    "/agents/{agent}",
    response_model=agent_detail.AgentDetail,
    responses=errors(404),
    summary="Show an agent: antivirus, scheduler, state, configuration, alerts, jobs",
)
def get_agent(request: Request, agent: AgentPath):
    with transaction(request) as session:
        return agent_detail.detail(session, agent)


@router.delete(
    "/agents/{agent}",
    response_model=agents.AgentView,
    responses=errors(404),
    summary="Delete an agent with its jobs, alerts and states; frees its scheduler slot",
)
def delete_agent(request: Request, agent: AgentPath):
    with transaction(request) as session:
        return agents.delete_agent(session, agent)


@router.get("/alerts", response_model=list[alert_list.AlertView], responses=errors(404), summary="List alerts, newest first")
def list_alerts(
    request: Request,
    agent: AgentFilter = None,
    limit: int = Query(alert_list.DEFAULT_LIMIT, ge=1, le=alert_list.MAX_LIMIT),
):
    with transaction(request) as session:
        return alert_list.listing(session, agent=agent, limit=limit)


@router.get("/states", response_model=list[state_list.StateView], responses=errors(404), summary="List agents' last states")
def list_states(request: Request, agent: AgentFilter = None):
    with transaction(request) as session:
        return state_list.listing(session, agent=agent)
