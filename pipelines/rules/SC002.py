from __future__ import annotations

from .base import Rule, RuleContext


class SC002(Rule):
    """The reference breaks its schema: the run stops.

    Why it matters:
        Every finding is only as right as the reference. A duplicate brand, a
        regimen component that is no drug or a brand that is also a generic
        would turn into wrong findings on every page, so rxqa refuses to run.
    Bad:
        brands.csv: Xeloda,capecitabine,CA,... and Xeloda,oxaliplatin,CA,...
    Good:
        one drug per brand and market; every component a row of drugs.csv
    How to fix:
        Run `rxqa reference check`; it lists every broken line as
        `file:line: what is wrong`. Correct those rows.
    """

    code = "SC002"
    name = "reference-schema"
    severity = "error"
    message = "{text}"

    scope = "site"

    def check(self, ctx: RuleContext):
        # The reference is validated while it loads (pipelines/reference/load.py): a
        # broken one raises ReferenceInvalid and the run ends with exit 2, so a
        # reference that reaches the rules has no SC002 left to report.
        return iter(())
