"""Small and empty rounds read back from the PDF in English, French, Spanish and Arabic (reports.summary,
templates/reports/report.html): a round of one workshop, one participant and one reply answering No to everything,
and a round where nobody replied. Every sentence with a count is true and natural for 0 and 1; a section with nothing
to say says so once; empty rows, notes and appendices are left out."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reports.pdf import render_pdf
from tests.helpers import pdf_text, submitted_reply, valuation_workshop
from tests.languages import english_in, plain_arabic

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    """The PDF's text on one line, no-break spaces read as spaces, a word broken at a line end joined again."""
    return " ".join(re.sub(r"-\n\s*", "-", text).replace("\u202f", " ").replace("\u00a0", " ").split())


def rendered(year: int, language: str, tmp_path) -> str:
    path = tmp_path / f"report-{year}-{language}.pdf"
    path.write_bytes(render_pdf(year, language=language))
    return flat(pdf_text(path))


@pytest.fixture
def one_reply_all_no(workshop_factory, participant_factory):
    """FY2024/25: one regional workshop (January), one participant, one reply that took no action and answered No
    to Q3-Q5, with no text."""
    submitted_reply(
        participant_factory(workshop=valuation_workshop(workshop_factory), administration="FJ"),
        q3_direct_effects=False,
        q4_contributed=False,
        q5_new_project=False,
    )
    return 2024


@pytest.fixture
def no_reply(workshop_factory, participant_factory):
    """FY2024/25: one sub-regional workshop, three participants, nobody replied."""
    workshop = workshop_factory(
        title="WCO Sub-regional Workshop on Risk Management",
        scope="sub-regional",
        start_date=dt.date(2024, 11, 4),
        end_date=dt.date(2024, 11, 7),
    )
    for code in ("FJ", "TO", "WS"):
        participant_factory(workshop=workshop, administration=code)
    return 2024


# What no round may print, whatever its size (the faults of issue 23).
NEVER = (
    r"\b1 of them were\b",
    r"Of their 1 participants",
    r"\b0 of the 0\b",
    r"\b0 respondents?\b",
    r"\b1 respondents\b",
    r"Sur leurs 1 participants",
    r"\b1 ont répondu",
    r"\b0 répondants?\b",
    r"Sub-total of Sub-regional Workshops",
    r"Sous-total des ateliers sous-régionaux",
    r"×2",
    r"a total of 1 regional",
    r"au total 1 atelier",
    r"\b1 encuestados\b",
    r"\b0 encuestados?\b",
    r"De sus 1 participantes",
    r"\b1 respondieron\b",
    r"Subtotal de talleres subregionales",
    r"en total 1 taller",
)


def assert_never(text: str) -> None:
    for pattern in NEVER:
        assert not re.search(pattern, text), pattern


def test_one_reply_answering_no_in_english(one_reply_all_no, tmp_path):
    text = rendered(one_reply_all_no, "en", tmp_path)
    assert_never(text)
    assert "organized a single regional/sub-regional workshop, excluding the accreditation workshops; it was" in text
    assert "received a single reply, a reply rate of 100%" in text
    assert "went to the participants of the workshop listed in Table 1, six months after it: the only" in text
    assert "The only participant replied: a reply rate of 100%." in text
    # Actions nobody took: said once, no subsection of zeros.
    assert "None of the respondents shared the training materials" in text
    assert "2.2.1" not in text
    # Q2 unanswered: no "two groups" of answers that do not exist.
    assert "The respondent did not describe how the lessons learnt" in text
    assert "Their answers fall into two groups" not in text
    assert "None of the respondents who answered Q3 realized direct effects" in text
    # 2.7 and the summary agree: too few replies to look for associations; the empty table is not printed.
    assert "There are too few replies to look for associations" in text
    assert "finds no association" not in text
    assert "too few replies to look for associations between follow-up actions and outcomes (section 2.7)" in text
    assert "Table 8" not in text
    # Appendix 2 left out: the report names no administration (no codes in Tables 4 and 7, no quotes).
    assert "Appendix 2" not in text
    # One caption a figure, numbered, listed in the contents.
    assert text.count("Figure 1 – Reply rate of this round and the earlier rounds") == 2
    assert "Reply rate by survey round" not in text


