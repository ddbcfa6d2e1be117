from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import mentions


class BG007(Rule):
    """Brand style: a brand written in lower case, or with ® or ™ in running text.

    Why it matters:
        Brands are proper names: "herceptin" looks like a generic, and ® or ™
        signs in patient text add noise and are not needed outside labelling.
    Bad:
        trastuzumab (herceptin); capecitabine (Xeloda®)
    Good:
        trastuzumab (Herceptin); capecitabine (Xeloda)
    How to fix:
        Write the brand as its maker does, with a capital, and drop the sign.
    """

    code = "BG007"
    name = "brand-style"
    severity = "info"
    message = "{text} {problem}"
    suggestion = "write {proper}"

    def check(self, ctx: RuleContext):
        for page, m in mentions(ctx):
            named = [(m.where, m.text, m.trademark)] if m.role == "brand" else []
            named += [(i.where, i.text, i.trademark) for i in m.items if i.role == "brand"]
            for where, text, trademark in named:
                brands = ctx.reference.brands_named(text)
                proper = brands[0].brand if brands else text
                if text.islower() and not proper.islower():
                    yield self.finding(where, text, url=page.url, problem="is a brand written in lower case", proper=proper)
                elif trademark:
                    yield self.finding(where, text, url=page.url, problem="carries a ® or ™ sign in running text", proper=proper)
