"""The office's own wording of each e-mail, per language: edited here, previewed with a real participant's values
before it is saved, sent to the staff user as a test; refused with the reason when it does not render, drops the
personal link or the opt-out line, or does more with a participant's values than print them
(surveys.mail.wording_checks). Without a saved wording, the files under templates/emails/ are the wording."""

from __future__ import annotations

import secrets
from typing import Any

from csp.decorators import csp
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from rocbap.admin import StaffModelAdmin
from surveys.mail.wording import PARTS, file_sources
from surveys.mail.wording_checks import Preview, check, preview_participant, send_test
from surveys.models import EmailTemplateKind, EmailWording
from workshops.models import Participant

VALUES_HELP = _(
    "A template: {{ participant.name }}, {{ link }} (the personal link), {{ optout_link }}, {{ workshop.title }}, "
    "{{ workshop.dates_display }}, {{ workshop.venue }}, {{ due }}, {{ days_left }}, {{ office.short_name }}, "
    "{{ office_email }}, as in the files under templates/emails/."
)


# How many participants "preview with" offers (the latest).
PREVIEW_CHOICES = 200

# The HTML preview is a document of its own, at its own address (html_preview), with its own policy: an e-mail
# keeps its inline styles and may be framed by the wording page, nothing in it runs or loads beyond the site's
# images, and the page around it keeps the site's strict policy. (A frame's srcdoc would inherit the page's policy,
# which would then have to allow inline styles and framing for the whole page.)
HTML_PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "frame-ancestors": ["'self'"],
    "sandbox": [""],
}
# The session keeps the latest HTML previews of the wording page, each under a random token (the e-mail names a
# real participant: only the staff user who previewed it may open it).
PREVIEWS_KEY = "email_wording_previews"
KEPT_PREVIEWS = 5


class EmailWordingForm(forms.ModelForm):
    preview_with = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        label=_("preview with"),
        help_text=_(
            "Whose values the preview and the test e-mail show; by default the latest participant in the language."
        ),
    )
    # What the preview showed (Preview.digest): a wording is saved only as staff last saw it.
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EmailWording
        fields = ["kind", "language", "subject", "text", "html"]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2, "cols": 100}),
            "text": forms.Textarea(attrs={"rows": 18, "cols": 100}),
            "html": forms.Textarea(attrs={"rows": 18, "cols": 100}),
        }
        help_texts = {"text": VALUES_HELP}

    request: HttpRequest
    preview: Preview | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["preview_with"]
        assert isinstance(field, forms.ModelChoiceField)
        # The latest participants, not thousands of them in one list.
        latest = list(Participant.objects.order_by("-pk").values_list("pk", flat=True)[:PREVIEW_CHOICES])
        field.queryset = Participant.objects.filter(pk__in=latest).select_related("workshop").order_by("-pk")
        for part in PARTS:  # kept as typed: blank lines and the last line break are the e-mail's layout
            self.fields[part].strip = False  # type: ignore[attr-defined]

    def _typed(self, part: str) -> str:
        # Browsers send a text area's line breaks as CR LF; the e-mails are written with LF, as the files are.
        return str(self.cleaned_data[part]).replace("\r\n", "\n")

    def clean_subject(self) -> str:
        return self._typed("subject")

    def clean_text(self) -> str:
        return self._typed("text")

    def clean_html(self) -> str:
        return self._typed("html")

    def _shown(self, preview: Preview) -> None:
        """Keep the preview for the page, and its digest in the form: saving it as it is now needs no other look."""
        self.preview = preview
        data = QueryDict(mutable=True)
        data.update(self.data)
        data[self.add_prefix("previewed")] = preview.digest
        self.data = data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, language = data.get("kind"), data.get("language")
        if not kind or not language or any(not data.get(part) for part in PARTS):
            return data  # the fields say what is missing
        participant = preview_participant(language, data.get("preview_with"))
        if participant is None:
            raise ValidationError(
                _("There is no participant yet whose values the wording can be checked with: add one first.")
            )
        preview = check(kind, language, {part: data[part] for part in PARTS}, participant)
        self._shown(preview)
        if "_test_send" in self.data:
            address = self.request.user.email  # type: ignore[union-attr]
            if not address:
                raise ValidationError(_("Your user has no e-mail address to send the test to: add one first."))
            send_test(preview, address)
            messages.success(self.request, gettext("A test e-mail went to %(address)s.") % {"address": address})
            raise ValidationError(_("Nothing is saved yet: save when the e-mail reads well."))
        if "_preview" in self.data or data.get("previewed") != preview.digest:
            raise ValidationError(
                _("Nothing is saved yet: check the e-mail below, as %(name)s would receive it, then save.")
                % {"name": participant.name}
            )
        return data


@admin.register(EmailWording)
class EmailWordingAdmin(StaffModelAdmin):
    form = EmailWordingForm
    change_form_template = "admin/surveys/emailwording/change_form.html"
    change_list_template = "admin/surveys/emailwording/change_list.html"
    list_display = ["kind", "language", "subject", "updated_at"]
    list_filter = ["kind", "language"]
    fieldsets = [
        (None, {"fields": ["kind", "language", "preview_with"]}),
        (_("Wording"), {"fields": ["subject", "text", "html", "previewed"]}),
    ]

    def get_form(self, request: HttpRequest, obj: EmailWording | None = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new wording starts from the files' wording of its kind (?kind=reminder): what participants get now."""
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind")
        if kind not in EmailTemplateKind.values:
            kind = EmailTemplateKind.INVITATION
        return {"kind": kind, **file_sources(str(kind)), **initial}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        adminform = context.get("adminform")
        if adminform is not None and adminform.form.preview is not None:
            context["html_preview_url"] = self._keep_html_preview(request, adminform.form.preview.texts.html)
        return response

    def _keep_html_preview(self, request: HttpRequest, html: str) -> str:
        token = secrets.token_urlsafe(16)
        kept = dict(list(request.session.get(PREVIEWS_KEY, {}).items())[-(KEPT_PREVIEWS - 1) :])
        kept[token] = html
        request.session[PREVIEWS_KEY] = kept
        return reverse("admin:surveys_emailwording_html_preview", args=[token])

    def get_urls(self):
        preview = path(
            "preview/<str:token>/", self.admin_site.admin_view(html_preview), name="surveys_emailwording_html_preview"
        )
        return [preview, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None):
        add = reverse("admin:surveys_emailwording_add")
        starts = [(label, f"{add}?kind={value}") for value, label in EmailTemplateKind.choices]
        return super().changelist_view(request, {**(extra_context or {}), "wording_starts": starts})


@xframe_options_sameorigin
@csp(HTML_PREVIEW_POLICY)  # type: ignore[arg-type]  # django-csp types a view as taking the request alone
def html_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The HTML e-mail of the staff user's own preview, for the wording page's sandboxed frame. The token is only
    in the session of whoever previewed (which took the right to word e-mails): nobody else can open it."""
    html = request.session.get(PREVIEWS_KEY, {}).get(token)
    if html is None:
        raise Http404("No such preview in this session.")
    return HttpResponse(html, content_type="text/html; charset=utf-8")
