from __future__ import annotations

import time

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamav_logs import parse_detection

LOCAL = int(time.mktime((2026, 11, 28, 4, 17, 7, 0, 0, -1)))


@pytest.mark.parametrize("line, parsed", [
    ("Sat Nov 28 04:17:07 2026 -> /srv/scan/eicar.com: Local.Eicar.NDB.UNOFFICIAL"
     "(44d88612fea8a8f36de82e1278abb02f:68) FOUND\n", ("Local.Eicar.NDB.UNOFFICIAL", "/srv/scan/eicar.com", LOCAL)),
    ("Sat Nov 28 04:17:07 2026 -> /srv/a: b/c.txt: Eicar-Signature FOUND",
     ("Eicar-Signature", "/srv/a: b/c.txt", LOCAL)),
    ("/srv/oa/eicar.com: Local.Eicar.HDB.UNOFFICIAL FOUND", ("Local.Eicar.HDB.UNOFFICIAL", "/srv/oa/eicar.com", None)),
])
def test_detection_lines(line, parsed):
    assert parse_detection(line) == parsed


@pytest.mark.parametrize("line", [
    "Sat Nov 28 04:17:07 2026 -> instream(local): Local.Eicar.HDB.UNOFFICIAL FOUND",
    "Sat Nov 28 04:17:07 2026 -> /srv/scan/clean.txt: OK",
    "Sat Nov 28 04:17:07 2026 -> WARNING: File path check failure on: /srv/nope",
    "Sat Nov 28 04:17:07 2026 -> Loaded 3 signatures.",
    "Sat Xyz 28 04:17:07 2026 -> /srv/x: Sig FOUND",
    "",
])
def test_other_lines(line):
    assert parse_detection(line) is None
