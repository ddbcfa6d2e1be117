"""What changed since the previous run: findings new / still present / resolved, and
drugs, brands and regimens that appeared, disappeared or changed on a page."""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path

from . import table_index
from .jsontext import loads
from .tables import TABLE_COLUMNS, csv_lines

SHARP_DROP = 0.5  # a page whose mentions fell by half or more (and by at least 3)

Table = dict[str, list[str]]  # the columns compared, by name: each cell as text


def _read_text(text: str, columns: list[str]) -> Table | None:
    """The `columns` of CSV text (the lines of the few pages that changed), read with the csv
    module, as pandas' reader reads them, without importing pandas (a rerun's own process
    does without it); None when unusable."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if not set(columns) <= set(header):
        return None
    at = [header.index(c) for c in columns]
    cells: list[list[str]] = [[] for _ in columns]
    for row in reader:
        if not row:
            continue  # a blank line, which pandas' reader skips too
        if len(row) > len(header):
            return None  # as pandas' reader fails on it
        row += [""] * (len(header) - len(row))
        for i, column in zip(at, cells):
            column.append(row[i])
    return dict(zip(columns, cells))


def _read_file(path: Path, columns: list[str]) -> Table | None:
    """The `columns` of a whole CSV file, read by pandas (much faster over a large table); None when unusable."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda c: c in columns)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    return _columns_of(frame, columns) if set(columns) <= set(frame.columns) else None


def _columns_of(frame, columns: list[str]) -> Table:
    """A DataFrame's `columns` as text (a missing cell as "")."""
    return {c: frame[c].fillna("").astype(str).tolist() for c in columns}


Pairs = set[tuple[str, str, str]]


def _pairs(table: Table, name: str, fallback: str, values: str) -> Pairs:
    """(page, name, value) once each: the name is `name` or, when empty, `fallback`
    (the generic, else the text as written); value is the ` | ` list in `values` as written."""
    names = [n or f for n, f in zip(table[name], table[fallback])]
    return set(zip(table["page"], names, ["" if v == "nan" else v for v in table[values]]))


def _diff(before: Pairs, after: Pairs, what: str) -> list[dict]:
    """Names that appeared on a page, disappeared from it, or are written with other
    values (brands, components) than before. Only names whose lists as written differ
    are split into items and compared."""
    keys = {(page, name) for page, name, _ in before ^ after}
    if not keys:
        return []

    def sets(pairs: Pairs) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for page, name, value in pairs:
            if (page, name) in keys:
                found.setdefault((page, name), set()).update(v for v in value.split(" | ") if v)
        return found

    old, new = sets(before), sets(after)
    rows = []
    for page, name in sorted(keys):
        if (page, name) not in old:
            rows.append({"page": page, "name": name, "change": "appeared", what: sorted(new[page, name])})
        elif (page, name) not in new:
            rows.append({"page": page, "name": name, "change": "disappeared", what: sorted(old[page, name])})
        elif old[page, name] != new[page, name]:
            rows.append({"page": page, "name": name, "change": "changed", "before": sorted(old[page, name]), "after": sorted(new[page, name])})
    return rows


def _drug_pairs(table: Table) -> Pairs:
    return _pairs(table, "generic", "text", "brands")


def _regimen_pairs(table: Table) -> Pairs:
    return _pairs(table, "regimen", "name", "component_generics")


def _tables(path: Path, result, name: str, columns: list[str]):
    """(previous rows, current rows) of table `name` to compare: only those of the pages
    whose lines differ, found through the previous file's index (the pages whose cache key
    moved) or by matching the previous file against this run's lines (RunResult.table_lines),
    else all of them. (None, table) when there is no usable previous file."""
    parts = result.table_parts(name)
    if parts is not None:
        changed = _indexed_rows(path, result, name, columns)
        if changed is None:
            changed = _changed_rows(path, [text for _, _, text in result.table_lines(name)], TABLE_COLUMNS[name], columns)
        if changed is not None:
            return changed
    return _read_file(path, columns), _columns_of(result.table(name), columns)


def _indexed_rows(path: Path, result, name: str, columns: list[str]):
    """The rows of table `name` of the pages whose lines differ from those the previous file at
    `path` holds for them, as (previous rows, current rows); None without an index of that file
    (table_index.py). A page whose cache key is the one the index holds has the same lines; the
    lines of the others are compared as text (after a new rxqa or reference every key moves, and
    most pages' lines stay the same), so only the rows of pages that changed are parsed."""
    header = TABLE_COLUMNS[name]
    head = csv_lines([header]).encode("utf-8")
    keys = result.page_keys
    parts = result.table_parts(name)
    with table_index.opened(table_index.cache_folder(result), path) as index:
        if index is None or not set(columns) <= set(header):
            return None
        spans = index.spans
        same = {page for page, count, _ in parts if count and page in spans and spans[page][0] == keys.get(page)}
        try:
            if index.read_head(len(head)) != head:
                return None
            previous = index.read_each([page for page in spans if page not in same])
        except OSError:
            return None
    moved = [page for page, count, _ in parts if count and page not in same]
    now = result.table_texts(name, moved)
    same.update(page for page in moved if previous.get(page) == now[page].encode("utf-8"))
    try:
        before = b"".join(lines for page, lines in previous.items() if page not in same).decode("utf-8")
    except UnicodeDecodeError:
        return None
    head_text = head.decode("utf-8")
    old = _read_text(head_text + before, columns)
    new = _read_text(head_text + "".join(now[page] for page in moved if page not in same), columns)
    return None if old is None or new is None else (old, new)


