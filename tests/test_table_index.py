"""A previous table's lines by page, through its index (table_index.TableIndex.read_each)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines import table_index
from pipelines.table_index import TableIndex


@pytest.mark.parametrize(("asked", "reads"), [
    ([], 0),
    (["p3"], 1),
    (["p0", "p50", "p99"], 3),  # a few pages far apart (a rerun's edits): page by page
    ([f"p{n}" for n in range(100)], 1),  # every page (after an upgrade): one read
    ([f"p{n}" for n in range(10, 90)] + ["gone"], 1),  # most of what lies between them; a page without lines is left out
])
def test_each_page_gets_its_own_lines_however_they_are_read(tmp_path, monkeypatch, asked, reads):
    path = tmp_path / "drug_mentions.csv"
    lines = {f"p{n}": f"p{n},row {n}\n".encode() * (1 + n % 3) for n in range(100)}
    spans, offset = {}, len(b"page,text\n")
    for page, text in lines.items():
        spans[page] = (f"key-{page}", offset, len(text))
        offset += len(text)
    path.write_bytes(b"page,text\n" + b"".join(lines.values()))
    sizes: list[int] = []
    real = os.pread

    def pread(fd, length, at):
        sizes.append(length)
        return real(fd, length, at)

    monkeypatch.setattr(table_index.os, "pread", pread)
    fd = os.open(path, os.O_RDONLY)
    try:
        found = TableIndex(Path(path), spans, fd).read_each(asked)
    finally:
        os.close(fd)
    assert found == {page: lines[page] for page in asked if page in lines}
    assert list(found) == sorted(found, key=lambda p: spans[p][1])  # in the file's order
    assert len(sizes) == reads
