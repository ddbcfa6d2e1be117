from __future__ import annotations

from ..extract.model import Where
from .base import Rule, RuleContext


class SC003(Rule):
    """A page could not be read (binary, undecodable, empty, over the size limit).

    Why it matters:
        A page rxqa cannot read is a page nobody checked. The run goes on with
        the other pages, but the page must not pass silently.
    Bad:
        a .html file saved as UTF-16 without a byte-order mark, or a PDF renamed .txt
    Good:
        pages saved as UTF-8 text (HTML, Markdown or plain text)
    How to fix:
        Re-export the page as UTF-8, or exclude files that are not pages.
        A page read with a caveat (another encoding) is reported as info.
    """

    code = "SC003"
    name = "unreadable-page"
    severity = "warning"
    message = "{text} {problem}"

    scope = "site"

    def check(self, ctx: RuleContext):
        for problem in ctx.problems:
            where = Where(problem.page, "", (), 0, 1, 1, -1)
            severity = "info" if problem.readable else None
            yield self.finding(where, problem.page, severity=severity, problem=problem.message)
