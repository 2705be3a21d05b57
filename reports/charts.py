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


LINE_HEIGHT = 14
# A label wraps at word boundaries into lines of at most this many characters (12 px DejaVu Sans fits them in
# LABEL_WIDTH): labels are never cut short.
LABEL_CHARACTERS = 36


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's length, on the chart's scale
    text: str  # what is printed after the bar
    muted: bool = False


def label_lines(label: str, limit: int = LABEL_CHARACTERS) -> list[str]:
    """The label in lines of at most `limit` characters, broken between words (a longer word stands alone)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(
    title: str, bars: list[Bar], scale: float | None = None, legend: tuple[str, str] | None = None
) -> SafeString:
    """Horizontal bars with their label on the left and their value on the right; `legend` names what the dark and
    the light colour stand for, when bars of both are drawn. Every text is escaped here."""
    scale = scale or max((bar.value for bar in bars), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    wrapped = [label_lines(bar.label) for bar in bars]
    heights = [max(ROW_HEIGHT, LINE_HEIGHT * len(lines) + 12) for lines in wrapped]
    colours_used = {bar.muted for bar in bars}
    show_legend = legend is not None and len(colours_used) == 2
    height = sum(heights) + 34 + (22 if show_legend else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12" '
        f'fill="{TEXT_COLOUR}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    y = 28
    for bar, lines, row_height in zip(bars, wrapped, heights, strict=True):
        length = max(0.0, min(bar.value / scale, 1.0)) * BAR_WIDTH
        colour = EARLIER_COLOUR if bar.muted else BAR_COLOUR
        middle = y + row_height / 2
        first_line = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        spans = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first_line + index * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{first_line:.1f}" text-anchor="end">{spans}</text>'
            if len(lines) > 1
            else f'<text x="{LABEL_WIDTH - 8}" y="{first_line:.1f}" text-anchor="end">{escape(lines[0])}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{middle - (ROW_HEIGHT - 8) / 2:.1f}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 8}" fill="{colour}"/>',
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle + 4:.1f}">{escape(bar.text)}</text>',
        ]
        y += row_height
    if legend is not None and show_legend:
        dark, light = legend
        y += 8
        parts += [
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="12" height="12" fill="{BAR_COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + 18}" y="{y + 10}" font-size="11">{escape(dark)}</text>',
            f'<rect x="{LABEL_WIDTH + 160}" y="{y}" width="12" height="12" fill="{EARLIER_COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + 178}" y="{y + 10}" font-size="11">{escape(light)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


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
    return bar_chart("Reply rate by survey round", bars, scale=100, legend=("Counted from the replies", "As published"))


def yes_shares_chart(yes_shares: list[tuple[str, int | None]]) -> SafeString:
    bars = [Bar(label, share or 0, "–" if share is None else f"{share}%") for label, share in yes_shares]
    return bar_chart("Replies answering Yes", bars, scale=100)


def yes_by_workshop_chart(title: str, table: Table) -> SafeString:
    """A Yes/No table's Yes (%) per workshop and in total (Tables 3, 5 and 6), in the section of its table."""
    name, share = table.columns.index("Workshop"), table.columns.index("Yes (%)")
    rows = [*table.rows, *(row for row in table.summary if row[name] == "Total")]
    bars = [Bar(str(row[name]), row[share] or 0, "–" if row[share] is None else f"{row[share]}%") for row in rows]
    return bar_chart(title, bars, scale=100)


def report_charts(data, trend) -> dict[str, SafeString]:
    """The charts of a report: `data` is reports.figures.ReportData, `trend` reply_rate_trend()'s list.
    Keys: actions, reply_rates, yes_shares (the staff page's), direct_effects, efficiency, projects (the PDF's, one
    in the section of each Yes/No table)."""
    labels = {question: Response.answer_label(question) for question in data.figures.yes_shares}
    return {
        "actions": actions_chart(data.tables["table2"]),
        "reply_rates": reply_rates_chart([(r.label, r.reply_rate, r.source == "published") for r in trend]),
        "yes_shares": yes_shares_chart([(labels[q], share) for q, share in data.figures.yes_shares.items()]),
        "direct_effects": yes_by_workshop_chart("Realized direct effects (Q3), % Yes", data.tables["table3"]),
        "efficiency": yes_by_workshop_chart("Improved efficiency and effectiveness (Q4), % Yes", data.tables["table5"]),
        "projects": yes_by_workshop_chart("Initiated modernization projects (Q5), % Yes", data.tables["table6"]),
    }
