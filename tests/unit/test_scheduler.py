"""The schedule: validation, the cron file and systemd units exactly, idempotence, reports."""

from __future__ import annotations

import os
import time

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import schedule
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import AGENT_FILE
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scheduler import (
    apply_schedule,
    schedule_agent,
    splay_offset,
)

UUID = "4C4C4544-0033-4A10-8051-B4C04F4B4B32"
COMMAND = "/usr/local/bin/armadito-agent"
TASKS = {"Runjobs": {"freq": "*/2 * * * *", "args": "-wr 5"}, "Getjobs": {"freq": "* * * * *"},
         "State": {"freq": "00,20,40 * * * *"}}
# protocol.md 20.9, tasks in the legacy order whatever order they are given in.
CRON_LINES = (
    "* * * * *\troot\t/usr/local/bin/armadito-agent -t \"Getjobs\"  >>/tmp/armadito-agent.log 2>&1\n"
    "*/2 * * * *\troot\t/usr/local/bin/armadito-agent -t \"Runjobs\" -wr 5 >>/tmp/armadito-agent.log 2>&1\n"
    "00,20,40 * * * *\troot\t/usr/local/bin/armadito-agent -t \"State\"  >>/tmp/armadito-agent.log 2>&1\n"
)


@pytest.fixture
def paths(tmp_path):
    (tmp_path / "cron.d").mkdir()
    (tmp_path / "units").mkdir()
    return {"cron_file": str(tmp_path / "cron.d" / "armadito-agent"), "unit_dir": str(tmp_path / "units"),
            "agent_command": COMMAND, "enable_timers": False}


@pytest.fixture
def enrolled(settings, fake_server):
    settings.storage().write(AGENT_FILE, {
        "server_url": fake_server.url, "agent_id": 7, "scheduler_id": 1, "uuid": UUID, "token": "agt_t",
        "antivirus": {"name": "FakeAV", "version": "9.9", "program_path": ""}})
    fake_server.on("POST", "/api/schedulers", (200, {}))
    return settings


def legacy():
    return schedule.build(TASKS, "root", "/tmp/armadito-agent.log")


def read(path):
    with open(path) as handle:
        return handle.read()


def test_cron_file_exactly_as_the_legacy_agent_wrote_it(enrolled, paths):
    now = time.mktime((2017, 3, 14, 16, 49, 5, 0, 0, -1))
    result = apply_schedule(enrolled, legacy(), now=now, **paths)
    assert read(paths["cron_file"]) == (
        "#\n# Cron configuration for armadito-agent\n#\n"
        "# last modification by armadito-agent : 2017-03-14  16:49:05\n\n"
        "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n" + CRON_LINES)
    assert oct(os.stat(paths["cron_file"]).st_mode & 0o777) == "0o644"
    assert (result["changed"], result["files"], result["reported"]) == (True, [paths["cron_file"]], True)
    assert result["diff"][0]["before"] == "" and result["diff"][0]["after"] == read(paths["cron_file"])


def test_second_run_changes_nothing_not_even_the_time(enrolled, paths, fake_server):
    apply_schedule(enrolled, legacy(), now=1000, **paths)
    before = read(paths["cron_file"])
    again = apply_schedule(enrolled, legacy(), now=999999, **paths)
    assert (again["changed"], again["files"], again["reported"]) == (False, [], False)
    assert read(paths["cron_file"]) == before
    assert len(fake_server.calls("POST", "/api/schedulers")) == 1


def test_report_is_the_legacy_confdetails(enrolled, paths, fake_server):
    apply_schedule(enrolled, legacy(), **paths)
    body = fake_server.calls("POST", "/api/schedulers")[0]["body"]
    assert (body["task"]["name"], body["agent_id"], body["uuid"]) == ("Scheduler", 7, UUID)
    assert body["task"]["obj"] == {"name": "Cron", "confdetails": [
        {"attr": "scheduler:user", "value": "root"},
        {"attr": "scheduler:logfile", "value": "/tmp/armadito-agent.log"},
        {"attr": "scheduler:task:Getjobs:freq", "value": "* * * * *"},
        {"attr": "scheduler:task:Getjobs:args", "value": ""},
        {"attr": "scheduler:task:Runjobs:freq", "value": "*/2 * * * *"},
        {"attr": "scheduler:task:Runjobs:args", "value": "-wr 5"},
        {"attr": "scheduler:task:State:freq", "value": "00,20,40 * * * *"},
        {"attr": "scheduler:task:State:args", "value": ""}]}


def test_check_mode_writes_and_sends_nothing(enrolled, paths, fake_server):
    result = apply_schedule(enrolled, legacy(), check_mode=True, **paths)
    assert (result["changed"], result["files"], result["reported"]) == (True, [paths["cron_file"]], True)
    assert not os.path.exists(paths["cron_file"])
    assert fake_server.calls("POST", "/api/schedulers") == []


