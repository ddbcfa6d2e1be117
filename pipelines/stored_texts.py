"""The texts of the page outcomes a rerun left in the cache: each page's lines of the two
mention tables and its view (its blocks as JSON). A rerun loads only the small part of
each stored outcome (its findings, counts and site-rule records); the texts, 80 MB at
10,000 pages, are read here, in the process that needs them, for the pages it needs:
a report writer making the share of its output of a page that changed."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .cache import TEXT_COLUMNS, outcome_table, rows_of
from .errors import RxqaError


class StoredTexts:
    """Texts by page, read from the page cache at `path` under each page's key (page → key)."""

    def __init__(self, path: Path, keys: dict[str, str]):
        self.path = path
        self.keys = keys
        self.read: dict[str, dict[str, str]] = {column: {} for column in TEXT_COLUMNS}
        self.db: sqlite3.Connection | None = None
        self.pid = 0
        self.inherited: list[sqlite3.Connection] = []  # opened before a fork: kept, never used or closed here

    def get(self, column: str, pages) -> dict[str, str]:
        """Column `column` (drug_csv, regimen_csv, view) of `pages` (those with a key), by page."""
        known = self.read[column]
        wanted = {self.keys[page]: page for page in pages if page not in known and page in self.keys}
        if wanted:
            try:
                for key, text in rows_of(self._connection(), outcome_table(), column, list(wanted)):
                    known[wanted[key]] = text
            except sqlite3.Error as error:
                raise RxqaError(f"{self.path}: the page cache cannot be read since the run ({error}); run again") from None
            missing = [page for page in wanted.values() if page not in known]
            if missing:  # pruned or replaced by another run since: never expected, as this run marked them used
                raise RxqaError(f"{self.path}: the stored outcome of {missing[0]} is gone (another run pruned it?); run again")
        return {page: known[page] for page in pages if page in known}

    def _connection(self) -> sqlite3.Connection:
        if self.db is not None and self.pid != os.getpid():
            # SQLite forbids using a connection across a fork, and closing it is a use
            self.inherited.append(self.db)
            self.db = None
        if self.db is None:
            # read-only, so any thread of the process may use it
            self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30, check_same_thread=False)
            self.pid = os.getpid()
        return self.db
