#!/usr/bin/env python3
"""Enrollment benchmark: playbooks/enroll.yml against the same work written with ansible.builtin.uri.

100 simulated hosts (local connection; a uuid, a state directory and deployed paths per host
as host variables) at forks 25, against ``armadito-server serve`` on a fresh SQLite database
and one private clamd (the integration tests' offline lab), all on loopback. Package
installation, signature provisioning and clamd management are off (one clamd serves every
simulated host). Three timed runs, each on hosts the server has never seen:

  enroll.yml              the whole playbook: platform facts, agent deployed, enrolled,
                          scheduled, AV configuration reported, state and alerts reported
  enroll.yml (same work)  the same playbook limited to what the uri playbook does:
                          --skip-tags deploy,schedule,config and no alerts report
  uri playbook            engine version from clamd, database header, POST /api/agents,
                          POST /api/states with the agent token, agent.json kept on the host

Prints the wall time of each and the ratios to the uri playbook (goal: the same-work run is no
slower than the uri playbook). No timing is asserted anywhere.

Usage: ``make bench-enroll`` or ``.venv/bin/python bench/enroll_playbook.py [--hosts 100] [--forks 25]``.
Needs root and the clamav, clamav-daemon packages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid as uuid_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from collection_staging import stage  # noqa: E402

COLLECTIONS_ROOT = stage()

from clamav_lab import ClamdLab  # noqa: E402

URI_PLAYBOOK = r"""
- name: Enroll and report with ansible.builtin.uri
  hosts: all
  gather_facts: false
  tasks:
    - name: Read the engine version from clamd
      ansible.builtin.command:
        argv: [clamdscan, "--config-file={{ clamd_config }}", --version]
      register: clamd_version
      changed_when: false

    - name: Read the daily database header
      ansible.builtin.command:
        argv: [head, -c, "512", "{{ database_dir }}/daily.cud"]
      register: daily_header
      changed_when: false

    - name: Build the antivirus identity and the state
      ansible.builtin.set_fact:
        antivirus:
          name: ClamAV
          version: "{{ clamd_version.stdout.split('/')[0].split(' ')[1] }}"
          os_info: {name: linux, libpath: Linux}
          program_path: /usr/bin/
        dbinfo:
          global_update_timestamp: "{{ daily_header.stdout.split(':')[8] | trim | int }}"
          global_status: up-to-date
          service_status: running
          modules:
            - name: daily
              mod_status: up-to-date
              mod_update_timestamp: "{{ daily_header.stdout.split(':')[8] | trim | int }}"
              bases:
                - name: daily.cud
                  version: "{{ daily_header.stdout.split(':')[2] }}"
                  signature_count: "{{ daily_header.stdout.split(':')[3] | int }}"
                  full_path: "{{ database_dir }}/daily.cud"
                  base_update_ts: "{{ daily_header.stdout.split(':')[8] | trim | int }}"

    - name: Enroll
      ansible.builtin.uri:
        url: "{{ server_url }}/api/agents"
        method: POST
        body_format: json
        headers: {User-Agent: armadito-agent-uri-bench}
        body:
          agent_id: 0
          agent_version: "1.0.0"
          uuid: "{{ armadito_agent_uuid }}"
          task: {name: Enrollment, antivirus: "{{ antivirus }}", obj: {key: "{{ enrollment_key }}"}}
      register: enrolled
      throttle: 20

    - name: Report the state
      ansible.builtin.uri:
        url: "{{ server_url }}/api/states"
        method: POST
        body_format: json
        headers:
          User-Agent: armadito-agent-uri-bench
          Authorization: "Bearer {{ enrolled.json.agent_token }}"
        body:
          agent_id: "{{ enrolled.json.agent_id }}"
          agent_version: "1.0.0"
          uuid: "{{ armadito_agent_uuid }}"
          task: {name: State, antivirus: "{{ antivirus }}", obj: {dbinfo: "{{ dbinfo }}", avdetails: []}}
      throttle: 20

    - name: Create the state directory
      ansible.builtin.file:
        path: "{{ armadito_agent_state_dir }}"
        state: directory
        mode: "0700"

    - name: Keep the enrollment on the host
      ansible.builtin.copy:
        content: "{{ enrolled.json | to_json }}"
        dest: "{{ armadito_agent_state_dir }}/agent.json"
        mode: "0600"
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, directory):
        self.database_url = "sqlite:///%s/armadito.db" % directory
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.program = os.path.join(BIN, "armadito-server")
        self.log = open(os.path.join(directory, "server.log"), "ab")
        self.process = None

    def start(self):
        subprocess.run([self.program, "db", "upgrade", "--database-url", self.database_url], check=True,
                       capture_output=True)
        self.process = subprocess.Popen([self.program, "serve", "--port", str(self.port), "--database-url",
                                         self.database_url, "--log-level", "warning"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("armadito-server did not start")

    def admin(self, *args):
        output = subprocess.run([self.program, *args, "--database-url", self.database_url, "--json"],
                                capture_output=True, text=True, check=True).stdout
        return json.loads(output)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def inventory(path, directory, hosts, prefix):
    with open(path, "w") as handle:
        for number in range(1, hosts + 1):
            host_dir = os.path.join(directory, "%s%03d" % (prefix, number))
            os.makedirs(os.path.join(host_dir, "cron.d"), exist_ok=True)
            values = {
                "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                "armadito_agent_uuid": str(uuid_module.uuid4()).upper(),
                "armadito_agent_state_dir": host_dir + "/state", "armadito_agent_lib_dir": host_dir + "/lib",
                "armadito_agent_command": host_dir + "/bin/armadito-agent",
                "armadito_agent_config_dir": host_dir + "/etc", "armadito_agent_log_file": host_dir + "/agent.log",
                "armadito_agent_schedule_cron_file": host_dir + "/cron.d/armadito-agent",
            }
            handle.write("%s%03d %s\n" % (prefix, number, " ".join("%s=%s" % item for item in values.items())))
    return path


def timed_run(directory, playbook, inventory_path, extra_vars, forks, *options):
    vars_file = os.path.join(directory, "vars-%s.json" % os.path.basename(inventory_path))
    with open(vars_file, "w") as handle:
        json.dump(extra_vars, handle)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "ARMADITO_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_HOME=os.path.join(directory, "ansible-home"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory_path, playbook, "-e", "@" + vars_file,
               "--forks", str(forks), *options]
    started = time.monotonic()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(command), completed.stdout[-5000:] + completed.stderr[-2000:]))
    return elapsed


