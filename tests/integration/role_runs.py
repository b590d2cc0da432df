"""Real ``ansible-playbook`` runs of the collection's playbooks, for the role tests.

A :class:`PrivateClamav` is a clamd configuration of its own (socket, database directory, pid
file under a temporary directory) that the agent role provisions and starts itself, so that the
tests never touch /etc/clamav or /var/lib/clamav. :func:`run_playbook` runs a playbook with the
collection staged by conftest and returns its output with the PLAY RECAP parsed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

from conftest import COLLECTIONS_ROOT, REPO_ROOT, program

PLAYBOOKS = os.path.join(REPO_ROOT, "playbooks")
_RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def offline_signatures(directory):
    """daily.cud (built today) and local.hdb, as the demo ships them: their paths."""
    subprocess.run([os.path.join(REPO_ROOT, "scripts", "offline-signatures"), directory],
                   check=True, capture_output=True)
    return [os.path.join(directory, "daily.cud"), os.path.join(directory, "local.hdb")]


class PrivateClamav:
    """A clamd.conf of the test's own; the role copies the signatures and starts clamd."""

    def __init__(self, directory):
        self.directory = directory
        self.config = os.path.join(directory, "clamd.conf")
        self.database_dir = os.path.join(directory, "db")
        self.pid_file = os.path.join(directory, "run", "clamd.pid")
        os.makedirs(directory, exist_ok=True)
        with open(self.config, "w") as handle:
            # Foreground no: clamd daemonizes like the distribution's. User root: the test's
            # directories need no clamav ownership.
            handle.write("LocalSocket %s/clamd.sock\nFixStaleSocket yes\nDatabaseDirectory %s\n"
                         "LogFile %s/clamd.log\nLogTime yes\nUser root\nForeground no\nMaxThreads 2\n"
                         "SelfCheck 3600\n" % (directory, self.database_dir, directory))
        self.freshclam_config = os.path.join(directory, "freshclam.conf")
        with open(self.freshclam_config, "w") as handle:
            handle.write("DatabaseDirectory %s\nDatabaseMirror database.clamav.net\n" % self.database_dir)

    def role_vars(self):
        return {
            "armadito_agent_signatures_source": "files",
            "armadito_agent_signatures_files": offline_signatures(os.path.join(self.directory, "signatures")),
            "armadito_agent_database_dir": self.database_dir,
            "armadito_agent_database_owner": "root",
            "armadito_agent_clamd_config": self.config,
            "armadito_agent_freshclam_config": self.freshclam_config,
            "armadito_agent_clamd_service_manager": "direct",
            "armadito_agent_clamd_pid_file": self.pid_file,
            "armadito_agent_clamd_run_dir": os.path.dirname(self.pid_file),
            "armadito_agent_clamav_user": "root",
        }

    def stop(self):
        try:
            with open(self.pid_file) as handle:
                os.kill(int(handle.read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


def agent_paths(directory):
    """Role variables that keep everything the role deploys under ``directory``.

    The cron file's directory is made as the cron package would; the rest is the role's job.
    """
    os.makedirs(os.path.join(directory, "cron.d"), exist_ok=True)
    return {
        "armadito_agent_lib_dir": os.path.join(directory, "lib"),
        "armadito_agent_command": os.path.join(directory, "bin", "armadito-agent"),
        "armadito_agent_config_dir": os.path.join(directory, "etc"),
        "armadito_agent_state_dir": os.path.join(directory, "state"),
        "armadito_agent_log_file": os.path.join(directory, "agent.log"),
        "armadito_agent_schedule_cron_file": os.path.join(directory, "cron.d", "armadito-agent"),
    }


def environment(directory):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ARMADITO_", "ANSIBLE_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_HOME=os.path.join(directory, "ansible-home"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_HOST_KEY_CHECKING="0",
               # One process per module run instead of a copied file: what fleets configure too.
               ANSIBLE_PIPELINING="1")
    return env


class Run:
    """One ansible-playbook run: status, output, and the recap per host."""

    def __init__(self, completed):
        self.returncode = completed.returncode
        self.output = completed.stdout + completed.stderr
        self.recap = {match.group(1): {"ok": int(match.group(2)), "changed": int(match.group(3)),
                                       "unreachable": int(match.group(4)), "failed": int(match.group(5))}
                      for match in _RECAP.finditer(completed.stdout)}

    def changed(self):
        return {host: counts["changed"] for host, counts in self.recap.items()}

    def assert_ok(self):
        assert self.returncode == 0, self.output[-6000:]
        assert all(not counts["failed"] and not counts["unreachable"] for counts in self.recap.values()), self.recap


def run_playbook(directory, playbook, inventory, extra_vars, *options, timeout=600):
    """``ansible-playbook -i inventory playbooks/<playbook> -e @vars.json options...``."""
    os.makedirs(directory, exist_ok=True)
    vars_file = os.path.join(directory, "vars-%d.json" % len(os.listdir(directory)))
    with open(vars_file, "w") as handle:
        json.dump(extra_vars, handle)
    command = [program("ansible-playbook"), "-i", inventory, os.path.join(PLAYBOOKS, playbook),
               "-e", "@" + vars_file, *options]
    return Run(subprocess.run(command, env=environment(directory), capture_output=True, text=True,
                              timeout=timeout, check=False))


def local_inventory(path, hosts):
    """An INI inventory of local-connection hosts: ``hosts`` maps a name to its host variables."""
    with open(path, "w") as handle:
        for name, variables in hosts.items():
            values = dict({"ansible_connection": "local", "ansible_python_interpreter": sys.executable}, **variables)
            handle.write(name + "".join(" %s=%s" % (key, json.dumps(value) if not isinstance(value, str) else value)
                                        for key, value in values.items()) + "\n")
    return path
