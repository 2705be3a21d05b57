"""What staff keep for the Good Practice Report: the edition of each fiscal year, its quotes, and the
headline figures of rounds that predate the product."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from reports.bidi import text_direction
from surveys import rounds
from surveys.models import FREE_TEXTS, Response
from workshops.models import fiscal_year_label

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# An address in a domain reserved for examples (RFC 2606): a contact text still holding one is the placeholder.
PLACEHOLDER_ADDRESS = re.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:org|com|net)|[\w-]+\.(?:example|invalid|test|localhost))\b", re.IGNORECASE
)


class EditionNotFinished(Exception):
    """Raised by make_final while the edition lacks what a published report must have."""

    def __init__(self, edition: ReportEdition, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"FY{edition.fiscal_year_label} cannot be made final yet; missing: {'; '.join(missing)}.")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class ReportEdition(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the fiscal year starts in: 2019 for FY2019/20."
    )
    status = models.CharField(max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT)
    publication_date = models.DateField(null=True, blank=True, help_text="Its month and year go on the cover.")
    foreword = models.TextField(blank=True)
    executive_summary = models.TextField(blank=True, help_text="Staff text after the generated figures.")
    introduction = models.TextField(blank=True, help_text="Leave empty for the standing text of the reports.")
    conclusion = models.TextField(blank=True)
    contact = models.TextField(blank=True)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True, default="Head of ROCB A/P")
    finalized_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=EditionStatus.values), name="edition_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Good Practice Report FY{fiscal_year_label(self.fiscal_year)} ({self.get_status_display().lower()})"

    @property
    def is_final(self) -> bool:
        return self.status == EditionStatus.FINAL

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def missing_for_final(self) -> list[str]:
        """What the edition still lacks to be published as it renders, in words for staff; empty when finished.
        A section that announces quotes but has none is not listed: the report drops the announcement."""
        missing = []
        for field, name in (
            ("foreword", "the foreword"),
            ("conclusion", "the conclusion"),
            ("contact", "the contact"),
            ("signatory_name", "the signatory's name"),
            ("signatory_title", "the signatory's title"),
        ):
            if not getattr(self, field).strip():
                missing.append(name)
        if self.publication_date is None:
            missing.append("the publication date")
        if self.contact.strip() and PLACEHOLDER_ADDRESS.search(self.contact):
            missing.append("a real contact address (the contact still holds the example address)")
        return missing

    @transaction.atomic
    def make_final(self, by: User | None = None) -> None:
        """Publish the edition: this closes the fiscal year's round (surveys.rounds; no more replies are taken).
        Refused (EditionNotFinished, listing what is missing) while the edition is not finished: a final PDF is
        published exactly as rendered, so it must hold no placeholder."""
        missing = self.missing_for_final()
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
    OTHERS = "2.2", "2.2 Follow-up actions: Others"
    OPERATIONAL = "2.3a", "2.3 (a) Operational improvement"
    STRATEGIC = "2.3b", "2.3 (b) Strategic empowerment"
    DIRECT_EFFECTS = "2.4", "2.4 Realization of direct effects"
    EFFICIENCY = "2.5", "2.5 Improvement in work efficiency and effectiveness"
    PROJECTS = "2.6", "2.6 Initiation of modernization projects"


class Quote(models.Model):
    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="quotes")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="quotes")
    answer = models.CharField(max_length=30, choices=[(name, Response.answer_label(name)) for name in FREE_TEXTS])
    excerpt = models.TextField(help_text="As it will be printed; edit freely.")
    section = models.CharField(max_length=5, choices=Section.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
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
        participant = self.response.participant
        return f"({participant.administration.name} – {participant.workshop.title})"


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


def _percent_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=verbose_name)


class EarlierRound(models.Model):
    """Headline figures of survey rounds as published, for the rounds whose report edition is not final in the
    database: the previous round's figures in the sentences, and the reply-rate chart, come from here. Filled from
    the published reports (reports/data/earlier_rounds.csv); staff add a round's figures when it is published."""

    fiscal_year = models.PositiveSmallIntegerField(unique=True)
    survey_year = models.PositiveSmallIntegerField()
    round_number = models.PositiveSmallIntegerField()
    reply_rate_percent = models.PositiveSmallIntegerField()
    subregional_rate_percent = _percent_field("reply rate of sub-regional workshops (%)")
    regional_rate_percent = _percent_field("reply rate of regional workshops (%)")
    national_rate_percent = _percent_field("reply rate of national workshops (%)")
    shared_materials_percent = _percent_field("shared training materials (% of replies)")
    submitted_report_percent = _percent_field("submitted reports (% of replies)")
    made_recommendations_percent = _percent_field("made recommendations (% of replies)")
    inhouse_workshop_percent = _percent_field("organized in-house workshops (% of replies)")
    manuals_percent = _percent_field("developed operational manuals (% of replies)")
    others_percent = _percent_field("other actions (% of replies)")
    effects_attributed_percent = _percent_field("Table 4: effects attributed to sharing/in-house workshops (%)")
    projects_attributed_percent = _percent_field("Table 7: projects attributed to reports/recommendations (%)")
    q3_yes_percent = _percent_field("Q3 direct effects, Yes (%)")
    q4_yes_percent = _percent_field("Q4 efficiency, Yes (%)")
    q5_yes_percent = _percent_field("Q5 new projects, Yes (%)")

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = "earlier round's headline figures"
        verbose_name_plural = "earlier rounds' headline figures"

    def __str__(self) -> str:
        return f"Survey {self.survey_year} (FY{fiscal_year_label(self.fiscal_year)}): {self.reply_rate_percent}%"
