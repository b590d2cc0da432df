from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import __version__, protocol
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError


def test_envelope_has_the_legacy_shape():
    document = protocol.envelope("State", 0, "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF",
                                 {"name": "ClamAV", "version": "1.4.3", "program_path": "/usr/bin/"}, {"x": 1})
    assert document == {
        "agent_id": 0,
        "agent_version": __version__,
        "uuid": "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF",
        "task": {
            "name": "State",
            "antivirus": {"name": "ClamAV", "version": "1.4.3", "os_info": {"name": "linux", "libpath": "Linux"},
                          "program_path": "/usr/bin/"},
            "obj": {"x": 1},
        },
    }


def test_key_is_trimmed_and_upper_cased():
    assert protocol.normalize_key(" 0rv2v-2rytx-nx4ow-7larz-kzqaj\n") == "0RV2V-2RYTX-NX4OW-7LARZ-KZQAJ"


@pytest.mark.parametrize("key", [None, "", "AAAA-AAAAA-AAAAA-AAAAA-AAAAA", "AAAAA_AAAAA-AAAAA-AAAAA-AAAAA"])
def test_malformed_keys_are_refused_before_any_request(key):
    with pytest.raises(ArmaditoError, match="malformed enrollment key") as error:
        protocol.normalize_key(key)
    assert error.value.details == {"key_problem": "malformed"}


def test_agent_version_is_the_collection_version():
    # The core cannot read galaxy.yml inside AnsiballZ, so the version is written twice.
    galaxy = os.path.join(os.path.dirname(__file__), "..", "..", "galaxy.yml")
    with open(galaxy) as handle:
        assert yaml.safe_load(handle)["version"] == __version__
