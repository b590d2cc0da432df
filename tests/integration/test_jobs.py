"""Jobs end to end on loopback: an administrator queues scans (server CLI and armadito_job), the
agent fetches and runs them (armadito_getjobs, armadito_runjobs, armadito-agent), the server
shows the results. Real armadito-server, real clamd, real ansible."""

from __future__ import annotations

import os

import pytest

from clamav_lab import EICAR
from conftest import ArmaditoServer


@pytest.fixture
def tree(tmp_path):
    top = tmp_path / "scan"
    (top / "infected").mkdir(parents=True)
    (top / "clean").mkdir()
    (top / "infected" / "eicar.com").write_bytes(EICAR)
    (top / "clean" / "readme.txt").write_text("nothing to see\n")
    return top


def enroll(host):
    key, _key_id = host.server.new_key()
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is True
    return host.server.agent(host.uuid)["id"]


def scanconfig(server, name, path):
    server.admin("scanconfig", "create", "--name", name, "--path", str(path), "--antivirus", "ClamAV")


def queue(server, config, agent_uuid, priority):
    return server.admin("job", "create", "--scanconfig", config, "--agent", agent_uuid, "--priority", priority)["created"][0]["id"]


def server_jobs(server, agent_uuid):
    return dict((job["id"], job) for job in server.admin("job", "list", "--agent", agent_uuid))


def test_jobs_run_by_priority_and_the_server_shows_their_results(host, server, tree):
    enroll(host)
    tag = "it-%s" % host.uuid
    scanconfig(server, "clean-" + tag, tree / "clean")
    scanconfig(server, "eicar-" + tag, tree / "infected")
    low = queue(server, "clean-" + tag, host.uuid, "low")
    urgent = queue(server, "eicar-" + tag, host.uuid, "urgent")
    high = queue(server, "clean-" + tag, host.uuid, "high")
    token = server.admin("admin-token", "create", "--name", tag)["token"]
    admin = {"admin_url": server.url, "admin_token": token, "retries": 0}
    job_args = dict(admin, name=tag, scanconfig="clean-" + tag, agents=[host.uuid], priority="medium")
    assert host.module("armadito_job", job_args, check=True)["created"] == [
        {"agent_id": server.agent(host.uuid)["id"], "agent_uuid": host.uuid}]
    queued = host.module("armadito_job", job_args)
    assert (queued["failed"], queued["changed"]) == (False, True), queued.get("msg")
    medium = queued["created"][0]["id"]
    assert host.module("armadito_job", job_args)["changed"] is False

    fetched = host.module("armadito_getjobs", host.args())
    assert (fetched["failed"], fetched["changed"]) == (False, True), fetched.get("msg")
    order = [urgent, high, medium, low]
    assert [job["job_id"] for job in fetched["queue"]] == order
    assert host.module("armadito_getjobs", host.args())["changed"] is False

    predicted = host.module("armadito_runjobs", host.args(), check=True)
    assert [job["job_id"] for job in predicted["jobs"]] == order
    assert all(job["status"] == "downloaded" for job in server_jobs(server, host.uuid).values())

    ran = host.module("armadito_runjobs", host.args())
    assert (ran["failed"], ran["changed"]) == (False, True), ran.get("msg")
    assert [(job["job_id"], job["status"]) for job in ran["jobs"]] == [(number, "successful") for number in order]
    assert host.stored("jobs.json")["jobs"] == []
    assert host.module("armadito_runjobs", host.args())["changed"] is False

    shown = server_jobs(server, host.uuid)
    for number in order:
        assert shown[number]["status"] == "successful"
        assert shown[number]["scan"]["scanned_count"] == 1
        assert shown[number]["scan"]["progress"] == 100
    assert shown[urgent]["scan"]["malware_count"] == 1
    assert shown[low]["scan"]["malware_count"] == 0
    alerts = server.admin("alerts", "list", "--agent", host.uuid)
    assert [(alert["job_id"], alert["filepath"]) for alert in alerts] == [
        (urgent, str(tree / "infected" / "eicar.com"))]

    info = host.module("armadito_server_info", dict(admin, agent=host.uuid, gather=["jobs", "alerts"]))
    assert sorted(job["id"] for job in info["jobs"]) == sorted(order)
    assert info["alerts"][0]["threat_name"].startswith("Local.Eicar")


