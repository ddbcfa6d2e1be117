from __future__ import annotations

import re
from functools import cached_property

from .base import Rule, RuleContext

LISTED = ("list_item", "table_cell")
_GENERAL_HEADING = re.compile(r"\b(drugs?|medicines?|medications?|treatments?|options|at a glance)\b", re.I)


class TH001(Rule):
    """A drug under a therapy heading that does not match its class.

    Why it matters:
        Patients read headings to understand what kind of treatment a drug
        is. Pembrolizumab listed under "Chemotherapy" tells them it works
        like chemotherapy, with its side effects, which it does not.
    Bad:
        Chemotherapy: gemcitabine (Gemzar), cisplatin, pembrolizumab (Keytruda)
    Good:
        Chemotherapy: gemcitabine (Gemzar), cisplatin. Immunotherapy: pembrolizumab (Keytruda)
    How to fix:
        Move the drug under the heading of its class, or say in the text what
        kind of therapy it is. A sentence in the same section that names the
        drug's therapy ("...given with immunotherapy") is enough for rxqa.
        Only list items and table cells that start with the drug are checked,
        only a drug that is the exception in its list is reported, drugs of
        class "other" (tretinoin, arsenic trioxide, radiopharmaceuticals) are
        not checked, and the page title is not a heading here.
    """

    code = "TH001"
    name = "drug-under-wrong-heading"
    severity = "warning"
    message = "{text} is {drug_class}, listed under the heading {heading!r}"
    suggestion = "move {text} under a {drug_class} heading, or say in this section that it is {drug_class}"

    def check(self, ctx: RuleContext):
        ref = ctx.reference
        for page in ctx.pages:
            regimen_blocks = {r.where.block for r in page.regimens}
            sections = _Sections(ref, page)
            for m in page.drugs:
                drug_class = ref.drug_class(m.generic)
                if drug_class in ("", "other") or m.in_regimen or m.where.block in regimen_blocks:
                    continue
                if page.block_texts[m.where.block][2] not in LISTED or m.where.index > 0:
                    continue  # only an item that starts with the drug lists it under the heading
                title = page.heading_positions[0][1] if page.heading_positions else ""
                heading, allowed = self._heading(ref, m.where.heading_path, title)
                if allowed is None or "any" in allowed or drug_class in allowed:
                    continue
                if sections.said_nearby(m.where.block, drug_class):
                    continue
                if not sections.odd_one_out(m.where.block, allowed):
                    continue
                yield self.finding(m.where, m.text, url=page.url, drug_class=drug_class, heading=heading)

    @staticmethod
    def _heading(ref, path, title: str):
        """The innermost heading that names a therapy; the page title never counts."""
        for depth in range(len(path) - 1, -1, -1):
            if depth == 0 and path[0] == title:
                break
            classes = ref.section_classes(path[depth])
            if classes is not None:
                return path[depth], classes
            if _GENERAL_HEADING.search(path[depth]):
                break  # "Drugs used for bladder cancer at a glance" covers every kind of drug
        return "", None


class _Sections:
    """What TH001 asks of one page's blocks, each worked out once a page when first asked
    (asked for each misplaced item, a walk of its section and its list made a page of long
    lists quadratic)."""

    def __init__(self, ref, page):
        self.ref = ref
        self.texts = page.block_texts
        self.first_drug: dict[int, object] = {}
        for m in page.drugs:
            self.first_drug.setdefault(m.where.block, m)
        self.verdicts: dict[tuple[int, frozenset], bool] = {}  # a run's verdict: every item of a run shares it

    @cached_property
    def said(self) -> list[set[str]]:
        """Block by block, the drug classes the section has spoken of so far."""
        said: list[set[str]] = []
        for i, (path, text, _) in enumerate(self.texts):
            so_far = said[i - 1] if i and self.texts[i - 1][0] == path else set()
            classes = self.ref.section_classes(text)
            said.append(so_far | set(classes) if classes else so_far)
        return said

    @cached_property
    def run_starts(self) -> list[int]:
        """Where each block's run of blocks of one kind and section starts."""
        starts: list[int] = []
        for i, (path, _, kind) in enumerate(self.texts):
            starts.append(starts[i - 1] if i and self.texts[i - 1][2] == kind and self.texts[i - 1][0] == path else i)
        return starts

    def said_nearby(self, block: int, drug_class: str) -> bool:
        """Does any text of the section, up to the drug's own block, speak of its class?"""
        return drug_class in self.said[block] or "any" in self.said[block]

    def odd_one_out(self, block: int, allowed) -> bool:
        """Is the drug the exception in its list (the run of blocks of its kind and section)? A
        list that is mostly of another class says the heading is loose ("Chemotherapy and other
        drugs"), not that the drug is misplaced."""
        start = self.run_starts[block]
        key = (start, frozenset(allowed))
        if key not in self.verdicts:
            end = block
            while end + 1 < len(self.texts) and self.run_starts[end + 1] == start:
                end += 1
            first_drug, drug_class = self.first_drug, self.ref.drug_class
            classes = [drug_class(first_drug[i].generic) for i in range(start, end + 1) if i in first_drug and first_drug[i].where.index == 0]
            fits = sum(1 for c in classes if c in allowed)
            self.verdicts[key] = fits >= 2 and fits > len(classes) - fits
        return self.verdicts[key]
