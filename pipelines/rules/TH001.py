from __future__ import annotations

import re

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
            first_drug = {}
            for m in page.drugs:
                first_drug.setdefault(m.where.block, m)
            said: list[set[str]] = []  # made when first needed: what the page has said of classes, block by block
            runs: list[int] = []  # made when first needed: where each block's run of blocks of one kind and section starts
            odd: dict[tuple[int, frozenset], bool] = {}  # a run's verdict: every item of a run shares it
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
                if self._said_nearby(ref, page, m.where.block, drug_class, said):
                    continue
                if not self._odd_one_out(ref, page, m.where.block, allowed, first_drug, runs, odd):
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

    @staticmethod
    def _odd_one_out(ref, page, block: int, allowed, first_drug, runs: list[int], verdicts: dict) -> bool:
        """Is the drug the exception in its list? A list that is mostly of another class
        says the heading is loose ("Chemotherapy and other drugs"), not that the drug is misplaced.
        The list is the run of blocks of the drug's kind and section around it (`runs`: where
        each block's run starts, made once a page); its verdict is kept in `verdicts` for the run's other items."""
        texts = page.block_texts
        if not runs:
            for i, (path, _, kind) in enumerate(texts):
                runs.append(runs[i - 1] if i and texts[i - 1][2] == kind and texts[i - 1][0] == path else i)
        path, _, kind = texts[block]
        start = runs[block]
        key = (start, frozenset(allowed))
        if key not in verdicts:
            end = block
            while end + 1 < len(texts) and texts[end + 1][2] == kind and texts[end + 1][0] == path:
                end += 1
            classes = [ref.drug_class(first_drug[i].generic) for i in range(start, end + 1) if i in first_drug and first_drug[i].where.index == 0]
            fits = sum(1 for c in classes if c in allowed)
            verdicts[key] = fits >= 2 and fits > len(classes) - fits
        return verdicts[key]

    @staticmethod
    def _said_nearby(ref, page, block: int, drug_class: str, said: list[set[str]]) -> bool:
        """Does any text of the section, up to the drug's own block, speak of its class? `said`
        holds, block by block, the classes the section has spoken of so far (made once a page)."""
        if not said:
            for i, (path, text, _) in enumerate(page.block_texts):
                so_far = said[i - 1] if i and page.block_texts[i - 1][0] == path else set()
                classes = ref.section_classes(text)
                said.append(so_far | set(classes) if classes else so_far)
        return drug_class in said[block] or "any" in said[block]
