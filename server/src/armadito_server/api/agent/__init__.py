"""The agent API: one router per legacy resource, ``/api/<resource>``."""

from . import agents, alerts, avconfigs, jobs, scans, schedulers, states

routers = [module.router for module in (agents, jobs, scans, alerts, states, avconfigs, schedulers)]
