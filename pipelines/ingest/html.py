"""HTML as published → blocks, with the source offset of every character.

lexbor (through selectolax) parses the page as a browser would; each text node
is then found in the page as stored, in document order, so every character
keeps its source offset. Character references are handled by searching a copy
of the source in which they are decoded, with a map back to the raw offsets.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape

from ..textutil import remember
from .chrome import ChromeRules
from .model import Block, TableCell, make_block

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {
    "p", "li", "dt", "dd", "td", "th", "tr", "table", "ul", "ol", "dl", "div", "section", "article", "main",
    "blockquote", "figcaption", "caption", "pre", "body", "figure", "details", "summary", "address", "hr",
    "thead", "tbody", "tfoot", "br", "aside", "header", "footer", "nav", "form",
} | set(HEADINGS)
SKIPPED = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "-comment", "_comment", "!doctype"}
# lexbor matches rel case-insensitively (HTML's rule for that attribute) and property exactly; role is
# matched in any case ("i"), as browsers read it and as the walk does
_LANDMARKS = 'link[rel="canonical"], meta[property="og:url"], title, main, article, [role=main i], h1'
_CONTEXT_TAGS = {"td", "th", "li", "dt", "dd", "p", "blockquote", "caption", "figcaption", "pre", "thead"}
# elements whose end the walk acts on (a block, a context, an accordion toggle); for the rest
# (a, span, em, img, ...) no end marker is stacked, unless they are main (role=main)
_ENDS_MATTER = BLOCKS | _CONTEXT_TAGS | {"button", "summary"}
_CONTEXTS = set(HEADINGS) | _CONTEXT_TAGS  # elements that decide the kind of the blocks inside them
_TABLE_TAGS = {"table", "tr", "td", "th"}
_NO_ATTRIBUTES: dict[str, str] = {}  # never written to
# a character reference, or a character the parser does not keep as it is (CR, NUL)
_REFERENCE = r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
_EVENT = re.compile(_REFERENCE + r"|\r\n?|\x00")
# the references alone, for a page with neither CR nor NUL (nearly all): a pattern that starts with
# one literal character is searched for ten times faster than one that starts with any of three
_ONLY_REFERENCES = re.compile(_REFERENCE)


class _Source:
    """The page as stored, a decoded copy to search in, and the way back.

    The way back is a list of segments of the decoded copy, each either a run of
    characters copied from the source (offset = the run's raw start + distance into
    it) or what one character reference decoded to (every character at the '&')."""

    def __init__(self, source: str):
        self.raw = source
        parts: list[str] = []
        starts: list[int] = []  # where each segment starts in the decoded copy
        raws: list[int] = []  # and in the source
        flat: list[bool] = []  # a decoded reference
        length = 0
        pos = 0

        def segment(raw: int, text: str, is_reference: bool = False) -> None:
            nonlocal length
            if text:
                starts.append(length)
                raws.append(raw)
                flat.append(is_reference)
                parts.append(text)
                length += len(text)

        events = _EVENT if "\r" in source or "\x00" in source else _ONLY_REFERENCES
        for m in events.finditer(source):
            event = m.group()
            if event[0] == "&":
                decoded = _decoded_reference(event)
                if decoded == event:
                    continue  # not a reference after all: plain text
                segment(pos, source[pos:m.start()])
                segment(m.start(), decoded, True)
                pos = m.end()
                continue
            # the parser reads CRLF and CR as one line break, and drops NUL characters
            segment(pos, source[pos:m.start()])
            if event == "\r\n":
                pos = m.start() + 1  # the line feed stands for both
            elif event == "\r":
                segment(m.start(), "\n")
                pos = m.end()
            else:
                pos = m.end()
        segment(pos, source[pos:])
        self.decoded = "".join(parts)
        self._starts, self._raws, self._flat = starts, raws, flat
        self.cursor = 0
        self.after = 0  # the source offset just after the text last located

    def raw_at(self, i: int) -> int:
        """The source offset of the decoded copy's character i."""
        k = bisect_right(self._starts, i) - 1
        if k < 0:
            return 0
        return self._raws[k] if self._flat[k] else self._raws[k] + i - self._starts[k]

    def offsets(self, start: int, end: int):
        """Source offsets of the decoded copy's characters start..end."""
        starts = self._starts
        k = bisect_right(starts, start) - 1
        if k + 1 >= len(starts) or end <= starts[k + 1]:  # within one segment, as most text is
            raw = self._raws[k]
            return [raw] * (end - start) if self._flat[k] else range(raw + start - starts[k], raw + end - starts[k])
        found: list[int] = []
        while start < end:
            stop = min(end, starts[k + 1]) if k + 1 < len(starts) else end
            raw = self._raws[k]
            found.extend([raw] * (stop - start) if self._flat[k] else range(raw + start - starts[k], raw + stop - starts[k]))
            start = stop
            k += 1
        return found

    def locate(self, text: str):
        """Raw offsets of a text node's characters; the next occurrence outside any tag."""
        pos = self.cursor
        while True:
            at = self.decoded.find(text, pos)
            if at < 0:
                return self._approximate(text)
            raw = self.raw_at(at)
            lt = self.raw.rfind("<", 0, raw)
            gt = self.raw.rfind(">", 0, raw)
            if lt <= gt or raw == 0:
                self.cursor = at + len(text)
                found = self.offsets(at, self.cursor)
                self.after = found[-1] + 1
                return found
            close = self.raw.find(">", raw)  # inside a tag or comment: look after it
            if close < 0:
                return self._approximate(text)
            pos = self._decoded_at(close + 1, at + 1)

    def _decoded_at(self, raw_offset: int, start: int) -> int:
        """The first character from `start` on whose source offset is at least `raw_offset`
        (segments start at increasing source offsets)."""
        k = bisect_right(self._raws, raw_offset) - 1
        if k < 0:
            return start
        length = (self._starts[k + 1] if k + 1 < len(self._starts) else len(self.decoded)) - self._starts[k]
        if self._flat[k]:
            i = self._starts[k] if self._raws[k] == raw_offset else self._starts[k] + length
        else:
            i = self._starts[k] + min(raw_offset - self._raws[k], length)
        return max(i, start)

    def _approximate(self, text: str) -> list[int]:
        # text the parser made up (it is not in the source): point at the cursor
        base = self.raw_at(min(self.cursor, len(self.decoded) - 1)) if self.decoded else 0
        return [base] * len(text)


