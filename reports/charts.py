"""Charts of the report as small server-rendered SVG, shared by the staff pages and the PDF: Table 2's follow-up
actions, the reply rate of each round, and the Yes shares of Q3-Q5.

Hand-built bars rather than a plotting library: three bar charts do not earn a 40 MB dependency, and the
SVG stays a few hundred bytes. The font family is explicit, since the PDF machine has DejaVu only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from reports.tables import Table, action_ranking
from surveys.models import Response

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
BAR_COLOUR = "#0b4f8a"
EARLIER_COLOUR = "#8aa9c8"  # rounds known only from their published headline figure
TEXT_COLOUR = "#1f2a33"
ROW_HEIGHT = 26
LABEL_WIDTH = 250
BAR_WIDTH = 300
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's length, on the chart's scale
    text: str  # what is printed after the bar
    muted: bool = False


def bar_chart(title: str, bars: list[Bar], scale: float | None = None) -> SafeString:
    """Horizontal bars with their label on the left and their value on the right. Every text is escaped here."""
    scale = scale or max((bar.value for bar in bars), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * len(bars) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12" '
        f'fill="{TEXT_COLOUR}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = 28 + index * ROW_HEIGHT
        length = max(0.0, min(bar.value / scale, 1.0)) * BAR_WIDTH
        colour = EARLIER_COLOUR if bar.muted else BAR_COLOUR
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(_shorten(bar.label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" fill="{colour}"/>',
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}">{escape(bar.text)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def _shorten(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def actions_chart(table2: Table) -> SafeString:
    """Table 2's follow-up actions, most common first, as share of replies."""
    bars = [
        Bar(name, share or 0, f"{count} ({share}%)" if share is not None else str(count))
        for name, count, share in action_ranking(table2)
    ]
    return bar_chart("Follow-up actions taken (% of replies)", bars, scale=100)


def reply_rates_chart(rates: list[tuple[str, int | None, bool]]) -> SafeString:
    """Reply rate per round: (label, rate, published-only). Published-only rounds are drawn lighter."""
    bars = [Bar(label, rate or 0, "–" if rate is None else f"{rate}%", muted) for label, rate, muted in rates]
    return bar_chart("Reply rate by survey round", bars, scale=100)


def yes_shares_chart(yes_shares: list[tuple[str, int | None]]) -> SafeString:
    bars = [Bar(label, share or 0, "–" if share is None else f"{share}%") for label, share in yes_shares]
    return bar_chart("Replies answering Yes", bars, scale=100)


def report_charts(data, trend) -> dict[str, SafeString]:
    """The three charts of a report: `data` is reports.figures.ReportData, `trend` reply_rate_trend()'s list.
    Keys: actions, reply_rates, yes_shares (the PDF template's slots)."""
    labels = {question: Response.answer_label(question) for question in data.figures.yes_shares}
    return {
        "actions": actions_chart(data.tables["table2"]),
        "reply_rates": reply_rates_chart([(r.label, r.reply_rate, r.source == "published") for r in trend]),
        "yes_shares": yes_shares_chart([(labels[q], share) for q, share in data.figures.yes_shares.items()]),
    }
