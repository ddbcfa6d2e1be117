from __future__ import annotations

from collections import defaultdict

from ..textutil import normalise
from .base import Rule, RuleContext


class BG005(Rule):
    """One drug written with different name variants on a page.

    Why it matters:
        A reader who meets "5-fluorouracil", then "5-FU", then "fluorouracil"
        may think these are three drugs. One name, introduced once with its
        other names, reads better.
    Bad:
        FOLFOX – leucovorin, 5-fluorouracil and oxaliplatin ... 5-FU or capecitabine ... FOLFIRI – leucovorin, fluorouracil and irinotecan
    Good:
        FOLFOX – leucovorin, fluorouracil (5-FU) and oxaliplatin ... fluorouracil or capecitabine ... FOLFIRI – leucovorin, fluorouracil and irinotecan
    How to fix:
        Choose one name for the drug on the page (usually the generic),
        introduce the others once in parentheses, and use the chosen name after that.
    """

    code = "BG005"
    name = "name-variants-on-page"
    severity = "info"
    message = "{drug} is written as {variants} on this page"
    suggestion = "use one name for {drug} throughout the page (for example {first})"

    def check(self, ctx: RuleContext):
        for page in ctx.pages:
            variants: dict[str, dict[str, object]] = defaultdict(dict)
            for m in page.drugs:
                if m.role in ("generic", "synonym", "abbreviation") and m.generic:
                    variants[m.generic].setdefault(normalise(m.text), m)
            for drug, seen in variants.items():
                if len(seen) < 2:
                    continue
                written = [m.text for m in seen.values()]
                second = list(seen.values())[1]
                yield self.finding(second.where, second.text, url=page.url, drug=drug, variants=" / ".join(written), first=written[0])
