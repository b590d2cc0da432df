"""``job create|list|show|cancel``: scan jobs."""

from __future__ import annotations

from typing import get_args

from ..services import scan_jobs
from .common import emit
from .arguments import positive_int
from .database import transaction
from .text import duration, fields, table


def register(subparsers, common) -> None:
    job = subparsers.add_parser("job", help="scan jobs")
    commands = job.add_subparsers(dest="job_command", required=True, metavar="COMMAND")

    create = commands.add_parser("create", parents=[common], help="queue a Scan job per agent")
    create.add_argument("--scanconfig", required=True, metavar="NAME", help="scan configuration to run")
    targets = create.add_mutually_exclusive_group(required=True)
    targets.add_argument("--agent", action="append", metavar="ID|UUID", help="an agent (repeatable)")
    targets.add_argument("--all", action="store_true", help="every agent running the configuration's antivirus")
    create.add_argument("--priority", choices=scan_jobs.PRIORITIES, default="low")
    create.add_argument("--tag", help="skip agents that already have a job with this tag")
    create.set_defaults(handler=run_create)

    listing = commands.add_parser("list", parents=[common], help="list jobs, newest first")
    listing.add_argument("--agent", metavar="ID|UUID")
    listing.add_argument("--status", choices=get_args(scan_jobs.JobStatus))
    listing.add_argument("--tag")
    listing.add_argument("--limit", type=positive_int, help="only the newest N")
    listing.set_defaults(handler=run_list)

    show = commands.add_parser("show", parents=[common], help="show a job and its scan results")
    show.add_argument("job_id", type=int, metavar="ID")
    show.set_defaults(handler=run_show)

    cancel = commands.add_parser("cancel", parents=[common], help="cancel a queued or downloaded job")
    cancel.add_argument("job_id", type=int, metavar="ID")
    cancel.set_defaults(handler=run_cancel)


def run_create(args) -> None:
    spec = scan_jobs.JobCreate(
        scanconfig=args.scanconfig, agents="all" if args.all else args.agent, priority=args.priority, tag=args.tag
    )
    with transaction(args) as session:
        creation = scan_jobs.create(session, spec)
    emit(args, creation, creation_text)


def creation_text(creation: scan_jobs.JobCreation) -> str:
    lines = [f"queued job {job.id} for agent {job.agent_id} ({job.agent_uuid})" for job in creation.created]
    lines += [
        f"skipped agent {skip.agent_id} ({skip.agent_uuid}): it already has job {skip.job_id} with this tag"
        for skip in creation.skipped
    ]
    return "\n".join(lines) or "no agent runs this antivirus: no job queued"


def run_list(args) -> None:
    with transaction(args) as session:
        found = scan_jobs.listing(session, agent=args.agent, status=args.status, tag=args.tag, limit=args.limit)
    emit(args, found, jobs_table)


def jobs_table(rows: list[scan_jobs.JobView]) -> str:
    return table(
        ["ID", "AGENT", "TYPE", "PRIORITY", "STATUS", "CREATED", "START", "END", "DURATION", "ERROR", "MESSAGE"],
        [
            (j.id, j.agent_id, j.type, j.priority, j.status, j.created_at, j.start_time, j.end_time,
             duration(j.duration_seconds), j.error_code, j.error_message)
            for j in rows
        ],
        empty="no job",
    )


def job_text(job: scan_jobs.JobView) -> str:
    pairs = [
        ("job", job.id),
        ("agent", f"{job.agent_id} ({job.agent_uuid})"),
        ("antivirus", job.antivirus),
        ("type", job.type),
        ("scan configuration", job.scan_config),
        ("priority", job.priority),
        ("status", job.status),
        ("tag", job.tag),
        ("created", job.created_at),
        ("downloaded", job.downloaded_at),
        ("start", job.start_time),
        ("end", job.end_time),
        ("duration", duration(job.duration_seconds)),
        ("error code", job.error_code),
        ("error message", job.error_message),
    ]
    if job.scan is not None:
        scan = job.scan
        pairs += [
            ("scan progress", f"{scan.progress}%" if scan.progress is not None else None),
            ("scanned", scan.scanned_count),
            ("malware", scan.malware_count),
            ("suspicious", scan.suspicious_count),
            ("cleaned", scan.cleaned_count),
            ("scan duration", duration(scan.duration_seconds)),
        ]
    return fields(pairs)


def run_show(args) -> None:
    with transaction(args) as session:
        job = scan_jobs.get(session, args.job_id)
    emit(args, job, job_text)


def run_cancel(args) -> None:
    with transaction(args) as session:
        job = scan_jobs.cancel(session, args.job_id)
    emit(args, job, lambda j: f"cancelled job {j.id} of agent {j.agent_id}")
