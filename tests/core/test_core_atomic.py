"""Files and folders that appear whole or not at all (:mod:`outcomes.core.atomic`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pytest

from outcomes.core.atomic import aside_name, publish_dir, write_atomic, write_bytes_atomic, write_text_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".old-" in p.name)


class TestWriteAtomic:
    def test_writes_text_as_utf8_with_line_ends_kept(self, tmp_path: Path) -> None:
        target = tmp_path / "new" / "f.csv"
        write_text_atomic(target, "a;b\r\nBærum;1\n")
        assert target.read_bytes() == "a;b\r\nBærum;1\n".encode()
        assert leftovers(target.parent) == []

    def test_replaces_bytes(self, tmp_path: Path) -> None:
        target = tmp_path / "f.bin"
        target.write_bytes(b"old")
        write_bytes_atomic(target, b"new")
        assert target.read_bytes() == b"new"

    def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(self, tmp_path: Path) -> None:
        target = tmp_path / "f.txt"
        target.write_text("old", encoding="utf-8")

        def half(handle: BinaryIO) -> None:
            handle.write(b"ne")
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError, match="disk full"):
            write_atomic(target, half)
        assert target.read_text(encoding="utf-8") == "old"
        assert leftovers(tmp_path) == []

    def test_temporary_name_prefix(self, tmp_path: Path) -> None:
        seen: list[str] = []

        def record(handle: BinaryIO) -> None:
            seen.extend(p.name for p in tmp_path.iterdir())  # the temporary file, while it is written
            handle.write(b"x")

        write_atomic(tmp_path / "f.pkl", record, prefix=".followup-")
        assert len(seen) == 1 and seen[0].startswith(".followup-") and seen[0].endswith(".tmp")


class TestPublishDir:
    def test_replaces_the_folder_and_removes_the_old_one(self, tmp_path: Path) -> None:
        target, build = tmp_path / "2020", tmp_path / ".2020.build-1"
        target.mkdir()
        (target / "old.html").write_text("old", encoding="utf-8")
        build.mkdir()
        (build / "index.html").write_text("new", encoding="utf-8")
        publish_dir(build, target)
        assert sorted(p.name for p in target.iterdir()) == ["index.html"]
        assert not build.exists() and leftovers(tmp_path) == []

    def test_first_publication(self, tmp_path: Path) -> None:
        build = tmp_path / ".2020.build-1"
        build.mkdir()
        publish_dir(build, tmp_path / "2020")
        assert (tmp_path / "2020").is_dir()

    def test_puts_the_old_folder_back_when_the_new_one_cannot_move_in(self, tmp_path: Path) -> None:
        target = tmp_path / "2020"
        target.mkdir()
        (target / "old.html").write_text("old", encoding="utf-8")
        with pytest.raises(OSError):
            publish_dir(tmp_path / "missing-build", target)
        assert (target / "old.html").read_text(encoding="utf-8") == "old"
        assert leftovers(tmp_path) == []

    def test_aside_name_carries_the_process_id(self, tmp_path: Path) -> None:
        assert aside_name(tmp_path / "2020", 4242) == tmp_path / ".2020.old-4242"
        assert aside_name(tmp_path / "2020").name == f".2020.old-{os.getpid()}"
