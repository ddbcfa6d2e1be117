"""Incremental runs: a page's extraction is kept under a key made of the page's
bytes, the reference, the chrome settings and rxqa's version, so a changed page,
reference or rxqa reruns, and nothing else does. Stored as JSON in SQLite."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import types
import typing
from pathlib import Path

from .extract.model import PageExtraction
from .ingest.model import PageProblem

SCHEMA = 1


def page_key(data: bytes, context: str) -> str:
    return hashlib.sha256(context.encode("utf-8") + b"\0" + data).hexdigest()


def _to_jsonable(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    return value


def _build(kind, value):
    """Rebuild a value of the annotated type `kind` from its JSON form."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return None if value is None else _build(options[0], value)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_build(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value))
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _build(hints[name], v) for name, v in value.items()})
    return value


_HINTS: dict[type, dict] = {}


def _hints(cls) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


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
                    extraction = _build(PageExtraction, stored["extraction"]) if stored["extraction"] else None
                    problem = _build(PageProblem, stored["problem"]) if stored["problem"] else None
                except (ValueError, KeyError, TypeError):
                    continue  # an entry that does not read back is simply recomputed
                found[key] = (extraction, problem)
        return found

    def put(self, key: str, extraction: PageExtraction | None, problem: PageProblem | None) -> None:
        payload = {"schema": SCHEMA, "extraction": _to_jsonable(extraction), "problem": _to_jsonable(problem)}
        self.pending.append((key, json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))

    def close(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO pages (key, data) VALUES (?, ?)", self.pending)
        self.db.close()
