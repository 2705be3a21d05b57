"""Right to left: pages carry lang and dir from the language, and the product's styles use logical properties only,
so Arabic pages mirror without a rule of their own (measured in Chromium: tests/browser/test_questionnaire_es_ar.py)."""

import re

from django.test import RequestFactory
from django.utils import translation

from rocbap.languages import office_context
from tests.helpers import ROOT

# Physical sides, which a right-to-left page would have to override one by one.
PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)\b|\bfloat:\s*(?:left|right)"
)
STYLED = [
    ROOT / "static" / "rocbap.css",
    *sorted((ROOT / "static" / "surveys").glob("*.css")),
    ROOT / "templates" / "reports" / "report.css",
    *sorted((ROOT / "templates" / "emails").rglob("*.html")),
    *sorted((ROOT / "templates" / "surveys").rglob("*.html")),
    ROOT / "templates" / "base.html",
]


def test_the_page_direction_follows_the_language():
    request = RequestFactory().get("/")
    with translation.override("fr"):
        assert office_context(request)["page_direction"] == "ltr"
        assert office_context(request)["page_language"] == "fr"
    with translation.override("ar"):  # the direction is Django's for the language
        assert office_context(request)["page_direction"] == "rtl"


def test_the_styles_use_logical_properties():
    found = {
        str(path.relative_to(ROOT)): PHYSICAL.findall(path.read_text(encoding="utf-8"))
        for path in STYLED
        if path.exists()
    }
    assert {path: hits for path, hits in found.items() if hits} == {}
