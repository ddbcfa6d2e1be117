"""HTML as published → blocks, with the source offset of every character.

Python's own tolerant HTML tokenizer (html.parser) is used because it reports
the source position of every tag, text run and character reference, which a
tree parser such as lexbor does not; character references are decoded here
so that each decoded character keeps the offset of its reference.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from .chrome import ChromeRules
from .model import TableCell, make_block

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {
    "p", "li", "dt", "dd", "td", "th", "tr", "table", "ul", "ol", "dl", "div", "section", "article", "main",
    "blockquote", "figcaption", "caption", "pre", "body", "figure", "details", "summary", "address", "hr",
} | set(HEADINGS)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
# Opening one of these closes an open element of the listed kinds (HTML's implied end tags).
IMPLIED_CLOSE = {
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
    "td": {"td", "th"}, "th": {"td", "th"}, "p": {"p"},
}
CLOSES_P = {"p", "ul", "ol", "dl", "table", "div", "section", "blockquote", "pre", "figure"} | set(HEADINGS) | {"li"}
_MAIN_HINT = re.compile(r"<(main|article)\b|\brole\s*=\s*[\"']?main\b", re.I)


class _PageParser(HTMLParser):
    def __init__(self, source: str, rules: ChromeRules, line_starts: list[int]):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.rules = rules
        self.line_starts = line_starts
        self.stack: list[str] = []
        self.skip_depth = 0  # >0 while inside a dropped element
        self.skip_stack: list[int] = []  # stack depths at which skipping started
        self.require_main = bool(_MAIN_HINT.search(source))
        self.main_depth: list[int] = []
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.offsets: list[int] = []
        self.headings: list[tuple[int, str]] = []
        self.url = ""
        self.title = ""
        self._in_title = False
        self.table_ids: list[int] = []
        self.table_count = 0
        self.row = -1
        self.col = -1
        self.headers: dict[int, dict[int, str]] = {}
        self.cell_is_header = False

    # positions -------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    # structure -------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "canonical" in attr.get("rel", "").lower() and not self.url:
            self.url = attr.get("href", "")
        if tag == "meta" and attr.get("property", "").lower() == "og:url" and not self.url:
            self.url = attr.get("content", "")
        if tag == "title":
            self._in_title = True
        if tag == "br":
            if self._active():
                self._flush()
            return
        if tag in VOID:
            return
        for closer in ([tag] if tag in IMPLIED_CLOSE else []):
            self._close_implied(IMPLIED_CLOSE[closer])
        if tag in CLOSES_P and "p" in self.stack[-3:]:
            self._close_implied({"p"})
        if tag in BLOCKS:
            self._flush()
        self.stack.append(tag)
        depth = len(self.stack)
        if self.skip_depth == 0 and self.rules.drops_element(tag, attr):
            self.skip_depth = depth
        if tag in ("main", "article") or attr.get("role", "").lower() == "main":
            self.main_depth.append(depth)
        if self.skip_depth:
            return
        if tag == "table":
            self.table_count += 1
            self.table_ids.append(self.table_count)
            self.headers[self.table_count] = {}
            self.row = -1
        elif tag == "tr":
            self.row += 1
            self.col = -1
        elif tag in ("td", "th"):
            span = attr.get("colspan", "1")
            self.col += 1
            self.cell_is_header = "thead" in self.stack or (tag == "th" and self.row == 0)
            self._colspan = int(span) if span.isdigit() and 0 < int(span) < 100 else 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag not in self.stack:
            return  # a stray end tag
        if tag in BLOCKS or tag in ("thead", "tbody"):
            self._flush()
        while self.stack:
            top = self.stack.pop()
            depth = len(self.stack) + 1
            if self.skip_depth and depth <= self.skip_depth:
                self.skip_depth = 0
            if self.main_depth and self.main_depth[-1] == depth:
                self.main_depth.pop()
            if top == "table" and self.table_ids:
                self.table_ids.pop()
            if top in ("td", "th") and getattr(self, "_colspan", 1) > 1:
                self.col += self._colspan - 1
                self._colspan = 1
            if top == tag:
                break

    def _close_implied(self, kinds: set[str]) -> None:
        # close only within the nearest list/table/definition container
        for i in range(len(self.stack) - 1, -1, -1):
            name = self.stack[i]
            if name in kinds:
                self.handle_endtag(name)
                return
            if name in ("ul", "ol", "table", "dl", "body", "tbody", "thead"):
                return

    # text --------------------------------------------------------------------
    def _active(self) -> bool:
        if self.skip_depth:
            return False
        if self.require_main and not self.main_depth:
            return False
        return "head" not in self.stack

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if not self._active() or self.stack and self.stack[-1] in ("script", "style"):
            return
        start = self._offset()
        self.buffer.append(data)
        self.offsets.extend(range(start, start + len(data)))

    def handle_entityref(self, name):
        self._reference(f"&{name};", f"&{name}")

    def handle_charref(self, name):
        self._reference(f"&#{name};", f"&#{name}")

    def _reference(self, with_semicolon: str, without: str) -> None:
        if self._in_title:
            self.title += unescape(with_semicolon)
        if not self._active():
            return
        start = self._offset()
        raw = with_semicolon if self.source.startswith(with_semicolon, start) else without
        text = unescape(raw)
        if text == raw:  # unknown reference: keep it as written
            text = raw
        self.buffer.append(text)
        self.offsets.extend([start] * len(text))

    def _flush(self) -> None:
        text = "".join(self.buffer)
        offsets = self.offsets
        self.buffer, self.offsets = [], []
        if not text.strip():
            return
        kind, level, cell = self._kind()
        if kind == "heading":
            clean = " ".join(text.split())
            self.headings = [h for h in self.headings if h[0] < level] + [(level, clean)]
            path = tuple(h for _, h in self.headings)
        else:
            path = tuple(h for _, h in self.headings)
        if cell is not None and self.cell_is_header:
            self.headers.setdefault(cell.table, {})[cell.column] = " ".join(text.split()).lower()
            return
        block = make_block(kind, text, offsets, path, level, cell)
        if block is not None:
            self.blocks.append(block)

    def _kind(self) -> tuple[str, int, TableCell | None]:
        for tag in reversed(self.stack):
            if tag in HEADINGS and "td" not in self.stack and "th" not in self.stack:
                return "heading", HEADINGS[tag], None
            if tag in ("td", "th") and self.table_ids:
                table = self.table_ids[-1]
                header = self.headers.get(table, {}).get(self.col, "")
                return "table_cell", 0, TableCell(table, self.row, self.col, header)
            if tag in ("li", "dd", "dt"):
                return "list_item", 0, None
            if tag in ("p", "blockquote", "caption", "figcaption", "pre"):
                break
        return "paragraph", 0, None


def parse_html(source: str, line_starts: list[int], rules: ChromeRules) -> tuple[list[Block], str, str]:
    """Return the article's blocks, the canonical URL and the title of an HTML page."""
    parser = _PageParser(source, rules, line_starts)
    parser.feed(source)
    parser.close()
    parser._flush()
    return parser.blocks, parser.url.strip(), " ".join(parser.title.split())