_DECODED: dict[str, str] = {}  # pages use the same few references


def _decoded_reference(reference: str) -> str:
    decoded = _DECODED.get(reference)
    if decoded is None:
        decoded = unescape(reference)
        remember(_DECODED, reference, decoded)
    return decoded


def _is_main(tag: str, role: str | None) -> bool:
    """Whether an element holds the article: <main>, <article> or role=main (in any case)."""
    return tag in ("main", "article") or (role or "").lower() == "main"


def _is_toggle(tag: str, attrs: dict[str, str]) -> bool:
    if tag == "summary":
        return True
    return tag == "button" and any(a in attrs for a in ("aria-expanded", "aria-controls", "data-toggle", "data-bs-toggle"))


class _Walker:
    def __init__(self, source: str, rules: ChromeRules, article: set[int] = frozenset()):
        self.source = _Source(source)
        self.rules = rules
        self.article = article  # mem_ids of the article's landmarks and their ancestors
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.offsets: list[int] = []
        self.blank = True  # the buffer holds nothing but whitespace
        self.heading_levels: list[tuple[int, str, bool]] = []  # open headings: level, text, is an accordion title
        self.heading_path: tuple[str, ...] = ()  # their texts, the path every block carries
        self.context: list[str] = []  # open elements that decide a block's kind
        self.tables: list[dict] = []  # per open table: id, row, col, headers, header_row

    def walk(self, root, require_main: bool, holders: set[int] = frozenset()) -> None:
        """Walk the tree from root. With `require_main`, only text inside main/article counts,
        so a subtree outside them that holds none of them (`holders`: their mem_ids and
        their ancestors') is skipped whole."""
        # entries: a node to enter, or a (tag, is_main, colspan) tuple to leave one
        stack: list = [root]
        pop = stack.pop
        table_count = 0
        inside_main = 0
        context, tables = self.context, self.tables
        buffer, offsets, source = self.buffer, self.offsets, self.source
        locate, flush, drops_element, article = source.locate, self.flush, self.rules.drops_element, self.article
        while stack:
            node = pop()
            if node.__class__ is tuple:
                tag, is_main, span = node
                if buffer and (tag in BLOCKS or (tag == "button" and context and context[-1] == "button")):
                    flush()
                if is_main:
                    inside_main -= 1
                if context and context[-1] == tag:
                    context.pop()
                if tables:
                    if span:
                        tables[-1]["col"] += span - 1
                    if tag == "table":
                        tables.pop()
                continue
            tag = node.tag
            if tag == "-text":
                if require_main and inside_main <= 0:
                    continue
                text = node.text_content
                if not text:
                    continue
                if text.isspace():
                    # whitespace between elements, about half the text nodes: whitespace collapses to one
                    # space (make_block), which keeps the offset of the last whitespace character before
                    # the next word, so one space with that offset stands for the whole run
                    buffer.append(" ")
                    offsets.append(source.after)
                else:
                    buffer.append(text)
                    offsets.extend(locate(text))
                    self.blank = False
                continue
            if tag is None or tag in SKIPPED or tag[:1] == "!":  # a processing instruction (<?php ... ?>) has no tag
                continue
            if require_main and inside_main <= 0 and node.mem_id not in holders:
                continue
            attributes = node.attributes
            attrs = {k.lower(): (v or "") for k, v in attributes.items()} if attributes else _NO_ATTRIBUTES
            if drops_element(tag, attrs) and node.mem_id not in article:
                if buffer:
                    flush()
                continue  # chrome; but a wrapper holding the article ("layout--sidebar") is not
            if buffer and tag in BLOCKS:
                flush()
            if tag == "br":
                continue
            is_main = _is_main(tag, attrs.get("role"))
            if is_main:
                inside_main += 1
            span = 0
            if tag in _TABLE_TAGS:
                if tag == "table":
                    table_count += 1
                    tables.append({"id": table_count, "row": -1, "col": -1, "headers": {}})
                elif tables:
                    table = tables[-1]
                    if tag == "tr":
                        table["row"] += 1
                        table["col"] = -1
                    else:
                        table["col"] += 1
                        below = table.get("below")
                        if below:  # a column a cell above spans down into is not this cell's
                            while below.get(table["col"], -1) >= table["row"]:
                                table["col"] += 1
                        table["header_cell"] = tag == "th" and table["row"] == 0 or "thead" in context
                        colspan = attrs.get("colspan", "1")
                        span = int(colspan) if colspan.isdigit() and 1 < int(colspan) < 100 else 0
                        rowspan = attrs.get("rowspan", "1")
                        table["rows"] = int(rowspan) if rowspan.isdigit() and 1 < int(rowspan) < 100 else 1
                        if table["rows"] > 1:
                            last = table["row"] + table["rows"] - 1
                            table.setdefault("below", {}).update(dict.fromkeys(range(table["col"], table["col"] + max(span, 1)), last))
            if tag in _CONTEXTS:
                context.append(tag)
            elif _is_toggle(tag, attrs) and not any(t in HEADINGS for t in context):
                # an accordion's title (<summary>, <button aria-expanded>) heads the panel it opens
                flush()
                context.append(tag)
            if is_main or tag in _ENDS_MATTER:
                stack.append((tag, is_main, span))
            children = list(node.iter(include_text=True))
            if children:
                children.reverse()
                stack.extend(children)

    def flush(self) -> None:
        if self.blank:
            self.buffer.clear()
            self.offsets.clear()
            return
        text, offsets = "".join(self.buffer), self.offsets[:]
        self.buffer.clear()
        self.offsets.clear()
        self.blank = True
        kind, level, cell = self._kind()
        if kind == "heading":
            clean = " ".join(text.split())
            toggle = self.context[-1] in ("summary", "button") if self.context else False
            self.heading_levels = [h for h in self.heading_levels if h[0] < level] + [(level, clean, toggle)]
            self.heading_path = tuple(text for _, text, _ in self.heading_levels)
        if cell is not None and self.tables and self.tables[-1].get("header_cell"):
            self.tables[-1]["headers"][cell.column] = " ".join(text.split()).lower()
            return
        block = make_block(kind, text, offsets, self.heading_path, level, cell)
        if block is not None:
            self.blocks.append(block)

    def _kind(self) -> tuple[str, int, TableCell | None]:
        for tag in reversed(self.context):
            if tag in HEADINGS and "td" not in self.context and "th" not in self.context:
                return "heading", HEADINGS[tag], None
            if tag in ("summary", "button"):
                real = [level for level, _, toggle in self.heading_levels if not toggle]
                return "heading", min((real[-1] if real else 1) + 1, 6), None
            if tag in ("td", "th") and self.tables:
                table = self.tables[-1]
                header = table["headers"].get(table["col"], "")
                return "table_cell", 0, TableCell(table["id"], table["row"], table["col"], header, table.get("rows", 1))
            if tag in ("li", "dd", "dt"):
                return "list_item", 0, None
            if tag in ("p", "blockquote", "caption", "figcaption", "pre"):
                break
        return "paragraph", 0, None


