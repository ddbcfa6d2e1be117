"""Incremental runs: a page's outcome is kept under a key made of the page's bytes,
the reference, the settings that change results and rxqa's own code, so a changed
page, reference, setting or rxqa reruns, and nothing else does. Stored in SQLite.
The loaded reference and its linker are kept beside it (cached_linker)."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .jsontext import dumps, loads
from .link import Linker
from .outcome import SCHEMA, Encoded, PageOutcome, blocks_size, decode
from .textutil import utf8_name

ROOT = Path(__file__).resolve().parents[1]
LINKERS_KEPT = 4
TEXT_COLUMNS = ("drug_csv", "regimen_csv", "view")  # an outcome's texts, which a rerun leaves in the cache until needed


@lru_cache(maxsize=1)
def code_digest() -> str:
    """rxqa's own code and schemas, so that any change to them (not only a version bump)
    reruns every page; and the pandas and pandera installed, whose checks SC001's kept
    verdicts and row findings come from."""
    from .reference.stamp import files_digest

    files = [path.relative_to(ROOT).as_posix() for folder in ("pipelines", "schemas") for path in sorted((ROOT / folder).rglob("*.py"))]
    return hashlib.sha256(f"{files_digest(files)}|{library_stamps()}".encode("utf-8")).hexdigest()[:16]


def library_stamps() -> str:
    """The installed pandas and pandera, by the names of their metadata folders beside them
    ("pandera-0.35.0.dist-info"), found without importing them: importlib.metadata scans every
    installed distribution to find a version, on a rerun's own path."""
    stamps = []
    for name in ("pandas", "pandera"):
        try:
            folder = os.path.dirname(os.path.dirname(importlib.util.find_spec(name).origin))
            infos = sorted(e for e in os.listdir(folder) if e.lower().startswith(f"{name}-") and e.endswith((".dist-info", ".egg-info")))
            stamps.append(f"{name}:{','.join(infos)}")
        except (AttributeError, TypeError, ValueError, ImportError, OSError):  # not installed: SC001 cannot run anyway
            stamps.append(f"{name}:-")
    return "|".join(stamps)


def cached_linker(directory: Path, cache_dir: Path | None) -> Linker:
    """The reference, validated, and its linker (see linker_to_confirm)."""
    linker, confirm = linker_to_confirm(directory, cache_dir)
    confirm()
    return linker


def linker_to_confirm(directory: Path, cache_dir: Path | None) -> tuple[Linker, Callable[[], None]]:
    """The reference's linker, and a call that validates the reference: ReferenceInvalid names
    what is wrong. Building the linker takes most of a second and validating about as long
    again (with the imports of pandas and pandera), so a linker is kept in the cache folder
    (a pickle written by rxqa itself) under the reference folder's CSV files (their names
    and bytes) and rxqa's code once its reference has passed, and taken from there while
    both are unchanged (the call then does nothing). A new linker is built from the files
    as they read (reference.rows), so that a run can read pages while it validates them;
    files whose folder carries a stamp for them are not validated again (reference/stamp.py)."""
    if cache_dir is None or not Path(directory).is_dir():
        return _new_linker(directory, None)
    digest = hashlib.sha256(code_digest().encode("ascii"))
    for file in sorted(Path(directory).glob("*.csv")):  # a missing table changes the digest too
        try:
            digest.update(file.name.encode("utf-8") + b"\0" + file.read_bytes())
        except OSError:
            return _new_linker(directory, None)  # whose validation names what cannot be read
    path = Path(cache_dir) / "linkers" / f"{digest.hexdigest()[:32]}.pickle"
    try:
        linker = pickle.loads(path.read_bytes())
        if isinstance(linker, Linker):
            return linker, lambda: None
    except Exception:  # a missing, partial or outdated pickle is simply rebuilt
        pass
    return _new_linker(directory, path)


def _new_linker(directory: Path, keep_at: Path | None) -> tuple[Linker, Callable[[], None]]:
    """A linker built from the files as they read, and the call that validates them and then keeps it at `keep_at`."""
    from .reference.rows import read_reference

    try:
        linker = Linker(read_reference(directory))
    except Exception:
        # files the plain reader cannot take: the validating load names what is wrong with them
        from .reference.load import load_reference

        linker = Linker(load_reference(directory))

    def confirm() -> None:
        _validate(directory, linker)
        if keep_at is not None:
            _keep(linker, keep_at)

    return linker, _once(confirm)


