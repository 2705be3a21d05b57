import pytest

from reports.demo import DEMO_QUOTES, add_demo_quotes
from reports.models import Quote, Section

pytestmark = pytest.mark.django_db


def test_demo_quotes_cover_every_section_with_real_texts_once(demo_data):
    assert add_demo_quotes() == len(DEMO_QUOTES)
    assert add_demo_quotes() == 0
    quotes = list(Quote.objects.select_related("response"))
    assert {quote.section for quote in quotes} == set(Section.values)
    for quote in quotes:
        assert quote.excerpt == getattr(quote.response, quote.answer).strip()
        assert "illustrative" not in quote.excerpt
