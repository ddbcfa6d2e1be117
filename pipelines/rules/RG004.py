from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import regimens


class RG004(Rule):
    """A regimen component that is not a known drug.

    Why it matters:
        Every component of a regimen should be a drug a reader can look up.
        An unknown word in the list is a typo, a drug missing from the
        reference, or text that slipped into the list.
    Bad:
        FOLFOX – leucovorin, fluorouracil and oxalipin
    Good:
        FOLFOX – leucovorin, fluorouracil and oxaliplatin
    How to fix:
        Correct the name, or add the drug to data/reference/drugs.csv with its source.
    """

    code = "RG004"
    name = "unknown-component"
    severity = "warning"
    message = "{text}, listed in {regimen}, is not a drug rxqa knows"
    suggestion = "check the spelling of {text}"

    def check(self, ctx: RuleContext):
        for page, r in regimens(ctx):
            for c in r.components:
                if not c.drug and c.suggestion is None:
                    yield self.finding(c.where, c.text, url=page.url, regimen=r.name)
