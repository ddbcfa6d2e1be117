from __future__ import annotations

from .base import Rule, RuleContext


class SC004(Rule):
    """A page with treatment headings yields no drug mention at all.

    Why it matters:
        A "Chemotherapy" section that names no drug usually means the page
        layout changed (a list moved into a widget, an export dropped it) and
        extraction silently found nothing: a check that sees nothing passes.
    Bad:
        Chemotherapy — several paragraphs about chemotherapy, no drug named
    Good:
        Chemotherapy — ... cisplatin and etoposide ...
    How to fix:
        Look at the page as published: restore the missing list, or if the
        page is meant to name no drug, waive this finding.
    """

    code = "SC004"
    name = "treatment-page-without-drugs"
    severity = "warning"
    message = "the page has the treatment heading {text!r} but rxqa found no drug on it"
    suggestion = "check that the drug list was not lost from the page"

    def check(self, ctx: RuleContext):
        for page in ctx.pages:
            if page.drugs or page.regimens:
                continue
            for where, heading in page.heading_positions:
                classes = ctx.reference.section_classes(heading)
                if classes and "any" not in classes:
                    yield self.finding(where, heading, url=page.url)
                    break
