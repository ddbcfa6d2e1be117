from __future__ import annotations

from ..extract.spans import Apart
from .base import Rule, RuleContext


class BG006(Rule):
    """A probable misspelling of a known generic or brand.

    Why it matters:
        A misspelt drug name cannot be searched, looks careless on a medical
        page, and may be mistaken for a different drug.
    Bad:
        capecitibine (Xeloda)
    Good:
        capecitabine (Xeloda)
    How to fix:
        Replace the word with the suggested spelling. If the word is a real
        drug rxqa does not know, add it to data/reference/drugs.csv.
    """

    code = "BG006"
    name = "misspelt-drug-name"
    severity = "warning"
    message = "{text} is not a known drug name; it looks like a misspelling of {name}"
    suggestion = "did you mean {name}?"

    def check(self, ctx: RuleContext):
        for page in ctx.pages:
            covered = Apart()
            candidates = [(s.where, s.text, s.suggestion) for s in page.suspects]
            candidates += [(i.where, i.text, i.suggestion) for m in page.drugs for i in m.items if i.suggestion is not None]
            candidates += [(c.where, c.text, c.suggestion) for r in page.regimens for c in r.components if c.suggestion is not None]
            for where, text, suggestion in candidates:
                if not covered.keep(where.offset, where.offset + len(text)):
                    continue  # the same word, seen as a suspect and as an item or component
                yield self.finding(where, text, url=page.url, name=suggestion.name)
