"""Quote curation: staff pick a reply's free text, edit the excerpt, and place it in a section of the report.
Nothing is quoted that staff did not choose (docs/report.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from impact.models import DescriptionSuggestion
from impact.suggesting import Agreement
from impact.suggestions import cohen_kappa
from reports.models import EditionStatus, Quote, ReportEdition, Section
from surveys.models import FREE_TEXTS, Response
from workshops.models import fiscal_year_label

# Where a text is quoted unless staff choose otherwise: each free text belongs to one question's section.
# Q2 texts default to (a) operational improvement; staff move the strategic ones to (b).
SECTION_FOR_ANSWER: dict[str, str] = {
    "q1_others_text": Section.OTHERS,
    "q2_utilization": Section.OPERATIONAL,
    "q3_text": Section.DIRECT_EFFECTS,
    "q4_text": Section.EFFICIENCY,
    "q5_text": Section.PROJECTS,
}


# The Q2 headings staff choose, as impact.suggestions names its suggestion of one.
HEADING_OF_SECTION: dict[str, str] = {Section.OPERATIONAL: "a", Section.STRATEGIC: "b"}


def heading_agreement(fiscal_year: int) -> Agreement:
    """How often the (a)/(b) heading staff chose for the edition's Q2 quotes is the one suggested for their
    description (impact.suggesting): the share equal to the suggestion, Cohen's kappa between suggestion and choice,
    and n, over the edition's Q2 quotes placed under (a) or (b) whose description had a suggestion. A quote left
    under (a), where a Q2 text goes by default (SECTION_FOR_ANSWER), counts as staff's choice."""
    suggested = dict(
        DescriptionSuggestion.objects.filter(
            response__participant__workshop__fiscal_year=fiscal_year,
            answer="q2_utilization",
            reason="",
            section__in=HEADING_OF_SECTION.values(),
        ).values_list("response_id", "section")
    )
    chosen = Quote.objects.filter(
        edition__fiscal_year=fiscal_year, answer="q2_utilization", section__in=HEADING_OF_SECTION
    ).values_list("response_id", "section")
    pairs = [
        (suggested[response_id], HEADING_OF_SECTION[section])
        for response_id, section in chosen
        if response_id in suggested
    ]
    agreed = sum(1 for said, chose in pairs if said == chose)
    return Agreement("section", agreed, len(pairs), cohen_kappa(pairs), len(pairs))


def edition_for(fiscal_year: int) -> ReportEdition:
    """The fiscal year's edition, created as a draft the first time staff touch it."""
    edition, _ = ReportEdition.objects.get_or_create(fiscal_year=fiscal_year)
    return edition


@dataclass(frozen=True)
class ReplyText:
    """One non-empty free text of a reply, as staff browse them to choose quotes."""

    response: Response
    answer: str
    text: str
    quoted: bool

    @property
    def label(self) -> str:
        return Response.answer_label(self.answer)

    @property
    def section(self) -> str:
        return SECTION_FOR_ANSWER[self.answer]


def reply_texts(fiscal_year: int, response_id: int | None = None) -> list[ReplyText]:
    """Every non-empty free text of the fiscal year's replies (surveyed workshops), in the report's order."""
    replies = (
        Response.objects.replies()
        .filter(participant__workshop__fiscal_year=fiscal_year, participant__workshop__surveyed=True)
        .select_related("participant__workshop", "participant__administration")
    )
    if response_id is not None:
        replies = replies.filter(pk=response_id)
    quoted = set(Quote.objects.filter(edition__fiscal_year=fiscal_year).values_list("response_id", "answer").distinct())
    return [
        ReplyText(response, answer, getattr(response, answer).strip(), (response.pk, answer) in quoted)
        for response in replies
        for answer in FREE_TEXTS
        if getattr(response, answer).strip()
    ]


def next_order(edition: ReportEdition, section: str) -> int:
    highest = edition.quotes.filter(section=section).aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


class QuoteForm(forms.ModelForm):
    """Used by the admin and the staff page alike. The edition follows from the reply's fiscal year; an empty
    excerpt takes the answer's full text; an empty order puts the quote last in its section."""

    excerpt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("As it will be printed. Leave empty to take the answer's full text."),
    )
    order = forms.IntegerField(min_value=0, required=False, help_text=_("Leave empty to put it last in its section."))

    class Meta:
        model = Quote
        fields = ["response", "answer", "excerpt", "section", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].required = False
        self.fields["section"].help_text = _("Leave empty for the answer's own section.")
        self.fields["section"].label = _("Section")
        self.fields["answer"].label = _("Answer")
        self.fields["response"].label = _("Reply")
        self.fields["excerpt"].label = _("Excerpt")
        self.fields["order"].label = _("Order")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        response: Response | None = cleaned.get("response")
        answer = cleaned.get("answer")
        if response is None or not answer:
            return cleaned
        # A final edition's quotes are frozen, whichever page asks (reopen the edition first).
        fiscal_year = response.participant.workshop.fiscal_year
        final = ReportEdition.objects.filter(fiscal_year=fiscal_year, status=EditionStatus.FINAL).exists()
        if final or (self.instance.edition_id and self.instance.edition.is_final):
            raise forms.ValidationError(
                f"The FY{fiscal_year_label(fiscal_year)} report is final: its quotes no longer change. "
                "Reopen the report (back to draft) to change them."
            )
        if not response.is_reply:
            raise forms.ValidationError(_("Only submitted replies can be quoted; this one is still a draft."))
        text = getattr(response, answer).strip()
        if not text:
            self.add_error(
                "answer",
                gettext("This reply has no text for “%(answer)s”.") % {"answer": Response.answer_label(answer)},
            )
            return cleaned
        if not (cleaned.get("excerpt") or "").strip():
            cleaned["excerpt"] = text
        if not cleaned.get("section"):
            cleaned["section"] = SECTION_FOR_ANSWER[answer]
        return cleaned

    def save(self, commit: bool = True) -> Quote:
        quote: Quote = super().save(commit=False)
        quote.excerpt = quote.excerpt.strip()
        if not quote.edition_id:
            quote.edition = edition_for(quote.response.participant.workshop.fiscal_year)
        if self.cleaned_data.get("order") is None:
            quote.order = next_order(quote.edition, quote.section)
        if commit:
            quote.save()
        return quote


class QuoteTextForm(QuoteForm):
    """QuoteForm as the staff quoting page shows it under each reply text: the reply and answer fixed (hidden),
    laid out by crispy-forms with Bootstrap 5. `number` keeps the ids of the many forms on one page apart."""

    def __init__(self, *args, number: int = 0, **kwargs) -> None:
        super().__init__(*args, auto_id=f"quote{number}-%s", **kwargs)
        self.fields["response"].widget = forms.HiddenInput()
        self.fields["answer"].widget = forms.HiddenInput()
        self.fields["excerpt"].label = _("Excerpt as printed")
        self.fields["order"].label = _("Order (empty: last)")
        self.helper = FormHelper(self)
        self.helper.form_class = "quote-form"
        self.helper.layout = Layout(
            "response",
            "answer",
            Field("excerpt", rows=3),
            Row(
                Column("section", css_class="col-md-6"),
                Column("order", css_class="col-md-3"),
                Column(
                    StrictButton(gettext("Quote this"), type="submit", css_class="btn-outline-primary w-100"),
                    css_class="col-md-3 align-self-center",
                ),
            ),
        )
