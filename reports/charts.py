"""Charts of the report as small server-rendered SVG, shared by the staff pages and the PDF: Table 2's follow-up
actions, the reply rate of each round, and the Yes shares of Q3-Q5.

Hand-built bars rather than a plotting library: three bar charts do not earn a 40 MB dependency, and the
SVG stays a few hundred bytes. The font family is explicit, since the PDF machine has DejaVu only.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from reports import wording
from reports.tables import Table, action_ranking
from rocbap.percentages import percent_sign
from surveys.models import Response
from workshops.models import survey_year

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


LEGEND_FONT = 11
# DejaVu Sans's widest letters are about 0.7 em (W, M, m); an estimate on the wide side keeps the marks apart.
LETTER_EM = 0.68


def text_width(text: str, font_size: float = LEGEND_FONT) -> float:
    """A generous estimate of a text's width in DejaVu Sans (the SVG is drawn before any layout)."""
    return len(text) * font_size * LETTER_EM


def legend_layout(legend: tuple[str, str], width: int) -> list[tuple[float, int, str]]:
    """(x, y offset, text) of each legend entry: the second entry starts after the first one's text, never on it,
    and goes to a line of its own when the two do not fit side by side (a longer language). Measured from the
    chart's start side (the left in a left-to-right language, the right in a right-to-left one)."""
    dark, light = legend
    first_x = LABEL_WIDTH
    second_x = first_x + 18 + text_width(dark) + 24
    if second_x + 18 + text_width(light) <= width:
        return [(first_x, 0, dark), (second_x, 0, light)]
    return [(first_x, 0, dark), (first_x, 22, light)]


def bar_fractions(bars: list[Bar], scale: float | None = None) -> list[float]:
    """How much of its full length each bar takes, 0 to 1: its value over `scale` (by default the largest value),
    for the drawn chart and the HTML one alike."""
    scale = scale or max((bar.value for bar in bars), default=0) or 1
    return [max(0.0, min(bar.value / scale, 1.0)) for bar in bars]


def chart_direction() -> str:
    """The direction of the active language's script: a chart reads the way its words do."""
    return "rtl" if translation.get_language_bidi() else "ltr"


