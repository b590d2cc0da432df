"""``avconfig set|show|clear`` and ``schedule set|show|clear``: what agents are asked to apply.

Each ``set`` replaces the whole desired set of its scope (--all, --antivirus NAME, --agent ID);
agents merge the scopes that apply to them, the narrowest winning per attribute.
"""

from __future__ import annotations

from ..services import avconfig, schedule
from .common import CommandError, emit
from .arguments import add_scope_options, scope_of
from .database import transaction


def register(subparsers, common) -> None:
    av = subparsers.add_parser("avconfig", help="desired antivirus configuration")
    av_commands = av.add_subparsers(dest="avconfig_command", required=True, metavar="COMMAND")
    av_set = av_commands.add_parser("set", parents=[common], help="replace the desired configuration of a scope")
    add_scope_options(av_set, required=True)
    av_set.add_argument("entries", nargs="*", metavar="KEY=VALUE", help="attribute to set")
    av_set.add_argument("--remove", action="append", default=[], metavar="KEY", help="ask agents to remove KEY")
    av_set.set_defaults(handler=run_avconfig_set)
    av_show = av_commands.add_parser("show", parents=[common], help="show one scope, or every scope")
    add_scope_options(av_show, required=False)
    av_show.set_defaults(handler=run_avconfig_show)
    av_clear = av_commands.add_parser("clear", parents=[common], help="remove every entry of a scope")
    add_scope_options(av_clear, required=True)
    av_clear.set_defaults(handler=run_avconfig_clear)

    sched = subparsers.add_parser("schedule", help="desired agent schedule")
    sched_commands = sched.add_subparsers(dest="schedule_command", required=True, metavar="COMMAND")
    sched_set = sched_commands.add_parser("set", parents=[common], help="replace the desired schedule of a scope")
    add_scope_options(sched_set, required=True)
    sched_set.add_argument(
        "--task", action="append", default=[], metavar="TASK=FREQ",
        help=f"cron frequency of a task ({', '.join(schedule.TASKS)}), e.g. Getjobs='*/10 * * * *'",
    )
    sched_set.add_argument("--args", action="append", default=[], metavar="TASK=ARGS", help="e.g. Runjobs='-wr 5'")
    sched_set.add_argument("--user", help="account the tasks run as")
    sched_set.add_argument("--logfile", help="absolute path of the agent's log")
    sched_set.set_defaults(handler=run_schedule_set)
    sched_show = sched_commands.add_parser("show", parents=[common], help="show one scope, or every scope")
    add_scope_options(sched_show, required=False)
    sched_show.set_defaults(handler=run_schedule_show)
    sched_clear = sched_commands.add_parser("clear", parents=[common], help="remove the schedule of a scope")
    add_scope_options(sched_clear, required=True)
    sched_clear.set_defaults(handler=run_schedule_clear)


def pairs(items: list[str], option: str) -> dict[str, str]:
    """``["A=1", "B=x=y"]`` -> ``{"A": "1", "B": "x=y"}``."""
    result = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise CommandError(f"{option} {item!r}: expected KEY=VALUE")
        result[key] = value
    return result


def entry_lines(entries) -> list[str]:
    return [f"{e.attr} = {e.value}" if e.value is not None else f"{e.attr} (remove)" for e in entries]


def schedule_lines(spec: schedule.ScheduleSet) -> list[str]:
    lines = [f"user = {spec.user}"] if spec.user else []
    lines += [f"logfile = {spec.logfile}"] if spec.logfile else []
    return lines + [f"{task}: {each.freq} {each.args}".rstrip() for task, each in spec.tasks.items()]


def block(title: str, lines: list[str]) -> str:
    return "\n".join([title, *(f"  {line}" for line in lines or ["(none)"])])


def avconfig_text(views: list) -> str:
    return "\n".join(block(f"[{v.scope}]", entry_lines(v.entries)) for v in views) or "no desired AV configuration"


def schedule_text(views: list) -> str:
    return "\n".join(block(f"[{v.scope}]", schedule_lines(v)) for v in views) or "no desired schedule"


def run_avconfig_set(args) -> None:
    entries: dict = pairs(args.entries, "entry")
    entries.update({key: None for key in args.remove})
    if not entries:
        raise CommandError("nothing to set: give KEY=VALUE entries or --remove KEY ('avconfig clear' empties a scope)")
    with transaction(args) as session:
        view = avconfig.replace(session, scope_of(args), avconfig.AvconfigSet(entries=entries))
    emit(args, view, lambda v: avconfig_text([v]))


def run_avconfig_show(args) -> None:
    with transaction(args) as session:
        views = avconfig.show(session, scope_of(args))
    emit(args, views, avconfig_text)


def run_avconfig_clear(args) -> None:
    with transaction(args) as session:
        view = avconfig.replace(session, scope_of(args), avconfig.AvconfigSet(entries={}))
    emit(args, view, lambda v: f"cleared the desired AV configuration of {v.scope}")


def run_schedule_set(args) -> None:
    frequencies = pairs(args.task, "--task")
    arguments = pairs(args.args, "--args")
    orphans = sorted(set(arguments) - set(frequencies))
    if orphans:
        raise CommandError(f"--args {orphans[0]} needs --task {orphans[0]}=FREQ too")
    if not (frequencies or args.user or args.logfile):
        raise CommandError("nothing to set: give --task, --user or --logfile ('schedule clear' empties a scope)")
    spec = schedule.ScheduleSet(
        user=args.user,
        logfile=args.logfile,
        tasks={task: {"freq": freq, "args": arguments.get(task, "")} for task, freq in frequencies.items()},
    )
    with transaction(args) as session:
        view = schedule.replace(session, scope_of(args), spec)
    emit(args, view, lambda v: schedule_text([v]))


def run_schedule_show(args) -> None:
    with transaction(args) as session:
        views = schedule.show(session, scope_of(args))
    emit(args, views, schedule_text)


def run_schedule_clear(args) -> None:
    with transaction(args) as session:
        view = schedule.replace(session, scope_of(args), schedule.ScheduleSet())
    emit(args, view, lambda v: f"cleared the desired schedule of {v.scope}")
