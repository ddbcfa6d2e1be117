"""Strip inline markup (Markdown emphasis and links, inline HTML, entities) keeping offsets."""
from __future__ import annotations

import re
from html import unescape

_TOKEN = re.compile(
    r"(?P<link>!?\[(?P<label>[^\]\n]{0,300})\]\([^)\n]{0,500}\))"
    r"|(?P<auto><(?:https?|mailto):[^>\s]{0,500}>)"
    r"|(?P<tag></?[a-zA-Z][^<>\n]{0,300}>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|~])"
    r"|(?P<marks>[*`~]+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9]))"
)
# a tag a browser breaks the line at: it stands between two words as a space does ("Taxol<br>paclitaxel")
_BREAKING_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|dl|dt|dd|td|th|tr|hr|h[1-6]|table|thead|tbody|tfoot|caption|blockquote|section|article|aside|header|"
    r"footer|nav|main|figure|figcaption|details|summary|pre)\b",
    re.I,
)
# the characters a token of _TOKEN can start with: most text holds none of them
_TOKEN_START = re.compile(r"[!\[<&\\*`~_]")


def _tokens(text: str, candidate: re.Match | None = None):
    """_TOKEN.finditer(text), tried only where a token can start: the regular expression engine
    skips ahead by itself only for an expression that starts with a literal or a set of
    characters, and _TOKEN starts with named groups, so finditer tries it at every character.
    `candidate`, when given, is _TOKEN_START's first match in `text`."""
    candidate = candidate or _TOKEN_START.search(text)
    while candidate is not None:
        at = candidate.start()
        m = _TOKEN.match(text, at)
        if m is not None:
            yield m
        candidate = _TOKEN_START.search(text, at + 1 if m is None else m.end())


def strip_inline(text: str, offsets: list[int], line_break: str = " ") -> tuple[str, list[int]]:
    """`text` without inline markup, and the offsets of the characters kept; a tag that breaks
    the line becomes a space (`line_break` for <br>), every character of it at the tag."""
    first = _TOKEN_START.search(text)
    if first is None:
        return text, offsets
    out: list[str] = []
    kept: list[int] = []
    pos = 0
    for m in _tokens(text, first):
        out.append(text[pos:m.start()])
        kept.extend(offsets[pos:m.start()])
        kind = m.lastgroup
        if m.group("link") is not None:
            start = m.start("label")
            label, label_offsets = strip_inline(m.group("label"), offsets[start:m.end("label")], line_break)
            out.append(label)
            kept.extend(label_offsets)
        elif kind == "entity":
            decoded = unescape(m.group())
            out.append(decoded)
            kept.extend([offsets[m.start()]] * len(decoded))
        elif kind == "escape":
            out.append(m.group()[1])
            kept.append(offsets[m.start() + 1])
        elif kind == "tag" and _BREAKING_TAG.match(m.group()):
            parted = line_break if m.group()[1:3].lower() == "br" else " "
            out.append(parted)
            kept.extend([offsets[m.start()]] * len(parted))
        pos = m.end()
    out.append(text[pos:])
    kept.extend(offsets[pos:])
    return "".join(out), kept
