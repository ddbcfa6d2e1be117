"""Ingest: content files → documents (blocks with heading paths and source positions)."""
from __future__ import annotations

import os

from .chrome import ChromeRules, drop_chrome
from .decode import DEFAULT_MAX_BYTES, decode
from .html import parse_html
from .markdown import load_parser as load_markdown_parser, parse_markdown
from .model import Block, Document, PageProblem, TableCell
from .plain import parse_text

FORMATS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".txt": "text", ".text": "text",
}

__all__ = ["Block", "ChromeRules", "Document", "PageProblem", "TableCell", "FORMATS", "load_bytes", "load_markdown_parser", "page_from_bytes",
           "read_page", "parse_source"]


def parse_source(page: str, source: str, fmt: str, rules: ChromeRules, path: str = "") -> Document:
    """Parse already-decoded text of one page into a document, chrome removed."""
    doc = Document(page=page, path=path or page, fmt=fmt, source=source)
    starts = doc._line_starts
    if fmt == "html":
        blocks, url, title = parse_html(source, rules)
    elif fmt == "markdown":
        blocks, url, title = parse_markdown(source, starts, rules)
    else:
        blocks, url, title = parse_text(source, starts)
    doc.blocks = drop_chrome(blocks, rules)
    doc.url, doc.title = url, title
    return doc


def load_bytes(path: str | os.PathLike, page: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, PageProblem | None]:
    """A page's bytes, or why they cannot be had (never raises for a bad file)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:  # its size is asked only then: no stat for the pages within the limit
                size = os.fstat(handle.fileno()).st_size  # 0 for a device or a /proc file, which has no size
                return None, PageProblem(page, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit" if size > max_bytes else
                                         f"file is over the {max_bytes:,}-byte limit")
            return data, None
    except OSError as exc:
        return None, PageProblem(page, f"cannot be read: {exc.strerror or exc}")


def page_from_bytes(data: bytes, path: str | os.PathLike, page: str, rules: ChromeRules, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document | None, PageProblem | None]:
    """Decode and parse one page's bytes; a page that cannot be read becomes a problem."""
    path = os.fspath(path)
    fmt = FORMATS.get(os.path.splitext(path)[1].lower(), "text")
    decoded = decode(data, max_bytes, html=fmt == "html")
    if decoded.text is None:
        return None, PageProblem(page, decoded.problem)
    try:
        doc = parse_source(page, decoded.text, fmt, rules, path)
    except RecursionError:
        return None, PageProblem(page, "markup nested too deeply to parse")
    problem = PageProblem(page, decoded.note, "info", readable=True) if decoded.note else None
    return doc, problem


def read_page(path: str | os.PathLike, page: str, rules: ChromeRules, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document | None, PageProblem | None]:
    """Read one content file. Never raises on bad content: a problem is returned instead."""
    data, problem = load_bytes(path, page, max_bytes)
    if data is None:
        return None, problem
    return page_from_bytes(data, path, page, rules, max_bytes)
