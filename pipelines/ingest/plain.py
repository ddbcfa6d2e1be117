"""Plain-text exports → blocks: short title lines become headings, bullets list items."""
from __future__ import annotations

import re

from .model import Block, TableCell, make_block

BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[•·◦▪▫‣∙●○■□➢►✓\-*+–]|\d{1,3}[.)]|[a-zA-Z][.)])\s+(?=\S)")
_SENTENCE_END = (".", ":", ";", ",", "!", "?", "…")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|(?<=[^\s.!?:;,]) {2,}(?=\S)")
_SPACE_GAP = re.compile(r"(?<=[^\s.!?:;,]) {2,}(?=\S)")
_TABLE_RULE = re.compile(r"^[\s|:\-+=]+$")


def _is_heading(line: str, previous_blank: bool, next_blank: bool) -> bool:
    text = line.strip()
    if not text or len(text) > 70 or text.endswith(_SENTENCE_END):
        return False
    if BULLET.match(line) or "|" in text:
        return False
    if " \u2013 " in text or " - " in text or ": " in text or ("," in text and (" and " in text or " or " in text)):
        return False  # "FOLFOX – leucovorin, ..." is a list line, not a title
    words = text.split()
    if len(words) > 9 or not (text[0].isupper() or text[0].isdigit()):
        return False
    return next_blank


def _is_table_line(line: str) -> bool:
    """Pipe-, tab- or space-aligned columns ("sunitinib     Sutent     if ...")."""
    body = line.strip()
    return body.count("|") >= 2 or "\t" in body or (bool(_SPACE_GAP.search(body)) and not BULLET.match(line))


def parse_text(source: str, line_starts: list[int]) -> tuple[list[Block], str, str]:
    lines = source.split("\n")
    blocks: list[Block] = []
    headings: list[str] = []
    current: tuple[str, list[str], list[int]] | None = None  # kind, text parts, offsets
    table = 0
    table_row = -1
    table_headers: dict[int, str] = {}

    def flush():
        nonlocal current
        if current is not None:
            block = make_block(current[0], "".join(current[1]), current[2], tuple(headings))
            if block is not None:
                blocks.append(block)
        current = None

    for n, raw in enumerate(lines):
        line = raw.rstrip("\r")
        start = line_starts[n]
        stripped = line.strip()
        previous_blank = n == 0 or not lines[n - 1].strip()
        next_blank = n + 1 >= len(lines) or not lines[n + 1].strip()
        if not stripped:
            flush()
            table_row = -1
            continue
        if _is_table_line(line) and (
            (n + 1 < len(lines) and _is_table_line(lines[n + 1])) or (n and _is_table_line(lines[n - 1]))
        ):
            flush()
            if _TABLE_RULE.match(line):
                continue
            if table_row < 0:
                table += 1
                table_headers = {}
            table_row += 1
            for col, (cell, cell_start) in enumerate(_cells(line)):
                if table_row == 0:
                    table_headers[col] = cell.lower()
                    continue
                offsets = list(range(start + cell_start, start + cell_start + len(cell)))
                block = make_block("table_cell", cell, offsets, tuple(headings), 0, TableCell(table, table_row, col, table_headers.get(col, "")))
                if block is not None:
                    blocks.append(block)
            continue
        table_row = -1
        bullet = BULLET.match(line)
        if bullet:
            flush()
            body_start = bullet.end()
            current = ("list_item", [line[body_start:]], list(range(start + body_start, start + len(line))))
            continue
        if _is_heading(line, previous_blank, next_blank) and current is None:
            # A text export has no heading levels: every title line starts a new section.
            headings = [stripped]
            block = make_block("heading", line, list(range(start, start + len(line))), tuple(headings), 1)
            if block is not None:
                blocks.append(block)
            continue
        lead = len(line) - len(line.lstrip())
        if current is not None and (current[0] == "paragraph" or (current[0] == "list_item" and lead > 0)):
            current[1].append("\n" + line)
            current[2].extend(range(start - 1, start + len(line)))
            continue
        flush()
        current = ("paragraph", [line], list(range(start, start + len(line))))
    flush()
    return blocks, "", ""


def _cells(line: str) -> list[tuple[str, int]]:
    cells = []
    pos = 0
    body = line
    for m in _CELL_SPLIT.finditer(body):
        cells.append((body[pos:m.start()], pos))
        pos = m.end()
    cells.append((body[pos:], pos))
    out = []
    for text, at in cells:
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        out.append((text, at + lead))
    # a leading/trailing pipe yields empty edge cells
    if out and not out[0][0] and line.lstrip().startswith("|"):
        out = out[1:]
    if out and not out[-1][0] and line.rstrip().endswith("|"):
        out = out[:-1]
    return out
