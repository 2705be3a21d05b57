"""The participant's pages are light on a slow line (issue 15): what a first visit to the questionnaire downloads
(the page, its stylesheet and its script, compressed as they travel) stays under 20 KB, and a repeat visit, for
which the browser keeps the static files, under 8 KB. Measured from the responses themselves."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from tests.helpers import answers

pytestmark = pytest.mark.django_db

# Bytes on the wire also carry the status line and headers of each response: about 1 KB for the page (its
# Content-Security-Policy is long), a few hundred bytes for a static file. What is left of the aims is the budget.
FIRST_VISIT_AIM, REPEAT_VISIT_AIM = 20_000, 8_000
PAGE_HEADERS, STATIC_HEADERS = 1_500, 500


def static_assets(html: str) -> list[str]:
    """The paths of the stylesheets and scripts a page loads."""
    return re.findall(r'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"', html)


def compressed_size(path: str) -> int:
    found = finders.find(path)
    assert found, path
    with open(found, "rb") as handle:
        return len(gzip.compress(handle.read(), compresslevel=9))


def page(client, url, **post):
    response = (
        client.post(url, post, HTTP_ACCEPT_ENCODING="gzip") if post else client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"  # pages travel compressed
    return response, gzip.decompress(response.content).decode()


@pytest.mark.parametrize("state", ["empty", "with errors"])
def test_questionnaire_is_light_on_first_and_repeat_visits(client, url, state):
    response, html = page(client, url, **({"revision": "0", "submit": "1"} if state == "with errors" else {}))
    assets = static_assets(html)
    assert sorted(assets) == ["surveys/keep.js", "surveys/participant.css"]  # never the whole of Bootstrap
    repeat = len(response.content) + PAGE_HEADERS
    first = repeat + sum(compressed_size(path) + STATIC_HEADERS for path in assets)
    assert repeat <= REPEAT_VISIT_AIM, repeat
    assert first <= FIRST_VISIT_AIM, first


def test_thank_you_page_is_light(client, participant, url):
    from django.urls import reverse

    client.post(url, answers())
    response, html = page(client, reverse("surveys:thanks", args=[participant.token]))
    assert "bootstrap" not in html
    assert len(response.content) + PAGE_HEADERS <= REPEAT_VISIT_AIM


def test_staff_pages_keep_bootstrap(staff_client):
    html = staff_client.get("/staff/").content.decode()
    assert "vendor/bootstrap/bootstrap.min.css" in html


def test_static_files_have_hashed_names_cached_for_good_and_travel_compressed(client, url, settings, tmp_path):
    """What makes a repeat visit cheap: the browser keeps the stylesheet and the script without asking again."""
    from django.core.management import call_command
    from django.test import Client

    settings.STATIC_ROOT = tmp_path
    # The project's own files only: the admin's would take a while to compress and are not the participant's.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    production = Client()  # a new client loads whitenoise, which reads the collected files
    _, html = page(production, url)
    assets = static_assets(html)
    assert len(assets) == 2
    for path in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", path), path  # the content's hash in the name
        response = production.get(f"/static/{path}", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) >= 365 * 24 * 3600
        response.close()
