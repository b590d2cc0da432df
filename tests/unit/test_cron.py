"""Cron syntax: what is accepted, what is refused and why, and the systemd translation."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import cron
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError


@pytest.mark.parametrize("expression", [
    "* * * * *", "*/10 * * * *", "00,20,40 * * * *", "01,12,22,31,41,51 * * * *", "0 6-18 * * MON-FRI",
    "30 2 1-15/2 jan,jul *", "0 0 13 * 5", "0 */3 * * 0,7", "5 4 * * sun", "15 1-5/2,22 * 2-11/3 *",
    "59 23 31 DEC Sat", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@reboot",
])
def test_valid(expression):
    assert cron.validate(expression) == expression


def test_whitespace_is_normalised():
    assert cron.validate("  */5   *\t* * *  ") == "*/5 * * * *"


@pytest.mark.parametrize("expression, why", [
    ("", "empty cron frequency"),
    ("* * * *", "has 4 fields, not 5"),
    ("* * * * * *", "has 6 fields, not 5"),
    ("60 * * * *", "minute field: 60 is out of 0-59"),
    ("* 24 * * *", "hour field: 24 is out of 0-23"),
    ("* * 0 * *", "day of month field: 0 is out of 1-31"),
    ("* * * 13 *", "month field: 13 is out of 1-12"),
    ("* * * * 8", "day of week field: 8 is out of 0-7"),
    ("5-1 * * * *", "range '5-1' runs backwards"),
    ("*/0 * * * *", "step 0 of '*/0' is out of 1-59"),
    ("5/10 * * * *", "'5/10' is ambiguous"),
    ("* * * FOO *", "'FOO' is not a number (or JAN-DEC)"),
    ("* * * * MON-FOO", "'FOO' is not a number (or SUN-SAT)"),
    ("MON * * * *", "minute field: 'MON' is not a number"),
    ("*,, * * * *", "'' is not *, N, N-M, */S or N-M/S"),
    ("1-2-3 * * * *", "'1-2-3' is not"),
    ("@often", "unknown cron macro"),
    ("* * * * *; rm -rf /", "has 8 fields"),
    ("* * * * 1;reboot", "day of week field"),
])
def test_invalid_says_why(expression, why):
    with pytest.raises(ArmaditoError) as error:
        cron.validate(expression)
    assert why in str(error.value)
    assert "five fields" in str(error.value)


@pytest.mark.parametrize("expression, calendar", [
    ("* * * * *", ["*-*-* *:*:00"]),
    ("*/10 * * * *", ["*-*-* *:00/10:00"]),
    ("00,20,40 * * * *", ["*-*-* *:00,20,40:00"]),
    ("0 6-18 * * MON-FRI", ["Mon,Tue,Wed,Thu,Fri *-*-* 06..18:00:00"]),
    ("30 2 1-15/2 jan,jul *", ["*-01,07-01..15/2 02:30:00"]),
    ("0 */3 * * 0,7", ["Sun *-*-* 00/3:00:00"]),
    # Both day fields restricted: cron fires on either, so two OnCalendar values.
    ("0 0 13 * 5", ["*-*-13 00:00:00", "Fri *-*-* 00:00:00"]),
    # A starred day of month keeps cron's AND.
    ("5 4 */2 * sun", ["Sun *-*-01/2 04:05:00"]),
    ("@daily", ["*-*-* 00:00:00"]),
    ("@reboot", []),
])
def test_on_calendar(expression, calendar):
    assert cron.on_calendar(expression) == calendar


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("expression", ["*/10 * * * *", "0 6-18 * * MON-FRI", "30 2 1-15/2 jan,jul *",
                                        "0 0 13 * 5", "15 1-5/2,22 * 2-11/3 *", "@weekly"])
def test_systemd_accepts_the_translation(expression):
    completed = subprocess.run(["systemd-analyze", "calendar"] + cron.on_calendar(expression),
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
