"""Every script the region's participants write in prints with real glyphs (reports/report.css's font list and the
Noto fonts bin/setup.sh installs), and right-to-left quotes run right to left."""

import logging
import re
import subprocess
import unicodedata
from xml.etree import ElementTree

import pytest
from django.db import transaction

from reports import pdf
from reports.models import Quote, Section
from reports.quotes import edition_for
from surveys.imports.workbook import import_workbook
from surveys.models import Response
from tests.helpers import DEMO_WORKBOOK, seed_rows

pytestmark = pytest.mark.django_db

# One quote per language of the region, as a participant might write it.
QUOTES = {
    "Thai": "การแบ่งปันเอกสารการฝึกอบรมกับเพื่อนร่วมงาน",
    "Lao": "ແບ່ງປັນເອກະສານການຝຶກອົບຮົມ",
    "Khmer": "ចែករំលែកឯកសារបណ្តុះបណ្តាល",
    "Myanmar": "သင်တန်းစာရွက်စာတမ်းများကို မျှဝေခဲ့သည်",
    "Chinese": "与同事分享了培训材料，并向管理层提交了报告。",
    "Japanese": "研修資料を同僚と共有しました。",
    "Korean": "교육 자료를 동료들과 공유했습니다.",
    "Mongolian": "Сургалтын материалыг хамт олонтойгоо хуваалцсан. Өө Үү",
    "Hindi": "प्रशिक्षण सामग्री सहकर्मियों के साथ साझा की गई।",
    "Bengali": "প্রশিক্ষণের উপকরণ সহকর্মীদের সাথে ভাগ করা হয়েছে।",
    "Sinhala": "පුහුණු ද්‍රව්‍ය සගයන් සමඟ බෙදා ගන්නා ලදී.",
    "Nepali": "तालिम सामग्री सहकर्मीहरूसँग बाँडियो।",
    "Dzongkha": "སློབ་སྦྱོང་གི་ཡིག་ཆ་ཚུ་ལཱ་གཡོག་པ་ཚུ་དང་བགོ་བཤའ་རྐྱབ་ཡི།",
    "Persian": "مطالب آموزشی با همکاران به اشتراک گذاشته شد",
    "Urdu": "تربیتی مواد ساتھیوں کے ساتھ شیئر کیے گئے",
    "Pashto": "د روزنې توکي له همکارانو سره شریک شول",
    "Dhivehi": "ތަމްރީނުގެ މާއްދާތައް ބައިވެރިންނާ ހިއްސާކުރެވުނެވެ",
    "Vietnamese": "Đã chia sẻ tài liệu đào tạo với đồng nghiệp; nâng cấp hệ thống quản lý rủi ro.",
}
RIGHT_TO_LEFT = ("Persian", "Urdu", "Pashto", "Dhivehi")


@pytest.fixture(scope="module")
def scripts_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo report with one quote per script in section 2.3 (a), rendered once for the module."""
    path = tmp_path_factory.mktemp("scripts") / "report.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()  # a transactional test that ran before in this worker may have emptied the tables
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        edition = edition_for(2019)
        replies = list(Response.objects.replies().filter(participant__workshop__fiscal_year=2019)[: len(QUOTES)])
        for order, (reply, text) in enumerate(zip(replies, QUOTES.values(), strict=True)):
            Quote.objects.create(
                edition=edition,
                response=reply,
                answer="q2_utilization",
                excerpt=text,
                section=Section.OPERATIONAL,
                order=order,
            )
        records: list[logging.LogRecord] = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("weasyprint").addHandler(handler)
        try:
            path.write_bytes(pdf.render_pdf(2019))
        finally:
            logging.getLogger("weasyprint").removeHandler(handler)
        transaction.set_rollback(True)
    return path, [record.getMessage() for record in records]


def test_every_script_has_a_real_glyph_for_every_character(scripts_pdf):
    path, warnings = scripts_pdf
    # WeasyPrint draws .notdef (an empty box) for a character no font has, and says so.
    assert [warning for warning in warnings if ".notdef" in warning] == []
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    for family in ("Noto-Sans-Thai", "Noto-Sans-Khmer", "Noto-Sans-CJK", "Noto-Naskh-Arabic", "Noto-Sans-Thaana"):
        assert family in fonts, family
    # Every character is in the PDF's text (complex scripts extract reordered, so character by character).
    for language, quote in QUOTES.items():
        assert set(re.sub(r"\s", "", quote)) <= set(text), language


def _words(path) -> list[tuple[float, float, str]]:
    """(x, y, word) of every word of the PDF, as poppler reads them: right-to-left words come in visual order, so
    they are turned back to the order they were written in."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = [
        (float(word.get("xMin")), float(word.get("yMin")), (word.text or "")[::-1])
        for word in ElementTree.fromstring(xml).iter("{http://www.w3.org/1999/xhtml}word")  # noqa: S314 - poppler's output
    ]
    return words


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_right_to_left_quotes_run_right_to_left(scripts_pdf, language):
    path, _ = scripts_pdf
    letters = set(QUOTES[language]) - set(" ")
    words = _words(path)
    # The quote's line: where most of its letters stand (another quote shares some letters, never most).
    line_y = max(
        {round(y) for _, y, _ in words},
        key=lambda band: sum(len(letters & set(text)) for _, y, text in words if abs(y - band) < 4),
    )
    strong = [letter for letter in QUOTES[language] if unicodedata.bidirectional(letter) in ("R", "AL")]
    on_line = sorted((x, text) for x, y, text in words if abs(y - line_y) < 4 and set(strong) & set(text))
    # Written first, set rightmost: the rightmost word holds the quote's first letter, the leftmost its last
    # (poppler splits Thaana into letters and vowel signs, hence letters rather than words).
    assert strong[0] in on_line[-1][1], language
    assert strong[-1] in on_line[0][1], language
    assert on_line[-1][0] > 400, language  # set flush right: the right part of an A4 page (595 pt wide)
