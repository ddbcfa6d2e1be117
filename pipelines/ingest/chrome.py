"""Page chrome: the site around the article, dropped before anything is checked."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigInvalid
from ..textutil import remember
from .model import Block

DEFAULT_CHROME_FILE = Path(__file__).resolve().parents[2] / "data" / "chrome.yaml"
# The page's frame: a class such as "layout--sidebar" on <body> says nothing about the content.
_NEVER_DROPPED = {"html", "body", "main", "article"}
_TEASER_LINK = re.compile(r"(?i)^(read|learn|see|find out) more\b")
# a pattern that refers to its groups (a backreference, a named group, a condition on a group) would
# fail or change meaning joined with others, whose groups come first: it is searched on its own
_REFERS_TO_GROUPS = re.compile(r"\\[1-9]|\\g<|\(\?P[<=>]|\(\?<(?![=!])|\(\?\(")


@dataclass(frozen=True)
class Selector:
    """One simple CSS selector: tag, .class, #id, tag.class, [attr], [attr=v], [attr*=v]."""

    tag: str = ""
    classes: tuple[str, ...] = ()
    ident: str = ""
    attr: str = ""
    op: str = ""
    value: str = ""

    _PATTERN = re.compile(
        r"^(?P<tag>[a-zA-Z][\w-]*)?(?P<classes>(?:\.[\w-]+)*)(?:#(?P<id>[\w-]+))?"
        r"(?:\[(?P<attr>[\w-]+)(?:(?P<op>\*?=)['\"]?(?P<value>[^'\"\]]*)['\"]?)?\])?$"
    )

    @classmethod
    def parse(cls, text: str) -> "Selector":
        m = cls._PATTERN.match(text.strip())
        if not m or not text.strip():
            raise ValueError(f"unsupported chrome selector {text!r} (use tag, .class, #id, [attr], [attr=value] or [attr*=value])")
        classes = tuple(c for c in (m["classes"] or "").split(".") if c)
        return cls((m["tag"] or "").lower(), classes, m["id"] or "", (m["attr"] or "").lower(), m["op"] or "", (m["value"] or "").lower())

    def matches(self, tag: str, attrs: dict[str, str]) -> bool:
        if self.tag and self.tag != tag:
            return False
        if self.classes:
            have = set(attrs.get("class", "").lower().split())
            if not set(c.lower() for c in self.classes) <= have:
                return False
        if self.ident and attrs.get("id", "").lower() != self.ident.lower():
            return False
        if self.attr:
            if self.attr not in attrs:
                return False
            value = (attrs.get(self.attr) or "").lower()
            if self.op == "=" and value != self.value:
                return False
            if self.op == "*=" and self.value not in value:
                return False
        return True