def _validate(directory: Path, linker: Linker) -> None:
    from .errors import ReferenceInvalid
    from .reference.stamp import vouches_for

    if vouches_for(directory, linker.reference.digest):
        return
    from .reference.load import checked_frames

    _, digest = checked_frames(Path(directory))
    if digest != linker.reference.digest:
        raise ReferenceInvalid(f"{directory}: the reference changed while rxqa read it; run again")


def _keep(linker: Linker, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(linker, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        for old in sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-LINKERS_KEPT]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # without a kept linker the next run builds it again


def _once(function: Callable[[], None]) -> Callable[[], None]:
    """`function`, run by the first call that does not raise; later calls do nothing."""
    done = False

    def call() -> None:
        nonlocal done
        if not done:
            function()
            done = True

    return call


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def page_key(digest: str, context: str) -> str:
    """The cache key of a page whose bytes have `digest`, read with `context` (rxqa, reference, settings, page name)."""
    return hashlib.sha256(context.encode("utf-8") + b"\0" + digest.encode("ascii")).hexdigest()


def outcome_table() -> str:
    """The table of the page cache that holds this rxqa's outcomes (one per outcome schema)."""
    return f"outcomes_v{SCHEMA}"


def rows_of(db: sqlite3.Connection, table: str, columns: str, keys: list[str]):
    """The rows (key first, then `columns`, if any) of `table` whose key is among `keys`, asked for 900 keys at a time."""
    selected = f"key, {columns}" if columns else "key"
    for start in range(0, len(keys), 900):
        chunk = keys[start:start + 900]
        yield from db.execute(f"SELECT {selected} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)


def file_stamp(path: str) -> tuple[str, int] | None:
    """What changes whenever a file's bytes do (size, times, inode), and when the file was last
    touched (the later of its modification and change times, for a tool may set the first
    back); None if it cannot be stat-ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}", max(st.st_mtime_ns, st.st_ctime_ns)


class PageCache:
    """Outcomes by page key, and beside them the findings of the rules that check table rows
    one at a time (scope "rows", row_checks.RowChecks). Closing it stores the new ones, marks the
    ones used, and, once a day or after rxqa's code changed, prunes what can no longer help:
    rows written by other rxqa code (the code digest is part of every key, so they can never be
    hit again) and rows unused for KEEP_DAYS (old versions of edited pages, settings no longer
    run). A cache that holds other code's outcomes only (after an upgrade) is pruned as soon as
    the first new ones are stored, so a run killed after that has dropped them already. So the
    file stays about the size of one run per configuration instead of growing with every edit
    and upgrade."""

    KEEP_DAYS = 30
    PRUNE_EVERY = 86400  # seconds: rows unused for KEEP_DAYS go within a day
    BATCH = 500
    SETTLED_NS = 2_000_000_000  # coarser than any file system's time stamps (FAT's are 2 s)

    def __init__(self, path: Path, code: str = ""):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=30)
        if self.db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            # takes effect in a new file (pruned pages are given back); set on every open, it would write the file's header each time
            self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        # a cold run stores every page's outcome (a cache file of about 100 MB for 10,000 pages):
        # a rollback journal writes them once where a write-ahead log writes them twice; the
        # disk is still synced at each commit, so a crash never leaves the file broken
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.code = code
        self.table = outcome_table()
        self.checks = f"checks_v{SCHEMA}"
        self.verdict_table = f"verdicts_v{SCHEMA}"
        with self.db:
            stale = self.db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND (name LIKE 'outcomes_v%' OR name LIKE 'checks_v%' OR name LIKE 'verdicts_v%') "
                "AND name NOT IN (?, ?, ?)",
                (self.table, self.checks, self.verdict_table),
            ).fetchall()
            for (name,) in stale:  # a table of an older outcome schema is never read again
                self.db.execute(f'DROP TABLE "{name}"')
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} "
                # the small columns first: pruning, and a rerun that leaves the texts here, read them without walking the large ones
                "(key TEXT PRIMARY KEY, code TEXT NOT NULL, used INTEGER NOT NULL, view_size INTEGER NOT NULL, data TEXT NOT NULL, "
                "drug_csv TEXT NOT NULL, regimen_csv TEXT NOT NULL, view TEXT NOT NULL)"
            )
            # the findings of the rules that check table rows one by one (scope "rows"), by page key
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.checks} (key TEXT PRIMARY KEY, code TEXT NOT NULL, used INTEGER NOT NULL, findings TEXT NOT NULL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stamp TEXT NOT NULL, digest TEXT NOT NULL, used INTEGER NOT NULL)")
            # what SC001 found each cell value to be (cell_verdicts.py), one row per rxqa code
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.verdict_table} (code TEXT PRIMARY KEY, data TEXT NOT NULL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS pruned (code TEXT NOT NULL, at INTEGER NOT NULL)")  # the last pruning
        if stale:
            self.db.execute("VACUUM")  # once, after an upgrade: gives the dropped tables' space back
        self.pending: list[tuple[str, str, str, str, str]] = []
        self.hits: list[str] = []
        self.checks_hit: list[str] = []
        self.checks_made: dict[str, str] = {}
        self.known = {row[0]: row[1:] for row in self.db.execute("SELECT path, stamp, digest, used FROM files")}
        last = self.db.execute("SELECT code, at FROM pruned").fetchone()
        if last is None and self.db.execute(f"SELECT 1 FROM {self.table} LIMIT 1").fetchone() is None:
            last = (code, int(time.time()))  # a new cache: nothing in it to prune for a day
            with self.db:
                self.db.execute("INSERT INTO pruned (code, at) VALUES (?, ?)", last)
        self.last_pruned: tuple[str, int] = last or ("", 0)  # which code pruned last, and when
        self.used: dict[str, int] = {}  # when the rows looked up were last marked used, by key
        self.checks_used: dict[str, int] = {}
        # no outcome of this rxqa is kept (a new cache, or one of older code): none can be reused
        self.holds_nothing = self.db.execute(f"SELECT 1 FROM {self.table} WHERE code = ? LIMIT 1", (code,)).fetchone() is None
        # outcomes of other code only (a new rxqa, pandas or pandera: see code_digest; a new reference
        # moves the keys, not the code): pruned as this run's first outcomes are written, which then
        # take the pages freed (_store_pending)
        self.prune_first = self.holds_nothing and self.db.execute(f"SELECT 1 FROM {self.table} LIMIT 1").fetchone() is not None
        self.seen: list[tuple[str, str, str]] = []
        self.files_hit: list[str] = []
        self.verdicts_made: dict | None = None

    def digest_of(self, path: str, stamp: str) -> str | None:
        """The digest of a file's bytes when they were last read with this very stamp, so they need not be read again."""
        path = utf8_name(path)  # as SQLite holds it
        known = self.known.get(path)
        if known is None or known[0] != stamp:
            return None
        self.files_hit.append(path)
        return known[1]

    def saw(self, path: str, stamp: tuple[str, int], digest: str) -> None:
        """Note the digest of bytes read after the file was stat-ed as `stamp`. Only a file left
        alone for a while is noted: one written again within the same time stamp would keep its stamp."""
        if stamp[1] < time.time_ns() - self.SETTLED_NS:
            self.seen.append((utf8_name(path), stamp[0], digest))

    def _rows_of(self, table: str, columns: str, keys: list[str]):
        return rows_of(self.db, table, columns, keys)

    def present(self, keys: list[str]) -> set[str]:
        """The keys with an outcome stored (from the keys' index alone, without reading the outcomes)."""
        return {key for (key,) in self._rows_of(self.table, "", keys)}

    def get_many(self, keys: list[str], texts: bool = True) -> dict[str, PageOutcome]:
        """The outcomes stored under `keys`; without `texts`, their CSV lines and views stay in
        the cache (None), to be read where they are needed (stored_texts.py), and each view's size comes instead."""
        found: dict[str, PageOutcome] = {}
        used = self.used
        columns = "used, data, drug_csv, regimen_csv, view" if texts else "used, data, NULL, NULL, NULL, view_size"
        for key, when, *encoded in self._rows_of(self.table, columns, keys):
            try:
                found[key] = decode(*encoded)
            except (ValueError, KeyError, TypeError):
                continue  # an entry that does not read back is simply recomputed
            used[key] = when
        self.hits.extend(found)
        return found

    def texts(self, keys: list[str], column: str) -> dict[str, str]:
        """A text column (drug_csv, regimen_csv, view) of the outcomes stored under `keys`, by key."""
        return dict(self._rows_of(self.table, column, keys)) if column in TEXT_COLUMNS else {}

    def stored_checks(self, keys: list[str]) -> dict[str, str]:
        """The row rules' findings (JSON text) kept for these page keys."""
        found: dict[str, str] = {}
        for key, used, findings in self._rows_of(self.checks, "used, findings", keys):
            found[key] = findings
            self.checks_used[key] = used
        self.checks_hit.extend(found)
        return found

    def keep_checks(self, findings: dict[str, str]) -> None:
        """Keep the row rules' findings (JSON text) by page key; stored on closing."""
        self.checks_made.update(findings)

    def verdicts(self) -> dict | None:
        """SC001's verdicts on cell values kept by this rxqa (cell_verdicts.py), or None."""
        row = self.db.execute(f"SELECT data FROM {self.verdict_table} WHERE code = ?", (self.code,)).fetchone()
        try:
            return loads(row[0]) if row else None
        except ValueError:
            return None

    def keep_verdicts(self, data: dict) -> None:
        """Keep SC001's verdicts on cell values; stored on closing."""
        self.verdicts_made = data

    def put(self, key: str, encoded: Encoded) -> None:
        """Keep an outcome (outcome.encode's texts): written a batch at a time, while the workers read the next pages."""
        self.pending.append((key, *encoded))
        if len(self.pending) >= self.BATCH:
            with self.db:
                self._store_pending(int(time.time()))

    def _store_pending(self, now: int) -> None:
        if self.prune_first:
            # while the workers read the first pages, not after the run: deleting a whole run's rows
            # takes about 0.5 s for 10,000 pages, and giving their pages back to the disk 0.2 s more
            self.prune_first = False
            self._prune(now)
            self.last_pruned = (self.code, now)
        self.db.executemany(
            f"INSERT OR REPLACE INTO {self.table} (key, code, used, view_size, data, drug_csv, regimen_csv, view) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, self.code, now, blocks_size(view), data, drugs, regimens, view) for key, data, drugs, regimens, view in self.pending],
        )
        self.pending = []

    def _prune(self, now: int) -> int:
        """Delete what can no longer help (it reads every row of the cache); the number of rows deleted."""
        unused = now - self.KEEP_DAYS * 86400
        pruned = sum(self.db.execute(f"DELETE FROM {table} WHERE code != ? OR used < ?", (self.code, unused)).rowcount
                     for table in (self.table, self.checks))
        pruned += self.db.execute("DELETE FROM files WHERE used < ?", (unused,)).rowcount
        pruned += self.db.execute(f"DELETE FROM {self.verdict_table} WHERE code != ?", (self.code,)).rowcount
        self.db.execute("DELETE FROM pruned")
        self.db.execute("INSERT INTO pruned (code, at) VALUES (?, ?)", (self.code, now))
        return pruned

    def close(self) -> None:
        now = int(time.time())
        with self.db:
            self._store_pending(now)
            # a day's precision is enough to prune by the month, and spares rewriting every large row on each run
            self.db.executemany(
                f"INSERT OR REPLACE INTO {self.checks} (key, code, used, findings) VALUES (?, ?, ?, ?)",
                [(key, self.code, now, findings) for key, findings in self.checks_made.items()],
            )
            for table, hits, used in ((self.table, self.hits, self.used), (self.checks, self.checks_hit, self.checks_used)):
                self.db.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", [(now, key) for key in hits if used.get(key, 0) < now - 86400])
            self.db.executemany(
                "UPDATE files SET used = ? WHERE path = ?", [(now, path) for path in self.files_hit if self.known[path][2] < now - 86400]
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO files (path, stamp, digest, used) VALUES (?, ?, ?, ?)",
                [(path, stamp, digest, now) for path, stamp, digest in self.seen],
            )
            if self.verdicts_made is not None:
                self.db.execute(f"INSERT OR REPLACE INTO {self.verdict_table} (code, data) VALUES (?, ?)",
                                (self.code, dumps(self.verdicts_made, indent=False)))
            code, at = self.last_pruned
            pruned = self._prune(now) if code != self.code or at < now - self.PRUNE_EVERY else 0
            # pages freed by pruning first and not taken by this run's rows (a site that shrank)
            spare = self.db.execute("PRAGMA freelist_count").fetchone()[0] > self.db.execute("PRAGMA page_count").fetchone()[0] // 4
        if pruned or spare:
            self.db.executescript("PRAGMA incremental_vacuum;")  # run to the end (one execute() step frees one page)
        self.db.close()
