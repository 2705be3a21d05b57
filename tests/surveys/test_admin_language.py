"""The admin's own words of the product (actions, column headers, list filters) have their French translation."""

import pytest
from django.utils import translation

from surveys.admin import ParticipantAdmin, WorkshopAdmin, send_link_again
from workshops.admin import UndeliverableFilter


@pytest.mark.parametrize(
    ("text", "english", "french"),
    [
        (lambda: send_link_again.short_description, "Send the link again", "Renvoyer le lien"),
        (lambda: WorkshopAdmin.reply_rate.short_description, "reply rate", "taux de réponse"),
        (lambda: ParticipantAdmin.has_replied.short_description, "replied", "a répondu"),
        (lambda: UndeliverableFilter.title, "address", "adresse"),
    ],
)
def test_admin_words_follow_the_active_language(text, english, french):
    # Lazy texts: translated when the page is rendered, in the language of the request.
    with translation.override("en"):
        assert str(text()) == english
    with translation.override("fr"):
        assert str(text()) == french
