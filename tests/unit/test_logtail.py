from __future__ import annotations

import os
import shutil

from ansible_collections.armadito.fleet.plugins.module_utils.armadito.logtail import read_new_lines


def append(path, *lines, end="\n"):
    with open(path, "a") as handle:
        handle.write("".join(line + end for line in lines))


def test_new_lines_from_the_bookmark_and_a_partial_line_waits(tmp_path):
    log = str(tmp_path / "clamd.log")
    append(log, "1", "2")
    lines, bookmark = read_new_lines(log, None, 100)
    assert lines == ["1", "2"]
    append(log, "3")
    append(log, "4-partial", end="")
    lines, bookmark = read_new_lines(log, bookmark, 100)
    assert lines == ["3"]
    append(log, " done")
    assert read_new_lines(log, bookmark, 100)[0] == ["4-partial done"]


def test_limit_then_the_rest(tmp_path):
    log = str(tmp_path / "clamd.log")
    append(log, *[str(number) for number in range(5)])
    first, bookmark = read_new_lines(log, None, 2)
    second, bookmark = read_new_lines(log, bookmark, 2)
    third, bookmark = read_new_lines(log, bookmark, 2)
    assert (first, second, third) == (["0", "1"], ["2", "3"], ["4"])
    assert read_new_lines(log, bookmark, 2)[0] == []


def test_renamed_in_the_middle_then_the_new_file(tmp_path):
    log = str(tmp_path / "clamd.log")
    append(log, "a1", "a2", "a3")
    lines, bookmark = read_new_lines(log, None, 1)
    os.rename(log, log + ".1")
    append(log + ".1", "a4")
    append(log, "b1")
    assert read_new_lines(log, bookmark, 2)[0] == ["a2", "a3"]
    lines, bookmark = read_new_lines(log, bookmark, 100)
    assert lines == ["a2", "a3", "a4", "b1"]
    append(log, "b2")
    assert read_new_lines(log, bookmark, 100)[0] == ["b2"]


def test_copied_then_truncated(tmp_path):
    log = str(tmp_path / "clamd.log")
    append(log, "a1", "a2", "a3")
    lines, bookmark = read_new_lines(log, None, 1)
    shutil.copy(log, log + "-20261128")
    with open(log, "w"):
        pass
    append(log, "b1", "b2", "b3", "b4")
    lines, bookmark = read_new_lines(log, bookmark, 100)
    assert lines == ["a2", "a3", "b1", "b2", "b3", "b4"]


def test_gone_content_restarts_at_the_current_file(tmp_path):
    log = str(tmp_path / "clamd.log")
    append(log, "a1", "a2")
    lines, bookmark = read_new_lines(log, None, 100)
    os.unlink(log)
    assert read_new_lines(log, bookmark, 100) == ([], bookmark)
    append(log, "b1")
    assert read_new_lines(log, bookmark, 100)[0] == ["b1"]
