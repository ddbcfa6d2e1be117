"""What an import adds to, changes in and conflicts with the curated reference."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    table: str  # drugs.csv, brands.csv or regimens.csv
    key: str  # the row: drug or regimen name, or "Brand (market)"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.table} {self.key}" + (f": {self.detail}" if self.detail else "")


@dataclass
class ImportReport:
    source: str
    files: list[Path]
    out: Path
    added: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)  # curated value differs from the import; curated value kept
    conflicts: list[Entry] = field(default_factory=list)  # import rows left out
    unchanged: int = 0  # import rows the curated reference already has as they are
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, table: str) -> int:
        return sum(1 for e in getattr(self, kind) if e.table == table)

    def lines(self, limit: int | None = None) -> list[str]:
        """The human-readable summary; `limit` caps each list (the counts stay exact)."""
        tables = ("drugs.csv", "brands.csv", "regimens.csv")
        out = [
            f"import {self.source} from {len(self.files)} file(s) into {self.out}",
            "adds " + ", ".join(f"{self.count('added', t)} {t[:-4]}" for t in tables)
            + f"; {len(self.changed)} curated value(s) differ from the import (curated kept)"
            + f"; {len(self.conflicts)} conflict(s) left out; {self.unchanged} row(s) already as curated",
        ]
        for title, mark, entries in (
            ("added", "+", self.added),
            ("differs from the import (curated value kept)", "~", self.changed),
            ("conflicts (not imported)", "!", self.conflicts),
        ):
            if entries:
                out.append(f"{title}:")
                shown = entries if limit is None else entries[:limit]
                out += [f"  {mark} {e}" for e in shown]
                if len(shown) < len(entries):
                    out.append(f"  … and {len(entries) - len(shown)} more")
        out += [f"note: {n}" for n in self.notes]
        return out
