"""What staff keep for the Good Practice Report: the edition of each fiscal year, its quotes, and the
headline figures of rounds that predate the product."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reports.bidi import text_direction
from rocbap.languages import default_signatory_title, default_staff_language, staff_language_choices
from rocbap.percentages import percent_sign
from surveys.mail.planning import Announced, still_to_send
from surveys.models import FREE_TEXTS, Response
from surveys.questionnaire import rounds
from surveys.questionnaire.schedule import local_day, schedule_for
from workshops.models import Workshop, fiscal_year_end, fiscal_year_label

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    from reports.tables import ReplyCounts


# An address in a domain reserved for examples (RFC 2606): a contact text still holding one is the placeholder.
PLACEHOLDER_ADDRESS = re.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:org|com|net)|[\w-]+\.(?:example|invalid|test|localhost))\b", re.IGNORECASE
)


class EditionNotFinished(Exception):
    """Raised by make_final while the edition or its round is not finished; `missing` says why."""

    def __init__(self, edition: ReportEdition, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"FY{edition.fiscal_year_label} cannot be made final yet: {'; '.join(missing)}.")


def _day(day: dt.date) -> str:
    """A day as staff read it in their language: 26 June 2020, 26 juin 2020."""
    return date_format(day, "j F Y")


def _still_to_send_text(line: Announced) -> str:
    return ngettext(
        "%(kind)s to %(count)s participant on %(day)s", "%(kind)s to %(count)s participants on %(day)s", line.count
    ) % {
        "kind": line.kind_label,
        "count": line.count,
        "day": _day(line.day),
    }


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportEdition(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        verbose_name=_("fiscal year"),
        unique=True,
        help_text=_("The year the fiscal year starts in: 2019 for FY2019/20."),
    )
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    publication_date = models.DateField(
        verbose_name=_("publication date"), null=True, blank=True, help_text=_("Its month and year go on the cover.")
    )
    foreword = models.TextField(verbose_name=_("foreword"), blank=True)
    executive_summary = models.TextField(
        verbose_name=_("executive summary"), blank=True, help_text=_("Staff text after the generated figures.")
    )
    introduction = models.TextField(
        verbose_name=_("introduction"), blank=True, help_text=_("Leave empty for the standing text of the reports.")
    )
    conclusion = models.TextField(verbose_name=_("conclusion"), blank=True)
    contact = models.TextField(verbose_name=_("contact"), blank=True)
    signatory_name = models.CharField(verbose_name=_("signatory name"), max_length=200, blank=True)
    signatory_title = models.CharField(
        verbose_name=_("signatory title"), max_length=200, blank=True, default=default_signatory_title
    )
    # The language the report is rendered in (English or French: the staff's languages, rocbap.office); staff write
    # the edition's texts in it (quotes stay as written).
    language = models.CharField(
        verbose_name=_("language"),
        max_length=8,
        choices=staff_language_choices,
        default=default_staff_language,
        help_text=_("The report's headings, sentences, tables and charts are in this language; write the texts in it."),
    )
    finalized_at = models.DateTimeField(verbose_name=_("finalized at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=EditionStatus.values), name="edition_status_valid"),
        ]

    def __str__(self) -> str:
        return gettext("Good Practice Report FY%(label)s (%(status)s)") % {
            "label": fiscal_year_label(self.fiscal_year),
            "status": self.get_status_display().lower(),
        }

    @property
    def is_final(self) -> bool:
        return self.status == EditionStatus.FINAL

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def missing_for_final(self, today: dt.date | None = None) -> list[str]:
        """Why the edition cannot be published yet, in words for staff, each reason once; empty when it can.

        A final PDF is published exactly as rendered and closes the round, so both must be finished: the edition
        holds no placeholder (its texts, signature, publication date, a real contact address), and the round is over
        (round_unfinished). A section that announces quotes but has none is not listed: the report drops the
        announcement."""
        missing = []
        for field, name in (
            ("foreword", gettext("the foreword")),
            ("conclusion", gettext("the conclusion")),
            ("contact", gettext("the contact")),
            ("signatory_name", gettext("the signatory's name")),
            ("signatory_title", gettext("the signatory's title")),
        ):
            if not getattr(self, field).strip():
                missing.append(name)
        if self.publication_date is None:
            missing.append(gettext("the publication date"))
        if self.contact.strip() and PLACEHOLDER_ADDRESS.search(self.contact):
            missing.append(gettext("a real contact address (the contact still holds the example address)"))
        reasons = [gettext("missing: %(missing)s") % {"missing": ", ".join(missing)}] if missing else []
        return reasons + self.round_unfinished(today)

    def round_unfinished(self, today: dt.date | None = None) -> list[str]:
        """Why the fiscal year's round is not over on `today` (the office's day by default): a surveyed workshop
        still takes replies or has messages to send (surveys.mail.planning.still_to_send), the year has no reply
        (as the report counts them), or the publication date falls within the fiscal year. Making the edition final
        then would publish a round in progress and refuse its late replies."""
        from reports.counted import counted_round  # pandas, loaded when a round is counted, not at start-up

        today = today or local_day(timezone.now())
        reasons = []
        for workshop in Workshop.objects.of_fiscal_year(self.fiscal_year).surveyed().order_by("start_date", "code"):
            due = schedule_for(workshop).due
            if due >= today:
                reasons.append(
                    gettext("%(workshop)s takes replies until %(due)s") % {"workshop": workshop.code, "due": _day(due)}
                )
            still = still_to_send(workshop, today)
            if still:
                reasons.append(
                    gettext("%(workshop)s has messages still to send: %(messages)s")
                    % {"workshop": workshop.code, "messages": ", ".join(map(_still_to_send_text, still))}
                )
        if counted_round(self.fiscal_year).tables["table1"].totals.total.replies == 0:
            reasons.append(gettext("the fiscal year has no reply"))
        end = fiscal_year_end(self.fiscal_year)
        if self.publication_date is not None and self.publication_date <= end:
            reasons.append(
                gettext("the publication date (%(date)s) must come after the fiscal year ends (%(end)s)")
                % {"date": _day(self.publication_date), "end": _day(end)}
            )
        return reasons

    def round_totals(self) -> ReplyCounts:
        """The round's participants, replies and reply rate as the report counts them (Table 1's total line)."""
        from reports.counted import counted_round

        return counted_round(self.fiscal_year).tables["table1"].totals.total

    @transaction.atomic
    def make_final(self, by: User | None = None, today: dt.date | None = None) -> None:
        """Publish the edition: this closes the fiscal year's round (surveys.questionnaire.rounds; no more replies are
        taken). Refused (EditionNotFinished, listing why) while the edition or its round is not finished
        (missing_for_final)."""
        missing = self.missing_for_final(today)
        if missing:
            raise EditionNotFinished(self, missing)
        self.status = EditionStatus.FINAL
        self.finalized_at = timezone.now()
        self.save(update_fields=["status", "finalized_at", "updated_at"])
        rounds.close(self.fiscal_year, by=by)

    @transaction.atomic
    def reopen(self, by: User | None = None) -> None:
        """Back to draft, and the round open again (to correct a reply or a text before a corrected edition is made
        final). Staff do it on purpose only: the admin asks first and keeps it in the edition's history."""
        self.status = EditionStatus.DRAFT
        self.finalized_at = None
        self.save(update_fields=["status", "finalized_at", "updated_at"])
        rounds.reopen(self.fiscal_year)
        log.warning("FY%s report reopened (back to draft) by user %s", self.fiscal_year_label, by.pk if by else "-")


