"""Member administrations, workshops and the participants who attended them."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rocbap.formats import days_long
from rocbap.languages import default_language, language_choices

# The languages a workshop may carry a title in besides the one given (title_en, title_fr…): every language a
# participant may be served in.
TITLE_LANGUAGES = ("en", "fr", "es", "ar")


def month_abbreviated(day: dt.date, language: str | None = None) -> str:
    """A workshop's month: 'Dec. 2019' (and 'May 2020') as the English reports write it; 'déc. 2019' in French."""
    code = _language_code(language)
    if code == "en":
        return f"{day:%b}{'.' if day.month != 5 else ''} {day:%Y}"
    return format_skeleton("yMMM", day, locale=code)


def _language_code(language: str | None) -> str:
    return (language or translation.get_language() or settings.OFFICE.default_language).split("-")[0].lower()


@functools.lru_cache(maxsize=16)
def _territory_names(language: str) -> dict[str, str]:
    """CLDR's names of the territories in a language (Babel), by ISO code; none for a language CLDR lacks."""
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def administration_name(code: str, name: str, language: str | None = None) -> str:
    """A member administration's name in a language (by default the active one): the office's own name for it in
    that language where its member list gives one (name_fr…: "Hong Kong, Chine"), the name as registered in the
    office's default language, else CLDR's name of the territory (Babel: "Papouasie-Nouvelle-Guinée"), else the
    name as registered. For pages, e-mails, the admin, the Excel export and the report alike."""
    language = _language_code(language)
    own = settings.OFFICE.member_names.get(code, {}).get(language)
    if own:
        return own
    if language == settings.OFFICE.default_language:
        return name
    return _territory_names(language).get(code) or name


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a day belongs to, named by the year it starts in: 1 Jul 2019-30 Jun 2020 is 2019."""
    return day.year if day.month >= 7 else day.year - 1


def fiscal_year_end(fiscal_year: int) -> dt.date:
    """The last day of a fiscal year: 30 Jun 2020 for 2019 (fiscal_year_of's calendar)."""
    return dt.date(fiscal_year + 1, 6, 30)


def fiscal_year_label(fiscal_year: int) -> str:
    """2019 -> '2019/20', as the reports write it."""
    return f"{fiscal_year}/{(fiscal_year + 1) % 100:02d}"


def survey_year(fiscal_year: int) -> int:
    """The survey of a fiscal year's workshops runs six months on, in the next calendar year: FY2019/20 -> 2020,
    "the Survey 2020"."""
    return fiscal_year + 1


def parse_fiscal_year(text: str) -> int:
    """'2019/20', 'FY2019/20', '2019-20' or '2019' -> 2019."""
    value = text.strip().upper().removeprefix("FY").strip()
    head, sep, tail = value.replace("-", "/").partition("/")
    if not head.isdigit() or len(head) != 4:
        raise ValueError(gettext("not a fiscal year: %(text)r (write it as 2019/20)") % {"text": text})
    year = int(head)
    if sep and tail != f"{(year + 1) % 100:02d}" and tail != str(year + 1):
        raise ValueError(
            gettext("not a fiscal year: %(text)r (the second year must follow the first)") % {"text": text}
        )
    return year


def new_token() -> str:
    # 256 bits from the OS; the link is the participant's only credential.
    return secrets.token_urlsafe(32)


class MemberAdministration(models.Model):
    code = models.CharField(
        verbose_name=_("code"), max_length=2, unique=True, help_text=_("Two letters as used in the reports, e.g. FJ.")
    )
    name = models.CharField(verbose_name=_("name"), max_length=100)
    subregion = models.CharField(_("sub-region"), max_length=40, blank=True)
    aliases = models.CharField(
        verbose_name=_("aliases"),
        max_length=100,
        blank=True,
        help_text=_("Other codes met in documents, separated by spaces (e.g. PNG)."),
    )

    class Meta:
        verbose_name = _("member administration")
        verbose_name_plural = _("member administrations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="admin_code_two_capitals")
        ]

    def __str__(self) -> str:
        return f"{self.name_in()} ({self.code})"

    def name_in(self, language: str | None = None) -> str:
        """The administration's name in a language, by default the active one (administration_name)."""
        return administration_name(self.code, self.name, language)

    @classmethod
    def lookup_table(cls) -> dict[str, MemberAdministration]:
        """Every code and alias, upper-case, to its administration."""
        table: dict[str, MemberAdministration] = {}
        for administration in cls.objects.all():
            table[administration.code.upper()] = administration
            for alias in administration.aliases.replace(",", " ").split():
                table[alias.upper()] = administration
        return table


class Scope(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    SUB_REGIONAL = "sub-regional", _("Sub-regional")
    NATIONAL = "national", _("National")


class Mode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


# Checks of a workshop's survey dates, run by Workshop.clean. The survey owns the calendar (surveys.schedule) and
# adds its check here at start-up (SurveysConfig.ready): workshops may not import surveys, yet every form and import
# that validates a workshop must refuse the same dates.
WORKSHOP_DATE_CHECKS: list[Callable[[Workshop], None]] = []


class WorkshopQuerySet(models.QuerySet):
    def surveyed(self) -> WorkshopQuerySet:
        return self.filter(surveyed=True)

    def of_fiscal_year(self, fiscal_year: int) -> WorkshopQuerySet:
        return self.filter(fiscal_year=fiscal_year)


class Workshop(models.Model):
    code = models.SlugField(
        verbose_name=_("code"), max_length=40, unique=True, help_text=_("Stable key used by imports, e.g. FY19-AEO.")
    )
    title = models.CharField(
        verbose_name=_("title"), max_length=300, help_text=_('As published, e.g. "WCO Regional Workshop on AEO".')
    )
    # The title in other languages, where it was published in them: each reader gets their own, else the one above.
    title_en = models.CharField(verbose_name=_("title in English"), max_length=300, blank=True)
    title_fr = models.CharField(verbose_name=_("title in French"), max_length=300, blank=True)
    title_es = models.CharField(verbose_name=_("title in Spanish"), max_length=300, blank=True)
    title_ar = models.CharField(verbose_name=_("title in Arabic"), max_length=300, blank=True)
    scope = models.CharField(verbose_name=_("scope"), max_length=20, choices=Scope.choices)
    start_date = models.DateField(verbose_name=_("start date"))
    end_date = models.DateField(verbose_name=_("end date"))
    venue = models.CharField(
        verbose_name=_("venue"), max_length=200, blank=True, help_text=_('City and country, or "online".')
    )
    mode = models.CharField(verbose_name=_("mode"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    surveyed = models.BooleanField(
        verbose_name=_("surveyed"),
        default=True,
        help_text=_("Untick for accreditation workshops and any other workshop left out of the survey."),
    )
    accreditation = models.BooleanField(
        verbose_name=_("accreditation"),
        default=False,
        help_text=_(
            "An accreditation workshop: the report counts the FY's regional/sub-regional workshops without it."
        ),
    )
    # Derived from start_date on save, stored so that lists and reports filter on it in the database.
    fiscal_year = models.PositiveSmallIntegerField(verbose_name=_("fiscal year"), editable=False, db_index=True)

    invitation_date_override = models.DateField(
        _("invitation date"), null=True, blank=True, help_text=_("Leave empty for the end date plus the survey delay.")
    )
    due_date_override = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Leave empty for the invitation date plus the reply days.")
    )
    feedback_date_override = models.DateField(
        _("feedback date"), null=True, blank=True, help_text=_("Leave empty for the day after the due date.")
    )
    # Set when staff ask for invitations that are older than the catch-up window (historical workshops).
    invitations_released_at = models.DateTimeField(
        verbose_name=_("invitations released at"), null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="workshop_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(scope__in=Scope.values), name="workshop_scope_valid"),
            models.CheckConstraint(condition=models.Q(mode__in=Mode.values), name="workshop_mode_valid"),
        ]

    def __str__(self) -> str:
        """'WCO Regional Workshop on AEO (Dec. 2019)': the title in the active language, and its month as the
        reports write it in English ('Dec. 2019', 'May 2020'), as CLDR abbreviates it otherwise ('déc. 2019')."""
        return f"{self.title_in()} ({month_abbreviated(self.start_date)})"

    def save(self, *args, **kwargs) -> None:
        self.fiscal_year = fiscal_year_of(self.start_date)
        if kwargs.get("update_fields") is not None and "start_date" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "fiscal_year"}
        super().save(*args, **kwargs)

    def title_in(self, language: str | None = None) -> str:
        """The title in a language (by default the active one), falling back to the title as given."""
        code = _language_code(language)
        own = getattr(self, f"title_{code}", "") if code in TITLE_LANGUAGES else ""
        return own or self.title

    def clean(self) -> None:
        super().clean()
        for check in WORKSHOP_DATE_CHECKS:
            check(self)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(fiscal_year_of(self.start_date))

    @property
    def dates_display(self) -> str:
        """'2-5 December 2019', '28 November - 2 December 2019', as a participant reads it, in the active language
        ('2-5 de diciembre de 2019'; CLDR, rocbap.formats.days_long)."""
        return days_long(self.start_date, self.end_date)


def may_be_mailed(via: str = "") -> Q:
    """Who may be mailed (docs/domain.md): not opted out (erasure opts out too) and not flagged undeliverable, as a
    condition on a query that reaches the participant through `via` ("participant__" from a message). The same rule
    for one participant is `Participant.why_no_mail`; the two read the same two fields."""
    return Q(**{f"{via}opted_out_at__isnull": True, f"{via}undeliverable_since__isnull": True})


class ParticipantQuerySet(models.QuerySet):
    def undeliverable(self) -> ParticipantQuerySet:
        return self.filter(undeliverable_since__isnull=False)

    def may_receive_mail(self) -> ParticipantQuerySet:
        """The participants who may be mailed (`may_be_mailed`)."""
        return self.filter(may_be_mailed())


class Participant(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(verbose_name=_("name"), max_length=200)
    email = models.EmailField(verbose_name=_("email"), max_length=254)
    administration = models.ForeignKey(
        MemberAdministration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="participants"
    )
    # The personal link's secret. Revoking a link means drawing a new token.
    token = models.CharField(verbose_name=_("token"), max_length=64, unique=True, default=new_token, editable=False)
    opted_out_at = models.DateTimeField(
        verbose_name=_("opted out at"),
        null=True,
        blank=True,
        help_text=_("Set when the participant asked to receive no more e-mail."),
    )
    # The language of the questionnaire page and of every e-mail to the participant; the participant may switch it
    # on the page, and the choice is kept here for the later e-mails.
    language = models.CharField(
        verbose_name=_("language"),
        max_length=8,
        choices=language_choices,
        default=default_language,
        help_text=_("The participant's pages and e-mails are in this language."),
    )
    # Set by a hard bounce of a message to this address; correcting the address clears it (see save()).
    undeliverable_since = models.DateTimeField(
        _("address undeliverable since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A message to this address bounced for good: nothing more is sent to it until it is corrected."),
    )
    undeliverable_reason = models.TextField(_("why undeliverable"), blank=True, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["workshop__start_date", "administration__code", "name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "workshop", name="participant_email_unique_per_workshop"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.administration.code}) - {self.workshop.code}"

    def save(self, *args, **kwargs) -> None:
        # Read back only for a flagged participant (few): is the address being corrected?
        stored = (
            Participant.objects.filter(pk=self.pk).values_list("email", flat=True).first()
            if self.undeliverable_since and self.pk
            else None
        )
        if stored is not None and self.email.strip().lower() != stored.strip().lower():
            # A corrected address is worth trying: the flag belonged to the old one.
            self.undeliverable_since = None
            self.undeliverable_reason = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "undeliverable_since", "undeliverable_reason"}
        super().save(*args, **kwargs)

    @property
    def why_no_mail(self) -> str:
        """Why this participant may not be mailed, as the message log records it ('' when they may): the rule of
        `may_be_mailed`, for one participant at send time."""
        if self.opted_out_at:
            return "The participant opted out of e-mail."
        if self.undeliverable_since:
            return "The participant's address is undeliverable (a message to it bounced)."
        return ""

    @property
    def undeliverable(self) -> bool:
        return self.undeliverable_since is not None

    def revoke_link(self) -> None:
        """Replace the personal link: the old one stops working at once."""
        self.token = new_token()
        self.save(update_fields=["token"])
