# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ClamAV backend (antivirus.md 5): version, signature databases, clamd and clamonacc."""

from __future__ import annotations

import os
import subprocess

from ..errors import ArmaditoError
from . import clamd, sigtool
from .base import Antivirus, find_program, process_running, update_status, worst_status

DEFAULT_DATABASE_DIR = "/var/lib/clamav"

RUNNING = "running"
NOT_RESPONDING = "not-responding"
STOPPED = "stopped"


class ClamAV(Antivirus):
    """Options: ``clamd_config`` (default /etc/clamav/clamd.conf), ``clamd_socket`` (a socket
    path or host:port; default from clamd.conf), ``database_dir`` (default from clamd.conf,
    else /var/lib/clamav), ``late_days`` and ``critical_days``."""

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

    def config(self):
        """clamd.conf as a dict; empty when the file does not exist."""
        if self._config is None:
            path = self.options.get("clamd_config") or clamd.DEFAULT_CONFIG
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
        elif process_running("clamd"):
            status = NOT_RESPONDING
        else:
            status = STOPPED
        return {"status": status, "loaded_database_version": loaded or ""}


def _module_name(file_name):
    return os.path.splitext(file_name)[0]


def _version_key(database):
    return int(database.version) if database.version.isdigit() else -1
