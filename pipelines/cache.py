"""Incremental runs: a page's outcome is kept under a key made of the page's bytes,
the reference, the settings that change results and rxqa's own code, so a changed
page, reference, setting or rxqa reruns, and nothing else does. Stored in SQLite."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from .outcome import SCHEMA, PageOutcome, decode


def page_key(data: bytes, context: str) -> str:
    return hashlib.sha256(context.encode("utf-8") + b"\0" + data).hexdigest()


class PageCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.table = f"outcomes_v{SCHEMA}"
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, data TEXT NOT NULL, view TEXT NOT NULL)")
        self.pending: list[tuple[str, str, str]] = []

    def get_many(self, keys: list[str]) -> dict[str, PageOutcome]:
        found: dict[str, PageOutcome] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for key, data, view in self.db.execute(f"SELECT key, data, view FROM {self.table} WHERE key IN ({marks})", chunk):
                try:
                    found[key] = decode(data, view)
                except (ValueError, KeyError, TypeError):
                    continue  # an entry that does not read back is simply recomputed
        return found

    def put(self, key: str, data: str, view: str) -> None:
        """Keep an outcome's JSON (written when the cache is closed)."""
        self.pending.append((key, data, view))

    def close(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, data, view) VALUES (?, ?, ?)", self.pending)
        self.db.close()
