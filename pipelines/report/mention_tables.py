"""The two mention tables as CSV (drug_mentions.csv, regimen_mentions.csv), written from
the lines each page made when it was read; they do not wait for the comparison with the
previous run, as findings.json does (data.py). With a cache, the lines of a page whose
stored outcome has not changed are copied from the file the last run wrote, found
through its index (table_index.py)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

from .. import table_index
from ..table_index import Span, TableIndex
from ..tables import TABLE_COLUMNS, csv_lines

OUTPUTS = ("drug_mentions.csv", "regimen_mentions.csv")
COST = 2
HELD_BYTES = 1 << 20  # written in runs of about this size: a whole table joined first would take 47 MB more at 10,000 pages


def write(result, folder: Path) -> None:
    cache_dir = table_index.cache_folder(result)
    for name, columns in TABLE_COLUMNS.items():
        path = folder / f"{name}.csv"
        parts = result.table_parts(name)
        if parts is None:
            result.table(name).to_csv(path, index=False)
            continue
        final = Path(result.out_dir or folder) / path.name
        with table_index.opened(cache_dir, final) as previous:
            try:
                spans = _write_lines(path, csv_lines([columns]), parts, result, name, previous)
            except OSError:  # the previous file could not be copied from after all: every line is written
                spans = _write_lines(path, csv_lines([columns]), parts, result, name, None)
        if len(spans) == sum(1 for _, count, _ in parts if count):  # else some lines would be left out of it
            table_index.save(cache_dir, final, path, spans)


def _write_lines(path: Path, head: str, parts: list[tuple[str, int, str | None]], result, name: str,
                 previous: TableIndex | None) -> dict[str, Span]:
    """Write the header and each page's lines (the text each page made when it was read,
    already formatted, those left in the cache read now), copying those of a page whose key
    is the one `previous` holds; return where each page's lines now are."""
    keys = result.page_keys
    before = previous.spans if previous is not None else {}
    texts = result.table_texts(name, [page for page, count, text in parts if count and text is None
                                      and (page not in before or before[page][0] != keys.get(page))])
    segments, spans = _segments(len(head.encode("utf-8")), parts, texts, keys, before)
    with open(path, "wb", buffering=0) as out:
        _write_all(out, head.encode("utf-8"))
        _write_segments(out, previous.fd if previous is not None else -1, segments)
    return spans


def _segments(position: int, parts: list[tuple[str, int, str | None]], texts: dict[str, str], keys: dict[str, str],
              before: dict[str, Span]) -> tuple[list, dict[str, Span]]:
    """What to write after the header: bytes, or (start, end) of the previous file to copy,
    consecutive ranges merged; and where each page's lines will be."""
    segments: list = []
    spans: dict[str, Span] = {}
    run_start = run_end = -1
    for page, count, text in parts:
        if not count:
            continue
        key = keys.get(page)
        old = before.get(page)
        if old is not None and old[0] == key:
            start, length = old[1], old[2]
            if start != run_end:
                if run_end >= 0:
                    segments.append((run_start, run_end))
                run_start = run_end = start
            run_end += length
        else:
            if run_end >= 0:
                segments.append((run_start, run_end))
                run_end = -1
            data = (texts[page] if text is None else text).encode("utf-8", "replace")
            length = len(data)
            segments.append(data)
        if key:
            spans[page] = (key, position, length)
        position += length
    if run_end >= 0:
        segments.append((run_start, run_end))
    return segments, spans


def _write_segments(out, source: int, segments: list) -> None:
    held: list[bytes] = []
    size = 0
    for segment in segments:
        if segment.__class__ is bytes:
            held.append(segment)
            size += len(segment)
            if size < HELD_BYTES:
                continue
        if held:
            _write_all(out, b"".join(held))
            held, size = [], 0
        if segment.__class__ is tuple:
            _copy(source, out, *segment)
    if held:
        _write_all(out, b"".join(held))


def _write_all(out, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def _copy(source: int, out, start: int, end: int) -> None:
    """Bytes [start, end) of the file open as `source` to the end of `out`, copied by the kernel where it can."""
    while start < end:
        try:
            done = _copy_file_range(source, out.fileno(), end - start, start)
        except OSError as error:  # another file system, or a system without it: read and write
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                raise
            done = 0
        if done == 0:  # not copied (some file systems answer 0 rather than fail): read and write
            data = os.pread(source, min(end - start, 1 << 20), start)
            if not data:
                raise OSError(errno.EIO, "the previous table is shorter than its index says")
            _write_all(out, data)
            done = len(data)
        start += done


def _copy_file_range(source: int, target: int, count: int, offset: int) -> int:
    """os.copy_file_range (Linux: the kernel copies, without the bytes passing through rxqa)."""
    if not hasattr(os, "copy_file_range"):
        raise OSError(errno.ENOSYS, "no copy_file_range")
    return os.copy_file_range(source, target, count, offset)
