"""The admin follows the staff user's browser (issue 13): Django's own words from Django's catalogues, the product's
(actions, column headers, filters, fields, choices, messages, the import's pages) from ours, in French or English."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from surveys.admin.participants import ParticipantAdmin, send_link_again
from surveys.admin.replies import ResponseAdmin
from surveys.admin.workshops import WorkshopAdmin
from surveys.imports.admin import WorkbookImportAdmin
from surveys.models import Bounce, ImportState, WorkbookImport
from tests.languages import english_in, visible_text
from workshops.admin import UndeliverableFilter

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
ARABIC = {"HTTP_ACCEPT_LANGUAGE": "ar,en;q=0.5"}
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.mark.parametrize(
    ("text", "english", "french"),
    [
        (lambda: send_link_again.short_description, "Send the link again", "Renvoyer le lien"),
        (lambda: WorkshopAdmin.reply_rate.short_description, "reply rate", "taux de réponse"),
        (lambda: ParticipantAdmin.has_replied.short_description, "replied", "a répondu"),
        (lambda: UndeliverableFilter.title, "address", "adresse"),
        (lambda: WorkbookImportAdmin.outcome.short_description, "outcome", "résultat"),
        (lambda: WorkbookImport._meta.verbose_name_plural, "workbook imports", "importations de classeurs"),
        (
            lambda: ImportState.EXPIRED.label,
            "Expired: nothing imported, upload it again",
            "Expirée : rien n'a été importé, chargez de nouveau le classeur",
        ),
        (lambda: Bounce.HARD.label, "Hard (permanent)", "Définitif (permanent)"),
        (lambda: apps.get_app_config("surveys").verbose_name, "Follow-up survey", "Enquête de suivi"),
        # The question's fieldset on a reply's page (its first words).
        (lambda: str(ResponseAdmin.fieldsets[1][0])[:25], "Q1. After you have come b", "Q1. Depuis votre retour d"),
    ],
)
def test_admin_words_follow_the_active_language(text, english, french):
    # Lazy texts: translated when the page is rendered, in the language of the request.
    with translation.override("en"):
        assert str(text()) == english
    with translation.override("fr"):
        assert str(text()) == french


def _pages(reply) -> list[str]:
    participant = reply.participant
    return [
        reverse("admin:index"),
        reverse("admin:workshops_workshop_changelist"),
        reverse("admin:workshops_workshop_change", args=[participant.workshop_id]),
        reverse("admin:workshops_participant_changelist"),
        reverse("admin:workshops_participant_change", args=[participant.pk]),
        reverse("admin:surveys_response_change", args=[reply.pk]),
        reverse("admin:surveys_message_changelist"),
        reverse("admin:workshops_workshop_import"),
        reverse("admin:surveys_workbookimport_changelist"),
    ]


@pytest.mark.django_db
def test_the_admin_follows_a_staff_user_whose_browser_asks_for_french(staff_client, demo_data):
    from surveys.models import Response

    reply = Response.objects.replies().select_related("participant").first()
    WorkbookImport.objects.create(file_name="fy2019-20.xlsx", state=ImportState.CANCELLED)
    for url in _pages(reply):
        response = staff_client.get(url, **FRENCH)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert response["Content-Language"] == "fr", url
        assert '<html lang="fr"' in html, url
        assert "Accept-Language" in response["Vary"], url
        assert english_in(visible_text(html)) == [], url
    index = visible_text(staff_client.get(reverse("admin:index"), **FRENCH).content.decode())
    # Django's own words, and the product's.
    assert "Déconnexion" in index and "Enquête de suivi du BRRC A/P" in index and "Importations de classeurs" in index
    workshops = visible_text(staff_client.get(_pages(reply)[1], **FRENCH).content.decode())
    assert "Taux de réponse" in workshops and "Importer un classeur" in workshops and "Par exercice" in workshops


@pytest.mark.django_db
def test_the_admin_follows_a_staff_user_whose_browser_asks_for_spanish(staff_client, demo_data):
    """Spanish is a staff language of the Asia/Pacific office (it lists Spanish): Django's words and ours."""
    from surveys.models import Response

    reply = Response.objects.replies().select_related("participant").first()
    WorkbookImport.objects.create(file_name="fy2019-20.xlsx", state=ImportState.CANCELLED)
    for url in _pages(reply):
        response = staff_client.get(url, **SPANISH)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert response["Content-Language"] == "es", url
        assert '<html lang="es"' in html, url
        assert english_in(visible_text(html), "es") == [], url
    index = visible_text(staff_client.get(reverse("admin:index"), **SPANISH).content.decode())
    assert "Cerrar sesión" in index and "Encuesta de seguimiento de la ORFC A/P" in index
    assert "Importaciones de libros" in index
    workshops = visible_text(staff_client.get(_pages(reply)[1], **SPANISH).content.decode())
    assert "Tasa de respuesta" in workshops and "Importar un libro" in workshops


