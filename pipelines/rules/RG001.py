from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import regimens


def slot_filled(reference, slot, given) -> bool:
    return any(reference.related(g, d) for g in given for d in slot)


class RG001(Rule):
    """A regimen missing a standard component.

    Why it matters:
        A regimen is defined by its drugs. A FOLFIRI that lists only
        leucovorin and fluorouracil describes a different treatment, and a
        patient comparing the page with their treatment plan will be confused.
    Bad:
        FOLFIRI – leucovorin and fluorouracil
    Good:
        FOLFIRI – leucovorin, fluorouracil and irinotecan
    How to fix:
        Add the missing drug to the list. If the page describes a documented
        variant without that drug, use the variant's own name (AVD, not ABVD).
    """

    code = "RG001"
    name = "regimen-missing-component"
    severity = "error"
    message = "{text} is listed without {missing}"
    suggestion = "{text} is {definition}"

    def check(self, ctx: RuleContext):
        ref = ctx.reference
        for page, r in regimens(ctx):
            if not r.regimen or not r.listed:
                continue
            given = {c.drug for c in r.components if c.drug}
            if len(given) < 2:
                continue
            regimen = ref.regimens[r.regimen]
            missing = [" or ".join(slot) for slot in regimen.slots if not slot_filled(ref, slot, given)]
            if missing:
                yield self.finding(r.where, r.name, url=page.url, missing=" and ".join(missing), definition=regimen.describe())
