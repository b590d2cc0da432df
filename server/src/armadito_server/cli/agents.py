"""``agents list|show|delete``, ``alerts list``, ``states list``: what agents are and report."""

from __future__ import annotations

from ..services import agent_detail, agents, alert_list, state_list
from .common import emit
from .arguments import positive_int
from .database import transaction
from .desired import block, entry_lines, schedule_lines
from .jobs import jobs_table
from .text import table, when


def register(subparsers, common) -> None:
    agent = subparsers.add_parser("agents", help="enrolled agents")
    commands = agent.add_subparsers(dest="agents_command", required=True, metavar="COMMAND")
    commands.add_parser("list", parents=[common], help="list agents").set_defaults(handler=run_list)
    show = commands.add_parser("show", parents=[common], help="everything known about an agent")
    show.add_argument("agent", metavar="ID|UUID")
    show.set_defaults(handler=run_show)
    remove = commands.add_parser("delete", parents=[common], help="delete an agent and free its scheduler slot")
    remove.add_argument("agent", metavar="ID|UUID")
    remove.set_defaults(handler=run_delete)

    alerts = subparsers.add_parser("alerts", help="detections")
    alert_commands = alerts.add_subparsers(dest="alerts_command", required=True, metavar="COMMAND")
    alert_listing = alert_commands.add_parser("list", parents=[common], help="list alerts, newest first")
    alert_listing.add_argument("--agent", metavar="ID|UUID")
    alert_listing.add_argument(
        "--limit", type=positive_int, default=alert_list.DEFAULT_LIMIT, help=f"default {alert_list.DEFAULT_LIMIT}"
    )
    alert_listing.set_defaults(handler=run_alerts)

    states = subparsers.add_parser("states", help="antivirus states")
    state_commands = states.add_subparsers(dest="states_command", required=True, metavar="COMMAND")
    state_listing = state_commands.add_parser("list", parents=[common], help="the last state of each agent")
    state_listing.add_argument("--agent", metavar="ID|UUID")
    state_listing.set_defaults(handler=run_states)


def agents_table(rows: list[agents.AgentView]) -> str:
    return table(
        ["ID", "UUID", "VERSION", "ANTIVIRUS", "ENROLLED", "LAST CONTACT", "LAST ALERT", "SCHEDULER"],
        [
            (a.id, a.uuid, a.agent_version, f"{a.antivirus.name} {a.antivirus.version} ({a.antivirus.osname})",
             a.enrolled_at, a.last_contact, a.last_alert, a.scheduler_id)
            for a in rows
        ],
        empty="no agent",
    )


def alerts_table(rows: list[alert_list.AlertView]) -> str:
    return table(
        ["ID", "AGENT", "DETECTED", "THREAT", "FILE", "ACTION", "MODULE", "JOB"],
        [(a.id, a.agent_id, a.detection_time, a.threat_name, a.filepath, a.action, a.module_name, a.job_id) for a in rows],
        empty="no alert",
    )


def states_table(rows: list[state_list.StateView]) -> str:
    return table(
        ["AGENT", "UUID", "ANTIVIRUS", "UPDATE", "LAST UPDATE", "SERVICE", "REPORTED", "MODULES"],
        [
            (s.agent_id, s.agent_uuid, s.antivirus, s.update_status, s.last_update, s.service_status, s.reported_at,
             ", ".join(f"{m.name} {m.version} ({m.update_status})" for m in s.modules))
            for s in rows
        ],
        empty="no state reported",
    )


def detail_text(agent: agent_detail.AgentDetail) -> str:
    sections = [agents_table([agent])]
    if agent.scheduler is not None:
        reported = agent.scheduler.reported
        sections.append(block(
            f"scheduler slot {agent.scheduler.id} ({agent.scheduler.name}), reported schedule:",
            entry_lines(reported.entries) if reported else [],
        ))
    sections.append(block("desired schedule:", schedule_lines(agent.desired_schedule)))
    if agent.state is not None:
        sections.append(states_table([agent.state]))
        sections.append(block("modules:", [
            f"{m.name} {m.version} {m.update_status} (updated {when(m.last_update)}): "
            + ", ".join(f"{base.get('name', '?')} {base.get('version', '')}".strip() for base in m.bases)
            for m in agent.state.modules
        ]))
    reported = agent.avconfig.reported
    sections.append(block(
        f"reported AV configuration (real-time {agent.avconfig.realtime_status or 'non-available'}):",
        entry_lines(reported.entries) if reported else [],
    ))
    sections.append(block("desired AV configuration:", entry_lines(agent.avconfig.desired)))
    sections.append("latest alerts:\n" + alerts_table(agent.alerts))
    sections.append("latest jobs:\n" + jobs_table(agent.jobs))
    return "\n\n".join(sections)


def run_list(args) -> None:
    with transaction(args) as session:
        found = agents.listing(session)
    emit(args, found, agents_table)


def run_show(args) -> None:
    with transaction(args) as session:
        found = agent_detail.detail(session, args.agent)
    emit(args, found, detail_text)


def run_delete(args) -> None:
    with transaction(args) as session:
        deleted = agents.delete_agent(session, args.agent)
    freed = f"; scheduler slot {deleted.scheduler_id} is free" if deleted.scheduler_id else ""
    emit(args, deleted, lambda a: f"deleted agent {a.id} ({a.uuid}) with its jobs, alerts and states{freed}")


def run_alerts(args) -> None:
    with transaction(args) as session:
        found = alert_list.listing(session, agent=args.agent, limit=args.limit)
    emit(args, found, alerts_table)


def run_states(args) -> None:
    with transaction(args) as session:
        found = state_list.listing(session, agent=args.agent)
    emit(args, found, states_table)
