"""The Good Practice Report as a PDF: gather what the report says (report_context), render it to HTML
(render_html), lay it out with WeasyPrint (html_to_pdf), and keep the file until something it shows changes
(cached_pdf / render_report)."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import os
import tempfile
import time
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Count, Max
from django.template.loader import render_to_string, select_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from impact import report as impact_report
from impact.report import tangible_results
from reports import action_sentences, standing_texts, summary, typography, wording
from reports.cells import CodeCell
from reports.charts import report_charts
from reports.display import display_table
from reports.figures import ReportData, reply_rate_trend, report_data
from reports.models import EARLIER_ROUND_PERCENTS, EarlierRound, EditionStatus, Quote, ReportEdition, Section
from rocbap.languages import office_names, staff_language
from rocbap.office import OfficeNames
from surveys import instrument
from surveys.models import Response
from workshops.models import MemberAdministration, Participant, Workshop, fiscal_year_label

# The fiscal year is written one way throughout: FY2019/20. The office's names come from its office file
# (rocbap.office), in the report's language.
REPORT_TITLE = _(
    "%(office)s %(series)s taken after the WCO %(region)s Regional/Sub-regional Workshops organized in FY%(label)s"
)
# The title as the cover sets it: one phrase a line, never a break inside the region or the fiscal year.
COVER_TITLE_LINES = (
    _("%(office)s %(series)s"),
    _("taken after the WCO %(region)s"),
    _("Regional/Sub-regional Workshops"),
    _("organized in FY%(label)s"),
)
RUNNING_HEAD = _("%(office)s Good Practice Report FY%(label)s")
# Tables whose cells list administration codes; their last column is the outcome column (bold marks),
# the others are action columns (underline marks) — the published convention.
CODE_TABLES = ("table4", "table7")


# --- what the report says ----------------------------------------------------------------------------------


def edition_of(fiscal_year: int) -> ReportEdition:
    """The staff's edition, or an unsaved draft with the defaults when staff have not started one."""
    return ReportEdition.objects.filter(fiscal_year=fiscal_year).first() or ReportEdition(fiscal_year=fiscal_year)


def quotes_by_section(edition: ReportEdition) -> dict[str, list[Quote]]:
    """The edition's quotes in order, keyed by the section's name in lower case (others, operational, ...)."""
    grouped: dict[str, list[Quote]] = {section.name.lower(): [] for section in Section}
    if edition.pk:
        quotes = edition.quotes.select_related(
            "response__participant__workshop", "response__participant__administration"
        )
        for quote in quotes:
            # The administration named in the report's language (reports.wording.administration_name).
            quote.printed_attribution = wording.quote_attribution(quote)  # type: ignore[attr-defined]
            grouped[Section(quote.section).name.lower()].append(quote)
    return grouped


def codes_in_report(data: ReportData, quotes: dict[str, list[Quote]]) -> set[str]:
    """The administrations the report names: by code in the cells of Tables 4 and 7, by name under the quotes."""
    codes = {
        entry.code
        for key in CODE_TABLES
        for row in data.tables[key].rows
        for value in row
        if isinstance(value, CodeCell)
        for entry in value.entries
    }
    codes |= {quote.response.participant.administration.code for chosen in quotes.values() for quote in chosen}
    return codes


def abbreviations(codes: set[str]) -> list[tuple[str, str]]:
    """Appendix 2: exactly the administrations that appear in the report, by code, each (code, name) with the name
    in the active language; empty when the report names none (the appendix is then left out)."""
    return [
        (administration.code, wording.administration_name(administration))
        for administration in MemberAdministration.objects.filter(code__in=codes).order_by("code")
    ]


def signatory_title(edition: ReportEdition, office: OfficeNames) -> str:
    """The signatory's title in the report's language: the office file's, unless staff wrote a title of their own
    (a title equal to the office's title in another language is the office's, and is written in this one)."""
    written = edition.signatory_title.strip()
    known = {settings.OFFICE.in_language(code).signatory_title for code, _name in settings.LANGUAGES}
    return office.signatory_title if not written or written in known else written


# The header block of the questionnaire as participants see it (templates/surveys/_header.html, then the
# reply-by line under the notes), printed in Appendix 1 with room to write.
QUESTIONNAIRE_HEADER = (
    _("Event subject to survey"),
    _("Conducted"),
    _("Responding administration"),
    _("Responder"),
    _("Please reply by"),
)


