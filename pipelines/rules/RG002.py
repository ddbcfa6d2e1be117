from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import regimens


class RG002(Rule):
    """A regimen listing a component outside its definition.

    Why it matters:
        An extra drug in a named regimen ("ABVD ... and cyclophosphamide")
        misstates what the patient will receive. Add-ons the reference allows
        (FOLFOX plus bevacizumab) and drugs written as optional ("with or
        without") are not reported.
    Bad:
        ABVD – doxorubicin, bleomycin, vinblastine, dacarbazine and cyclophosphamide
    Good:
        ABVD – doxorubicin, bleomycin, vinblastine and dacarbazine
    How to fix:
        Remove the drug, or if it is a real add-on, say so ("FOLFOX plus
        bevacizumab") and add it to the regimen's addons in data/reference/regimens.csv.
    """

    code = "RG002"
    name = "regimen-extra-component"
    severity = "error"
    message = "{text} is not part of {regimen}"
    suggestion = "{regimen} is {definition}; remove {text} or name it as an add-on"

    def check(self, ctx: RuleContext):
        ref = ctx.reference
        for page, r in regimens(ctx):
            if not r.regimen or not r.listed:
                continue
            regimen = ref.regimens[r.regimen]
            allowed = regimen.allowed_names
            for c in r.components:
                if not c.drug or c.optional or any(ref.related(c.drug, d) for d in allowed):
                    continue
                severity = "warning" if ref.drug_class(c.drug) == "supportive" else None
                yield self.finding(c.where, c.text, url=page.url, severity=severity, regimen=r.name, definition=regimen.describe())
