from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import brands_of, mentions


class BG001(Rule):
    """A brand (or another name) paired with a generic it does not belong to.

    Why it matters:
        A patient who reads "oxaliplatin (Xeloda)" will look for the wrong
        medicine on their prescription label, and may doubt the whole page.
    Bad:
        oxaliplatin (Xeloda)
    Good:
        oxaliplatin (Eloxatin)
    How to fix:
        Pair the brand with its own generic, or name the brand of the generic
        the sentence is about. A brand of a different formulation (Doxil is
        liposomal doxorubicin) is reported as a warning: name that formulation.
    """

    code = "BG001"
    name = "brand-of-other-generic"
    severity = "error"
    message = "{text} is {kind} {owner}, not of {head}"

    def check(self, ctx: RuleContext):
        ref = ctx.reference
        for page, m in mentions(ctx):
            if m.role == "unknown" or not m.drug:
                continue
            for item in m.items:
                if item.role == "unknown" or not item.drug:
                    continue
                if m.role == "brand":
                    if item.role != "brand" and not ref.related(item.drug, m.drug):
                        yield self.finding(m.where, m.text, url=page.url, kind="the brand of", owner=m.drug, head=item.drug,
                                           suggestion=self._own_brands(ctx, item.drug, m.text, m.drug))
                    continue
                if ref.related(item.drug, m.drug):
                    continue
                kind = "the brand of" if item.role == "brand" else "a name of"
                base = ref.drugs[item.drug].base
                if base and ref.related(base, m.drug):
                    yield self.finding(item.where, item.text, url=page.url, severity="warning", kind=kind,
                                       owner=f"{item.drug} (a different product)", head=f"plain {m.drug}",
                                       suggestion=f"write {item.drug} ({item.text}), or drop {item.text}")
                    continue
                yield self.finding(item.where, item.text, url=page.url, kind=kind, owner=item.drug, head=m.drug,
                                   suggestion=self._own_brands(ctx, m.drug, item.text, item.drug))

    @staticmethod
    def _own_brands(ctx: RuleContext, drug: str, wrong: str, owner: str) -> str:
        own = brands_of(ctx.reference, drug, ctx.market)
        if own:
            return f"the brand of {drug} is {' or '.join(own[:3])}; {wrong} belongs with {owner}"
        return f"pair {wrong} with {owner}, or remove it"
