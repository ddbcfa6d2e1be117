"""What every QA rule is: a code, a kebab-case name, a severity, message templates
and a docstring with fixed sections, checked when the class is defined."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Iterable

from ..extract.model import PageExtraction, Where
from ..findings import SEVERITIES, Finding
from ..ingest.model import PageProblem
from ..link import Linker
from ..reference.model import Reference

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is made (tables.frame), not at start-up

    from ..cell_verdicts import CellVerdicts

CODE = re.compile(r"^(SC|BG|RG|TH)\d{3}$")
NAME = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
SECTIONS = ("Why it matters", "Bad", "Good", "How to fix")
REGISTRY: dict[str, type["Rule"]] = {}


class RuleDefinitionError(TypeError):
    pass


@dataclass
class RuleContext:
    """Everything a rule may read: the reference, the extracted pages and tables, the settings."""

    reference: Reference
    linker: Linker
    pages: list[PageExtraction]
    problems: list[PageProblem] = field(default_factory=list)
    drug_table: pd.DataFrame | None = None  # the rows "rows" rules check (see Rule.scope)
    regimen_table: pd.DataFrame | None = None
    market: str = ""
    waiver_file: str = ""
    unused_waivers: list = field(default_factory=list)
    expired_waivers: list = field(default_factory=list)
    collected: dict[str, list] = field(default_factory=dict)  # site rule code → [(page, record), ...] in page order
    verdicts: CellVerdicts | None = None  # where SC001 notes what it found each cell value to be (pipelines/cell_verdicts.py)


def parse_docstring(doc: str) -> dict[str, str]:
    """Split a rule docstring into its summary and named sections."""
    lines = [l.rstrip() for l in (doc or "").strip().splitlines()]
    parts: dict[str, list[str]] = {"summary": []}
    current = "summary"
    for line in lines:
        heading = line.strip().rstrip(":")
        if line.strip().endswith(":") and heading in SECTIONS:
            current = heading
            parts[current] = []
            continue
        parts[current].append(line)
    return {k: _dedent("\n".join(v)).strip() for k, v in parts.items()}


def _dedent(text: str) -> str:
    return textwrap.dedent(text)


class Rule:
    """Base class: subclasses register themselves under their code."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    message: ClassVar[str] = ""
    suggestion: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    # "page": checks one page at a time, where the page is read; "site": checks the whole
    # run, from the records `collect` gathers on each page (or from the files); "rows": checks
    # each row of the tables on its own, so a rerun checks only the rows of pages it has not
    # checked before (ctx.drug_table and ctx.regimen_table hold those rows)
    scope: ClassVar[str] = "page"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not CODE.match(cls.code):
            raise RuleDefinitionError(f"{cls.__name__}: code {cls.code!r} must look like BG001")
        if cls.code in REGISTRY:
            raise RuleDefinitionError(f"{cls.__name__}: code {cls.code} is already taken by {REGISTRY[cls.code].__name__}")
        if not NAME.match(cls.name):
            raise RuleDefinitionError(f"{cls.code}: name {cls.name!r} must be kebab-case")
        if cls.scope not in ("page", "site", "rows"):
            raise RuleDefinitionError(f"{cls.code}: scope {cls.scope!r} must be page, site or rows")
        if cls.severity not in SEVERITIES:
            raise RuleDefinitionError(f"{cls.code}: severity {cls.severity!r} must be one of {SEVERITIES}")
        sections = parse_docstring(cls.__doc__ or "")
        missing = [s for s in ("summary", *SECTIONS) if not sections.get(s)]
        if missing:
            raise RuleDefinitionError(f"{cls.code}: docstring lacks {', '.join(missing)}")
        REGISTRY[cls.code] = cls

    @classmethod
    def docs(cls) -> dict[str, str]:
        return parse_docstring(cls.__doc__ or "")

    @classmethod
    def prepare(cls) -> None:
        """Set up now what the first `check` would (imports, compiled schemas), so that it
        can be done while the pages are still being read."""

    @classmethod
    def table_columns(cls) -> dict[str, list[str]] | None:
        """For a rule of scope "rows": the columns of each table it reads (None: all of them),
        so that the tables it is given need only those parsed."""
        return None

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def answer(self, ctx: RuleContext, pages: list[tuple[str, str]]) -> list[Finding] | None:
        """For a rule of scope "rows": its findings on the rows of `pages` (each page's drug and
        regimen CSV lines) without checking them, when it knows them already; else None."""
        return None

    def collect(self, page: PageExtraction) -> list:
        """A site rule's records from one page (plain JSON values), read by `check` from ctx.collected."""
        return []

    def finding(self, where: Where, text: str, *, url: str = "", severity: str | None = None, suggestion: str | None = None, **values) -> Finding:
        """A finding at `where`, its message (and suggestion, unless given) filled from the rule's templates."""
        message = self.message.format(text=text, **values)
        if suggestion is None:
            suggestion = self.suggestion.format(text=text, **values) if self.suggestion else ""
        return Finding(
            code=self.code, name=self.name, severity=severity or self.severity, page=where.page,
            line=where.line, column=where.column, text=text, message=message, suggestion=suggestion,
            section=where.section, url=url, block=where.block, index=where.index,
        )
