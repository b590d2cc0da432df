from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import config
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError

SHIPPED = """
server = http://127.0.0.1/glpi/plugins/armadito/, http://backup/   # only the first one counts
antivirus = "ClamAV"
proxy =
timeout = 180
no-ssl-check = 0
logger = Stderr
late-days = '2'
tempdir = /tmp
"""


def test_legacy_syntax():
    values, warnings = config.parse(SHIPPED)
    assert values["antivirus"] == "ClamAV"
    assert values["late-days"] == "2"
    # "key =" with no value does not match: the default stays.
    assert "proxy" not in values
    assert warnings == ["unknown configuration directive tempdir"]


def test_settings_values():
    values, _warnings = config.parse(SHIPPED)
    assert config.settings_values(values) == {
        "server_url": "http://127.0.0.1/glpi/plugins/armadito/",
        "antivirus": "ClamAV",
        "timeout": 180,
        "validate_certs": True,
        "antivirus_options": {"late_days": 2},
    }


def test_tls_keys():
    assert config.settings_values({"no-ssl-check": "1", "ca-cert-file": "/ca.pem"}) == {
        "validate_certs": False, "ca_path": "/ca.pem"}
    with pytest.raises(ArmaditoError, match="both ca-cert-dir and ca-cert-file"):
        config.settings_values({"ca-cert-dir": "/d", "ca-cert-file": "/f"})


def test_integers_are_checked():
    with pytest.raises(ArmaditoError, match="timeout must be a whole number"):
        config.settings_values({"timeout": "soon"})


def test_missing_file_is_empty(tmp_path):
    assert config.read(str(tmp_path / "agent.cfg")) == ({}, [])
