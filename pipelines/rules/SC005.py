from __future__ import annotations

from .base import Rule, RuleContext
from .helpers import waiver_where


class SC005(Rule):
    """A waiver that matches no finding.

    Why it matters:
        Exceptions rot: the page was fixed or rewritten, and the waiver now
        waits to hide a future, different problem. A waiver should end when its
        finding does.
    Bad:
        data/waivers.yaml keeps a waiver for a BG002 on a page that no longer has it
    Good:
        every waiver in data/waivers.yaml matches a finding of the current run
    How to fix:
        Delete the waiver (the finding is gone), or correct its fingerprint,
        code, page or text if the page moved.
    """

    code = "SC005"
    name = "unused-waiver"
    severity = "warning"
    message = "waiver at {file}:{line} ({text}) matches no finding"
    suggestion = "remove the waiver, or correct it if the page moved"

    scope = "site"

    def check(self, ctx: RuleContext):
        for waiver in ctx.unused_waivers:
            yield self.finding(waiver_where(ctx, waiver), waiver.describe(), file=ctx.waiver_file, line=waiver.line)
