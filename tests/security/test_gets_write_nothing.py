"""GETs never write: every staff page (all of /staff/, from the URL resolver) and every admin list and form of the
product's models, opened by a superuser, leaves every table of the product as it was (the quotes page used to create
the fiscal year's report edition).

Among them, an import left awaiting confirmation past IMPORT_CONFIRMATION_HOURS: its pages show it expired, in the
staff user's language, and leave its row and its file to the periodic pass (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from reports import pdf
from surveys.imports import jobs as imports
from surveys.models import ImportState, Response, WorkbookImport
from tests.helpers import staff_patterns

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("workshops", "surveys", "impact", "reports")


def _tables() -> dict[str, list]:
    """Every row of every product table, as values (a changed row shows too, not only a new one)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _staff_urls(reply: Response) -> list[str]:
    values = {
        "fiscal_year": 2019,
        "workshop_id": reply.participant.workshop_id,
        "response_id": reply.pk,
        "administration_id": reply.participant.administration_id,
        "indicator": "rsp-2022-2024-tangible-results",
    }
    urls = []
    for pattern in staff_patterns():
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"reports:{pattern.name}", kwargs=kwargs))
    return urls


def _import_urls(workbook_import: WorkbookImport) -> list[str]:
    """The pages that show an import: the upload page (its recent imports), its status page, the list of past
    imports (all of them, and those whose state is expired)."""
    listing = reverse("admin:surveys_workbookimport_changelist")
    return [
        reverse("admin:workshops_workshop_import"),
        reverse("admin:workshops_workshop_import_status", args=[workbook_import.pk]),
        listing,
        f"{listing}?state={ImportState.EXPIRED}",
    ]


def _past_its_time() -> WorkbookImport:
    """An import awaiting confirmation a day longer than it may, its file kept: no pass has expired it yet."""
    since = timezone.now() - dt.timedelta(hours=settings.IMPORT_CONFIRMATION_HOURS + 24)
    plan = [
        {
            "workshop": "IMP-1",
            "title": "Imports",
            "kind": "invitation",
            "count": 2,
            "day": "2020-06-12",
            "due": "2020-07-03",
        }
    ]
    workbook_import = WorkbookImport.objects.create(
        file_name="late.xlsx", state=ImportState.AWAITING, awaiting_since=since, announced=plan
    )
    imports.upload_path(workbook_import).write_bytes(b"kept until the periodic pass")
    return workbook_import


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label not in PRODUCT_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def test_no_get_writes(staff_client, demo_data, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    pdf.mark_rendering(2019, pdf.fingerprint(2019))  # the PDF page then only says it is under way (no WeasyPrint)
    reply = Response.objects.replies().order_by("pk").first()
    late = _past_its_time()
    urls = _staff_urls(reply) + _admin_urls() + _import_urls(late)
    assert len(urls) > 15
    before = _tables()
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert _tables() == before, url
    assert imports.upload_path(late).exists()


# What each import page says of the late import, in English and in French: the upload page's recent imports (the state
# in lower case), the status page, the list's state column (twice: the whole list, and filtered on Expired).
EXPIRED = {
    "en": [
        "expired: nothing imported, upload it again",
        "Expired: this import waited more than",
        'class="field-shown_state">Expired: nothing imported, upload it again',
        'class="field-shown_state">Expired: nothing imported, upload it again',
    ],
    "fr": [
        "expirée : rien n&#x27;a été importé, chargez de nouveau le classeur",
        "Expirée : cette importation a attendu une confirmation plus de",
        'class="field-shown_state">Expirée : rien n&#x27;a été importé',
        'class="field-shown_state">Expirée : rien n&#x27;a été importé',
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_import_past_its_time_is_shown_expired_and_left_to_the_periodic_pass(
    staff_client, settings, tmp_path, language
):
    settings.VAR_DIR = tmp_path
    late = _past_its_time()
    before = _tables()
    for url, expired in zip(_import_urls(late), EXPIRED[language], strict=True):
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200, url
        assert expired in page.content.decode(), url
        assert _tables() == before, url
    status = staff_client.get(_import_urls(late)[1]).content.decode()
    assert 'name="_confirm"' not in status and 'http-equiv="refresh"' not in status
    assert imports.upload_path(late).exists()
