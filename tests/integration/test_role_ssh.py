"""The agent role and its modules over real SSH: an sshd of the test's own on a loopback port,
with a throw-away host key and a throw-away client key (key authentication only), a
throw-away unprivileged user and `become` (sudo) to root, as fleets are reached.

Ansible skips become when the SSH user already is the become user, so the user is not root.
openssh-server and sudo are installed with apt when missing; the user and its sudoers file
are removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from conftest import free_port
from role_runs import agent_paths, run_playbook

SSHD = "/usr/sbin/sshd"


USER = "armadito-ssh-test"
SUDOERS = "/etc/sudoers.d/armadito-ssh-test"


def require_packages():
    missing = [package for package, path in (("openssh-server", SSHD), ("sudo", "/usr/bin/sudo"))
               if not os.access(path, os.X_OK)]
    if missing:
        pytest.skip("%s not installed (make system-packages)" % " and ".join(missing))


@pytest.fixture
def ssh_user():
    """A throw-away user allowed to become root with sudo, its home in a fresh directory."""
    home = tempfile.mkdtemp(prefix="armadito-ssh-home-")
    os.chmod(home, 0o755)
    subprocess.run(["userdel", "-r", USER], capture_output=True, check=False)  # a leftover of a killed run
    subprocess.run(["useradd", "--home-dir", os.path.join(home, USER), "--create-home", "--shell", "/bin/sh", USER],
                   check=True)
    # No password, but not locked: sshd (without PAM) refuses locked accounts even with a key.
    subprocess.run(["usermod", "-p", "*", USER], check=True)
    with open(SUDOERS, "w") as handle:
        handle.write("%s ALL=(ALL) NOPASSWD: ALL\n" % USER)
    os.chmod(SUDOERS, 0o440)
    try:
        yield {"name": USER, "home": home}
    finally:
        os.remove(SUDOERS)
        subprocess.run(["userdel", "-r", "-f", USER], capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def sshd(tmp_path, ssh_user):
    """sshd on 127.0.0.1:<free port> accepting the test user with a throw-away key."""
    directory = tmp_path / "ssh"
    directory.mkdir()
    host_key = directory / "host_ed25519"
    client_key = directory / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    # sshd reads the keys as the user: somewhere it can read.
    authorized_keys = os.path.join(ssh_user["home"], "authorized_keys")
    with open(authorized_keys, "w") as handle:
        handle.write((directory / "client_ed25519.pub").read_text())
    os.chmod(authorized_keys, 0o644)
    port = free_port()
    config = directory / "sshd_config"
    config.write_text(
        "Port %d\nListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile %s\n"
        "PermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nUsePAM no\nStrictModes no\nSubsystem sftp internal-sftp\n"
        % (port, host_key, authorized_keys, directory / "sshd.pid"))
    os.makedirs("/run/sshd", exist_ok=True)  # privilege separation directory
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=open(directory / "sshd.log", "wb"))
    try:
        deadline = time.monotonic() + 30
        while True:
            probe = subprocess.run(
                ["ssh", "-i", str(client_key), "-p", str(port), "-o", "BatchMode=yes",
                 "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", USER + "@127.0.0.1", "true"],
                capture_output=True, check=False)
            if probe.returncode == 0:
                break
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("sshd did not accept the key: %s" % (directory / "sshd.log").read_text())
            time.sleep(0.2)
        yield {"port": port, "key": str(client_key), "dir": str(directory), "user": USER}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module", autouse=True)
def root_with_packages():
    if os.geteuid() != 0:
        pytest.skip("the test's sshd, user and sudoers need root")
    require_packages()


def test_enroll_and_report_over_ssh_with_become(tmp_path, sshd, server, clamd_lab):
    inventory = tmp_path / "ssh.ini"
    inventory.write_text(
        "sshhost ansible_host=127.0.0.1 ansible_port=%d ansible_user=%s ansible_connection=ssh "
        "ansible_ssh_private_key_file=%s ansible_python_interpreter=%s "
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' "
        "ansible_become_method=sudo\n" % (sshd["port"], sshd["user"], sshd["key"], sys.executable))
    key, _key_id = server.new_key(uses=2)
    host_uuid = str(uuid.uuid4()).upper()
    variables = dict(agent_paths(str(tmp_path / "agent")), armadito_agent_uuid=host_uuid,
                     armadito_agent_server_url=server.url, armadito_agent_enrollment_key=key,
                     armadito_agent_retries=0, armadito_agent_install_packages=False,
                     armadito_agent_signatures_source="none", armadito_agent_clamd_manage=False,
                     armadito_agent_clamd_config=clamd_lab.config, armadito_agent_database_dir=clamd_lab.database_dir,
                     armadito_become=True)
    runs = str(tmp_path / "runs")

    first = run_playbook(runs, "enroll.yml", str(inventory), variables, "-vvv")
    first.assert_ok()
    # Really over ssh, with the key, and through become.
    assert "ESTABLISH SSH CONNECTION FOR USER: %s" % sshd["user"] in first.output
    assert "BECOME-SUCCESS" in first.output
    with open(os.path.join(sshd["dir"], "sshd.log")) as handle:
        assert "Accepted publickey for %s" % sshd["user"] in handle.read()
    # Files the role wrote as root through become.
    assert os.stat(os.path.join(str(tmp_path / "agent"), "state", "agent.json")).st_uid == 0
    assert first.changed()["sshhost"] > 0
    agent = server.agent(host_uuid)
    assert agent is not None
    assert [state for state in server.admin("states", "list") if state["agent_uuid"] == host_uuid]

    second = run_playbook(runs, "enroll.yml", str(inventory), variables)
    second.assert_ok()
    assert second.changed() == {"sshhost": 0}, second.output[-4000:]

    state = run_playbook(runs, "state.yml", str(inventory), dict(variables, armadito_agent_state_max_age=1))
    state.assert_ok()
