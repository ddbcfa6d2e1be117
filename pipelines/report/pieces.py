"""Each page's share of an output, kept from one run to the next.

Most of what a writer spends on a large site goes into writing the same text for the
same pages again: a rerun that edits 1% of them changes 1% of each output. With a
cache, a writer keeps each page's share ("piece") of its output in
`<cache-dir>/pieces/<output>.<key>`, under a digest of what the piece is made from (the
page's stored outcome, which covers its bytes, the reference, rxqa's code and the
settings, and every field of its findings: RunResult.piece_digests), and under a key of
what every piece of that output is made from (the settings, the roots, the folder the run
is in, and what the writer adds). The next run takes a page's piece from there when both
still match and makes it only otherwise, so the output is the same text either way
(tested byte for byte). The files of an output's last KEPT keys stay, so that runs of a
few configurations sharing one cache do not undo each other's. A rerun that changed few
pieces writes only those, beside the file (`<output>.<key>.delta`), until they are more
than a DELTA_SHARE of it; then the whole file is written again. A page without a stored outcome (no cache, or a file that is not a page,
such as the waiver file) always has its piece made.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

import orjson

from ..cache import code_digest

# of the files kept here, with the Python that wrote them (marshal's format is its own) and the
# orjson that wrote their JSON (its layout); a file of another format is not read
_FORMAT = f"1 {sys.version} orjson {orjson.__version__}"
KEPT = 4  # an output's piece files, of as many keys (configurations) last written
DELTA_SHARE = 8  # a delta of up to 1/8 of an output's pieces is written beside its file instead of the whole


class Pieces:
    """The pieces of one output: `piece(page, make)` gives a page's piece, from the last
    run when it is still what `make()` would give; `keep()` stores this run's for the next,
    as leaving a `with Pieces(...)` block without an error does."""

    def __init__(self, result, output: str, *shared):
        self.digests: dict[str, str] = result.piece_digests
        self.key = _key(result, output, shared) if self.digests else ""
        self.path = _folder(result) / f"{output}.{self.key[:16]}" if self.digests else None
        self.base, self.base_id, self.before = _load(self.path, self.key) if self.path is not None else ({}, "", {})
        self.now: dict[str, tuple[str, str]] = {}

    def piece(self, page: str, make: Callable[[], str], part: str = "", extra: str = "") -> str:
        """Page `page`'s piece (its `part`, when it has several), which `make()` makes; `extra`
        is what else it is made from, beside the page's digest."""
        digest = self.digests.get(page)
        name = f"{part}\x1f{page}" if part else page
        if digest is None or name in self.now:  # no stored outcome, or a page met twice
            return make()
        if extra:
            digest += "\x1f" + extra
        kept = self.before.get(name)
        text = kept[1] if kept is not None and kept[0] == digest else make()
        self.now[name] = (digest, text)
        return text

    def to_make(self, pages) -> list[str]:
        """The pages among `pages` whose piece (of no part, no extra) `piece` would make, not take."""
        before, digests = self.before, self.digests
        return [page for page in pages if digests.get(page) is None or before.get(page, ("",))[0] != digests[page]]

    def __enter__(self) -> Pieces:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.keep()

    def keep(self) -> None:
        """Store this run's pieces (only them: a page gone since is forgotten): what differs
        from the file as a delta when that is little, else the whole file."""
        if self.path is None:
            return
        changed = {name: piece for name, piece in self.now.items() if self.base.get(name) != piece}
        gone = [name for name in self.base if name not in self.now]
        delta = _delta(self.path)
        try:
            if self.base and len(changed) + len(gone) <= len(self.base) // DELTA_SHARE:
                _write(delta, (_FORMAT, self.key, self.base_id, changed, gone))
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write(self.path, (_FORMAT, self.key, os.urandom(8).hex(), self.now))
            delta.unlink(missing_ok=True)
            output = self.path.name.rsplit(".", 1)[0]
            kept = sorted(self.path.parent.glob(f"{output}.????????????????"), key=lambda p: p.stat().st_mtime, reverse=True)
            for older in kept[KEPT:]:
                older.unlink(missing_ok=True)
                _delta(older).unlink(missing_ok=True)
        except OSError:  # a read-only or full cache: the next run makes the pieces it cannot find
            pass


def pieces_by_page(findings: list, pieces: Pieces, make: Callable[[str, list], str]) -> list[str]:
    """The pieces `make(page, findings)` of each run of `findings` on one page, in order (in
    report order, a page's findings are one run)."""
    return [pieces.piece(run[0].page, lambda run=run: make(run[0].page, run)) for run in runs(findings, attrgetter("page"))]


def runs(items: list, key: Callable) -> Iterator[list]:
    """Each run of consecutive `items` with one `key`, in order."""
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or key(items[end]) != key(items[start]):
            yield items[start:end]
            start = end


def _folder(result) -> Path:
    return result.settings.cache_folder / "pieces"  # only asked for with page keys, which only a cache gives


def _key(result, output: str, shared: tuple) -> str:
    # the settings that no output shows: how many processes, where the outputs and the cache go
    settings = replace(result.settings, jobs=0, out="", cache_dir="")
    text = repr((_FORMAT, output, result.version, code_digest(), result.reference_digest, settings,
                 result.roots, os.getcwd(), shared))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _delta(path: Path) -> Path:
    return path.with_name(path.name + ".delta")


def _load(path: Path, key: str) -> tuple[dict, str, dict]:
    """(the file's pieces, its id, the pieces with its delta applied: the last run's)."""
    kept = _read(path, key, 2)
    if kept is None or not isinstance(kept[1], dict):
        return {}, "", {}
    base_id, base = kept
    delta = _read(_delta(path), key, 3)
    if delta is None or delta[0] != base_id or not isinstance(delta[1], dict) or not isinstance(delta[2], list):  # none, or of an older file
        return base, base_id, base
    pieces = {**base, **delta[1]}
    for name in delta[2]:
        pieces.pop(name, None)
    return base, base_id, pieces


def _read(path: Path, key: str, fields: int) -> tuple | None:
    """The `fields` values a file of this format and key holds after them, or None."""
    try:
        kept = marshal.loads(path.read_bytes())  # not marshal.load(file), which reads the file in small steps
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(kept, tuple) and len(kept) == 2 + fields and kept[0] == _FORMAT and kept[1] == key:
        return kept[2:]
    return None


def _write(path: Path, value: tuple) -> None:
    """Write `value` (marshal) to `path` through a temporary file, removed if the writing fails."""
    part = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        part.write_bytes(marshal.dumps(value))
        os.replace(part, path)
    except OSError:
        with suppress(OSError):
            part.unlink(missing_ok=True)
        raise
