"""The admin follows the staff user's browser (issue 13): Django's own words from Django's catalogues, the product's
(actions, column headers, filters, fields, choices, messages, the import's pages) from ours, in French or English."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from surveys.admin import ParticipantAdmin, ResponseAdmin, WorkbookImportAdmin, WorkshopAdmin, send_link_again
from surveys.models import Bounce, ImportState, WorkbookImport
from tests.languages import english_in, visible_text
from workshops.admin import UndeliverableFilter

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}


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
