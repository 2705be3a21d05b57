"""GETs never write: every staff page (all of /staff/, from the URL resolver) and every admin list and form of the
product's models, opened by a superuser, leaves every table of the product as it was (the quotes page used to create
the fiscal year's report edition).

One chore is time's, not the request's: the import pages expire an import left awaiting confirmation past
IMPORT_CONFIRMATION_HOURS, as the next periodic pass would anyway (tests/surveys/test_imports.py). Nothing here is
that old, so nothing changes."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from reports import pdf
from surveys.models import Response
from tests.security.test_staff_only import _staff_patterns

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("workshops", "surveys", "reports")


def _tables() -> dict[str, list]:
    """Every row of every product table, as values (a changed row shows too, not only a new one)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _staff_urls(reply: Response) -> list[str]:
    values = {"fiscal_year": 2019, "workshop_id": reply.participant.workshop_id, "response_id": reply.pk}
    urls = []
    for pattern in _staff_patterns():
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"reports:{pattern.name}", kwargs=kwargs))
    return urls


def _admin_urls() -> list[str]:
    urls = [reverse("admin:workshops_workshop_import")]
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
    urls = _staff_urls(reply) + _admin_urls()
    assert len(urls) > 15
    before = _tables()
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert _tables() == before, url