@pytest.mark.django_db
def test_the_admin_follows_a_staff_user_whose_browser_asks_for_arabic(staff_client, demo_data):
    """Arabic is a staff language of the Asia/Pacific office (it lists Arabic): Django's words and ours, right to
    left (Django's admin turns itself around for a bidirectional language)."""
    from surveys.models import Response

    reply = Response.objects.replies().select_related("participant").first()
    WorkbookImport.objects.create(file_name="fy2019-20.xlsx", state=ImportState.CANCELLED)
    for url in _pages(reply):
        response = staff_client.get(url, **ARABIC)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert response["Content-Language"] == "ar", url
        assert '<html lang="ar" dir="rtl"' in html, url
        assert english_in(visible_text(html), "ar") == [], url
    workshops = visible_text(staff_client.get(_pages(reply)[1], **ARABIC).content.decode())
    assert "معدل الرد" in workshops and "استيراد مصنَّف" in workshops


@pytest.mark.django_db
def test_the_admin_is_english_for_an_english_browser_and_by_default(staff_client, demo_data):
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}, {}, {"HTTP_ACCEPT_LANGUAGE": "de"}):
        response = staff_client.get(reverse("admin:workshops_workshop_changelist"), **headers)
        text = visible_text(response.content.decode())
        assert response["Content-Language"] == "en", headers
        assert "Accept-Language" in response["Vary"], headers
        assert "Reply rate" in text and "Import a workbook" in text and "Taux de réponse" not in text


@pytest.mark.django_db
def test_every_admin_response_varies_on_the_language_the_login_page_too(client):
    # A cache in front must not hand a French page to an English browser, nor the other way round.
    for url in (reverse("admin:index"), reverse("admin:login")):
        response = client.get(url, **FRENCH)
        assert "Accept-Language" in response["Vary"], url
    login = client.get(reverse("admin:login"), **FRENCH)
    assert "Nom d’utilisateur" in login.content.decode() or "Nom d'utilisateur" in login.content.decode()
    # Other pages stay in the office's language, whatever the browser says.
    unknown = client.get("/r/not-a-token/", **FRENCH)
    assert unknown["Content-Language"] == "en" and "Accept-Language" not in unknown.get("Vary", "")


@pytest.mark.django_db
def test_the_reply_rate_is_written_as_the_staff_users_language_writes_it(staff_client, demo_data):
    """55% in English, "55 %" with a narrow no-break space in French (rocbap.percentages), on the workshops' list."""
    from django.db.models import Count, Q

    from rocbap.percentages import percent
    from surveys.models import Status
    from workshops.models import Workshop

    workshop = (
        Workshop.objects.annotate(
            people=Count("participants", distinct=True),
            replies=Count("participants__response", filter=Q(participants__response__status=Status.SUBMITTED)),
        )
        .filter(replies__gt=0)
        .order_by("pk")
        .first()
    )
    rate = percent(workshop.replies, workshop.people)
    url = reverse("admin:workshops_workshop_changelist")
    cell = '<td class="field-reply_rate">{}</td>'
    assert cell.format(f"{rate}%") in staff_client.get(url).content.decode()
    french = staff_client.get(url, **FRENCH).content.decode()
    assert cell.format(f"{rate}\u202f%") in french
    assert cell.format(f"{rate}%") not in french


@pytest.mark.django_db
def test_the_product_s_history_entries_are_shown_in_the_readers_language(staff_client, participant):
    """Erasure's entry is stored as its English message id and worded on the history page in whoever reads it;
    Django's own entries (JSON) are worded by Django as before, and text that is no message id stays as it is."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from workshops.models import Participant

    changelist = reverse("admin:workshops_participant_changelist")
    form = {"action": "erase_personal_data", "_selected_action": [participant.pk], "confirm": "yes"}
    staff_client.post(changelist, form, **FRENCH)  # erased from a French page: stored the same
    [entry] = LogEntry.objects.filter(object_id=str(participant.pk))
    assert entry.change_message == "Erased personal data on request."
    content_type = ContentType.objects.get_for_model(Participant)
    for message in ('[{"changed": {"fields": ["Name"]}}]', "A note written by hand."):
        LogEntry.objects.create(
            user=staff_client.user,
            content_type=content_type,
            object_id=str(participant.pk),
            object_repr=str(participant),
            action_flag=CHANGE,
            change_message=message,
        )
    history = reverse("admin:workshops_participant_history", args=[participant.pk])
    english = staff_client.get(history).content.decode()
    assert "Erased personal data on request." in english and "Changed Name." in english
    french = staff_client.get(history, **FRENCH).content.decode()
    assert "Données personnelles effacées sur demande." in french
    assert "Erased personal data on request." not in french
    assert "Modification de Nom." in french  # Django's own wording of its JSON entry, the field's label translated
    assert "A note written by hand." in french