@dataclass
class ChromeRules:
    lines: list[re.Pattern] = field(default_factory=list)
    sections: list[re.Pattern] = field(default_factory=list)
    selectors: list[Selector] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path = DEFAULT_CHROME_FILE, extra_lines=(), extra_sections=(), extra_selectors=()) -> "ChromeRules":
        """The rules of a chrome file with the settings' own; ConfigInvalid when they cannot be used
        (no page can be read then: the run stops, wherever the rules are first loaded)."""
        import yaml  # here: a rerun's own process reads no page and never needs the rules

        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            return cls(
                lines=[re.compile(p) for p in [*data.get("lines", []), *extra_lines]],
                sections=[re.compile(p) for p in [*data.get("sections", []), *extra_sections]],
                selectors=[Selector.parse(s) for s in [*data.get("selectors", []), *extra_selectors]],
            )
        except (OSError, UnicodeDecodeError, yaml.YAMLError, re.error, ValueError, AttributeError, TypeError) as exc:
            raise ConfigInvalid(f"{path}: the chrome rules cannot be used ({' '.join(str(exc).split())})") from None

    def __post_init__(self) -> None:
        # one anchored match and one search per block instead of one search per pattern
        lines, self._lines_alone = _joined(self.lines)
        anchored = [p for p in lines if p.pattern.removeprefix("(?i)").startswith("^")]
        self._line_starts = union(anchored)
        self._line_anywhere = union([p for p in lines if p not in anchored])
        sections, self._sections_alone = _joined(self.sections)
        self._any_section = union(sections)
        # tag-only selectors become a set; the rest are grouped by the attribute they test
        self._tags = {s.tag for s in self.selectors if s.tag and not (s.classes or s.ident or s.attr)}
        self._by_attr: dict[str, list[Selector]] = {}
        self._verdicts: dict[tuple, bool] = {}
        self._line_verdicts: dict[str, bool] = {}
        self._section_verdicts: dict[str, bool] = {}
        self._other = [s for s in self.selectors if s.tag not in self._tags or s.classes or s.ident or s.attr]
        # the attributes any selector reads: the others (href, src, ...) do not change a verdict
        self._read_attrs = {"class", "id"} | {s.attr for s in self.selectors if s.attr}
        for s in self._other:
            key = s.attr or ("class" if s.classes else "id" if s.ident else "")
            self._by_attr.setdefault(key, []).append(s)

    def drops_element(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag in _NEVER_DROPPED:
            return False
        if tag in self._tags:
            return True
        # a site repeats the same few elements on every page: each is judged once
        key = (tag, *[item for item in attrs.items() if item[0] in self._read_attrs]) if attrs else (tag,)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._matches_other(tag, attrs)
            remember(self._verdicts, key, verdict)
        return verdict

    def _matches_other(self, tag: str, attrs: dict[str, str]) -> bool:
        if any(s.matches(tag, attrs) for s in self._by_attr.get("", ())):
            return True
        return any(s.matches(tag, attrs) for name in attrs for s in self._by_attr.get(name, ()))

    def is_chrome_line(self, text: str) -> bool:
        # the same lines (a site's boilerplate, a heading shared by many pages) recur: each is judged once
        verdict = self._line_verdicts.get(text)
        if verdict is None:
            verdict = self._judge_line(text.strip())
            remember(self._line_verdicts, text, verdict)
        return verdict

    def _judge_line(self, text: str) -> bool:
        if self._line_starts is not None and self._line_starts.match(text):
            return True
        if self._line_anywhere is not None and self._line_anywhere.search(text):
            return True
        return any(p.search(text) for p in self._lines_alone)

    def starts_chrome_section(self, heading: str) -> bool:
        verdict = self._section_verdicts.get(heading)
        if verdict is None:
            title = heading.strip().rstrip(":")
            verdict = bool(self._any_section is not None and self._any_section.search(title)) or any(p.search(title) for p in self._sections_alone)
            remember(self._section_verdicts, heading, verdict)
        return verdict


def check_pattern(pattern: str) -> None:
    """Raise re.error unless `pattern` can be a chrome line or section pattern: it compiles, and
    joins the others (union) unless it refers to its groups and is searched on its own."""
    compiled = re.compile(pattern)
    if not _REFERS_TO_GROUPS.search(pattern):
        union([compiled])


def _joined(patterns: list[re.Pattern]) -> tuple[list[re.Pattern], list[re.Pattern]]:
    """(the patterns union may join, those searched on their own)."""
    alone = [p for p in patterns if _REFERS_TO_GROUPS.search(p.pattern)]
    return [p for p in patterns if p not in alone], alone


def union(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One pattern that matches where any of them does (each keeps its own flags)."""
    if not patterns:
        return None
    cases = {p.flags & re.IGNORECASE for p in patterns}
    if len(cases) == 1:  # one flag for all: searched about twice as fast as groups with flags of their own
        return re.compile("|".join(f"(?:{p.pattern.removeprefix('(?i)')})" for p in patterns), cases.pop())
    parts = []
    for p in patterns:
        flags = "i" if p.flags & re.IGNORECASE else ""
        source = p.pattern.removeprefix("(?i)")
        parts.append(f"(?{flags}:{source})" if flags else f"(?:{source})")
    return re.compile("|".join(parts))


def drop_chrome(blocks: list[Block], rules: ChromeRules) -> list[Block]:
    """Remove chrome lines, chrome sections and teaser titles from a page's blocks."""
    kept: list[Block] = []
    skipping_level: int | None = None
    for block in blocks:
        if block.kind == "heading" and not rules.is_chrome_line(block.text):
            if skipping_level is not None and block.level <= skipping_level:
                skipping_level = None
            if skipping_level is None and rules.starts_chrome_section(block.text):
                skipping_level = block.level
        if skipping_level is not None:
            continue
        if rules.is_chrome_line(block.text):
            if _TEASER_LINK.match(block.text.strip()) and kept and _looks_like_teaser_title(kept[-1]):
                kept.pop()
            continue
        kept.append(block)
    return kept


def _looks_like_teaser_title(block: Block) -> bool:
    text = block.text.strip()
    return block.kind in ("heading", "paragraph") and len(text) <= 90 and not text.endswith((".", ":", ";"))