def test_one_reply_answering_no_in_french(one_reply_all_no, tmp_path):
    text = rendered(one_reply_all_no, "fr", tmp_path)
    assert_never(text)
    assert "a organisé un seul atelier régional/sous-régional" in text
    assert "L'Enquête 2025 a reçu une seule réponse" in text
    assert "Le seul participant a répondu, soit un taux de réponse de 100 %." in text
    assert "Aucun répondant n'a partagé les supports de formation" in text
    assert "Le répondant n'a pas décrit comment les enseignements" in text
    assert "Aucun des répondants ayant répondu à Q3 n'a obtenu d'effets directs" in text
    assert "trop peu nombreuses pour rechercher des associations" in text
    assert "Annexe 2" not in text
    # The month as French abbreviates it (CLDR): janv., not jan.
    assert "(janv. 2025)" in text and "(jan. 2025)" not in text


def test_one_reply_answering_no_in_spanish(one_reply_all_no, tmp_path):
    text = rendered(one_reply_all_no, "es", tmp_path)
    assert_never(text)
    assert "organizó un único taller regional/subregional, sin contar los talleres de acreditación; este fue" in text
    assert "La Encuesta 2025 recibió una única respuesta, lo que supone una tasa de respuesta del 100 %" in text
    assert (
        "se envió a los participantes del taller que figura en el cuadro 1, seis meses después de este: el único"
        in text
    )
    assert "El único participante respondió: una tasa de respuesta del 100 %." in text
    assert "Ninguno de los encuestados compartió los materiales de formación" in text
    assert "2.2.1" not in text
    assert "El encuestado no describió cómo se aprovechan en su administración las enseñanzas" in text
    assert "Sus respuestas se dividen en dos grupos" not in text
    assert "Ninguno de los encuestados que respondieron a la Q3 obtuvo efectos directos" in text
    assert "Hay muy pocas respuestas para buscar asociaciones" in text
    assert "Cuadro 8" not in text
    assert "Apéndice 2" not in text
    assert text.count("Figura 1 – Tasa de respuesta de esta ronda y de las rondas anteriores") == 2
    # The month as Spanish abbreviates it (CLDR); the ordinal of a round (feminine: la ronda).
    assert "(ene 2025)" in text and "11.ª ronda" in text
    assert english_in(text, "es") == []


def test_one_reply_answering_no_in_arabic(one_reply_all_no, tmp_path):
    """Arabic, right to left: every count of one (a single workshop, reply, participant, respondent) worded as the
    singular, and nothing left in English."""
    text = plain_arabic(rendered(one_reply_all_no, "ar", tmp_path))
    assert_never(text)
    for sentence in (
        "ورشة عمل إقليمية/دون إقليمية واحدة",
        "ردًّا واحدًا",
        "ردّ المشارك الوحيد",
        "لم يشارك أيٌّ من المجيبين المواد التدريبية",
        "لم يصف المجيب كيف يُستفاد من الدروس المستفادة في ورشة العمل في إدارته",
        "آثارًا مباشرة من تطبيق ما تعلّمه",
        "الردود أقل من أن يُبحث فيها عن ارتباطات",
    ):
        assert plain_arabic(sentence) in text, sentence
    assert "المجموع الفرعي" not in text and "مختصرات أسماء" not in text
    assert english_in(text, "ar") == []


def test_no_reply_says_so_once(no_reply, tmp_path):
    for language, said, absent in (
        ("en", "No participant replied to the Survey 2025", ("2.2 Follow-up actions taken", "Table 2", "Figure 2")),
        ("fr", "Aucun participant n'a répondu à l'Enquête 2025", ("2.2 Actions de suivi", "Tableau 2", "Figure 2")),
        (
            "es",
            "Ningún participante respondió a la Encuesta 2025",
            ("2.2 Acciones de seguimiento", "Cuadro 2", "Figura 2"),
        ),
    ):
        text = rendered(no_reply, language, tmp_path)
        assert_never(text)
        assert said in text
        for title in absent:
            assert title not in text, (language, title)
    english = rendered(no_reply, "en", tmp_path)
    assert "None of their 3 participants replied." in english
    assert "the sections that analyse the replies are left out" in english
    assert english.count("the sections that analyse the replies are left out") == 1
    assert "Sub-total of Regional Workshops" not in english  # only the scope the round has
    # ... and its one sub-total would repeat the total: the total stands alone.
    assert "Sub-total" not in english
    assert "Sous-total" not in rendered(no_reply, "fr", tmp_path)
    spanish = rendered(no_reply, "es", tmp_path)
    assert "Ninguno de sus 3 participantes respondió." in spanish
    assert spanish.count("se omiten las secciones que analizan las respuestas") == 1
    assert "Subtotal" not in spanish
