"""What staff keep for the Good Practice Report: the edition of each fiscal year, its quotes, and the
headline figures of rounds that predate the product."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from surveys import rounds
from surveys.models import FREE_TEXTS, Response
from workshops.models import fiscal_year_label

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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

    @transaction.atomic
    def make_final(self, by: User | None = None) -> None:
        """Publish the edition: this closes the fiscal year's round (surveys.rounds; no more replies are taken)."""
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
    def attribution(self) -> str:
        participant = self.response.participant
        return f"({participant.administration.name} – {participant.workshop.title})"


class EarlierRound(models.Model):
    """Headline figures of survey rounds as published, for rounds whose replies are not in the database."""

    fiscal_year = models.PositiveSmallIntegerField(unique=True)
    survey_year = models.PositiveSmallIntegerField()
    round_number = models.PositiveSmallIntegerField()
    reply_rate_percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = "earlier round's headline figures"
        verbose_name_plural = "earlier rounds' headline figures"

    def __str__(self) -> str:
        return f"Survey {self.survey_year} (FY{fiscal_year_label(self.fiscal_year)}): {self.reply_rate_percent}%"
