"""What extraction finds on a page: drug mentions, regimen mentions and suspect names."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..link import Suggestion

ROLES = ("generic", "brand", "synonym", "abbreviation", "unknown")


@dataclass(slots=True)
class Where:
    """Where a piece of text sits: page, section, source offset, line and column."""

    page: str
    section: str
    heading_path: tuple[str, ...]
    offset: int
    line: int
    column: int
    block: int  # index of the block on its page
    index: int = 0  # character index in the block's text


@dataclass(slots=True)
class Item:
    """One name inside a mention's parenthesis (or a drug table's brand cell)."""

    text: str
    where: Where
    role: str  # brand, generic, synonym, abbreviation, unknown
    drug: str = ""  # the reference drug this name belongs to ("" when unknown)
    introduced: bool = False  # written after "also called" / "also known as"
    trademark: bool = False  # written with ® or ™
    suggestion: Suggestion | None = None


@dataclass(slots=True)
class DrugMention:
    where: Where
    text: str  # the name as written
    role: str
    drug: str  # the reference drug the written name belongs to
    generic: str  # the generic the mention links to (for "Brand (generic)", the generic in parentheses)
    drug_class: str = ""
    items: list[Item] = field(default_factory=list)
    in_regimen: bool = False
    trademark: bool = False
    span: tuple[int, int] = (0, 0)  # start, end in the block text (of the name, without its parenthesis)
    suggestion: Suggestion | None = None

    @property
    def brands(self) -> list[Item]:
        return [i for i in self.items if i.role == "brand" or (i.role == "unknown" and not i.introduced)]

    @property
    def other_names(self) -> list[Item]:
        return [i for i in self.items if i.role in ("synonym", "abbreviation", "generic") or (i.role == "unknown" and i.introduced)]


@dataclass(slots=True)
class Component:
    text: str
    where: Where
    drug: str  # "" when the component is not a known drug
    optional: bool = False
    suggestion: Suggestion | None = None
    sequel: bool = False  # written after "then" / "followed by"


@dataclass(slots=True)
class RegimenMention:
    where: Where
    name: str  # as written
    regimen: str  # the reference regimen ("" when unknown or ambiguous)
    candidates: tuple[str, ...] = ()  # reference regimens the name can mean
    components: list[Component] = field(default_factory=list)
    addons: list[Component] = field(default_factory=list)
    listed: bool = False  # the page lists the components
    suggestion: Suggestion | None = None


@dataclass(slots=True)
class Suspect:
    """A word in running text that looks like a misspelt drug or brand."""

    where: Where
    text: str
    suggestion: Suggestion


@dataclass(slots=True)
class PageExtraction:
    page: str
    url: str
    drugs: list[DrugMention] = field(default_factory=list)
    regimens: list[RegimenMention] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)
    heading_positions: list[tuple[Where, str]] = field(default_factory=list)
    block_texts: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)  # heading path, text, block kind
