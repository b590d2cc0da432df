# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Glue between AnsibleModule and the admin API client: the admin connection options, error mapping.

The options are documented in the armadito.fleet.admin doc fragment, which must stay in step
with admin_argument_spec().
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.admin_api import AdminAPI
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.client import requests_import_error
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.settings import DEFAULT_RETRIES, DEFAULT_TIMEOUT


def admin_argument_spec():
    return dict(
        admin_url=dict(type="str", fallback=(env_fallback, ["ARMADITO_ADMIN_URL"])),
        admin_token=dict(type="str", no_log=True, fallback=(env_fallback, ["ARMADITO_ADMIN_TOKEN"])),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=DEFAULT_TIMEOUT),
        retries=dict(type="int", default=DEFAULT_RETRIES),
    )


def admin_module(argument_spec, **kwargs):
    """An AnsibleModule with the admin options; fails early when ``requests`` is missing."""
    spec = admin_argument_spec()
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
    if requests_import_error() is not None:
        module.fail_json(msg=missing_required_lib("requests"))
    return module


def run_admin(module, operation, *args, **kwargs):
    """Call ``operation(api, *args, **kwargs)`` and exit with its result, or fail with its message."""
    params = module.params
    try:
        api = AdminAPI(params["admin_url"], params["admin_token"], validate_certs=params["validate_certs"],
                       ca_path=params["ca_path"], timeout=params["timeout"], retries=params["retries"])
        result = operation(api, *args, **kwargs)
    except ArmaditoError as exc:
        module.fail_json(msg=str(exc), **exc.details)
    module.exit_json(**result)
