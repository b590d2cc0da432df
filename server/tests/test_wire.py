"""The legacy value rules (protocol 3.2 and 19), called directly."""

import datetime as dt

import pytest

from armadito_server import wire
from armadito_server.errors import BadRequest

UTC = dt.timezone.utc


@pytest.mark.parametrize("value, expected", [(2, 2), ("2", 2), (" 12 ", 12), (["131"], 131), ([7], 7), (3.0, 3)])
def test_integer_accepts_numbers_numeric_strings_and_one_element_arrays(value, expected):
    assert wire.integer(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", False, True, [], [1, 2], "1.5", 1.5, "abc", {}, -1, 2**31, 10**30, "9" * 40]
)
def test_integer_rejects_what_the_legacy_server_let_through(value):
    with pytest.raises(BadRequest, match="Invalid int"):
        wire.integer(value)


def test_integer_message_is_the_legacy_text():
    with pytest.raises(BadRequest) as raised:
        wire.integer("abc")
    assert raised.value.message == 'Invalid int : "abc"'


def test_uuid_is_upper_cased_and_the_message_keeps_the_quotes():
    assert wire.uuid("4c4c4544-0033-4a10-8051-ffffffffffff") == "4C4C4544-0033-4A10-8051-FFFFFFFFFFFF"
    with pytest.raises(BadRequest) as raised:
        wire.uuid("xyz")
    assert raised.value.message == 'Invalid UUID : "xyz"'
    with pytest.raises(BadRequest, match="Invalid UUID : null"):
        wire.uuid(None)


def test_enrollment_key_is_trimmed_and_upper_cased():
    assert wire.enrollment_key(" 0rv2v-2ryTX-NX4OW-7LARZ-KZQAJ\n") == "0RV2V-2RYTX-NX4OW-7LARZ-KZQAJ"
    with pytest.raises(BadRequest, match='Invalid Key format : "AAAA-BBBB"'):
        wire.enrollment_key("AAAA-BBBB")


@pytest.mark.parametrize(
    "value, expected",
    [
        (1483605762, dt.datetime(2017, 1, 5, 8, 42, 42, tzinfo=UTC)),
        ("1483605762", dt.datetime(2017, 1, 5, 8, 42, 42, tzinfo=UTC)),
        (["1483605762"], dt.datetime(2017, 1, 5, 8, 42, 42, tzinfo=UTC)),
        (0, dt.datetime(1970, 1, 1, tzinfo=UTC)),
        (86400, dt.datetime(1970, 1, 2, tzinfo=UTC)),
        (10000000000, dt.datetime(2286, 11, 20, 17, 46, 40, tzinfo=UTC)),
        ("1970-01-01T00:00:00Z", dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ("2017-01-05T09:42:42+01:00", dt.datetime(2017, 1, 5, 8, 42, 42, tzinfo=UTC)),
        ("2017-01-05 08:42:42", dt.datetime(2017, 1, 5, 8, 42, 42, tzinfo=UTC)),
    ],
)
def test_moment_accepts_epochs_of_any_width_and_iso_dates(value, expected):
    assert wire.moment(value, "t") == expected


@pytest.mark.parametrize("value", ["yesterday", "", True, {}, 10**20, "2017-13-45"])
def test_moment_rejects_what_is_not_a_time(value):
    with pytest.raises(BadRequest, match="Date is not a valid unix timestamp"):
        wire.moment(value, "t")


def test_moment_of_nothing_is_nothing():
    assert wire.moment(None, "t") is None


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("PT0H0M16S", 16),
        ("PT0H1.25M15S", 90),
        ("PT1.02777777777778H1.66666666666667M40S", 3840),
        ("P0Y0M0DT00H00M01S", 1),
        ("00:01:30", 90),
        ("0:00:00", 0),
        ("P1D", 86400),
        ("PT1,5S", 1.5),
        (42, 42),
    ],
)
def test_duration_accepts_legacy_forms_including_fractional_components(value, seconds):
    assert wire.duration(value, "d") == pytest.approx(seconds, abs=1e-6)


@pytest.mark.parametrize("value", ["P", "PT", "P1DT", "16 seconds", "PT-1S", -5, True, {}])
def test_duration_rejects_garbage(value):
    with pytest.raises(BadRequest, match="Invalid duration"):
        wire.duration(value, "d")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("A6O_UPDATE_OK", "up-to-date"),
        ("A6O_UPDATE_LATE", "late"),
        ("A6O_UPDATE_CRITICAL", "critical"),
        ("A6O_UPDATE_NON_AVAILABLE", "non-available"),
        ("up-to-date", "up-to-date"),
        (None, "non-available"),
    ],
)
def test_update_status_names_are_mapped(value, expected):
    assert wire.update_status(value, "s") == expected


@pytest.mark.parametrize(
    "value, expected", [(True, "1"), (False, "0"), (None, ""), (4, "4"), (1.5, "1.5"), ("x", "x"), (["y"], "y")]
)
def test_config_values_are_normalised_to_strings(value, expected):
    assert wire.config_value(value, "v") == expected


def test_config_entries_keep_the_last_of_a_repeated_attr_and_reject_non_objects():
    assert wire.config_entries([{"attr": "a", "value": 1}, {"attr": "a", "value": 2}], "obj") == {"a": "2"}
    with pytest.raises(BadRequest, match=r"obj\[0\] must be an object"):
        wire.config_entries(["a"], "obj")
    with pytest.raises(BadRequest, match="must be an array"):
        wire.config_entries({"attr": "a"}, "obj")
    with pytest.raises(BadRequest, match="must be a string, a number"):
        wire.config_entries([{"attr": "a", "value": {"x": 1}}], "obj")


def test_text_rejects_objects_and_over_long_values():
    assert wire.text(["Armadito"], "f") == "Armadito"
    assert wire.text(None, "f", default="non-available") == "non-available"
    with pytest.raises(BadRequest, match="f must be a string"):
        wire.text({"a": 1}, "f")
    with pytest.raises(BadRequest, match="longer than 255"):
        wire.text("x" * 256, "f")
