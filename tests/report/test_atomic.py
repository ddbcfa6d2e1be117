"""Outputs are staged, then swapped in; each writer has the kernel start writing its
files out as soon as it is done (report/atomic.py's start_writing_out)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import pipelines
from pipelines.report import atomic, write_reports

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_a_writer_makes_is_handed_to_the_kernel_to_write_out(tmp_path, monkeypatch):
    handed: list[str] = []

    def recorder(handle, offset, length, flags):
        assert (offset, length, flags) == (0, 0, atomic._SYNC_FILE_RANGE_WRITE)
        handed.append(os.path.basename(os.readlink(f"/proc/self/fd/{handle}")))
        return 0

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name a descriptor's file")
    monkeypatch.setattr(atomic, "_sync_file_range", lambda: recorder)
    result = pipelines.check([ROOT / "data" / "content"], reference=str(ROOT / "data" / "reference"), cache_dir="")
    names = write_reports(result, tmp_path / "out", skip={"data_docs"}, jobs=1)  # in this process, so recorded here
    assert sorted(handed) == sorted(names) and "report.html" in handed and "worksheet.xlsx" in handed


def test_writing_out_hands_over_regular_files_only(tmp_path, monkeypatch):
    page = tmp_path / "report.html"
    page.write_bytes(b"<p>kept</p>" * 10_000)
    folder = tmp_path / "data_docs"
    folder.mkdir()
    pipe = tmp_path / "a-fifo"
    os.mkfifo(pipe)  # opened without waiting for a writer, then passed over
    paths = [page, folder, pipe, tmp_path / "never-written.csv"]
    atomic.start_writing_out(paths)  # the real call, where there is one: no error, nothing changed
    assert page.read_bytes() == b"<p>kept</p>" * 10_000
    assert (atomic._sync_file_range() is not None) == sys.platform.startswith("linux")
    handed: list[int] = []
    monkeypatch.setattr(atomic, "_sync_file_range", lambda: lambda handle, *_: handed.append(os.fstat(handle).st_ino))
    atomic.start_writing_out(paths)
    assert handed == [page.stat().st_ino]


def test_writing_out_without_ctypes_does_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, "ctypes", None)  # as in a Python built without it: importing it fails
    assert atomic._sync_file_range() is None
    atomic.start_writing_out([Path(__file__)])
