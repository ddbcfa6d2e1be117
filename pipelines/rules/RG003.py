from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import regimens


class RG003(Rule):
    """An unknown or ambiguous regimen name.

    Why it matters:
        A regimen name the reference does not know is often a misspelling
        (FOLFOXX) or a local nickname; a name that means different regimens in
        different cancers (TC, EC, GC) cannot be checked until it is clear.
    Bad:
        FOLFOXX – leucovorin, fluorouracil and oxaliplatin
    Good:
        FOLFOX – leucovorin, fluorouracil and oxaliplatin
    How to fix:
        Use the standard name (the suggestion gives the nearest known one). For
        an ambiguous name, list the drugs so the meaning is clear. A real
        regimen the reference lacks belongs in data/reference/regimens.csv.
    """

    code = "RG003"
    name = "unknown-regimen"
    severity = "warning"
    message = "{text} {problem}"

    def check(self, ctx: RuleContext):
        ref = ctx.reference
        for page, r in regimens(ctx):
            if r.regimen:
                continue
            if r.candidates:
                meanings = "; ".join(f"{k} ({ref.regimens[k].describe()})" for k in r.candidates)
                yield self.finding(r.where, r.name, url=page.url, problem="is ambiguous: it can mean " + meanings,
                                   suggestion="list the drugs, or use an unambiguous name")
                continue
            hint = f"did you mean {r.suggestion.name}?" if r.suggestion else "check the name; add the regimen to the reference if it is real"
            yield self.finding(r.where, r.name, url=page.url, problem="is not a regimen rxqa knows", suggestion=hint)
