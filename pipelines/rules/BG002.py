from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import brands_of, mentions


class BG002(Rule):
    """An unknown name in brand position.

    Why it matters:
        A name in a drug's parentheses reads as its brand. If the reference
        does not know it, it may be a typo, a brand from another country, a
        product that was renamed, or simply wrong.
    Bad:
        capecitabine (Capecitor)
    Good:
        capecitabine (Xeloda)
    How to fix:
        Check the brand against the product monograph. If it is right, add it
        to data/reference/brands.csv with its source; if not, correct it.
    """

    code = "BG002"
    name = "unknown-brand"
    severity = "warning"
    message = "{text} is not a brand rxqa knows for {head}"

    def check(self, ctx: RuleContext):
        for page, m in mentions(ctx):
            if m.role == "unknown":
                continue
            for item in m.items:
                if item.role != "unknown" or item.introduced or item.suggestion is not None:
                    continue
                own = brands_of(ctx.reference, m.generic, ctx.market)
                hint = f"known brands of {m.generic}: {', '.join(own[:4])}" if own else f"no brand of {m.generic} is known; check the product monograph"
                yield self.finding(item.where, item.text, url=page.url, head=m.generic or m.text, suggestion=hint)
