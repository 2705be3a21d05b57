"""A Spanish and an Arabic participant answer in Chromium on a phone, entirely in their language: every control found
by its label in that language, errors in it, no English wording of the product on any page they see. The Arabic
pages run right to left and their layout is mirrored: measured from the boxes Chromium lays out, not from the
markup alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import ARTIFACTS
from tests.languages import english_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 360


def make_participant(language: str, title: str, name: str):
    from django.core.cache import cache

    from workshops.models import MemberAdministration, Participant, Workshop

    cache.clear()
    workshop = Workshop.objects.create(
        code=f"AP19-{language.upper()}",
        title=title,
        scope="regional",
        start_date=dt.date(2019, 12, 2),
        end_date=dt.date(2019, 12, 5),
        venue="Manila",
        due_date_override=timezone.localdate() + dt.timedelta(days=10),
    )
    # Transactional tests empty the tables afterwards, the migrated member administrations included.
    administration, _ = MemberAdministration.objects.get_or_create(code="PH", defaults={"name": "Philippines"})
    return Participant.objects.create(
        workshop=workshop,
        name=name,
        email=f"{language}@customs.example.org",
        administration=administration,
        language=language,
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-{name}.png"), full_page=True)


def only_in(page, language: str, direction: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == direction
    assert english_in(page.inner_text("body")) == []
    assert english_in(page.title()) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH  # no sideways scrolling


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def text_edges(locator) -> dict:
    """Where an element's text is drawn, its leftmost and rightmost points (a block's own box spans the column
    whatever its text)."""
    return locator.evaluate(
        """element => { const range = document.createRange(); range.selectNodeContents(element);
        const rects = [...range.getClientRects()];
        return {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right))}; }"""
    )


def test_a_spanish_participant_answers_in_spanish(page, live_server):
    from surveys.models import Response

    participant = make_participant("es", "Taller regional sobre gestión de riesgos", "Lucía Pérez")
    page.goto(live_server.url + reverse("surveys:questionnaire", args=[participant.token]))
    only_in(page, "es", "ltr")
    assert page.get_by_role(
        "heading", name="Cuestionario de la ORFC A/P sobre las acciones de seguimiento"
    ).is_visible()

    page.get_by_role("button", name="Enviar", exact=True).click()
    summary = page.locator("#error-summary")
    assert "No se pudo enviar su respuesta" in summary.inner_text()
    assert "Responda a la pregunta Q3: elija Sí o No." in summary.inner_text()
    only_in(page, "es", "ltr")
    shot(page, "es-errors")

    page.get_by_label("Distribución/intercambio de materiales de capacitación con colegas").check()
    page.get_by_label("Número de colegas con quienes compartió los materiales de capacitación", exact=True).fill("15")
    page.get_by_label("Presentación de un informe de misión a los superiores").check()
    page.get_by_label("¿cuántos de sus colegas han aprendido de ellos?").fill("9")
    page.get_by_label("¿Cómo se están aprovechando en general en su Administración").fill(
        "Perfiles de riesgo semanales."
    )
    page.get_by_label("Sí (describa brevemente los efectos obtenidos").check()
    page.get_by_label("Los efectos obtenidos (opcional)").fill("Dos incautaciones en el puerto de Manila.")
    page.get_by_label("Sí (describa brevemente cómo ha contribuido").check()
    page.locator("#q5").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Enviar", exact=True).click()
    page.wait_for_url("**/thanks/")
    assert page.get_by_role("heading", name="Gracias por su respuesta").is_visible()
    only_in(page, "es", "ltr")
    shot(page, "es-thanks")
    reply = Response.objects.get(participant=participant)
    assert reply.is_reply and reply.q1_shared_with == 15 and reply.q3_direct_effects is True
    assert reply.q5_new_project is False


def test_an_arabic_participant_answers_right_to_left(page, live_server):
    from surveys.models import Response

    participant = make_participant("ar", "ورشة العمل الإقليمية بشأن إدارة المخاطر", "ليلى حسن")
    page.goto(live_server.url + reverse("surveys:questionnaire", args=[participant.token]))
    only_in(page, "ar", "rtl")
    heading = page.get_by_role("heading", name="بشأن إجراءات المتابعة المتخذة بعد المشاركة")
    assert heading.is_visible()
    shot(page, "ar-form")

    # Mirrored: lines start at the right edge of the text column, each box stands at the right of its label, and
    # what is indented is indented from the right.
    column = box(page.locator(".questionnaire-header"))
    start, end = column["x"] + column["width"], column["x"]  # right to left: the line starts at the right
    shared = page.get_by_label("تعميم/مشاركة مواد التدريب مع الزملاء")
    label = box(page.locator("label[for='id_q1_shared_materials']"))
    assert box(shared)["x"] > label["x"]
    assert abs(box(shared)["x"] + box(shared)["width"] - start) < 2
    indented = box(page.get_by_label("وصف الإجراءات الأخرى"))
    assert abs(start - (indented["x"] + indented["width"]) - 24) < 2 and abs(indented["x"] - end) < 2
    for text in (page.locator(".questionnaire-header dt").first, heading, page.locator("#q1 legend")):
        assert abs(text_edges(text)["right"] - start) < 2
    assert text_edges(page.locator(".questionnaire-header dt").first)["left"] > end + column["width"] / 2  # short
    assert box(page.locator(".language-switch button").first)["x"] < start - column["width"] / 2  # at the end

    page.get_by_role("button", name="إرسال", exact=True).click()
    summary = page.locator("#error-summary")
    assert "تعذر إرسال إجابتك" in summary.inner_text()
    assert "يرجى الإجابة عن السؤال Q3: اختر نعم أو لا." in summary.inner_text()
    only_in(page, "ar", "rtl")
    shot(page, "ar-errors")

    shared.check()
    page.get_by_label("عدد الزملاء الذين شاركتهم مواد التدريب", exact=True).fill("15")
    page.get_by_label("تقديم تقرير مهمة إلى الرؤساء").check()
    page.get_by_label("كم عدد زملائك الذين استفادوا منها؟").fill("9")
    page.get_by_label("كيف يجري الاستفادة من الدروس المستفادة").fill("تُراجع ملفات المخاطر أسبوعيًا.")
    page.get_by_label("نعم (يرجى وصف الآثار المتحققة").check()
    page.get_by_label("الآثار المتحققة (اختياري)").fill("ضبطيتان في ميناء مانيلا.")
    page.get_by_label("نعم (يرجى الوصف باختصار كيف أسهمت").check()
    page.locator("#q5").get_by_label("لا", exact=True).check()
    page.get_by_role("button", name="إرسال", exact=True).click()
    page.wait_for_url("**/thanks/")
    thanks = page.get_by_role("heading", name="شكرًا على إجابتك")
    assert thanks.is_visible()
    only_in(page, "ar", "rtl")
    assert abs(text_edges(thanks)["right"] - start) < 2 and text_edges(thanks)["left"] > end + 24
    shot(page, "ar-thanks")
    reply = Response.objects.get(participant=participant)
    assert reply.is_reply and reply.q1_shared_with == 15 and reply.q5_new_project is False
    assert reply.q2_utilization == "تُراجع ملفات المخاطر أسبوعيًا."
