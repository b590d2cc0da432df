"""``armadito-server avconfig ...`` and ``schedule ...``: desired settings per scope."""

from __future__ import annotations

from sqlalchemy import select

from armadito_server.models import DesiredSetting

from factories import UUID_F, create_agent


def test_avconfig_set_then_show(cli, database):
    agent_id, _ = create_agent(database, uuid=UUID_F)
    cli.run("avconfig", "set", "--all", "on-access=enabled", "scan:archive=1", "--remove", "module:pdf")
    cli.run("avconfig", "set", "--agent", UUID_F, "scan:archive=0")
    cli.run("avconfig", "set", "--antivirus", "Armadito", "a=b=c")
    shown = {view["scope"]: view["entries"] for view in cli.json("avconfig", "show")}
    assert shown == {
        "all": [
            {"attr": "module:pdf", "value": None},
            {"attr": "on-access", "value": "enabled"},
            {"attr": "scan:archive", "value": "1"},
        ],
        f"agent:{agent_id}": [{"attr": "scan:archive", "value": "0"}],
        "antivirus:Armadito": [{"attr": "a", "value": "b=c"}],
    }
    # set replaces the scope's whole set
    cli.run("avconfig", "set", "--all", "on-access=disabled")
    assert cli.json("avconfig", "show", "--all") == [{"scope": "all", "entries": [{"attr": "on-access", "value": "disabled"}]}]
    assert "module:pdf (remove)" not in cli.run("avconfig", "show", "--all").stdout
    cli.run("avconfig", "clear", "--all")
    assert cli.json("avconfig", "show", "--all") == [{"scope": "all", "entries": []}]


def test_avconfig_errors(cli, database):
    assert "nothing to set" in cli.run("avconfig", "set", "--all", check=False).stderr
    assert "expected KEY=VALUE" in cli.run("avconfig", "set", "--all", "novalue", check=False).stderr
    result = cli.run("avconfig", "set", "--agent", "77", "a=1", check=False)
    assert result.returncode == 1 and "no agent '77'" in result.stderr
    assert "not allowed with argument" in cli.run("avconfig", "set", "--all", "--agent", "1", "a=1", check=False).stderr


def test_schedule_set_then_show(cli, database):
    cli.run(
        "schedule", "set", "--all", "--task", "Getjobs=*/10 * * * *", "--task", "Runjobs=*/2 * * * *",
        "--args", "Runjobs=-wr 5", "--user", "root", "--logfile", "/var/log/armadito-agent.log",
    )
    assert cli.json("schedule", "show", "--all") == [
        {
            "scope": "all",
            "user": "root",
            "logfile": "/var/log/armadito-agent.log",
            "tasks": {"Getjobs": {"freq": "*/10 * * * *", "args": ""}, "Runjobs": {"freq": "*/2 * * * *", "args": "-wr 5"}},
        }
    ]
    with database.transaction() as session:
        stored = dict(session.execute(select(DesiredSetting.attr, DesiredSetting.value).where(DesiredSetting.kind == "schedule")).all())
    assert stored == {
        "scheduler:user": "root",
        "scheduler:logfile": "/var/log/armadito-agent.log",
        "scheduler:task:Getjobs:freq": "*/10 * * * *",
        "scheduler:task:Getjobs:args": "",
        "scheduler:task:Runjobs:freq": "*/2 * * * *",
        "scheduler:task:Runjobs:args": "-wr 5",
    }


def test_schedule_refuses_unknown_tasks_and_shell_text(cli, database):
    unknown = cli.run("schedule", "set", "--all", "--task", "Reboot=* * * * *", check=False)
    assert unknown.returncode == 1 and "'Getjobs'" in unknown.stderr
    injected = cli.run("schedule", "set", "--all", "--task", "Getjobs=* * * * *", "--args", "Getjobs=; rm -rf /", check=False)
    assert injected.returncode == 1 and "does not match" in injected.stderr
    orphan = cli.run("schedule", "set", "--all", "--args", "Runjobs=-wr 5", check=False)
    assert "--args Runjobs needs --task Runjobs" in orphan.stderr
    assert cli.json("schedule", "show") == []
