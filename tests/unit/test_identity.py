from __future__ import annotations

import uuid

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import identity
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError

SMBIOS = "4c4c4544-0033-4a10-8051-b4c04f4b4b32"


def write(path, text):
    path.write_text(text)
    return str(path)


def fake_dmidecode(tmp_path, output, status=0):
    script = tmp_path / "dmidecode"
    script.write_text("#!/bin/sh\nprintf '%s'\nexit %d\n" % (output, status))
    script.chmod(0o755)
    return str(script)


def test_explicit_uuid_wins_and_is_upper_cased(tmp_path):
    sysfs = write(tmp_path / "product_uuid", SMBIOS)
    assert identity.resolve(" 4c4c4544-0033-4a10-8051-ffffffffffff ", sysfs_path=sysfs) == (
        "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF", "parameter")


def test_explicit_uuid_must_have_the_server_format():
    with pytest.raises(ArmaditoError, match="invalid uuid"):
        identity.resolve("not-a-uuid")


def test_sysfs_uuid_is_upper_cased(tmp_path):
    sysfs = write(tmp_path / "product_uuid", SMBIOS + "\n")
    assert identity.resolve(sysfs_path=sysfs, machine_id_files=()) == (SMBIOS.upper(), "smbios")


@pytest.mark.parametrize("placeholder", ["Not Settable", "00000000-0000-0000-0000-000000000000",
                                         "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"])
def test_placeholders_fall_through_to_dmidecode(tmp_path, placeholder):
    sysfs = write(tmp_path / "product_uuid", placeholder)
    dmidecode = fake_dmidecode(tmp_path, "# SMBIOS comment\\n" + SMBIOS + "\\n")
    assert identity.resolve(sysfs_path=sysfs, dmidecode=dmidecode, machine_id_files=()) == (
        SMBIOS.upper(), "dmidecode")


def test_machine_id_gives_a_stable_uuid(tmp_path):
    machine_id = write(tmp_path / "machine-id", "0123456789abcdef0123456789abcdef\n")
    failing = fake_dmidecode(tmp_path, "", status=1)
    first = identity.resolve(sysfs_path=str(tmp_path / "missing"), dmidecode=failing, machine_id_files=[machine_id])
    again = identity.resolve(sysfs_path=str(tmp_path / "missing"), dmidecode=failing, machine_id_files=[machine_id])
    assert first == again
    assert first.source == "machine-id"
    assert first.uuid == str(uuid.uuid5(identity.MACHINE_ID_NAMESPACE, "0123456789abcdef0123456789abcdef")).upper()
    assert identity.UUID_PATTERN.match(first.uuid)


def test_no_source_at_all_fails_with_advice(tmp_path):
    failing = fake_dmidecode(tmp_path, "", status=1)
    with pytest.raises(ArmaditoError, match="set the uuid option"):
        identity.resolve(sysfs_path=str(tmp_path / "missing"), dmidecode=failing,
                         machine_id_files=[str(tmp_path / "none")])
