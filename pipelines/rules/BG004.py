from __future__ import annotations

from collections import Counter, defaultdict

from ..textutil import normalise
from .base import Rule, RuleContext
from .helpers import spot, where_of


class BG004(Rule):
    """The same brand paired with different generics across the corpus.

    Why it matters:
        When one page says "capecitabine (Capetab)" and another
        "oxaliplatin (Capetab)", at least one of them is wrong. For brands the
        reference knows, BG001 already says which; this rule catches the
        brands it does not know, by comparing the pages with each other.
    Bad:
        page a: capecitabine (Capetab); page b: oxaliplatin (Capetab)
    Good:
        page a: capecitabine (Capetab); page b: capecitabine (Capetab)
    How to fix:
        Find out which drug the brand belongs to, correct the other pages, and
        add the brand to data/reference/brands.csv.
    """

    code = "BG004"
    name = "brand-paired-inconsistently"
    severity = "error"
    message = "{text} is paired with {head} here but with {others} elsewhere ({pages})"
    suggestion = "pair {text} with one drug everywhere; most pages say {majority}"

    scope = "site"

    def collect(self, page):
        return [
            [normalise(item.text), m.generic, item.text, spot(item.where), page.url]
            for m in page.drugs if m.generic
            for item in m.items
            if item.role == "unknown" and not item.introduced and item.suggestion is None
        ]

    def check(self, ctx: RuleContext):
        uses: dict[str, list] = defaultdict(list)
        for page, (key, generic, text, at, url) in ctx.collected.get(self.code, ()):
            uses[key].append((page, generic, text, at, url))
        for group in uses.values():
            generics = Counter(generic for _, generic, _, _, _ in group)
            if len(generics) < 2:
                continue
            majority = generics.most_common(1)[0][0]
            pages_of: dict[str, set[str]] = defaultdict(set)
            for page, generic, _, _, _ in group:
                pages_of[generic].add(page)
            elsewhere: dict[str, str] = {}  # a generic → the pages pairing the brand otherwise (once a generic, not once a use)
            for page, generic, text, at, url in group:
                if generic == majority and generics[majority] > 1:
                    continue
                others = sorted(g for g in generics if g != generic)
                if generic not in elsewhere:
                    elsewhere[generic] = ", ".join(sorted(set().union(*(pages_of[g] for g in others))))[:200]
                yield self.finding(where_of(page, at), text, url=url, head=generic, others=" and ".join(others), pages=elsewhere[generic],
                                   majority=majority)