def test_systemd_units_and_the_switch_between_backends(enrolled, paths):
    apply_schedule(enrolled, legacy(), **paths)
    result = apply_schedule(enrolled, schedule.build({"Getjobs": {"freq": "0 0 13 * 5", "args": "-wr 60"}}),
                            backend="systemd", **paths)
    units = paths["unit_dir"]
    assert sorted(result["files"]) == sorted([os.path.join(units, "armadito-agent-getjobs.service"),
                                              os.path.join(units, "armadito-agent-getjobs.timer"), paths["cron_file"]])
    assert not os.path.exists(paths["cron_file"])
    assert read(os.path.join(units, "armadito-agent-getjobs.service")) == (
        "# Managed by armadito.fleet (armadito_scheduler): local changes are overwritten.\n"
        "[Unit]\nDescription=armadito-agent task Getjobs\n\n"
        "[Service]\nType=oneshot\nUser=root\nExecStart=/usr/local/bin/armadito-agent -t Getjobs -wr 60\n"
        "StandardOutput=append:/var/log/armadito-agent.log\nStandardError=append:/var/log/armadito-agent.log\n")
    assert read(os.path.join(units, "armadito-agent-getjobs.timer")) == (
        "# Managed by armadito.fleet (armadito_scheduler): local changes are overwritten.\n"
        "[Unit]\nDescription=Run armadito-agent task Getjobs (cron: 0 0 13 * 5)\n\n"
        "[Timer]\nOnCalendar=*-*-13 00:00:00\nOnCalendar=Fri *-*-* 00:00:00\nAccuracySec=1s\n\n"
        "[Install]\nWantedBy=timers.target\n")
    assert apply_schedule(enrolled, schedule.build({"Getjobs": {"freq": "0 0 13 * 5", "args": "-wr 60"}}),
                          backend="systemd", **paths)["changed"] is False
    back = apply_schedule(enrolled, legacy(), **paths)
    assert os.listdir(units) == [] and os.path.exists(paths["cron_file"]) and back["changed"] is True


def test_splay_is_stable_per_host_and_spread():
    assert splay_offset(UUID, 300) == splay_offset(UUID, 300)
    assert 0 <= splay_offset(UUID, 300) < 300
    assert splay_offset(UUID, 0) == 0
    offsets = set(splay_offset("4C4C4544-0033-4A10-8051-%012d" % number, 600) for number in range(200))
    assert len(offsets) > 100


def test_splay_goes_before_the_task_arguments(enrolled, paths):
    result = apply_schedule(enrolled, legacy(), splay=300, **paths)
    offset = splay_offset(UUID, 300)
    assert result["splay_offset"] == offset
    assert result["schedule"]["tasks"]["Runjobs"] == {"freq": "*/2 * * * *", "args": "-w %d -wr 5" % offset}
    assert "-t \"Getjobs\" -w %d >>" % offset in read(paths["cron_file"])


def test_schedule_from_the_server(enrolled, paths, fake_server):
    fake_server.on("GET", "/api/schedulers", (200, {"agent_id": 7, "scheduler_id": 1, "confdetails": [
        {"attr": "scheduler:task:Getjobs:args", "value": "-wr 60"},
        {"attr": "scheduler:task:Getjobs:freq", "value": "*/10 * * * *"},
        {"attr": "scheduler:task:State:freq", "value": None},
        {"attr": "scheduler:user", "value": "root"}]}))
    result = schedule_agent(enrolled, source="server", **paths)
    assert result["schedule"] == {"user": "root", "logfile": "/var/log/armadito-agent.log",
                                  "tasks": {"Getjobs": {"freq": "*/10 * * * *", "args": "-wr 60"}}}
    assert fake_server.calls("GET", "/api/schedulers")[0]["raw_path"] == "/api/schedulers?agent_id=7&uuid=%s" % UUID


def test_no_schedule_on_the_server_changes_nothing(enrolled, paths, fake_server):
    fake_server.on("GET", "/api/schedulers", (200, {"agent_id": 7, "scheduler_id": 1, "confdetails": []}))
    result = schedule_agent(enrolled, source="server", **paths)
    assert (result["changed"], result["schedule"]) == (False, None)
    assert not os.path.exists(paths["cron_file"])


def test_without_report_no_enrollment_is_needed(settings, paths):
    result = apply_schedule(settings, legacy(), report=False, splay=60, **paths)
    assert (result["changed"], result["reported"]) == (True, False)


@pytest.mark.parametrize("tasks, user, logfile, message", [
    ({}, None, None, "the schedule has no task"),
    ({"getjobs": {"freq": "* * * * *"}}, None, None, "unknown task(s) in the schedule: getjobs"),
    ({"Getjobs": {"freq": "* * * * *", "args": "; rm -rf /"}}, None, None, "invalid arguments"),
    ({"Getjobs": {"freq": "* * * * *", "args": "-wr 5 >/etc/passwd"}}, None, None, "invalid arguments"),
    ({"Getjobs": {"freq": "61 * * * *"}}, None, None, "minute field: 61 is out of 0-59"),
    ({"Getjobs": {"freq": "* * * * *"}}, "root\nx", None, "invalid scheduler user"),
    ({"Getjobs": {"freq": "* * * * *"}}, None, "relative.log", "invalid scheduler log file"),
    ({"Getjobs": {"freq": "* * * * *"}}, None, "/var/log/a b.log", "invalid scheduler log file"),
])
def test_schedule_values_are_checked(tasks, user, logfile, message):
    with pytest.raises(ArmaditoError) as error:
        schedule.build(tasks, user, logfile)
    assert message in str(error.value)


def test_legacy_schedule_file_with_full_cron_syntax():
    parsed = schedule.from_legacy_file(
        "# [Freq] ; [Task] ; [args]\n\nUser    = root\nLogfile = /tmp/armadito-agent.log\n\n"
        "* * * * *                 ; Getjobs ;\n*/2 * * * *               ; Runjobs ; -wr 5\n"
        "0 8-18 * * MON-FRI        ; State ;\n")
    assert parsed.as_dict() == {"user": "root", "logfile": "/tmp/armadito-agent.log", "tasks": {
        "Getjobs": {"freq": "* * * * *", "args": ""}, "Runjobs": {"freq": "*/2 * * * *", "args": "-wr 5"},
        "State": {"freq": "0 8-18 * * MON-FRI", "args": ""}}}
