# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The legacy agent configuration file, agent.cfg (protocol.md 20.4), turned into :class:`Settings` values."""

from __future__ import annotations

import re

from .errors import ArmaditoError

DEFAULT_PATH = "/etc/armadito-agent/agent.cfg"

_LINE = re.compile(r"^([\w-]+)\s*=\s*(.+)$")

# agent.cfg key -> Settings field. The last block extends the legacy file with the options of
# the Ansible modules, so that a cron run behaves like the playbook that installed it.
_SETTINGS_KEYS = {
    "server": "server_url",
    "antivirus": "antivirus",
    "proxy": "proxy",
    "timeout": "timeout",
    "state-dir": "state_dir",
    "uuid": "uuid",
    "client-cert": "client_cert",
    "client-key": "client_key",
    "retries": "retries",
}
_ANTIVIRUS_KEYS = {
    "clamd-config": "clamd_config",
    "clamd-socket": "clamd_socket",
    "database-dir": "database_dir",
    "freshclam-config": "freshclam_config",
    "clamonacc-log": "clamonacc_log",
    "clamd-restart-command": "clamd_restart_command",
    "late-days": "late_days",
    "critical-days": "critical_days",
}
_INTEGER_FIELDS = ("timeout", "retries", "late_days", "critical_days")
# Legacy keys that this agent reads elsewhere (TLS) or has no use for; accepted without warning.
_TLS_KEYS = ("ca-cert-dir", "ca-cert-file", "no-ssl-check")
# Read by the command line itself (cli.py): logging and the Scheduler task.
_CLI_KEYS = ("logfile", "debug", "scheduler", "scheduler-splay")
_IGNORED_KEYS = ("user", "password", "logger", "logfile-maxsize", "logfacility",
                 "color", "conf-reload-interval", "force", "html", "local", "stdout")


def parse(text):
    """``(values, warnings)``: the key/value pairs of an agent.cfg text and its unknown keys."""
    values = {}
    warnings = []
    for line in text.splitlines():
        # Legacy rule: everything from '#' on is a comment, so values cannot contain '#'.
        match = _LINE.match(line.split("#", 1)[0].strip())
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        known = any(key in keys for keys in (_SETTINGS_KEYS, _ANTIVIRUS_KEYS, _TLS_KEYS, _CLI_KEYS, _IGNORED_KEYS))
        if not known:
            warnings.append("unknown configuration directive %s" % key)
        values[key] = value
    return values, warnings


def read(path=DEFAULT_PATH):
    """``(values, warnings)`` of the file at ``path``; a missing file gives no values."""
    try:
        with open(path, encoding="utf-8") as handle:
            return parse(handle.read())
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        raise ArmaditoError("cannot read %s: %s" % (path, exc.strerror), "run as root or fix its permissions")


def settings_values(values):
    """Keyword arguments for :class:`Settings` from parsed agent.cfg ``values``."""
    settings = {}
    antivirus_options = {}
    for key, value in values.items():
        if key in _SETTINGS_KEYS:
            settings[_SETTINGS_KEYS[key]] = value
        elif key in _ANTIVIRUS_KEYS:
            antivirus_options[_ANTIVIRUS_KEYS[key]] = value
    if "server_url" in settings:
        # A comma-separated list in the legacy file; only the first server was ever used.
        settings["server_url"] = settings["server_url"].split(",")[0].strip()
    if values.get("ca-cert-dir") and values.get("ca-cert-file"):
        raise ArmaditoError("agent.cfg sets both ca-cert-dir and ca-cert-file", "keep only one of them")
    ca_path = values.get("ca-cert-file") or values.get("ca-cert-dir")
    if ca_path:
        settings["ca_path"] = ca_path
    if "no-ssl-check" in values:
        settings["validate_certs"] = values["no-ssl-check"].strip().lower() in ("0", "false", "no", "off")
    for container in (settings, antivirus_options):
        for field in _INTEGER_FIELDS:
            if field in container:
                try:
                    container[field] = int(container[field])
                except ValueError:
                    raise ArmaditoError("agent.cfg: %s must be a whole number, not %r"
                                        % (field.replace("_", "-"), container[field]), "fix agent.cfg")
    if antivirus_options:
        settings["antivirus_options"] = antivirus_options
    return settings
