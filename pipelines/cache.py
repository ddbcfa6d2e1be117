"""Incremental runs: a page's extraction is kept under a key made of the page's
bytes, the reference, the chrome settings and rxqa's version, so a changed page,
reference or rxqa reruns, and nothing else does. Stored as JSON in SQLite."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from pathlib import Path

from .cache_codec import decode, encode
from .extract.model import PageExtraction
from .ingest.model import PageProblem

SCHEMA = 2


def page_key(data: bytes, context: str) -> str:
    return hashlib.sha256(context.encode("utf-8") + b"\0" + data).hexdigest()


def cache_entry(extraction: PageExtraction | None, problem: PageProblem | None) -> str:
    payload = {
        "schema": SCHEMA,
        "extraction": encode(extraction) if extraction is not None else None,
        "problem": dataclasses.asdict(problem) if problem is not None else None,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


class PageCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
        self.pending: list[tuple[str, str]] = []

    def get_many(self, keys: list[str]) -> dict[str, tuple[PageExtraction | None, PageProblem | None]]:
        found: dict[str, tuple] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for key, data in self.db.execute(f"SELECT key, data FROM pages WHERE key IN ({marks})", chunk):
                try:
                    stored = json.loads(data)
                    if stored.get("schema") != SCHEMA:
                        continue
                    extraction = decode(stored["extraction"]) if stored["extraction"] else None
                    problem = PageProblem(**stored["problem"]) if stored["problem"] else None
                except (ValueError, KeyError, TypeError):
                    continue  # an entry that does not read back is simply recomputed
                found[key] = (extraction, problem)
        return found

    def put(self, key: str, stored: str) -> None:
        """Keep an entry made by cache_entry (written when the cache is closed)."""
        self.pending.append((key, stored))

    def close(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO pages (key, data) VALUES (?, ?)", self.pending)
        self.db.close()
