# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Glue between AnsibleModule and the agent core: the shared options and the error mapping.

Private to this collection (leading underscore): the options are documented in the
armadito.fleet.connection doc fragment, which must stay in step with connection_argument_spec().
"""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.client import requests_import_error
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    Settings,
)

_SETTINGS_OPTIONS = ("server_url", "validate_certs", "ca_path", "client_cert", "client_key", "timeout",
                     "retries", "proxy", "state_dir", "uuid", "antivirus")


def connection_argument_spec():
    return dict(
        server_url=dict(type="str", fallback=(env_fallback, ["ARMADITO_SERVER_URL"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        client_cert=dict(type="path"),
        client_key=dict(type="path", no_log=False),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        retries=dict(type="int", default=DEFAULT_RETRIES),
        proxy=dict(type="str"),
        state_dir=dict(type="path", fallback=(env_fallback, ["ARMADITO_STATE_DIR"])),
        uuid=dict(type="str"),
        antivirus=dict(type="str", default="auto"),
        antivirus_options=dict(
            type="dict",
            options=dict(
                clamd_config=dict(type="path"),
                clamd_socket=dict(type="str"),
                database_dir=dict(type="path"),
                freshclam_config=dict(type="path"),
                clamonacc_log=dict(type="path"),
                clamd_restart_command=dict(type="str"),
                late_days=dict(type="int", default=3),
                critical_days=dict(type="int", default=10),
            ),
        ),
    )


def armadito_module(argument_spec, requires_server=True, **kwargs):
    """An AnsibleModule with the shared options; fails early when ``requests`` is missing."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
    if requires_server:
        error = requests_import_error()
        if error is not None:
            module.fail_json(msg=missing_required_lib("requests"), exception=_format(error))
    return module


def settings(module):
    params = module.params
    values = dict((name, params[name]) for name in _SETTINGS_OPTIONS)
    values["antivirus_options"] = dict(params["antivirus_options"] or {})
    if params["client_key"] and not params["client_cert"]:
        module.fail_json(msg="client_key needs client_cert")
    return Settings(**values)


def run_task(module, task, *args, **kwargs):
    """Call ``task(settings, *args, **kwargs)`` and exit with its result, or fail with its message.

    A task's ``diff`` is returned only in diff mode.
    """
    try:
        result = task(settings(module), *args, **kwargs)
    except ArmaditoError as exc:
        module.fail_json(msg=str(exc), **exc.details)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


def _format(exc):
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