def bar_chart(
    title: str,
    bars: list[Bar],
    scale: float | None = None,
    legend: tuple[str, str] | None = None,
    titled: bool = True,
    direction: str | None = None,
) -> SafeString:
    """Horizontal bars with their label on the start side and their value after the bar; `legend` names what the
    dark and the light colour stand for, when bars of both are drawn. `direction` (default: the active language's)
    is "ltr" (labels on the left, bars growing rightwards) or "rtl" (the chart mirrored: labels on the right, bars
    growing leftwards, the title and the legend on the right), as an Arabic reader reads a chart. The drawing says
    its direction (the SVG's `direction`), so that a text's anchor means the same in it as in its language: the
    start of an Arabic text is its right end, wherever the chart is shown (an Arabic staff page's own direction
    would otherwise turn the anchors of a left-to-right drawing around). Every text is escaped here."""
    direction = direction or chart_direction()
    rtl = direction == "rtl"
    fractions = bar_fractions(bars, scale)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH

    def x_at(x: float, length: float = 0.0) -> float:
        """Where a mark measured from the start side (x, its length along the line) begins from the left."""
        return width - x - length if rtl else x

    wrapped = [label_lines(bar.label) for bar in bars]
    heights = [max(ROW_HEIGHT, LINE_HEIGHT * len(lines) + 12) for lines in wrapped]
    colours_used = {bar.muted for bar in bars}
    show_legend = legend is not None and len(colours_used) == 2
    legend_rows = legend_layout(legend, width) if legend is not None and show_legend else []
    top = 28 if titled else 6
    height = sum(heights) + top + 6 + 22 * len({y for _x, y, _text in legend_rows})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{FONT}" font-size="12" '
        f'fill="{TEXT_COLOUR}" direction="{direction}">',
        f"<title>{escape(title)}</title>",
    ]
    if titled:  # the PDF gives the chart a numbered caption instead: one title, not two
        parts.append(
            f'<text x="{x_at(0)}" y="16" font-size="13" font-weight="bold" text-anchor="start">{escape(title)}</text>'
        )
    label_x = x_at(LABEL_WIDTH - 8)
    y = top
    for bar, fraction, lines, row_height in zip(bars, fractions, wrapped, heights, strict=True):
        length = fraction * BAR_WIDTH
        colour = EARLIER_COLOUR if bar.muted else BAR_COLOUR
        middle = y + row_height / 2
        first_line = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        spans = "".join(
            f'<tspan x="{label_x}" y="{first_line + index * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        parts += [
            f'<text x="{label_x}" y="{first_line:.1f}" text-anchor="end">{spans}</text>'
            if len(lines) > 1
            else f'<text x="{label_x}" y="{first_line:.1f}" text-anchor="end">{escape(lines[0])}</text>',
            f'<rect x="{x_at(LABEL_WIDTH, length):.1f}" y="{middle - (ROW_HEIGHT - 8) / 2:.1f}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 8}" fill="{colour}"/>',
            f'<text x="{x_at(LABEL_WIDTH + length + 6):.1f}" y="{middle + 4:.1f}" text-anchor="start">'
            f"{escape(bar.text)}</text>",
        ]
        y += row_height
    y += 8
    for (x, row, text), colour in zip(legend_rows, (BAR_COLOUR, EARLIER_COLOUR), strict=False):
        parts += [
            f'<rect x="{x_at(x, 12)}" y="{y + row}" width="12" height="12" fill="{colour}"/>',
            f'<text x="{x_at(x + 18)}" y="{y + row + 10}" font-size="{LEGEND_FONT}" text-anchor="start">'
            f"{escape(text)}</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def bar_chart_html(
    title: str, bars: list[Bar], scale: float | None = None, legend: tuple[str, str] | None = None
) -> SafeString:
    """The same bars as bar_chart(), set as an HTML table for the PDF of a right-to-left language: WeasyPrint draws
    an SVG text letter by letter, unshaped, so Arabic letters would print apart and in the wrong order, where an
    HTML cell is shaped and laid out by Pango. The table takes the page's direction: in Arabic the labels stand on
    the right and the bars grow leftwards from them, the value after each bar (report.css, table.bars)."""
    rows = []
    for bar, fraction in zip(bars, bar_fractions(bars, scale), strict=True):
        share = fraction * 80  # of the cell: the value's words take the rest
        muted = " muted" if bar.muted else ""
        rows.append(
            f'<tr><th scope="row">{escape(bar.label)}</th><td><span class="bar{muted}" '
            f'style="width: {share:.1f}%"></span><span class="value">{escape(bar.text)}</span></td></tr>'
        )
    legend_html = ""
    if legend is not None and len({bar.muted for bar in bars}) == 2:
        legend_html = (
            f'<p class="bars-legend"><span class="swatch"></span>{escape(legend[0])} '
            f'<span class="swatch muted"></span>{escape(legend[1])}</p>'
        )
    table = f'<table class="bars" aria-label="{escape(title)}"><tbody>{"".join(rows)}</tbody></table>'
    return mark_safe(table + legend_html)  # noqa: S308 - every text above went through escape()


def draw_bars(
    title: str,
    bars: list[Bar],
    scale: float | None = None,
    legend: tuple[str, str] | None = None,
    titled: bool = True,
    html: bool = False,
) -> SafeString:
    """bar_chart() as SVG, or bar_chart_html() when `html` (the PDF of a right-to-left language)."""
    if html:
        return bar_chart_html(title, bars, scale, legend)
    return bar_chart(title, bars, scale, legend, titled)


def _percent(value: int | None) -> str:
    return "–" if value is None else percent_sign(value)


def actions_chart(table2: Table, titled: bool = True, html: bool = False) -> SafeString:
    """Table 2's follow-up actions, most common first, as share of replies."""
    bars = [
        Bar(wording.label(name), share or 0, f"{count} ({percent_sign(share)})" if share is not None else str(count))
        for name, count, share in action_ranking(table2)
    ]
    # xgettext:no-python-format
    return draw_bars(gettext("Follow-up actions taken (% of replies)"), bars, scale=100, titled=titled, html=html)


