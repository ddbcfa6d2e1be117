from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import waiver_where


class SC006(Rule):
    """A waiver past its expiry date: it no longer waives its finding.

    Why it matters:
        A dated waiver says "accept this until then". After that date the
        finding counts again, and the people who accepted it should look again.
    Bad:
        a waiver with `expires: 2025-01-31`, checked in 2026
    Good:
        a waiver renewed with a new date and reason, or the page fixed
    How to fix:
        Fix the page, or renew the waiver with a new expiry date and a reason
        that still holds.
    """

    code = "SC006"
    name = "expired-waiver"
    severity = "warning"
    message = "waiver at {file}:{line} ({text}) expired on {expires}; its finding counts again"
    suggestion = "fix the page, or renew the waiver with a new date"

    scope = "site"

    def check(self, ctx: RuleContext):
        for waiver in ctx.expired_waivers:
            yield self.finding(waiver_where(ctx, waiver), waiver.describe(), file=ctx.waiver_file, line=waiver.line, expires=waiver.expires)