def test_server_down_between_getjobs_and_runjobs(host, tmp_path, tree, clamd_lab):
    # A server of its own: this test stops it.
    (tmp_path / "own-server").mkdir()
    server = ArmaditoServer(str(tmp_path / "own-server"))
    server.start()
    try:
        host.server = server
        enroll(host)
        scanconfig(server, "eicar", tree / "infected")
        first, second = queue(server, "eicar", host.uuid, "high"), queue(server, "eicar", host.uuid, "low")
        assert host.module("armadito_getjobs", host.args())["changed"] is True
        server.stop()
        down = host.module("armadito_runjobs", host.args())
        assert down["failed"] is True
        assert "cannot connect" in down["msg"] and "2 job(s) stay queued" in down["msg"]
        assert [job["job_id"] for job in host.stored("jobs.json")["jobs"]] == [first, second]
        server.start()
        back = host.agent_cli("-t", "Runjobs")
        assert back.returncode == 0, back.stderr
        assert back.stdout.splitlines()[-1] == "Runjobs sendStatus successful: 2 job(s) run"
        assert host.stored("jobs.json")["jobs"] == []
        assert host.agent_cli("-t", "Runjobs").stdout == "Runjobs sendStatus successful: 0 job(s) run\n"
        shown = server_jobs(server, host.uuid)
        assert [shown[number]["status"] for number in (first, second)] == ["successful", "successful"]
        # Each scan reported its detection under its own job, once.
        assert sorted(alert["job_id"] for alert in server.admin("alerts", "list", "--agent", host.uuid)) == sorted(
            [first, second])
    finally:
        if server.process.poll() is None:
            server.stop()


def test_a_job_whose_path_does_not_exist_fails_with_its_message(host, server, tree):
    enroll(host)
    name = "missing-%s" % host.uuid
    scanconfig(server, name, "/nonexistent/armadito")
    job_id = queue(server, name, host.uuid, "urgent")
    fetched = host.agent_cli("-t", "Getjobs")
    assert (fetched.returncode, fetched.stdout) == (0, "Getjobs successful: 1 new job(s), 1 queued\n")
    ran = host.agent_cli("-t", "Runjobs")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("Job %d (Scan %s, urgent) failed: cannot scan /nonexistent/armadito" % (job_id, name))
    shown = server_jobs(server, host.uuid)[job_id]
    assert shown["status"] == "failed"
    assert shown["error_message"].startswith("cannot scan /nonexistent/armadito: No such file or directory")


SCHEDULE = [{"task": "Runjobs", "freq": "*/30 * * * *"}, {"task": "Getjobs", "freq": "*/10 * * * *", "args": "-wr 60"},
            {"task": "State", "freq": "0 6-18 * * MON-FRI"}]


