"""The modules through pytest-ansible's ansible_adhoc fixture (in-process executor).

pytest-ansible's host management is deprecated upstream (retired end of 2026), so only this
file depends on it; every other integration test drives the ``ansible`` command line.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")


@pytest.fixture
def localhost(ansible_adhoc, host):
    manager = ansible_adhoc(inventory=host.inventory(sys.executable), connection="local", host_pattern="localhost")
    return manager.localhost


def run(localhost, module, args):
    return dict(getattr(localhost, "armadito.fleet." + module)(**args)["localhost"])


def test_enroll_then_info(localhost, host, server):
    key, _key_id = server.new_key()
    enrolled = run(localhost, "armadito_enroll", host.args(key=key))
    assert enrolled["changed"] is True
    assert enrolled["invocation"]["module_args"]["key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

    info = run(localhost, "armadito_info", host.args())
    assert (info["changed"], info["enrolled"], info["agent_id"]) == (False, True, enrolled["agent_id"])
    assert info["antivirus"]["state"]["dbinfo"]["service_status"] == "running"
