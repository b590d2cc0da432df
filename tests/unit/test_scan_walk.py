from __future__ import annotations

import os

import pytest

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.errors import ArmaditoError
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.scan_options import ScanOptions
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.scan_walk import walk


@pytest.fixture
def tree(tmp_path):
    for name, size in (("a.txt", 10), ("b.iso", 10), ("sub/c.txt", 5000), ("sub/deeper/d.txt", 1), ("skip/e.txt", 1)):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    os.symlink("/etc", str(tmp_path / "link-to-etc"))
    os.symlink(str(tmp_path / "a.txt"), str(tmp_path / "link-to-a"))
    os.mkfifo(str(tmp_path / "fifo"))
    return tmp_path


def relative(root, files):
    return [os.path.relpath(path, str(root)) for path in files]


def test_every_regular_file_in_a_stable_order_links_not_followed(tree):
    found = walk([str(tree)], ScanOptions())
    assert relative(tree, found.files) == ["a.txt", "b.iso", "skip/e.txt", "sub/c.txt", "sub/deeper/d.txt"]
    assert (found.skipped, found.errors) == (0, [])


def test_exclusions_and_size_limit(tree):
    options = ScanOptions(exclude=("\\.iso$",), exclude_dir=("/skip$",), max_filesize=100)
    found = walk([str(tree)], options)
    assert relative(tree, found.files) == ["a.txt", "sub/deeper/d.txt"]
    assert found.skipped == 1


def test_given_files_and_relative_paths(tree, monkeypatch):
    monkeypatch.chdir(str(tree))
    found = walk(["a.txt", "link-to-a"], ScanOptions())
    assert found.files == [str(tree / "a.txt"), str(tree / "link-to-a")]


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(ArmaditoError, match="cannot scan .*/nope: No such file or directory"):
        walk([str(tmp_path / "nope")], ScanOptions())
