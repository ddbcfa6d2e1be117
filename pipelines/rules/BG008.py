from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import brands_of, mentions

_COUNTRY = {"CA": (".ca",), "UK": (".uk",), "US": (".us", ".gov")}


def written_for_another_market(reference, page, market: str) -> bool:
    """A page whose address is another country's, or that names two or more brands
    unknown in the market, is written for another market: its brands are not errors."""
    host = page.url.split("//", 1)[-1].split("/", 1)[0].lower()
    if any(host.endswith(tld) for m, tlds in _COUNTRY.items() if m != market for tld in tlds):
        return True
    brands = {i.text.lower() for m in page.drugs for i in m.items if i.role == "brand"}
    brands |= {m.text.lower() for m in page.drugs if m.role == "brand"}
    foreign = [b for b in brands if not any(r.market == market for r in reference.brands_named(b))]
    return len(foreign) >= 2


class BG008(Rule):
    """A brand not marketed in the configured market, or discontinued.

    Why it matters:
        Readers look for the brand they are told about. A brand that was
        withdrawn (Wellferon) or that is sold under another name where the
        reader lives (Rituxan vs MabThera) sends them looking for nothing.
    Bad:
        interferon alfa (Wellferon)
    Good:
        interferon alfa (Intron A)
    How to fix:
        Use the brand marketed in the page's market (set with --market or
        [tool.rxqa] market), or drop the brand and keep the generic. A page
        written for another market (its address, or two or more brands from
        elsewhere) is only checked for discontinued brands.
    """

    code = "BG008"
    name = "brand-not-marketed"
    severity = "warning"
    message = "{text} {status}"

    @staticmethod
    def _alternatives(reference, drug: str, market: str) -> tuple[str, ...]:
        """Brands of the drug as the page names it and of its subtypes (Intron A stands in
        for Wellferon under "interferon alfa"), known in the market."""
        family = [d for d, row in reference.drugs.items() if drug in reference.lineage(d) and not row.base]
        return tuple(
            b for d in family for b in brands_of(reference, d, market)
            if not market or any(r.market == market for r in reference.brands_named(b))
        )

    def check(self, ctx: RuleContext):
        market = ctx.market
        alternatives_of: dict[str, tuple[str, ...]] = {}  # worked out once per drug
        foreign_pages = {page.page for page in ctx.pages if market and written_for_another_market(ctx.reference, page, market)}
        for page, m in mentions(ctx):
            named = [(m.where, m.text)] if m.role == "brand" else []
            named += [(i.where, i.text) for i in m.items if i.role == "brand"]
            for where, text in named:
                rows = ctx.reference.brands_named(text)
                if not rows:
                    continue
                here = [b for b in rows if b.market == market] if market else rows
                if here or not market:
                    if not all(b.status == "discontinued" for b in here):
                        continue  # sold here, or status unknown
                    status = f"is discontinued{' in ' + market if market else ''}"
                elif all(b.status == "discontinued" for b in rows):
                    status = "is discontinued"
                elif page.page in foreign_pages:
                    continue
                else:
                    status = f"is not sold under this name in {market}"
                drug = m.generic or rows[0].drug
                if drug not in alternatives_of:
                    alternatives_of[drug] = self._alternatives(ctx.reference, drug, market)
                alternatives = [b for b in alternatives_of[drug] if b.lower() != text.lower()]
                if status.startswith("is not sold") and not any(
                    r.market == market and r.status == "marketed" for b in alternatives for r in ctx.reference.brands_named(b)
                ):
                    continue  # only said when another brand of the drug is marketed in that market
                hint = f"in {market or 'this market'} {drug} is sold as {' or '.join(alternatives[:3])}" if alternatives else f"drop the brand and keep the generic {drug}"
                yield self.finding(where, text, url=page.url, status=status, suggestion=hint)
