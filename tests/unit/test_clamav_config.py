from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.antivirus.clamav_config import (
    ConfigText, normalize)
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError

TEXT = """# clamd of this host
LocalSocket /run/clamav/clamd.ctl
#MaxThreads 20
OnAccessIncludePath /home

# logging
LogTime yes
OnAccessIncludePath /srv
SelfCheck 3600
"""


def test_values_keep_order_and_repetitions():
    values = ConfigText(TEXT).values()
    assert list(values) == ["LocalSocket", "OnAccessIncludePath", "LogTime", "SelfCheck"]
    assert values["OnAccessIncludePath"] == ["/home", "/srv"]


def test_only_the_given_keys_change_in_place():
    desired = normalize("clamd", {"LogTime": False, "MaxThreads": 4, "SelfCheck": None, "LocalSocket": "/run/clamav/clamd.ctl"})
    after, changes = ConfigText(TEXT).apply(desired)
    assert after.text() == TEXT.replace("#MaxThreads 20\n", "#MaxThreads 20\nMaxThreads 4\n").replace(
        "LogTime yes", "LogTime no").replace("SelfCheck 3600\n", "")
    assert changes == {"LogTime": (["yes"], ["no"]), "MaxThreads": ([], ["4"]), "SelfCheck": (["3600"], [])}


def test_a_repeated_key_takes_the_place_of_its_first_occurrence():
    after, changes = ConfigText(TEXT).apply(normalize("clamd", {"OnAccessIncludePath": ["/a", "/b", "/c"]}))
    assert after.text().splitlines()[3:6] == ["OnAccessIncludePath /a", "OnAccessIncludePath /b",
                                              "OnAccessIncludePath /c"]
    assert after.values()["OnAccessIncludePath"] == ["/a", "/b", "/c"]
    assert changes["OnAccessIncludePath"] == (["/home", "/srv"], ["/a", "/b", "/c"])


def test_a_new_key_without_example_goes_at_the_end_and_nothing_else_moves():
    after, _changes = ConfigText(TEXT).apply(normalize("clamd", {"ExtendedDetectionInfo": True}))
    assert after.text() == TEXT + "ExtendedDetectionInfo yes\n"
    unchanged, changes = ConfigText(TEXT).apply(normalize("clamd", {"LogTime": "yes"}))
    assert (unchanged.text(), changes) == (TEXT, {})


@pytest.mark.parametrize("config, message", [
    ({"Max Threads": 1}, "invalid clamd key"),
    ({"LogFile": "/x\nUser root"}, "invalid value"),
    ({"LogFile": ""}, "invalid value"),
    ({"LogFile": "/x # y"}, "invalid value"),
    ({"LogFile": {"a": 1}}, "invalid value"),
    ({"OnAccessIncludePath": []}, "empty list"),
])
def test_refused_values(config, message):
    with pytest.raises(ArmaditoError, match=message):
        normalize("clamd", config)
