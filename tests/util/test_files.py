"""Atomic writes: the target is replaced whole or left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from warraq.util.files import atomic_open, write_bytes_atomic, write_text_atomic


def test_write_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.txt"
    write_text_atomic(target, "أول")
    write_bytes_atomic(target, "ثانٍ".encode())
    assert target.read_text(encoding="utf-8") == "ثانٍ"
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half a fi")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text_atomic(target, "x")
    assert target.stat().st_mode & 0o044 == 0o044  # readable by group and others
