# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options of armadito.fleet's _armadito_admin.admin_argument_spec(), and the attributes
    # of the controller-side modules (their own action group: their options are not the agent's).
    DOCUMENTATION = r"""
options:
  admin_url:
    description:
      - Base URL of armadito-server, for example V(https://armadito.example.com).
      - If not set, the environment variable E(ARMADITO_ADMIN_URL) is used.
    type: str
  admin_token:
    description:
      - Admin API token, created with C(armadito-server admin-token create --name NAME).
      - If not set, the environment variable E(ARMADITO_ADMIN_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for test servers.
    type: bool
    default: true
  ca_path:
    description:
      - CA bundle file (or directory of hashed CA certificates) to verify the server certificate with.
    type: path
  timeout:
    description:
      - Seconds to wait for the server to answer each request.
    type: int
    default: 30
  retries:
    description:
      - How many times to retry a request that failed to connect or got HTTP 502, 503 or 504.
    type: int
    default: 3
requirements:
  - requests (Python library on the host the module runs on, usually the controller)
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in diff mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
  action_group:
    description: Use C(group/armadito.fleet.armadito_admin) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - armadito.fleet.armadito_admin
"""
