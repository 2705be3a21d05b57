"""The Good Practice Report as a PDF: gather what the report says (report_context), render it to HTML
(render_html), lay it out with WeasyPrint (html_to_pdf), and keep the file until something it shows changes
(cached_pdf / render_report)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.template.loader import render_to_string

from reports import standing_texts, summary
from reports.charts import report_charts
from reports.display import display_table
from reports.figures import ReportData, reply_rate_trend, report_data
from reports.models import EARLIER_ROUND_PERCENTS, EarlierRound, EditionStatus, Quote, ReportEdition, Section
from reports.tables import CodeCell, RankedAction
from surveys import questionnaire
from surveys.models import Response
from workshops.models import MemberAdministration, Participant, Workshop, fiscal_year_label

# The fiscal year is written one way throughout: FY2019/20.
REPORT_TITLE = (
    "ROCB A/P Customs Good Practice Report on Exemplifying Follow-Up Actions taken after the "
    "WCO A/P Regional/Sub-regional Workshops organized in FY{label}"
)
# The title as the cover sets it: one phrase a line, never a break inside "A/P" or the fiscal year.
COVER_TITLE_LINES = (
    "ROCB A/P Customs Good Practice Report",
    "on Exemplifying Follow-Up Actions",
    "taken after the WCO A/P",
    "Regional/Sub-regional Workshops",
    "organized in FY{label}",
)
COVER_OFFICE_LINES = ("World Customs Organization", "Asia/Pacific Regional Office for Capacity Building")
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


def abbreviations(codes: set[str]) -> list[MemberAdministration]:
    """Appendix 2: exactly the administrations that appear in the report, by code."""
    return list(MemberAdministration.objects.filter(code__in=codes).order_by("code"))


# The header block of the questionnaire as participants see it (templates/surveys/_header.html, then the
# reply-by line under the notes), printed in Appendix 1 with room to write.
QUESTIONNAIRE_HEADER = (
    "Event subject to survey",
    "Conducted",
    "Responding administration",
    "Responder",
    "Please reply by",
)


def appendix_questions() -> list[dict[str, Any]]:
    """Appendix 1's questions as the form shows them: the wording, the boxes to tick and the labelled spaces to
    write a number or a text in."""
    return [
        {
            "question": question,
            "spaces": [
                {"label": questionnaire.FIELD_LABELS[field], "number": field in questionnaire.COUNTS}
                for field in question.fields
                if field in questionnaire.FIELD_LABELS
            ],
        }
        for question in questionnaire.QUESTIONS
    ]


# What a respondent did, per column of Table 2, for the paragraphs of 2.2.x.
ACTION_VERBS = {
    "Share training materials": "shared the training materials with their colleagues",
    "Submit reports": "submitted a report to their superiors",
    "Make recommendations": "made recommendations to management officials for consideration",
    "Organize in-house workshop": "organized an in-house workshop to cascade down the lessons learnt",
    "Develop operational manuals": "developed or updated operational manuals",
    "Others": "took other follow-up actions",
}


def action_paragraphs(ranking: list[RankedAction]) -> list[dict[str, Any]]:
    """2.2.x: the follow-up actions of Table 2 by how often they were taken, with count and share."""
    return [
        {
            "action": action,
            "heading": summary.spoken(action)[:1].upper() + summary.spoken(action)[1:],
            "verb": ACTION_VERBS.get(action, action.lower()),
            "count": count,
            "share": share,
        }
        for action, count, share in ranking
    ]


def report_context(fiscal_year: int, data: ReportData | None = None) -> dict[str, Any]:
    """Everything the template prints; `data` is computed here when not given."""
    if data is None:
        data = report_data(fiscal_year)
    edition = edition_of(fiscal_year)
    label = fiscal_year_label(fiscal_year)
    tables = {key: display_table(table) for key, table in data.tables.items()}
    actions = action_paragraphs(data.figures.action_ranking)
    quotes = quotes_by_section(edition)
    context = {
        "edition": edition,
        "draft": not edition.is_final,
        "fiscal_year": fiscal_year,
        "label": label,
        "title": REPORT_TITLE.format(label=label),
        "cover_title_lines": [line.format(label=label) for line in COVER_TITLE_LINES],
        "cover_office_lines": COVER_OFFICE_LINES,
        "introduction": edition.introduction.strip() or standing_texts.INTRODUCTION,
        "associations_text": standing_texts.ASSOCIATIONS,
        "association_sentences": data.association_sentences,
        "tables": tables,
        "actions": actions,
        "common_actions": [action for action in actions if action["action"] != "Others"],
        "office_email": settings.OFFICE_EMAIL,
        "response_sentences": summary.response_sentences(data),
        # "2.2" -> "s2_2": a key the template can name.
        "openings": {f"s{key.replace('.', '_')}": value for key, value in summary.section_openings(data).items()},
        "ranking_sentence": summary.ranking_sentence(data.figures.action_ranking),
        "quotes": quotes,
        "questionnaire": questionnaire,
        "questionnaire_header": QUESTIONNAIRE_HEADER,
        "appendix_questions": appendix_questions(),
        "abbreviations": abbreviations(codes_in_report(data, quotes)),
        "figures": data.figures,
        "summary_sentences": summary.sentences(data),
        "charts": report_charts(data, reply_rate_trend(until=fiscal_year)),
    }
    return context


# --- rendering ---------------------------------------------------------------------------------------------


def render_html(context: dict[str, Any]) -> str:
    return render_to_string("reports/report.html", context)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango on import, which web requests that only serve a kept file skip.
    from weasyprint import HTML

    from reports.pdf_fetcher import StaticFilesOnly

    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


def render_pdf(fiscal_year: int) -> bytes:
    return html_to_pdf(render_html(report_context(fiscal_year)))


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
