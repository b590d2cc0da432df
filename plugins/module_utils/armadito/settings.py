# Copyright (c) armadito.fleet contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The settings every task shares: how to reach the server, where the state lives, which engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .client import Client, normalize_server_url
from .errors import ArmaditoError
from .storage import StateDir

DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 3


@dataclass
class Settings:
    server_url: Optional[str] = None
    validate_certs: bool = True
    ca_path: Optional[str] = None
    client_cert: Optional[str] = None
    client_key: Optional[str] = None
    timeout: int = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    proxy: Optional[str] = None
    state_dir: Optional[str] = None
    uuid: Optional[str] = None
    antivirus: str = "auto"
    antivirus_options: dict = field(default_factory=dict)

    def storage(self):
        return StateDir(self.state_dir)

    def required_server_url(self):
        if not self.server_url:
            raise ArmaditoError("no server URL given", "set server_url (or ARMADITO_SERVER_URL)")
        return normalize_server_url(self.server_url)

    def client(self, server_url, token=None):
        return Client(
            server_url, token=token, validate_certs=self.validate_certs, ca_path=self.ca_path,
            client_cert=self.client_cert, client_key=self.client_key, timeout=self.timeout,
            retries=self.retries, proxy=self.proxy,
        )