def _add_with_ancestors(node, seen: set[int]) -> None:
    """Add the mem_ids of a node and its ancestors (up to one already there)."""
    while node is not None and node.mem_id not in seen:
        seen.add(node.mem_id)
        node = node.parent


def parse_html(source: str, rules: ChromeRules, headings: list[tuple[int, str]] = ()) -> tuple[list[Block], str, str]:
    """Return the article's blocks, the canonical URL and the title of an HTML page; `headings`
    (level, text) are open before it starts (raw HTML in a Markdown page, under its headings)."""
    from selectolax.lexbor import LexborHTMLParser  # here: a rerun's own process reads no page and never imports it

    tree = LexborHTMLParser(source)
    canonical = og_url = title = None
    mains = []
    article = set()  # elements that are, or hold, the article's main, article or h1: never dropped as chrome
    for node in tree.css(_LANDMARKS):  # one pass over the tree, in document order
        tag = node.tag
        attributes = node.attributes
        if tag == "link":
            if canonical is None and (attributes.get("rel") or "").lower() == "canonical" and attributes.get("href"):
                canonical = attributes["href"]
            continue
        if tag == "meta":
            if og_url is None and attributes.get("property") == "og:url" and attributes.get("content"):
                og_url = attributes["content"]
            continue
        if tag == "title":
            if title is None:
                title = " ".join(node.text().split())
            continue
        if _is_main(tag, attributes.get("role")):
            mains.append(node)
        _add_with_ancestors(node, article)
    holders: set[int] = set()
    for node in mains:
        _add_with_ancestors(node, holders)
    walker = _Walker(source, rules, article)
    if headings:
        walker.heading_levels = [(level, text, False) for level, text in headings]
        walker.heading_path = tuple(text for _, text in headings)
    if tree.body is not None:
        walker.walk(tree.body, bool(holders), holders)
    walker.flush()
    return walker.blocks, (canonical or og_url or "").strip(), title or ""