def reply_rates_chart(rates: list[tuple], titled: bool = True, html: bool = False) -> SafeString:
    """Reply rate per round: (label, rate, published-only[, known]). Published-only rounds are drawn lighter; a year
    whose figure is not known (known False) keeps its place, with no bar and the words "no figure"."""
    bars = [
        Bar(label, rate or 0, _percent(rate) if (rest[0] if rest else True) else gettext("no figure"), muted)
        for label, rate, muted, *rest in rates
    ]
    return draw_bars(
        gettext("Reply rate by survey round"),
        bars,
        scale=100,
        legend=(gettext("Counted from the replies"), gettext("As published")),
        titled=titled,
        html=html,
    )


def with_years_without_figure(trend) -> list[tuple[str, int | None, bool, bool]]:
    """The rounds of reply_rate_trend() as (label, rate, published-only, known), with a row for each year between
    two rounds whose figure is not known, so that the chart does not close the gap silently. Such a year is a round
    of its own (rounds are numbered by fiscal year: the Survey 2018 was the 4th) whose reply rate neither the
    database nor the published reports give, so it says "no figure", not "no survey"."""
    rows: list[tuple[str, int | None, bool, bool]] = []
    previous = None
    for found in trend:
        if previous is not None:
            for year in range(previous + 1, found.fiscal_year):
                rows.append((gettext("Survey %(year)s") % {"year": survey_year(year)}, None, False, False))
        rows.append(
            (
                gettext("Survey %(year)s") % {"year": survey_year(found.fiscal_year)},
                found.reply_rate,
                found.source == "published",
                True,
            )
        )
        previous = found.fiscal_year
    return rows


def yes_shares_chart(yes_shares: list[tuple[str, int | None]]) -> SafeString:
    bars = [Bar(label, share or 0, _percent(share)) for label, share in yes_shares]
    return bar_chart(gettext("Replies answering Yes"), bars, scale=100)


def yes_by_workshop_chart(title: str, table: Table, titled: bool = True, html: bool = False) -> SafeString:
    """A Yes/No table's Yes (%) per workshop and in total (Tables 3, 5 and 6), in the section of its table."""
    name, share = table.columns.index("Workshop"), table.columns.index("Yes (%)")
    rows = [*table.rows, *(row for row in table.summary if row[name] == "Total")]
    bars = [Bar(wording.cell_text(row[name]), row[share] or 0, _percent(row[share])) for row in rows]
    return draw_bars(title, bars, scale=100, titled=titled, html=html)


def report_charts(data, trend, titled: bool = True, html: bool = False) -> dict[str, SafeString]:
    """The charts of a report: `data` is reports.figures.ReportData, `trend` reply_rate_trend()'s list.
    Keys: actions, reply_rates, yes_shares (the staff page's), direct_effects, efficiency, projects (the PDF's, one
    in the section of each Yes/No table). Worded in the active language; `titled=False` leaves the title out of the
    drawing (the PDF numbers and captions each figure itself)."""
    labels = {question: Response.answer_label(question) for question in data.figures.yes_shares}
    return {
        "actions": actions_chart(data.tables["table2"], titled, html),
        "reply_rates": reply_rates_chart(with_years_without_figure(trend), titled, html),
        "yes_shares": yes_shares_chart([(labels[q], share) for q, share in data.figures.yes_shares.items()]),
        "direct_effects": yes_by_workshop_chart(
            gettext("Realized direct effects (Q3), % Yes"), data.tables["table3"], titled, html
        ),
        "efficiency": yes_by_workshop_chart(
            gettext("Improved efficiency and effectiveness (Q4), % Yes"), data.tables["table5"], titled, html
        ),
        "projects": yes_by_workshop_chart(
            gettext("Initiated modernization projects (Q5), % Yes"), data.tables["table6"], titled, html
        ),
    }