def appendix_questions() -> list[dict[str, Any]]:
    """Appendix 1's questions as the form shows them: the wording, the boxes to tick and the labelled spaces to
    write a number or a text in."""
    return [
        {
            "question": question,
            "spaces": [
                {"label": instrument.FIELD_LABELS[field], "number": field in instrument.COUNTS}
                for field in question.fields
                if field in instrument.FIELD_LABELS
            ],
        }
        for question in instrument.QUESTIONS
    ]


def logo_data_url(logo: str) -> str:
    """The office's logo (a static file) inside the HTML as a data: URL: the PDF loads nothing from outside."""
    found = finders.find(logo) if logo else None
    if not found:
        return ""
    path = Path(found if isinstance(found, str) else found[0])
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def css_string(text: str) -> SafeString:
    """Text for a double-quoted CSS string in the <style> element (where HTML escapes are not decoded): the office's
    names may hold quotes, backslashes or '<'."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 32 else char for char in text)
    return mark_safe(escaped)  # noqa: S308 - every character CSS or HTML could read as markup is escaped above


def report_language(edition: ReportEdition, language: str | None = None) -> str:
    """The language the report is rendered in: the one asked for, else the edition's (English or French)."""
    return staff_language(language or edition.language)


def report_context(fiscal_year: int, data: ReportData | None = None, language: str | None = None) -> dict[str, Any]:
    """Everything the template prints, worded in the report's language (the edition's unless `language` is
    given); `data` is computed here when not given."""
    edition = edition_of(fiscal_year)
    with translation.override(report_language(edition, language)):
        return _report_context(fiscal_year, edition, data)


def draft_mark(language: str):
    """The word a draft is marked with, in the report's language (templates/reports/draft_marks/<language>.html),
    else in English: a language gets its own word by adding its file."""
    return select_template([f"reports/draft_marks/{language}.html", "reports/draft_marks/en.html"])


def _report_context(fiscal_year: int, edition: ReportEdition, data: ReportData | None) -> dict[str, Any]:
    from reports.stats import association_sentences  # scipy is imported on the first report, not at start-up

    if data is None:
        data = report_data(fiscal_year)
    label = fiscal_year_label(fiscal_year)
    office = office_names()
    names = {
        "office": office.short_name,
        "series": office.report_series,
        "region": office.region_abbreviated,
        "label": label,
    }
    tables = {key: display_table(table) for key, table in data.tables.items()}
    actions = action_sentences.action_paragraphs(data.figures.action_ranking, data.figures.replies)
    quotes = quotes_by_section(edition)
    context = {
        "edition": edition,
        "draft": not edition.is_final,
        "draft_mark": draft_mark(translation.get_language()),
        "fiscal_year": fiscal_year,
        "label": label,
        "language": translation.get_language(),
        "page_language": translation.get_language(),
        "page_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "office": office,
        "office_logo_url": logo_data_url(settings.OFFICE.logo),
        "office_logo": settings.OFFICE.logo,
        "title": str(REPORT_TITLE) % names,
        "running_head": str(RUNNING_HEAD) % names,
        "running_head_css": css_string(str(RUNNING_HEAD) % names),
        "cover_title_lines": [str(line) % names for line in COVER_TITLE_LINES],
        "cover_office_lines": [office.parent, office.name],
        "introduction": edition.introduction.strip() or standing_texts.introduction(),
        "associations_text": standing_texts.associations(),
        # Worded again here, in the report's language (the figures may have been counted for another page).
        "association_sentences": _association_sentences(data, association_sentences),
        "association_shown": _association_shown(data),
        "tables": tables,
        "actions": actions,
        "common_actions": actions,
        "actions_nobody_took": action_sentences.actions_nobody_took(data.figures.action_ranking),
        "has_replies": data.figures.replies > 0,
        "signatory_title": signatory_title(edition, office),
        "office_email": settings.OFFICE_EMAIL,
        "response_sentences": summary.response_sentences(data),
        # "2.2" -> "s2_2": a key the template can name.
        "openings": {f"s{key.replace('.', '_')}": value for key, value in summary.section_openings(data).items()},
        "ranking_sentence": summary.ranking_sentence(data.figures.action_ranking),
        "quotes": quotes,
        "questionnaire": instrument,
        "questionnaire_title": instrument.with_office(instrument.TITLE, office.short_name),
        "questionnaire_notes": [instrument.with_office(note, office.short_name) for note in instrument.NOTES],
        "questionnaire_closing": instrument.with_office(instrument.CLOSING, office.short_name),
        "questionnaire_header": [str(label) for label in QUESTIONNAIRE_HEADER],
        "appendix_questions": appendix_questions(),
        "abbreviations": abbreviations(codes_in_report(data, quotes)),
        "figures": data.figures,
        "summary_sentences": summary.sentences(data),
        # A right-to-left language's bars are set as HTML tables: WeasyPrint cannot shape an SVG text (charts.py).
        "charts": report_charts(
            data, reply_rate_trend(until=fiscal_year), titled=False, html=translation.get_language_bidi()
        ),
        # The year's publishable success stories by kind (templates/impact/_report_results.html); empty: no section.
        "tangible_results": tangible_results(fiscal_year),
    }
    context.update(numbered_exhibits(context))
    return context


