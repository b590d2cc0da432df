# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The options of armadito.fleet's _armadito_module.connection_argument_spec().
    DOCUMENTATION = r"""
options:
  server_url:
    description:
      - Base URL of armadito-server, for example V(https://armadito.example.com).
      - A legacy Armadito GLPI plugin URL such as V(http://glpi.example.com/glpi/plugins/armadito) works too.
      - Trailing slashes are ignored.
      - If not set, the environment variable E(ARMADITO_SERVER_URL) is used.
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
      - Defaults to the CAs known to the Python C(requests) library.
    type: path
  client_cert:
    description:
      - PEM client certificate for servers that require mutual TLS.
    type: path
  client_key:
    description:
      - PEM private key of O(client_cert), if it is not in the same file.
    type: path
  timeout:
    description:
      - Seconds to wait for the server to answer each request.
    type: int
    default: 30
  retries:
    description:
      - How many times to retry a request that failed to connect or got HTTP 502, 503 or 504.
      - Retries wait 0.5, 1, 2, 4... seconds (at most 30).
      - Other failures are never retried, so that nothing is sent twice.
    type: int
    default: 3
  proxy:
    description:
      - HTTP(S) proxy URL for the server connection, for example V(http://proxy.example.com:3128).
      - If not set, the usual E(https_proxy), E(http_proxy) and E(no_proxy) environment variables apply.
    type: str
  state_dir:
    description:
      - Directory where the agent keeps its enrollment and reports (created 0700, files 0600).
      - Shared with the C(armadito-agent) command line, which uses the same files.
      - If not set, the environment variable E(ARMADITO_STATE_DIR) is used, else V(/var/lib/armadito-agent).
    type: path
  uuid:
    description:
      - Identity of the host towards the server, instead of the detected one.
      - By default the SMBIOS system UUID (from C(/sys/class/dmi/id/product_uuid), else C(dmidecode)),
        else a stable UUID derived from C(/etc/machine-id).
      - Always upper-cased.
    type: str
  antivirus:
    description:
      - Antivirus engine backend, by name (case-insensitive), or V(auto) for the first one installed.
      - Supported engines are V(ClamAV).
    type: str
    default: auto
  antivirus_options:
    description:
      - Settings of the antivirus backend.
    type: dict
    suboptions:
      clamd_config:
        description:
          - ClamAV daemon configuration file, read for its socket, database directory and log file.
          - Defaults to V(/etc/clamav/clamd.conf), else V(/etc/clamd.d/scan.conf) when only that one exists.
        type: path
      clamd_socket:
        description:
          - Where clamd listens, instead of what O(antivirus_options.clamd_config) says.
          - A unix socket path, or V(host:port) for TCP.
        type: str
      database_dir:
        description:
          - ClamAV signature database directory.
          - Defaults to C(DatabaseDirectory) of O(antivirus_options.clamd_config), else V(/var/lib/clamav).
        type: path
      freshclam_config:
        description:
          - ClamAV signature updater configuration file.
          - Defaults to V(/etc/clamav/freshclam.conf), else V(/etc/freshclam.conf) when only that one exists.
        type: path
      clamonacc_log:
        description:
          - Log file of the on-access scanner C(clamonacc) (its C(--log) option), read for detections.
          - Defaults to V(/var/log/clamav/clamonacc.log), where the Debian service writes it; ignored when absent.
        type: path
      clamd_restart_command:
        description:
          - Command that restarts clamd after its configuration changed, split like a shell would but never run
            through one, for example V(systemctl restart clamd@scan.service).
          - Defaults to C(systemctl restart clamav-daemon.service) (C(clamd@scan.service) for RHEL's
            C(/etc/clamd.d/scan.conf)) under systemd, else the C(clamav-daemon) init script.
        type: str
      late_days:
        description:
          - Signature databases at least this many days old are V(late).
        type: int
        default: 3
      critical_days:
        description:
          - Signature databases at least this many days old are V(critical).
        type: int
        default: 10
"""