def test_cron_and_systemd_schedules_are_written_as_documented_once(host, tmp_path):
    enroll(host)
    cron_dir, unit_dir = tmp_path / "cron.d", tmp_path / "system"
    cron_dir.mkdir()
    unit_dir.mkdir()
    args = host.args(tasks=SCHEDULE, cron_file=str(cron_dir / "armadito-agent"), unit_dir=str(unit_dir),
                     agent_command="/usr/local/bin/armadito-agent", enable_timers=False)

    predicted = host.module("armadito_scheduler", args, check=True)
    assert (predicted["changed"], predicted["reported"]) == (True, True)
    assert os.listdir(str(cron_dir)) == []
    installed = host.module("armadito_scheduler", args)
    assert (installed["failed"], installed["changed"], installed["reported"]) == (False, True, True), installed.get("msg")
    text = (cron_dir / "armadito-agent").read_text()
    assert text.splitlines()[3].startswith("# last modification by armadito-agent : ")
    assert text.split("\n", 4)[4] == (
        "\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n"
        "*/10 * * * *\troot\t/usr/local/bin/armadito-agent -t \"Getjobs\" -wr 60 >>/var/log/armadito-agent.log 2>&1\n"
        "*/30 * * * *\troot\t/usr/local/bin/armadito-agent -t \"Runjobs\"  >>/var/log/armadito-agent.log 2>&1\n"
        "0 6-18 * * MON-FRI\troot\t/usr/local/bin/armadito-agent -t \"State\"  >>/var/log/armadito-agent.log 2>&1\n")
    assert host.module("armadito_scheduler", args, check=True)["changed"] is False
    assert host.module("armadito_scheduler", args)["changed"] is False
    agent = host.server.admin("agents", "show", host.uuid)
    assert agent["scheduler"]["name"] == "Cron"

    systemd = dict(args, backend="systemd")
    assert host.module("armadito_scheduler", systemd, check=True)["changed"] is True
    assert (cron_dir / "armadito-agent").exists()
    switched = host.module("armadito_scheduler", systemd)
    assert (switched["changed"], switched["reported"]) == (True, True)
    assert not (cron_dir / "armadito-agent").exists()
    assert sorted(os.listdir(str(unit_dir))) == [
        "armadito-agent-getjobs.service", "armadito-agent-getjobs.timer", "armadito-agent-runjobs.service",
        "armadito-agent-runjobs.timer", "armadito-agent-state.service", "armadito-agent-state.timer"]
    assert (unit_dir / "armadito-agent-getjobs.service").read_text() == (
        "# Managed by armadito.fleet (armadito_scheduler): local changes are overwritten.\n"
        "[Unit]\nDescription=armadito-agent task Getjobs\n\n"
        "[Service]\nType=oneshot\nUser=root\nExecStart=/usr/local/bin/armadito-agent -t Getjobs -wr 60\n"
        "StandardOutput=append:/var/log/armadito-agent.log\nStandardError=append:/var/log/armadito-agent.log\n")
    assert (unit_dir / "armadito-agent-state.timer").read_text() == (
        "# Managed by armadito.fleet (armadito_scheduler): local changes are overwritten.\n"
        "[Unit]\nDescription=Run armadito-agent task State (cron: 0 6-18 * * MON-FRI)\n\n"
        "[Timer]\nOnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 06..18:00:00\nAccuracySec=1s\n\n"
        "[Install]\nWantedBy=timers.target\n")
    assert host.module("armadito_scheduler", systemd)["changed"] is False
    assert host.server.admin("agents", "show", host.uuid)["scheduler"]["name"] == "Systemd"


def test_schedule_from_the_server_with_a_stable_splay(host, server, tmp_path):
    agent_id = enroll(host)
    server.admin("schedule", "set", "--agent", str(agent_id), "--task", "Getjobs=*/5 * * * *", "--args", "Getjobs=-wr 5",
                 "--user", "root", "--logfile", "/var/log/armadito.log")
    (tmp_path / "cron.d").mkdir()
    args = host.args(source="server", splay=600, cron_file=str(tmp_path / "cron.d" / "armadito-agent"),
                     unit_dir=str(tmp_path), agent_command="/usr/local/bin/armadito-agent", enable_timers=False)
    first = host.module("armadito_scheduler", args)
    assert (first["failed"], first["changed"]) == (False, True), first.get("msg")
    offset = first["splay_offset"]
    assert 0 <= offset < 600
    assert first["schedule"]["tasks"] == {"Getjobs": {"freq": "*/5 * * * *", "args": "-w %d -wr 5" % offset}}
    assert "-t \"Getjobs\" -w %d -wr 5 >>/var/log/armadito.log 2>&1" % offset in (
        tmp_path / "cron.d" / "armadito-agent").read_text()
    again = host.module("armadito_scheduler", args)
    assert (again["changed"], again["splay_offset"]) == (False, offset)