class Section(models.TextChoices):
    OTHERS = "2.2", _("2.2 Follow-up actions: Others")
    OPERATIONAL = "2.3a", _("2.3 (a) Operational improvement")
    STRATEGIC = "2.3b", _("2.3 (b) Strategic empowerment")
    DIRECT_EFFECTS = "2.4", _("2.4 Realization of direct effects")
    EFFICIENCY = "2.5", _("2.5 Improvement in work efficiency and effectiveness")
    PROJECTS = "2.6", _("2.6 Initiation of modernization projects")


class Quote(models.Model):
    edition = models.ForeignKey(
        ReportEdition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="quotes"
    )
    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="quotes")
    # The answers' names stay lazy: each page reads them in its own language.
    answer = models.CharField(
        verbose_name=_("answer"),
        max_length=30,
        choices=[(name, Response._meta.get_field(name).verbose_name) for name in FREE_TEXTS],  # type: ignore[union-attr]
    )
    excerpt = models.TextField(verbose_name=_("excerpt"), help_text=_("As it will be printed; edit freely."))
    section = models.CharField(verbose_name=_("section"), max_length=5, choices=Section.choices)
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["section", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(section__in=Section.values), name="quote_section_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.excerpt[:60]}"

    @property
    def direction(self) -> str:
        """ "rtl" for a quote in Arabic script or Thaana: the PDF sets it right to left."""
        return text_direction(self.excerpt)

    @property
    def attribution(self) -> str:
        """'(Indonésie – Atelier régional…)': the administration and the workshop in the active language (the
        report's)."""
        participant = self.response.participant
        return f"({participant.administration.name_in()} – {participant.workshop.title_in()})"


# The figures a report compares with the previous round, each as its published report printed it (None where the
# report does not give it): reply rates, Table 2's action shares, the Table 4 and 7 bottom lines, the Q3-Q5 Yes.
EARLIER_ROUND_PERCENTS = (
    "subregional_rate_percent",
    "regional_rate_percent",
    "national_rate_percent",
    "shared_materials_percent",
    "submitted_report_percent",
    "made_recommendations_percent",
    "inhouse_workshop_percent",
    "manuals_percent",
    "others_percent",
    "effects_attributed_percent",
    "projects_attributed_percent",
    "q3_yes_percent",
    "q4_yes_percent",
    "q5_yes_percent",
)


def _percent_field(verbose_name: StrOrPromise) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=verbose_name)


