from __future__ import annotations

from collections import Counter, defaultdict

from ..textutil import normalise
from .base import Rule, RuleContext
from .helpers import spot, where_of


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

    scope = "site"

    def collect(self, page):
        return [[r.regimen, normalise(r.name), r.name, spot(r.where), page.url] for r in page.regimens if r.regimen]

    def check(self, ctx: RuleContext):
        names: dict[str, Counter] = defaultdict(Counter)
        first: dict[tuple[str, str], tuple] = {}
        for page, (regimen, key, name, at, url) in ctx.collected.get(self.code, ()):
            names[regimen][key] += 1
            first.setdefault((regimen, key), (page, name, at, url))
        for regimen, counts in names.items():
            if len(counts) < 2:
                continue
            majority = counts.most_common(1)[0][0]
            for key in counts:
                if key == majority:
                    continue
                page, name, at, url = first[(regimen, key)]
                others = sorted(first[(regimen, k)][1] for k in counts if k != key)
                yield self.finding(where_of(page, at), name, url=url, others=", ".join(others), majority=first[(regimen, majority)][1])