def _association_shown(data: ReportData) -> bool:
    """The association table is printed only when some pairing could be tested (else 2.7 says there are too few
    replies, once)."""
    from reports.stats import too_few_replies

    table = data.tables.get("associations")
    return table is not None and not too_few_replies(table)


def _association_sentences(data: ReportData, association_sentences) -> list[str]:
    """2.7's reading. The standing text above the table already says what the table is and that it shows no cause,
    so the reading's own opening explanation is left out: the table is explained once."""
    table = data.tables.get("associations")
    if table is None:
        return []
    found = association_sentences(table)
    return found[1:] if _association_shown(data) else found


# The report's figures, in the order they are printed: (key in context["charts"], caption). Numbered as printed,
# so that a chart left out (a question nobody answered) leaves no gap.
FIGURE_CAPTIONS = (
    ("reply_rates", _("Reply rate of this round and the earlier rounds")),
    ("actions", _("Follow-up actions taken (Q1), share of replies")),
    ("direct_effects", _("Share of the replies to Q3 that realized direct effects, by workshop")),
    ("efficiency", _("Share of the replies to Q4 that saw better efficiency and effectiveness, by workshop")),
    ("projects", _("Share of the replies to Q5 that initiated new projects, by workshop")),
)
# Which Yes share a chart of Yes by workshop draws: a question nobody answered has no chart.
FIGURE_QUESTIONS = {"direct_effects": "q3_direct_effects", "efficiency": "q4_contributed", "projects": "q5_new_project"}
TABLE_ORDER = ("table1", "table2", "table3", "table4", "table5", "table6", "table7", "associations")


def numbered_exhibits(context: dict[str, Any]) -> dict[str, Any]:
    """Every table and figure the report prints with its number and one caption, for the text and for the list in
    the contents. Tables keep their published numbers (1-7, as in the Excel export), the association table is
    Table 8; figures are numbered in print order."""
    figures = context["figures"]
    has_replies = figures.replies > 0
    tables = context["tables"]
    if "associations" in tables:
        tables["associations"] = replace(
            tables["associations"],
            title=gettext("Table %(number)s – %(title)s")
            % {"number": 8, "title": wording.label(tables["associations"].title)},
        )
    shown_tables = [
        key
        for key in TABLE_ORDER
        if key in tables
        and (key == "table1" or has_replies)
        and (key != "associations" or context["association_shown"])
    ]
    captions: dict[str, str] = {}
    listed_figures: list[dict[str, str]] = []
    for key, caption in FIGURE_CAPTIONS:
        if not context["charts"].get(key):
            continue
        if key != "reply_rates" and not has_replies:
            continue
        question = FIGURE_QUESTIONS.get(key)
        if question and figures.yes_shares.get(question) is None:
            continue
        number = len(listed_figures) + 1
        captions[key] = gettext("Figure %(number)s – %(caption)s") % {"number": number, "caption": caption}
        listed_figures.append({"anchor": f"figure-{key}", "caption": captions[key]})
    return {
        "figure_captions": captions,
        "listed_tables": [{"anchor": key, "caption": tables[key].caption} for key in shown_tables],
        "listed_figures": listed_figures,
    }


# --- rendering ---------------------------------------------------------------------------------------------


