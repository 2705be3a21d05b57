"""Success stories: a reply's description that staff confirmed as a tangible result realized by a member
administration (docs/impact.md). The reply stays as the participant wrote it; the story keeps its own excerpt."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.models import FREE_TEXTS, Response, replied


class Kind(models.TextChoices):
    LAW = "law", _("Law or regulation")
    SYSTEM = "system", _("System or database")
    PROCEDURE = "procedure", _("Procedure or standard operating procedure")
    UNIT = "unit", _("Unit or team")
    PROJECT = "project", _("Project launched")
    OUTCOME = "outcome", _("Measured outcome (seizures, revenue, time)")
    OTHER = "other", _("Other")


def description_choices() -> list[tuple[str, object]]:
    """The free-text answers a story may come from, named by their field's label (lazy: each page's language)."""
    return [(name, Response._meta.get_field(name).verbose_name) for name in FREE_TEXTS]  # type: ignore[union-attr]


class SuccessStoryQuerySet(models.QuerySet):
    def counted(self) -> SuccessStoryQuerySet:
        """The stories that count (an indicator, the ledger, the export): confirmed, on a reply that counts. A
        suggestion is never a story: only staff make one."""
        return self.filter(replied("response__"))

    def reported_between(self, first, last) -> SuccessStoryQuerySet:
        """Stories whose reply was first submitted between two days, both included (docs/impact.md: a result
        counts toward an indicator in the period the member reported it)."""
        return self.filter(response__submitted_at__date__gte=first, response__submitted_at__date__lte=last)

    def of_fiscal_year(self, fiscal_year: int) -> SuccessStoryQuerySet:
        return self.filter(response__participant__workshop__fiscal_year=fiscal_year)


class SuccessStory(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="success_stories"
    )
    # Which question's description the story comes from.
    answer = models.CharField(verbose_name=_("description"), max_length=30, choices=description_choices())
    excerpt = models.TextField(
        verbose_name=_("excerpt"),
        blank=True,
        help_text=_("The result in a few words; edit freely, the reply is kept as written."),
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=Kind.choices)
    publishable = models.BooleanField(
        verbose_name=_("may be published"), default=False, help_text=_("The report may print it, with its attribution.")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(verbose_name=_("confirmed at"), default=timezone.now, editable=False)

    objects = SuccessStoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("success story")
        verbose_name_plural = _("success stories")
        ordering = ["response__participant__workshop__start_date", "response__participant__administration__code", "pk"]
        constraints = [
            # One story per description: the indicator counts results, and one text confirmed twice is one result.
            models.UniqueConstraint("response", "answer", name="success_story_once_per_description"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="success_story_kind_valid"),
            models.CheckConstraint(condition=Q(answer__in=FREE_TEXTS), name="success_story_answer_valid"),
            models.CheckConstraint(condition=~Q(excerpt=""), name="success_story_has_excerpt"),
        ]

    def __str__(self) -> str:
        return f"{self.administration.code}: {self.excerpt[:60]}"

    @property
    def attribution(self) -> str:
        """As the report prints it after the excerpt, like a quote's: (Fiji – WCO Regional Workshop on AEO)."""
        return f"({self.administration.name} – {self.workshop.title})"

    def clean(self) -> None:
        """A story comes from a reply (a draft counts for nothing) and from a description the participant wrote."""
        super().clean()
        if self.response_id is None or not self.answer:
            return
        if not self.response.is_reply:
            raise ValidationError({"response": gettext("This response is a draft: only a reply can hold a result.")})
        if not (getattr(self.response, self.answer, "") or "").strip():
            raise ValidationError({"answer": gettext("The reply has no text for this description.")})
        if not (self.excerpt or "").strip():
            self.excerpt = getattr(self.response, self.answer).strip()

    def confirm(self, user, now=None) -> None:
        """Staff confirm the story: who and when are recorded on every save they make (the last word counts)."""
        self.confirmed_by = user
        self.confirmed_at = now or timezone.now()

    @property
    def administration(self):
        return self.response.participant.administration

    @property
    def workshop(self):
        return self.response.participant.workshop

    @property
    def fiscal_year(self) -> int:
        return self.workshop.fiscal_year

    @property
    def description(self) -> str:
        """The reply's text the story comes from, as the participant wrote it."""
        return getattr(self.response, self.answer)


class DescriptionSuggestion(models.Model):
    """What impact.suggestions made of a reply's description, computed in the background (impact.suggesting) and
    shown to staff beside it. It never counts: only a SuccessStory does."""

    response = models.ForeignKey(
        Response, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="description_suggestions"
    )
    answer = models.CharField(verbose_name=_("description"), max_length=30, choices=description_choices())
    language = models.CharField(verbose_name=_("language"), max_length=8, blank=True)
    reason = models.CharField(verbose_name=_("why no suggestion"), max_length=20, blank=True)
    tangible = models.BooleanField(verbose_name=_("possible tangible result"), null=True)
    kind = models.CharField(verbose_name=_("suggested kind"), max_length=12, choices=Kind.choices, blank=True)
    section = models.CharField(verbose_name=_("suggested heading"), max_length=1, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("near-duplicate of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(verbose_name=_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint("response", "answer", name="suggestion_once_per_description"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.answer}: {self.reason or self.kind or self.tangible}"

    @property
    def suggested(self) -> bool:
        return not self.reason

    @property
    def section_label(self) -> str:
        return {"a": gettext("(a) Operational improvement"), "b": gettext("(b) Strategic empowerment")}.get(
            self.section, ""
        )
