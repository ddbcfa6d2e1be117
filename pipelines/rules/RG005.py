from __future__ import annotations

from collections import Counter, defaultdict

from ..textutil import normalise
from .base import Rule, RuleContext
from .helpers import regimens


class RG005(Rule):
    """One regimen called by different aliases across the corpus.

    Why it matters:
        Readers moving between pages meet CAPOX on one and XELOX on another
        and may think they are different treatments.
    Bad:
        page a: CAPOX; page b: XELOX
    Good:
        page a: CAPOX; page b: CAPOX (also called XELOX)
    How to fix:
        Pick one name for the site (the most used is suggested) and mention
        the other once as "also called".
    """

    code = "RG005"
    name = "regimen-alias-inconsistent"
    severity = "info"
    message = "{text} is also written as {others} on other pages"
    suggestion = "use {majority} across the site"

    def check(self, ctx: RuleContext):
        names: dict[str, Counter] = defaultdict(Counter)
        first: dict[tuple[str, str], tuple] = {}
        for page, r in regimens(ctx):
            if not r.regimen:
                continue
            key = normalise(r.name)
            names[r.regimen][key] += 1
            first.setdefault((r.regimen, key), (page, r))
        for regimen, counts in names.items():
            if len(counts) < 2:
                continue
            majority = counts.most_common(1)[0][0]
            for key in counts:
                if key == majority:
                    continue
                page, r = first[(regimen, key)]
                others = sorted(first[(regimen, k)][1].name for k in counts if k != key)
                yield self.finding(r.where, r.name, url=page.url, others=", ".join(others), majority=first[(regimen, majority)][1].name)
