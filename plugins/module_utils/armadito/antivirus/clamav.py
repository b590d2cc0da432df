# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ClamAV backend (antivirus.md 5): version, signature databases, clamd and clamonacc."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
import time

from ..errors import ArmaditoError
from . import clamav_config, clamd, clamd_scan, clamscan, sigtool
from .base import (ConfigPlan, Detection, LogSource, ScanOutcome, Antivirus, find_program, process_running,
                   update_status, worst_status)
from .clamav_logs import parse_detection

DEFAULT_DATABASE_DIR = "/var/lib/clamav"

# Debian's clamav-clamonacc service logs there; clamonacc has no default log file.
DEFAULT_CLAMONACC_LOG = "/var/log/clamav/clamonacc.log"
# Detection names that are guesses (heuristics, potentially unwanted applications), not malware.
_SUSPICIOUS_PREFIXES = ("Heuristics.", "PUA.")
# Seconds clamd may take to load its databases after a restart (the official ones are large).
RESTART_WAIT = 120

RUNNING = "running"
NOT_RESPONDING = "not-responding"
STOPPED = "stopped"


class ClamAV(Antivirus):
    """Options: ``clamd_config`` (default /etc/clamav/clamd.conf, else RHEL's
    /etc/clamd.d/scan.conf), ``freshclam_config`` (default /etc/clamav/freshclam.conf, else
    /etc/freshclam.conf), ``clamd_socket`` (a socket path or host:port; default from clamd.conf),
    ``database_dir`` (default from clamd.conf, else /var/lib/clamav), ``clamonacc_log``
    (default /var/log/clamav/clamonacc.log), ``clamd_restart_command`` (default through systemd
    or the init script), ``late_days`` and ``critical_days``."""

    name = "ClamAV"

    def __init__(self, options=None):
        super().__init__(options)
        self._config = None
        self._version = None

    def installed(self):
        return bool(find_program("clamscan") or find_program("clamd") or self._clamd_address())

    def version(self):
        if self._version is None:
            self._version = self._clamd_version() or self._clamscan_version()
        if not self._version:
            raise ArmaditoError(
                "cannot read the ClamAV version: clamd does not answer at %s and clamscan is missing"
                % self._describe_clamd(),
                "start clamd (service clamav-daemon start) or install the clamav package",
            )
        return self._version

    def program_path(self):
        program = find_program("clamscan")
        return os.path.dirname(program) + "/" if program else ""

    def database_dir(self):
        return self.options.get("database_dir") or self.config().get("DatabaseDirectory") or DEFAULT_DATABASE_DIR

    def databases(self):
        """One :class:`sigtool.Database` per module (main, daily, bytecode, ...), newest version first."""
        tool = find_program("sigtool")
        if not tool:
            return []
        newest = {}
        for path in sigtool.containers(self.database_dir()):
            database = sigtool.read_header(tool, path)
            if database is None:
                continue
            module = _module_name(database.name)
            # daily.cvd and daily.cld can both exist; clamd loads the higher version.
            if module not in newest or _version_key(database) > _version_key(newest[module]):
                newest[module] = database
        return [newest[module] for module in sorted(newest)]

    def state(self, now=None):
        modules = []
        for database in self.databases():
            status = update_status(database.build_time, self.thresholds, now)
            modules.append({
                "name": _module_name(database.name),
                "mod_status": status,
                "mod_update_timestamp": database.build_time,
                "bases": [{
                    "name": database.name,
                    "version": database.version,
                    "signature_count": database.signature_count,
                    "full_path": database.path,
                    "base_update_ts": database.build_time,
                }],
            })
        daemon = self._daemon_status()
        onaccess = process_running("clamonacc")
        return {
            "dbinfo": {
                "global_update_timestamp": max((module["mod_update_timestamp"] for module in modules), default=0),
                "global_status": worst_status(module["mod_status"] for module in modules),
                "service_status": daemon["status"],
                "modules": modules,
            },
            "avdetails": [
                {"attr": "clamd:status", "value": daemon["status"]},
                {"attr": "clamd:address", "value": self._describe_clamd()},
                {"attr": "clamd:loaded_database_version", "value": daemon["loaded_database_version"]},
                {"attr": "onaccess:enabled", "value": 1 if onaccess else 0},
                {"attr": "database_directory", "value": self.database_dir()},
                {"attr": "thresholds:late_days", "value": self.thresholds.late_days},
                {"attr": "thresholds:critical_days", "value": self.thresholds.critical_days},
            ],
        }

    def scan(self, files, options, on_result=None, fallback=True):
        detections = []
        errors = []
        scanned = [0]

        def record(path, status, detail):
            if status == clamd_scan.FOUND:
                detections.append(Detection(path, detail, int(time.time()), detail.startswith(_SUSPICIOUS_PREFIXES)))
            if status == clamd_scan.ERROR:
                errors.append((path, detail))
            else:
                scanned[0] += 1
            if on_result is not None:
                on_result()

        client = self._client()
        # clamd applies its own ScanArchive setting to every request: only clamscan can be
        # told not to look into archives for one scan.
        if options.scan_archive and client is not None and client.ping():
            self._scan_with_clamd(client.address, files, record)
            return ScanOutcome("clamd", scanned[0], detections, errors)
        if options.scan_archive and not fallback:
            raise ArmaditoError("clamd does not answer at %s" % self._describe_clamd(),
                                "start clamd (service clamav-daemon start), or allow the clamscan fallback")
        program = find_program("clamscan")
        if not program:
            reason = "clamd does not answer at %s" % self._describe_clamd() if options.scan_archive \
                else "clamd cannot skip archives"
            raise ArmaditoError("%s and clamscan is not installed" % reason, "install the clamav package, or start clamd")
        results = clamscan.scan(program, self.database_dir(), files, scan_archive=options.scan_archive)
        for path in files:
            record(path, *results[path])
        return ScanOutcome("clamscan", scanned[0], detections, errors)

    def _scan_with_clamd(self, address, files, record):
        denied = []

        def collect(path, status, detail):
            if status == clamd_scan.ERROR and clamd_scan.access_error(detail):
                denied.append(path)
            else:
                record(path, status, detail)

        try:
            clamd_scan.scan_session(address, files, collect)
            for path in denied:
                try:
                    record(path, *clamd_scan.scan_one(address, path))
                except OSError as exc:
                    record(path, clamd_scan.ERROR, exc.strerror)
        except clamd.ClamdError as exc:
            raise ArmaditoError(str(exc), "check clamd's log (LogFile in %s)" % self.config_files()["clamd"])

    def detection_logs(self):
        sources = []
        if self.config().get("LogFile"):
            sources.append(LogSource(self.config()["LogFile"], "clamd", parse_detection))
        clamonacc_log = self.options.get("clamonacc_log") or DEFAULT_CLAMONACC_LOG
        if os.path.exists(clamonacc_log):
            sources.append(LogSource(clamonacc_log, "real-time", parse_detection))
        return sources

    def config_files(self):
        return {
            "clamd": self.options.get("clamd_config") or clamav_config.default_path(clamav_config.CLAMD_CONFIGS),
            "freshclam": (self.options.get("freshclam_config")
                          or clamav_config.default_path(clamav_config.FRESHCLAM_CONFIGS)),
        }

    def config_entries(self, texts=None):
        entries = []
        for kind, path in sorted(self.config_files().items()):
            if texts and kind in texts:
                config = clamav_config.ConfigText(texts[kind])
            elif os.path.exists(path):
                config = clamav_config.read(path)
            else:
                continue
            for key, values in config.values().items():
                entries.append({"attr": "%s:%s" % (kind, key), "value": "\n".join(values)})
        return entries

    def plan_config(self, desired):
        files = self.config_files()
        plans = []
        for kind in sorted(desired):
            if kind not in files:
                raise ArmaditoError("unknown ClamAV configuration %r" % kind, "use %s" % " or ".join(sorted(files)))
            wanted = clamav_config.normalize(kind, desired[kind])
            if not wanted:
                continue
            before = clamav_config.read(files[kind])
            after, changes = before.apply(wanted)
            if changes:
                plans.append(ConfigPlan(kind, files[kind], before.text(), after.text(), changes))
        return plans

    def validate_config(self, texts):
        """Through clamconf, ClamAV's own parser: it exits 0 but prints ``ERROR: ...`` lines."""
        program = find_program("clamconf")
        if not program:
            raise ArmaditoError("clamconf is missing: the new configuration cannot be checked, so it is not written",
                                "install the clamav package (it provides clamconf)")
        files = self.config_files()
        with tempfile.TemporaryDirectory(prefix="armadito-clamconf-") as directory:
            for kind, text in texts.items():
                with open(os.path.join(directory, "%s.conf" % kind), "w", encoding="utf-8",
                          errors="surrogateescape") as handle:
                    handle.write(text)
            try:
                completed = subprocess.run([program, "--config-dir=%s" % directory, "--non-default"],
                                           capture_output=True, text=True, timeout=60, check=False,
                                           env=dict(os.environ, LC_ALL="C"))
            except (OSError, subprocess.SubprocessError) as exc:
                raise ArmaditoError("cannot run %s: %s" % (program, exc), "check the clamav package")
            problems = [line for line in (completed.stdout + completed.stderr).splitlines()
                        if line.startswith("ERROR")]
            for kind in texts:
                problems = [line.replace(os.path.join(directory, "%s.conf" % kind), files[kind]) for line in problems]
        if problems:
            raise ArmaditoError("ClamAV refuses the new configuration: %s" % "; ".join(problems),
                                "fix the value; nothing was changed")

    def activate_config(self, kinds):
        """clamd reads clamd.conf only when it starts (RELOAD reloads the signatures, not the
        configuration): a running clamd is restarted. freshclam reads freshclam.conf at each
        update; its daemon is restarted when it runs under systemd."""
        actions = []
        if "clamd" in kinds:
            client = self._client()
            if client is not None and client.ping():
                self._run(self._restart_command())
                self._wait_for_clamd()
                actions.append("clamd restarted")
            else:
                actions.append("clamd not running: the new clamd.conf applies when it starts")
        if "freshclam" in kinds:
            if process_running("freshclam") and os.path.isdir("/run/systemd/system"):
                self._run(["systemctl", "restart", "clamav-freshclam.service"])
                actions.append("freshclam restarted")
            else:
                actions.append("freshclam reads the new freshclam.conf at its next run")
        return actions

    def _restart_command(self):
        if self.options.get("clamd_restart_command"):
            return shlex.split(self.options["clamd_restart_command"])
        if os.path.isdir("/run/systemd/system"):
            unit = "clamd@scan.service" if self.config_files()["clamd"] == clamav_config.CLAMD_CONFIGS[1] \
                else "clamav-daemon.service"
            return ["systemctl", "restart", unit]
        if os.path.exists("/etc/init.d/clamav-daemon"):
            return ["/etc/init.d/clamav-daemon", "restart"]
        raise ArmaditoError("cannot tell how to restart clamd on this host",
                            "set antivirus_options.clamd_restart_command")

    def _run(self, command):
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=RESTART_WAIT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ArmaditoError("cannot run %s: %s" % (" ".join(command), exc), "check clamd_restart_command")
        if completed.returncode != 0:
            output = (completed.stderr or completed.stdout).strip()[-300:]
            raise ArmaditoError("%s failed with status %d: %s" % (" ".join(command), completed.returncode, output),
                                "the new configuration is in place; look at clamd's log and restart it")

    def _wait_for_clamd(self):
        client = self._client()
        deadline = time.monotonic() + RESTART_WAIT
        while time.monotonic() < deadline:
            if client.ping():
                return
            time.sleep(0.2)
        raise ArmaditoError("clamd did not answer within %d seconds of its restart" % RESTART_WAIT,
                            "the new configuration is in place; look at clamd's log")

    def config(self):
        """clamd.conf as a dict; empty when the file does not exist."""
        if self._config is None:
            path = self.config_files()["clamd"]
            try:
                self._config = clamd.read_config(path)
            except FileNotFoundError:
                self._config = {}
            except OSError as exc:
                raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root or set clamd_config")
        return self._config

    def _clamd_address(self):
        if self.options.get("clamd_socket"):
            try:
                return clamd.parse_address(self.options["clamd_socket"])
            except ValueError as exc:
                raise ArmaditoError("invalid clamd_socket: %s" % exc, "give a socket path or host:port")
        return clamd.address_from_config(self.config())

    def _describe_clamd(self):
        address = self._clamd_address()
        return clamd.describe(address) if address else "(not configured)"

    def _client(self):
        address = self._clamd_address()
        return clamd.Clamd(address) if address else None

    def _clamd_version(self):
        client = self._client()
        if client is None:
            return None
        try:
            return clamd.parse_version(client.version())[0]
        except clamd.ClamdError:
            return None

    def _clamscan_version(self):
        program = find_program("clamscan")
        if not program:
            return None
        try:
            completed = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if completed.returncode != 0 or not completed.stdout.strip():
            return None
        return clamd.parse_version(completed.stdout)[0]

    def _daemon_status(self):
        """clamd's status (running = answers PING) and the daily version it has loaded."""
        client = self._client()
        loaded = None
        if client is not None and client.ping():
            try:
                loaded = clamd.parse_version(client.version())[1]
            except clamd.ClamdError:
                loaded = None
            status = RUNNING
        elif process_running("clamd", pid_file=self.config().get("PidFile")):
            status = NOT_RESPONDING
        else:
            status = STOPPED
        return {"status": status, "loaded_database_version": loaded or ""}


def _module_name(file_name):
    return os.path.splitext(file_name)[0]


def _version_key(database):
    return int(database.version) if database.version.isdigit() else -1
