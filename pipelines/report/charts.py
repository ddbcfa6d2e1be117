"""Inline SVG bar charts for report.html: plain markup, explicit colours, readable in print.

Every label is escaped here; a bar may link to a fragment of the same file (never elsewhere).
"""
from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH = 760
LABEL_WIDTH = 300
BAR_HEIGHT = 20
GAP = 6
LABEL_CHARS = 44


def _fit(label: str, keep_end: bool) -> str:
    """Shorten a label to fit its column (keep the end of paths, the start of everything else)."""
    if len(label) <= LABEL_CHARS:
        return label
    return "…" + label[-(LABEL_CHARS - 1):] if keep_end else label[: LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int, str]], *, keep_end: bool = False) -> Markup:
    """A horizontal bar chart: rows are (label, value, fragment link or "").

    The SVG carries its own title and a text value at the end of each bar, so it
    reads without colour and prints as it shows on screen.
    """
    if not rows:
        return Markup(f'<p class="empty">{escape(title)}: nothing to show.</p>')
    top = max(v for _, v, _ in rows) or 1
    span = WIDTH - LABEL_WIDTH - 60
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    role = "group" if any(link.startswith("#") for _, _, link in rows) else "img"  # links stay reachable
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="{role}" aria-labelledby="{escape(chart_id)}-t" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
    ]
    for i, (label, value, link) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(2, round(span * value / top))
        mid = y + BAR_HEIGHT / 2 + 4
        row = (
            f'<g><title>{escape(label)}: {value}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{mid}" text-anchor="end" fill="#1a1a1a">{escape(_fit(label, keep_end))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="#2f5d8a" stroke="#1a1a1a" stroke-width="0.5"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{mid}" fill="#1a1a1a">{value}</text></g>'
        )
        if link.startswith("#"):
            row = f'<a href="{escape(link)}" aria-label="{escape(label)}: {value}">{row}</a>'
        parts.append(row)
    parts.append("</svg>")
    return Markup("".join(parts))
