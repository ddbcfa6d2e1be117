"""Markdown → blocks. markdown-it-py finds the block structure and the source
lines of each block; inline markup is stripped with offsets kept. Raw HTML written
as a block of its own (a table, a <div> of text) is read as an HTML page's body is."""
from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from functools import lru_cache

from .chrome import ChromeRules
from .inline import strip_inline
from .model import Block, TableCell, make_block

FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?\r?\n)\1[ \t]*(\r?\n|\Z)", re.S)


@lru_cache(maxsize=1)
def load_parser():
    """markdown-it's block parser, made on first use (or by a worker getting ready): a rerun's
    own process reads no page and never imports it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable("inline")  # inline markup is stripped by strip_inline


def split_front_matter(source: str) -> tuple[dict, str]:
    """Parse YAML (---) or TOML (+++) front matter and blank it out (newlines kept, so lines stay put)."""
    m = FRONT_MATTER.match(source)
    if not m:
        return {}, source
    import yaml  # here: only a page with YAML front matter needs it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the build has it
    try:
        meta = yaml.load(m.group(2), Loader=loader) if m.group(1) == "---" else tomllib.loads(m.group(2))
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        meta = None
    blanked = re.sub(r"[^\n]", " ", m.group())
    return (meta if isinstance(meta, dict) else {}), blanked + source[m.end():]


def parse_markdown(source: str, line_starts: list[int], rules: ChromeRules) -> tuple[list[Block], str, str]:
    meta, body = split_front_matter(source)
    # markdown-it treats a carriage return as a line break; rxqa counts lines by \n only,
    # so a CR becomes a space (same length: every offset stays put)
    body = body.replace("\r", " ").replace("\x00", "\ufffd")  # markdown-it turns NUL into U+FFFD
    lines = body.split("\n")
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    context: list[str] = []
    table = 0
    row = -1
    col = -1
    in_thead = False
    headers: dict[int, str] = {}
    row_line = 0
    row_cursor = 0
    tokens = load_parser().parse(body)
    html_run_end = -1
    for i, token in enumerate(tokens):
        kind = token.type
        if kind.endswith("_open"):
            context.append(kind[:-5])
            if kind == "table_open":
                table += 1
                row = -1
                headers = {}
            elif kind == "thead_open":
                in_thead = True
            elif kind == "tbody_open":
                in_thead = False
            elif kind == "tr_open":
                row += 1
                col = -1
                row_line = token.map[0] if token.map else row_line
                row_cursor = 0
            elif kind in ("th_open", "td_open"):
                col += 1
            continue
        if kind.endswith("_close"):
            if context:
                context.pop()
            continue
        if kind == "html_block" and i > html_run_end:
            # blocks of raw HTML with only blank lines between them are one fragment (a table written with
            # blank lines between its parts is one table to a browser)
            html_run_end = i
            while html_run_end + 1 < len(tokens) and tokens[html_run_end + 1].type == "html_block":
                html_run_end += 1
            found, headings, table = _html_blocks(tokens[i:html_run_end + 1], lines, line_starts, rules, headings, table, "list_item" in context)
            blocks.extend(found)
            continue
        if kind != "inline" or not token.map:
            continue
        if "th" in context or "td" in context:
            raw, offsets, row_cursor = _locate_cell(token.content, lines, line_starts, row_line, row_cursor)
            if in_thead:
                headers[col] = " ".join(raw.split()).lower()
                continue
            text, offsets = strip_inline(raw, offsets, line_break="; ")  # "Taxotere<br>Docefrez": two names
            block = make_block("table_cell", text, offsets, tuple(h for _, h in headings), 0, TableCell(table, row, col, headers.get(col, "")))
        else:
            raw, offsets = _locate(token.content, lines, line_starts, token.map[0])
            text, offsets = strip_inline(raw, offsets)
            parent = tokens[i - 1].type if i else ""
            if parent == "heading_open":
                level = int(tokens[i - 1].tag[1])
                clean = " ".join(text.split())
                headings = _opened(headings, level, clean)
                block = make_block("heading", text, offsets, tuple(h for _, h in headings), level)
            else:
                kind_name = "list_item" if "list_item" in context else "paragraph"
                block = make_block(kind_name, text, offsets, tuple(h for _, h in headings))
        if block is not None:
            blocks.append(block)
    url = str(meta.get("url") or meta.get("canonical") or meta.get("permalink") or "")
    return blocks, url, str(meta.get("title") or "")


def _opened(headings: list[tuple[int, str]], level: int, text: str) -> list[tuple[int, str]]:
    """The open headings (level, text) once a heading of `level` opens: it closes those at its level and below."""
    return [h for h in headings if h[0] < level] + [(level, text)]


def _html_blocks(run: list, lines: list[str], line_starts: list[int], rules: ChromeRules, headings: list[tuple[int, str]],
                 tables: int, in_list: bool) -> tuple[list[Block], list[tuple[int, str]], int]:
    """The blocks of a run of raw HTML blocks (markdown-it's tokens, their list and quote
    markers already taken off), read as one fragment under the Markdown's headings (its own
    headings carry on after it), placed at the characters they came from, its tables numbered
    after the Markdown's, its paragraphs list items inside a list item; and the headings and
    the number of tables after it."""
    from .html import parse_html  # only for a page that has such a block

    parts: list[str] = []
    where: list[int] = []  # the source offset of each character of the fragment
    for token in run:
        text, offsets = _locate(token.content.rstrip("\n"), lines, line_starts, token.map[0])
        if not text:
            continue
        if parts:
            parts.append("\n")
            where.append(offsets[0])
        parts.append(text)
        where.extend(offsets)
    if not where:
        return [], headings, tables
    found, _, _ = parse_html("".join(parts), rules, headings)
    placed: list[Block] = []
    most = tables
    for block in found:
        if block.kind == "heading":
            headings = _opened(headings, block.level, block.text)
        cell = block.cell
        if cell is not None:
            cell = replace(cell, table=tables + cell.table)
            most = max(most, cell.table)
        kind = "list_item" if in_list and block.kind == "paragraph" else block.kind
        offsets = [where[min(offset, len(where) - 1)] for offset in block.offsets]
        placed.append(Block(kind, block.text, offsets, block.heading_path, block.level, cell))
    return placed, headings, most


def _locate(content: str, lines: list[str], line_starts: list[int], first_line: int) -> tuple[str, list[int]]:
    """Find each line of an inline token's content in the source lines it came from."""
    text: list[str] = []
    offsets: list[int] = []
    line_no = first_line
    for k, part in enumerate(content.split("\n")):
        if k:
            text.append("\n")
            offsets.append(offsets[-1] + 1 if offsets else line_starts[min(line_no, len(line_starts) - 1)])
        while line_no < len(lines) and part.strip() and part not in lines[line_no]:
            line_no += 1
        if line_no >= len(lines):
            line_no = first_line  # not found: fall back to the block's first line
            col = 0
        else:
            col = max(lines[line_no].find(part), 0)
        base = line_starts[min(line_no, len(line_starts) - 1)] + col
        text.append(part)
        offsets.extend(range(base, base + len(part)))
        line_no += 1
    return "".join(text), offsets


def _locate_cell(content: str, lines: list[str], line_starts: list[int], line_no: int, cursor: int) -> tuple[str, list[int], int]:
    line = lines[line_no] if line_no < len(lines) else ""
    col = line.find(content, cursor) if content else -1
    if col < 0:
        col = cursor
    base = line_starts[min(line_no, len(line_starts) - 1)] + col
    return content, list(range(base, base + len(content))), col + len(content)
