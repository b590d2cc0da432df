from __future__ import annotations

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import scan_options
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.scan_options import ScanOptions


def test_accepted_options_in_both_spellings():
    options = scan_options.parse("-r -i --exclude='\\.iso$' --exclude-dir ^/proc --max-filesize=25M --no-archive")
    assert options == ScanOptions(exclude=("\\.iso$",), exclude_dir=("^/proc",), max_filesize=25 * 1024 ** 2,
                                  scan_archive=False)
    assert scan_options.parse("--scan-archive=yes --exclude a --exclude b").exclude == ("a", "b")
    assert scan_options.parse("") == scan_options.parse(None) == ScanOptions()


def test_options_add_to_a_base():
    base = ScanOptions(exclude=("x",), max_filesize=10)
    assert scan_options.parse("--exclude=y", base=base) == ScanOptions(exclude=("x", "y"), max_filesize=10)


@pytest.mark.parametrize("text, message", [
    ("--remove; rm -rf /", "scan option '--remove;' is not supported"),
    ("$(reboot)", "scan option '$(reboot)' is not supported"),
    ("--move=/tmp", "scan option '--move=/tmp' is not supported"),
    ("/etc/passwd", "is not supported"),
    ("--exclude", "--exclude needs a value"),
    ("--max-filesize=lots", "invalid size 'lots'"),
    ("--scan-archive=maybe", "--scan-archive takes yes or no"),
    ("--exclude='unbalanced", "cannot be parsed"),
    ("--exclude=(", "invalid exclusion pattern '('"),
])
def test_refused(text, message):
    with pytest.raises(ArmaditoError) as refused:
        scan_options.parse(text)
    assert message in str(refused.value)
    if "not supported" in message:
        assert "accepted options: -r, --recursive" in str(refused.value)


@pytest.mark.parametrize("text, size", [("100", 100), ("2k", 2048), ("25M", 25 * 1024 ** 2), ("1G", 1024 ** 3)])
def test_sizes(text, size):
    assert scan_options.parse_size(text) == size


def test_matching():
    options = ScanOptions(exclude=("\\.iso$",), exclude_dir=("/proc$",))
    assert options.excluded_file("/a/b.iso") and not options.excluded_file("/a/b.iso.txt")
    assert options.excluded_dir("/proc") and not options.excluded_dir("/processes")
