from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import mentions


class BG003(Rule):
    """An abbreviation, synonym or generic mixed into a list of brands.

    Why it matters:
        In "(Adrucil, 5-FU)" the reader cannot tell which names are brands and
        which are other names for the drug; 5-FU looks like a product name.
    Bad:
        5-fluorouracil (Adrucil, 5-FU)
    Good:
        5-fluorouracil (also called 5-FU; brand name Adrucil)
    How to fix:
        Keep the parenthesis for brands, and introduce other names with
        "also called", or move them out of the brand list.
    """

    code = "BG003"
    name = "other-name-in-brand-list"
    severity = "warning"
    message = "{text} is {kind} of {drug}, listed among its brands"
    suggestion = "write {head} (also called {text}) and keep only brands in the brand list"

    def check(self, ctx: RuleContext):
        for page, m in mentions(ctx):
            brands = [i for i in m.items if not i.introduced and (i.role == "brand" or (i.role == "unknown" and i.suggestion is None))]
            if not brands:
                continue
            for item in m.items:
                if item.introduced or item.role not in ("synonym", "abbreviation", "generic"):
                    continue
                if item.drug and m.drug and not ctx.reference.related(item.drug, m.drug):
                    continue  # a name of another drug: BG001
                kind = {"synonym": "another name", "abbreviation": "an abbreviation", "generic": "the generic name"}[item.role]
                yield self.finding(item.where, item.text, url=page.url, kind=kind, drug=item.drug, head=m.text)
