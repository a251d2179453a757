"""Reading and writing files (datafiles): the promises of the README, each a plain
regression test of a finding of issue 13 (hostile input) or issue 10 (numbers)."""

from __future__ import annotations

import os
import stat

import pytest

from hvdesign.datafiles import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    load_yaml_text,
    read_yaml,
    write_bytes_atomic,
    write_text_atomic,
)
from hvdesign.errors import HvdesignError


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e-6", 1e-6),
        ("1e9", 1e9),
        ("5E+3", 5000.0),
        (".inf", float("inf")),
        ("-.5", -0.5),
        ("1.0e+308", 1e308),
        ("12", 12),
        ("0x1f", 31),
        ("1_000", 1000),
    ],
)
def test_numbers_are_numbers(text, value):
    """YAML 1.2 numbers (PyYAML alone reads 1e-6 as a string)."""
    got = load_yaml_text(f"x: {text}")["x"]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("text", ["'1e5'", "10.40.0.0/24", "2012 R2", "abc", "1e", "e5"])
def test_strings_stay_strings(text):
    assert isinstance(load_yaml_text(f"x: {text}")["x"], str)


def test_duplicate_keys_are_refused(tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text("tier: cluster-minimal\nnodes: 2\nnodes: 4\n")
    with pytest.raises(HvdesignError, match=r"line 3: duplicate key 'nodes'"):
        read_yaml(f, "design file")


def test_alias_bomb_is_refused_fast(tmp_path):
    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(rows) + "\ntier: *a8\n")  # 9**9 = 387 million strings expanded
    with pytest.raises(HvdesignError, match="aliases are expanded") as err:
        read_yaml(f, "design file")
    assert len(str(err.value)) < 300


def test_deep_nesting_is_refused(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_text("tier: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(HvdesignError, match=f"deeper than {MAX_DEPTH}"):
        read_yaml(f, "design file")


def test_self_reference_is_refused():
    with pytest.raises(HvdesignError, match="deeper than"):
        load_yaml_text("tier: &a [*a]\n", "design file")


def test_not_utf8_is_one_error(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_bytes(b"tier: \xff\xfe\n")
    with pytest.raises(HvdesignError, match="byte 6 is not UTF-8"):
        read_yaml(f, "design file")


def test_only_regular_files_are_read(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(HvdesignError, match="not a regular file"):
        read_yaml(link, "design file")


def test_size_is_capped(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    with pytest.raises(HvdesignError, match="file too large"):
        read_yaml(f, "design file")


def test_an_existing_file_keeps_its_permissions(tmp_path):
    f = tmp_path / "out.txt"
    f.write_text("old")
    f.chmod(0o600)
    write_text_atomic(f, "new")
    assert f.read_text() == "new" and stat.S_IMODE(f.stat().st_mode) == 0o600


def test_a_link_is_followed_and_its_target_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real.name)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_device_is_written_in_place_never_replaced():
    before = os.stat("/dev/null")
    write_bytes_atomic("/dev/null", b"x")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_fifo_without_reader_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(HvdesignError, match="no process reads this FIFO"):
        write_bytes_atomic(fifo, b"x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_no_temporary_file_is_left_on_error(tmp_path):
    d = tmp_path / "dir"
    d.mkdir()
    with pytest.raises(HvdesignError, match="not a directory"):
        write_bytes_atomic(d, b"x")
    assert list(tmp_path.iterdir()) == [d] and list(d.iterdir()) == []