def render_html(context: dict[str, Any]) -> str:
    language = context.get("language") or translation.get_language()
    with translation.override(language):
        return typography.typeset(render_to_string("reports/report.html", context), language.split("-")[0])


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which web requests that only serve a kept file skip.
    from weasyprint import HTML

    from reports.pdf_fetcher import StaticFilesOnly

    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


def render_pdf(fiscal_year: int, language: str | None = None) -> bytes:
    """The report as a PDF, in the edition's language unless `language` is given."""
    return html_to_pdf(render_html(report_context(fiscal_year, language=language)))


# --- keeping the rendered file -----------------------------------------------------------------------------


@cache
def code_version() -> str:
    """A hash of the code and templates that shape the PDF: a new release renders anew."""
    digest = hashlib.sha256()
    roots = [Path(__file__).parent, Path(settings.BASE_DIR) / "templates" / "reports"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".html", ".css"} and "migrations" not in path.parts:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(fiscal_year: int) -> str:
    """Changes whenever anything the report shows changes: replies, participants, workshops (of this round and of
    every earlier one, which the previous round's figures and the reply-rate chart read), the edition's texts,
    its quotes, the earlier rounds' published figures, the code. A handful of aggregate queries."""
    replies = Response.objects.filter(participant__workshop__fiscal_year__lte=fiscal_year).aggregate(
        count=Count("pk"), last=Max("pk"), changed=Max("changed_at")
    )
    participants = Participant.objects.filter(workshop__fiscal_year__lte=fiscal_year).aggregate(
        count=Count("pk"), last=Max("pk")
    )
    workshops = Workshop.objects.filter(fiscal_year__lte=fiscal_year).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    edition = ReportEdition.objects.filter(fiscal_year=fiscal_year).values_list("pk", "updated_at", "status").first()
    quotes = list(
        Quote.objects.filter(edition__fiscal_year=fiscal_year)
        .order_by("pk")
        .values_list("pk", "response_id", "answer", "excerpt", "section", "order")
    )
    rounds = list(
        EarlierRound.objects.order_by("pk").values_list(
            "fiscal_year", "round_number", "reply_rate_percent", *EARLIER_ROUND_PERCENTS
        )
    )
    # An earlier round becomes the database's to compare with when its edition is made final (reports.figures).
    complete = list(
        ReportEdition.objects.filter(fiscal_year__lt=fiscal_year, status=EditionStatus.FINAL)
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    parts = [replies, participants, workshops, edition, quotes, rounds, complete, code_version()]
    parts.append(impact_report.fingerprint_part(fiscal_year))  # the success stories the report prints
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def reports_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_name(fiscal_year: int) -> str:
    """The name staff get on download, e.g. GoodPracticeReport-FY2019-20.pdf."""
    return f"GoodPracticeReport-FY{fiscal_year_label(fiscal_year).replace('/', '-')}.pdf"


def pdf_path(fiscal_year: int, key: str) -> Path:
    return reports_dir() / f"FY{fiscal_year}-{key}.pdf"


def cached_pdf(fiscal_year: int) -> Path | None:
    """The kept PDF when nothing it shows has changed since it was rendered."""
    path = pdf_path(fiscal_year, fingerprint(fiscal_year))
    return path if path.exists() else None


# A render that started this long ago and left no file is taken to have died.
RENDERING_STALE_SECONDS = 300


def rendering_marker(fiscal_year: int, key: str) -> Path:
    return reports_dir() / f"FY{fiscal_year}-{key}.rendering"


def is_rendering(fiscal_year: int, key: str) -> bool:
    marker = rendering_marker(fiscal_year, key)
    try:
        return time.time() - marker.stat().st_mtime < RENDERING_STALE_SECONDS
    except FileNotFoundError:
        return False


def mark_rendering(fiscal_year: int, key: str) -> None:
    rendering_marker(fiscal_year, key).touch()


def render_report(fiscal_year: int) -> Path:
    """Render the FY's report and keep it under its fingerprint; older files of the FY are removed."""
    key = fingerprint(fiscal_year)
    path = pdf_path(fiscal_year, key)
    if path.exists():
        return path
    pdf = render_pdf(fiscal_year)
    # Written aside and renamed, so that a download never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=reports_dir(), suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    for old in reports_dir().glob(f"FY{fiscal_year}-*"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