_SEARCH_AHEAD = 1 << 22  # characters searched for the next page whose lines are unchanged
_SEARCH_BUDGET = 1 << 25  # characters searched in all before the whole file is read instead (a few ms)


def _changed_rows(path: Path, blocks: list[str], header: list[str], columns: list[str]):
    """The rows of the pages whose lines in the previous file at `path` differ from `blocks`
    (each read page's lines, in order), as (previous rows, current rows); None when the file
    cannot be matched that way. A page's lines are one block in both, so a block found
    unchanged where the previous file has got to is skipped, and the text between two
    such blocks is what changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head = csv_lines([header])
    if not set(columns) <= set(header) or not text.startswith(head):
        return None
    position, count, searched = len(head), len(blocks), 0
    regions: list[str] = []
    changed: list[int] = []
    matched: list[int] = []
    i = 0
    while i < count:
        if text.startswith(blocks[i], position):
            matched.append(i)
            position += len(blocks[i])
            i += 1
            continue
        found, j = -1, i + 1
        while j < count and found < 0:
            if blocks[j]:
                found = text.find(blocks[j], position, position + _SEARCH_AHEAD)
                if found < 0:
                    searched += min(_SEARCH_AHEAD, len(text) - position)
                    if searched > max(2 * len(text), _SEARCH_BUDGET):
                        return None  # most pages changed: reading the whole file is quicker
                    j += 1
                elif text[found - 1] != "\n":
                    return None
            else:
                j += 1
        end = found if found >= 0 else len(text)
        regions.append(text[position:end])
        changed.extend(range(i, j))
        position, i = end, j
    regions.append(text[position:])
    old = _read_text(head + "".join(regions), columns)
    new = _read_text(head + "".join(blocks[n] for n in changed), columns)
    if old is None or new is None:
        return None
    pages = set(old["page"]) | set(new["page"])
    # a page with rows on both sides of a matched block: its matched rows count on both sides too
    also = [blocks[n] for n in matched if blocks[n] and _first_cell(blocks[n]) in pages]
    if also:
        same = _read_text(head + "".join(also), columns)
        if same is None:
            return None
        old, new = ({c: side[c] + same[c] for c in columns} for side in (old, new))
    return old, new


def _first_cell(block: str) -> str:
    if not block.startswith('"'):
        return block[: block.index(",")]
    return next(csv.reader(io.StringIO(block)))[0]


def compare(result, previous: Path) -> dict | None:
    """Changes against the outputs in `previous` (None when there is no previous run)."""
    findings_file = previous / "findings.json"
    if not findings_file.is_file():
        return None
    try:
        old = {f["fingerprint"]: f for f in loads(findings_file.read_bytes())["findings"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    now = {f.fingerprint: f for f in result.findings}
    changes: dict = {
        "previous": str(previous),
        "findings": {
            "new": sorted(fp for fp in now if fp not in old),
            "still_present": sorted(fp for fp in now if fp in old),
            "resolved": [old[fp] for fp in sorted(old) if fp not in now],
        },
        "drugs": [],
        "regimens": [],
        "mention_drops": [],
    }
    old_drugs, new_drugs = _tables(previous / "drug_mentions.csv", result, "drug_mentions", ["page", "generic", "text", "brands"])
    if old_drugs is not None:
        changes["drugs"] = _diff(_drug_pairs(old_drugs), _drug_pairs(new_drugs), "brands")
        old_counts, new_counts = Counter(old_drugs["page"]), Counter(new_drugs["page"])
        for page, before in sorted(old_counts.items()):
            after = new_counts.get(page, 0)
            if page in result.page_set and before - after >= 3 and after <= before * (1 - SHARP_DROP):
                changes["mention_drops"].append({"page": page, "before": int(before), "after": int(after)})
    old_regimens, new_regimens = _tables(previous / "regimen_mentions.csv", result, "regimen_mentions",
                                         ["page", "regimen", "name", "component_generics"])
    if old_regimens is not None:
        changes["regimens"] = _diff(_regimen_pairs(old_regimens), _regimen_pairs(new_regimens), "components")
    return changes


def summary_lines(changes: dict | None) -> list[str]:
    if not changes:
        return []
    f = changes["findings"]
    lines = [f"  since the previous run: {len(f['new'])} new, {len(f['still_present'])} still present, {len(f['resolved'])} resolved"]
    for kind in ("drugs", "regimens"):
        counts = defaultdict(int)
        for row in changes[kind]:
            counts[row["change"]] += 1
        if counts:
            lines.append(f"  {kind} on pages: " + ", ".join(f"{n} {c}" for c, n in sorted(counts.items())))
    for drop in changes["mention_drops"]:
        lines.append(f"  {drop['page']}: drug mentions fell from {drop['before']} to {drop['after']} (layout change?)")
    return lines
