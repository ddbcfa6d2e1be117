"""Where each page's lines sit in a mention table's CSV file (drug_mentions.csv,
regimen_mentions.csv), kept in the cache beside the file's stamp.

The mention tables are the largest outputs (47 MB at 10,000 pages) and a rerun that
edited 1% of the pages changes 1% of them. With an index of the file the last run wrote,
and the file still as it was written (its size and modification time, checked on the
open file, which every read then uses), a rerun
copies the lines of every page whose stored outcome is the same (the page's cache key,
which covers its bytes, the reference, rxqa's code and the settings) from the file
instead of writing them again (report/mention_tables.py), and the comparison with the
previous run reads only the lines of the pages whose key moved (changes.py).
The indexes of a table's last KEPT files stay, so that the comparison, running beside the
writer that writes the new one, still finds the previous one, and a few output folders
sharing a cache keep theirs.
"""
from __future__ import annotations

import marshal
import os
import sys
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

_FORMAT = f"1 {sys.version}"  # marshal's format is its Python's
KEPT = 4  # a table's indexes (of output folders, or configurations) kept

Span = tuple[str, int, int]  # a page's cache key, and where its lines start in the file and how many bytes they take


@dataclass(frozen=True)
class TableIndex:
    path: Path  # the CSV file described
    spans: dict[str, Span]  # page → its span, for the pages with lines and a cache key
    fd: int  # the file, opened once: every read is of the file whose stamp matched, whatever replaces it since

    def read_head(self, length: int) -> bytes:
        """The file's first `length` bytes (its header line)."""
        return os.pread(self.fd, length, 0)

    def read_each(self, pages: list[str]) -> dict[str, bytes]:
        """The lines of each of `pages` that has a span, in the file's order: page by page, or in
        one read from the first to the last when they are most of what lies between (after an
        upgrade, every page's)."""
        spans = sorted((self.spans[page][1], self.spans[page][2], page) for page in pages if page in self.spans)
        if not spans:
            return {}
        start = spans[0][0]
        size = spans[-1][0] + spans[-1][1] - start
        if 2 * sum(length for _, length, _ in spans) < size:
            return {page: os.pread(self.fd, length, offset) for offset, length, page in spans}
        data = os.pread(self.fd, size, start)
        return {page: data[offset - start:offset - start + length] for offset, length, page in spans}


def stamp(path: Path) -> tuple[int, int] | None:
    """What a rewrite of the file changes: its size and modification time, which a rename keeps,
    and so does a copy that keeps times (cp -p, an archive), as a cache and outputs restored in CI are."""
    try:
        return _stamp(os.stat(path))
    except OSError:
        return None


def _stamp(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


@contextmanager
def opened(cache_dir: Path | None, path: Path):
    """The index of the CSV file at `path` as it is now, with the file open, or None (no cache,
    no index, or a file changed since); the file is closed on leaving."""
    try:
        fd = os.open(path, os.O_RDONLY) if cache_dir is not None else -1
    except OSError:
        fd = -1
    if fd < 0:
        yield None
        return
    try:
        yield _index(cache_dir, path, fd)
    finally:
        os.close(fd)


def _index(cache_dir: Path, path: Path, fd: int) -> TableIndex | None:
    try:
        now = _stamp(os.fstat(fd))
        kept = marshal.loads(_file(cache_dir, path, now).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == _FORMAT and kept[1] == now and isinstance(kept[2], dict)):
        return None
    return TableIndex(path, kept[2], fd)


def save(cache_dir: Path | None, path: Path, written: Path, spans: dict[str, Span]) -> None:
    """Keep the index of the file `written` (the same file, before it is moved to `path`);
    a cache that cannot be written keeps nothing."""
    now = stamp(written) if cache_dir is not None else None
    if now is None:
        return
    target = _file(cache_dir, path, now)
    part = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(marshal.dumps((_FORMAT, now, spans)))
        os.replace(part, target)
        kept = sorted(target.parent.glob(f"{path.name}.*"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for older in kept[KEPT:]:
            older.unlink(missing_ok=True)
    except OSError:
        with suppress(OSError):
            part.unlink(missing_ok=True)


def cache_folder(result) -> Path | None:
    """The run's cache folder when its pages have cache keys (an index is of no use otherwise)."""
    return result.settings.cache_folder if result.page_keys else None


def _file(cache_dir: Path, path: Path, now: tuple[int, int]) -> Path:
    # by the file's name and stamp, not its folder: outputs copied with their times (a CI
    # restoring them elsewhere) keep their index
    return Path(cache_dir) / "tables" / f"{path.name}.{'-'.join(map(str, now))}"