class EarlierRound(models.Model):
    """Headline figures of survey rounds as published, for the rounds whose report edition is not final in the
    database: the previous round's figures in the sentences, and the reply-rate chart, come from here. Filled from
    the published reports (reports/data/earlier_rounds.csv); staff add a round's figures when it is published."""

    fiscal_year = models.PositiveSmallIntegerField(verbose_name=_("fiscal year"), unique=True)
    survey_year = models.PositiveSmallIntegerField(verbose_name=_("survey year"))
    round_number = models.PositiveSmallIntegerField(verbose_name=_("round number"))
    reply_rate_percent = models.PositiveSmallIntegerField(verbose_name=_("reply rate percent"))
    subregional_rate_percent = _percent_field(_("reply rate of sub-regional workshops (%)"))
    regional_rate_percent = _percent_field(_("reply rate of regional workshops (%)"))
    national_rate_percent = _percent_field(_("reply rate of national workshops (%)"))
    # xgettext:no-python-format
    shared_materials_percent = _percent_field(_("shared training materials (% of replies)"))
    # xgettext:no-python-format
    submitted_report_percent = _percent_field(_("submitted reports (% of replies)"))
    # xgettext:no-python-format
    made_recommendations_percent = _percent_field(_("made recommendations (% of replies)"))
    # xgettext:no-python-format
    inhouse_workshop_percent = _percent_field(_("organized in-house workshops (% of replies)"))
    # xgettext:no-python-format
    manuals_percent = _percent_field(_("developed operational manuals (% of replies)"))
    # xgettext:no-python-format
    others_percent = _percent_field(_("other actions (% of replies)"))
    effects_attributed_percent = _percent_field(_("Table 4: effects attributed to sharing/in-house workshops (%)"))
    projects_attributed_percent = _percent_field(_("Table 7: projects attributed to reports/recommendations (%)"))
    q3_yes_percent = _percent_field(_("Q3 direct effects, Yes (%)"))
    q4_yes_percent = _percent_field(_("Q4 efficiency, Yes (%)"))
    q5_yes_percent = _percent_field(_("Q5 new projects, Yes (%)"))

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("earlier round's headline figures")
        verbose_name_plural = _("earlier rounds' headline figures")

    def __str__(self) -> str:
        return gettext("Survey %(year)s (FY%(label)s): %(rate)s") % {
            "year": self.survey_year,
            "label": fiscal_year_label(self.fiscal_year),
            "rate": percent_sign(self.reply_rate_percent),
        }
