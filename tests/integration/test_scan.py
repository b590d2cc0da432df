"""armadito_scan and the scan core against a real clamd and a real armadito-server."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile

import pytest

from clamav_lab import EICAR, TESTFILES, ClamdLab

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import Settings
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.tasks.scan import run_scan

needs_testfiles = pytest.mark.skipif(not os.path.isdir(TESTFILES), reason="clamav-testfiles is not installed (make system-packages)")


@pytest.fixture
def enrolled(host, server):
    key, _key_id = server.new_key()
    assert host.module("armadito_enroll", host.args(key=key))["changed"] is True
    return host


@pytest.fixture
def tree(tmp_path):
    """eicar.com and a clean file at the top, an excluded-by-name copy and a big clean file below."""
    top = tmp_path / "scan"
    (top / "sub").mkdir(parents=True)
    (top / "eicar.com").write_bytes(EICAR)
    (top / "clean.txt").write_text("nothing to see\n")
    (top / "sub" / "eicar.skip").write_bytes(EICAR)
    (top / "sub" / "big.bin").write_bytes(b"\0" * 200000)
    return str(top)


def server_alerts(host):
    return host.server.admin("alerts", "list", "--agent", host.uuid, "--limit", "1000")


@needs_testfiles
def test_eicar_and_the_testfiles_are_found_and_reported_once(enrolled, tree):
    host = enrolled
    result = host.module("armadito_scan", host.args(path=[tree, TESTFILES]))
    assert result["failed"] is False, result.get("msg")
    assert (result["engine"], result["changed"], result["reported"]) == ("clamd", True, True)
    assert (result["scanned_count"], result["malware_count"], result["suspicious_count"]) == (4 + 44, 44 + 2, 0)
    assert (result["error_count"], result["skipped_count"]) == (0, 0)
    found = dict((item["path"], item["name"]) for item in result["detections"])
    assert found[os.path.join(tree, "eicar.com")] == "Local.Eicar.HDB.UNOFFICIAL"
    assert found[os.path.join(TESTFILES, "clam.zip")] == "Local.ClamAV-Test-File.HDB.UNOFFICIAL"
    assert len(server_alerts(host)) == 46

    # clamd logged the same 46 detections: the Alerts task knows they came from the scan.
    for _run in range(2):
        alerts = host.module("armadito_alerts", host.args())
        assert (alerts["failed"], alerts["changed"], alerts["alerts"]) == (False, False, [])
    assert len(server_alerts(host)) == 46


def test_options_exclusions_and_size_limit(enrolled, tree):
    host = enrolled
    result = host.module("armadito_scan", host.args(path=tree, exclude=[r"\.skip$"], max_filesize="100K",
                                                    report=False))
    assert (result["failed"], result["changed"], result["reported"]) == (False, False, False)
    assert (result["scanned_count"], result["malware_count"], result["skipped_count"]) == (2, 1, 1)
    same = host.module("armadito_scan", host.args(path=tree, options="-r --exclude='\\.skip$' --max-filesize=100K",
                                                  report=False))
    assert (same["scanned_count"], same["malware_count"], same["skipped_count"]) == (2, 1, 1)
    assert server_alerts(host) == []


def test_check_mode_scans_and_sends_nothing(enrolled, tree):
    host = enrolled
    result = host.module("armadito_scan", host.args(path=tree), check=True)
    assert (result["changed"], result["reported"], result["malware_count"]) == (True, False, 2)
    assert server_alerts(host) == []
    clean = host.module("armadito_scan", host.args(path=os.path.join(tree, "clean.txt")), check=True)
    assert (clean["changed"], clean["malware_count"]) == (False, 0)


def test_a_malicious_option_string_is_refused(enrolled, tree, tmp_path):
    host = enrolled
    canary = tmp_path / "canary"
    canary.write_text("still here")
    result = host.module("armadito_scan", host.args(path=tree, options="--remove; rm -rf %s" % canary))
    assert result["failed"] is True
    assert "scan option '--remove;' is not supported" in result["msg"]
    assert "accepted options: " in result["msg"]
    assert canary.exists() and os.path.exists(os.path.join(tree, "eicar.com"))


def test_clamscan_when_clamd_is_stopped_unless_forbidden(host, tree):
    host.lab.stop()
    result = host.module("armadito_scan", host.args(server_url=None, path=tree))
    assert (result["failed"], result["engine"], result["reported"]) == (False, "clamscan", False)
    assert (result["scanned_count"], result["malware_count"]) == (4, 2)
    refused = host.module("armadito_scan", host.args(server_url=None, path=tree, fallback=False))
    assert refused["failed"] is True
    assert "clamd does not answer" in refused["msg"]


def test_a_missing_path_fails_clearly(host, tmp_path):
    result = host.module("armadito_scan", host.args(path=str(tmp_path / "nope")))
    assert result["failed"] is True
    assert result["msg"].startswith("cannot scan %s: No such file or directory" % (tmp_path / "nope"))


def test_job_scan_reports_results_then_alerts(enrolled, tree):
    host = enrolled
    server = host.server
    server.admin("scanconfig", "create", "--name", "lab-%s" % host.uuid, "--path", tree,
                 "--options=--exclude=\\.skip$", "--antivirus", "ClamAV")
    job = server.admin("job", "create", "--scanconfig", "lab-%s" % host.uuid, "--agent", host.uuid)
    job_id = job["created"][0]["id"]
    settings = Settings(state_dir=host.state_dir, uuid=host.uuid, retries=0, antivirus="ClamAV",
                        antivirus_options={"clamd_config": host.lab.config})
    result = run_scan(settings, [tree], options="--exclude=\\.skip$", job_id=job_id, report=True)
    assert (result["scanned_count"], result["malware_count"], result["reported"]) == (3, 1, True)
    shown = server.admin("job", "show", str(job_id))
    assert shown["scan"]["scanned_count"] == 3
    assert shown["scan"]["malware_count"] == 1
    assert shown["scan"]["progress"] == 100
    alerts = server_alerts(host)
    assert [(alert["filepath"], alert["job_id"]) for alert in alerts] == [(os.path.join(tree, "eicar.com"), job_id)]

    with pytest.raises(ArmaditoError, match="scan option '--remove;' is not supported"):
        run_scan(settings, [tree], options="--remove; rm -rf /", job_id=job_id, report=True)


def test_agent_cli_scan(enrolled, tree):
    host = enrolled
    completed = host.agent_cli("-t", "Scan", "--scan-path", tree)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert "%s: Local.Eicar.HDB.UNOFFICIAL FOUND\n" % os.path.join(tree, "eicar.com") in completed.stdout
    assert "Scan successful (clamd): 4 file(s) scanned, 2 malware, 0 suspicious, 0 error(s)" in completed.stdout
    assert len(server_alerts(host)) == 2


def test_a_file_clamd_may_not_open_is_passed_to_it_open(tmp_path):
    """clamd as clamav cannot open a root-only file: plain SCAN says so, the agent still scans it."""
    try:
        clamav = pwd.getpwnam("clamav")
    except KeyError:
        pytest.skip("no clamav user")
    # Outside pytest's 0700 temporary tree, so that clamav reaches its own lab.
    directory = tempfile.mkdtemp(prefix="armadito-lab-", dir="/tmp")
    os.chmod(directory, 0o755)
    lab = ClamdLab(os.path.join(directory, "clamav"), user="clamav")
    try:
        lab.install_daily(27000, age_days=0)
        for root, _directories, names in os.walk(lab.directory):
            for path in [root] + [os.path.join(root, name) for name in names]:
                os.chown(path, clamav.pw_uid, clamav.pw_gid)
        lab.start(shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin"))
        private = os.path.join(directory, "private")
        os.mkdir(private, 0o700)
        with open(os.path.join(private, "eicar.com"), "wb") as handle:
            handle.write(EICAR)
        with open(os.path.join(private, "clean.txt"), "w") as handle:
            handle.write("clean\n")
        plain = subprocess.run(["clamdscan", "--config-file=%s" % lab.config, "--no-summary", private],
                               capture_output=True, text=True, check=False)
        assert "Permission denied" in plain.stdout + plain.stderr

        settings = Settings(state_dir=str(tmp_path / "state"), antivirus="ClamAV",
                            antivirus_options={"clamd_config": lab.config})
        result = run_scan(settings, [private], report=False)
        assert (result["engine"], result["scanned_count"], result["malware_count"], result["error_count"]) == (
            "clamd", 2, 1, 0)
    finally:
        lab.stop()
        shutil.rmtree(directory)