def main():
    parser = argparse.ArgumentParser(description="enroll.yml against the same work with uri tasks")
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--forks", type=int, default=25)
    args = parser.parse_args()
    clamd = shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")
    if not clamd:
        sys.exit("ClamAV is not installed (make system-packages)")
    os.makedirs(os.path.join(ROOT, ".bench"), exist_ok=True)
    directory = tempfile.mkdtemp(prefix="enroll-", dir=os.path.join(ROOT, ".bench"))
    server = Server(directory)
    lab = ClamdLab(os.path.join(directory, "clamav"))
    lab.install_daily(27000, age_days=0)
    lab.start(clamd)
    server.start()
    try:
        key = server.admin("key", "create", "--uses", str(args.hosts * 3), "--expires", "1d")["key"]
        common = {"armadito_agent_server_url": server.url, "armadito_agent_enrollment_key": key,
                  "armadito_agent_install_packages": False, "armadito_agent_signatures_source": "none",
                  "armadito_agent_clamd_manage": False, "armadito_agent_clamd_config": lab.config,
                  "armadito_agent_database_dir": lab.database_dir, "armadito_agent_retries": 0}
        uri_vars = {"server_url": server.url, "enrollment_key": key, "clamd_config": lab.config,
                    "database_dir": lab.database_dir}
        uri_playbook = os.path.join(directory, "enroll-uri.yml")
        with open(uri_playbook, "w") as handle:
            handle.write(URI_PLAYBOOK)
        enroll = os.path.join(ROOT, "playbooks", "enroll.yml")
        print("%d simulated hosts, forks %d, armadito-server on SQLite, %d CPUs, load %.1f"
              % (args.hosts, args.forks, os.cpu_count(), os.getloadavg()[0]))
        same = timed_run(directory, enroll, inventory(os.path.join(directory, "same.ini"), directory, args.hosts, "same"),
                         dict(common, armadito_agent_report_alerts=False), args.forks,
                         "--skip-tags", "deploy,schedule,config")
        uri = timed_run(directory, uri_playbook, inventory(os.path.join(directory, "uri.ini"), directory, args.hosts, "uri"),
                        uri_vars, args.forks)
        full = timed_run(directory, enroll, inventory(os.path.join(directory, "full.ini"), directory, args.hosts, "full"),
                         common, args.forks)
        agents = len(server.admin("agents", "list"))
    finally:
        server.stop()
        lab.stop()
    print("enrolled agents on the server: %d (expected %d)" % (agents, 3 * args.hosts))
    print("%-40s %7.1f s" % ("uri playbook (enroll + state)", uri))
    print("%-40s %7.1f s   ratio to uri %.2f" % ("enroll.yml, same work", same, same / uri))
    print("%-40s %7.1f s   ratio to uri %.2f" % ("enroll.yml, whole playbook", full, full / uri))
    print("goal (same work no slower than uri): %s" % ("met" if same <= uri else "NOT met"))
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
