"""Hostile input against the real questionnaire view (/r/<token>/), through a client that enforces CSRF as a
browser's would: never a 5xx, always a clear message (a form error or a 4xx page), and nothing half-written.

Every case starts from a participant whose reply is submitted (revision 1), so "nothing written" is a real check:
the reply's every column, and the number of replies, are compared before and after.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response, Status
from surveys.questionnaire.forms import QuestionnaireForm
from surveys.questionnaire.replies import save_reply
from tests.helpers import answers
from workshops.models import Participant

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
SCRIPT = "<script>alert(1)</script>"
# What the stored reply says before each case (the answers of tests.surveys.conftest.answers()).
STORED_TEXT = "Risk profiles are now shared every week."


@pytest.fixture(autouse=True)
def _empty_cache():
    # The token-guessing counts live in the cache; each case starts with none.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Visit:
    """A participant's browser that has opened their questionnaire page (and so holds a CSRF cookie)."""

    client: Client
    participant: Participant
    other: Participant
    url: str
    csrf: str

    def answers(self, **overrides) -> dict:
        return answers(**({"revision": "1", "csrfmiddlewaretoken": self.csrf} | overrides))

    def post(self, **overrides):
        return self.client.post(self.url, self.answers(**overrides))

    def post_raw(self, body: bytes, content_type: str = FORM, url: str | None = None, **headers):
        return self.client.generic("POST", url or self.url, body, content_type=content_type, **headers)

    def form_body(self, **overrides) -> bytes:
        return urlencode(self.answers(**overrides)).encode()


def _csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


@pytest.fixture
def visit(participant_factory, workshop_factory) -> Visit:
    workshop = workshop_factory(due_date_override=timezone.localdate() + dt.timedelta(days=10))
    participant = participant_factory(workshop=workshop, name="Somchai Rattanakul", administration="TH")
    other = participant_factory(workshop=workshop, name="Other Participant")
    form = QuestionnaireForm(answers(), instance=Response(participant=participant), submit=True)
    assert form.is_valid(), form.errors
    save_reply(participant, form.answers(), submit=True, revision=0)
    client = Client(enforce_csrf_checks=True)
    url = reverse("surveys:questionnaire", args=[participant.token])
    page = client.get(url)
    assert page.status_code == 200
    return Visit(client, participant, other, url, _csrf_token(page))


def _snapshot() -> dict:
    return {"replies": list(Response.objects.order_by("pk").values())}


# --- The cases -------------------------------------------------------------------------------------------------
# Each case sends one hostile request; `status` and `says` are what the participant must get back; `stored` is
# None when nothing may change, else {field: value} the reply must hold afterwards (the request was accepted).


@dataclass
class Case:
    send: Callable[[Visit], object]
    status: int
    says: str | tuple[str, ...] = ()
    stored: dict | None = None
    check: Callable[[Visit, str], None] | None = None


def _revoked(visit: Visit):
    from surveys.questionnaire.links import revoke

    revoke(visit.participant)
    return visit.post(q2_utilization="Sent to the old link")


def _other_visitors_csrf(visit: Visit):
    # A CSRF token taken from another browser (another participant's page) is not valid with this browser's cookie.
    stranger = Client(enforce_csrf_checks=True)
    token = _csrf_token(stranger.get(reverse("surveys:questionnaire", args=[visit.other.token])))
    return visit.post(csrfmiddlewaretoken=token, q2_utilization="With a stranger's CSRF token")


def _script_shown_as_text(visit: Visit, html: str) -> None:
    thanks = visit.client.get(reverse("surveys:thanks", args=[visit.participant.token])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thanks
    assert SCRIPT not in thanks
    page = visit.client.get(visit.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert SCRIPT not in page


def _no_raw(fragment: str) -> Callable[[Visit, str], None]:
    def check(visit: Visit, html: str) -> None:
        assert fragment not in html

    return check


def _many_fields(visit: Visit):
    data = visit.answers() | {f"field{number}": "x" for number in range(2_000)}
    return visit.client.post(visit.url, data)


def _json(visit: Visit):
    body = json.dumps(visit.answers(q2_utilization="Sent as JSON")).encode()
    return visit.post_raw(body, "application/json", headers={"X-CSRFToken": visit.csrf})


def _multipart(visit: Visit, **extra):
    # The test client encodes a dict as multipart/form-data: a form may arrive either way.
    return visit.client.post(visit.url, visit.answers(q2_utilization="Sent as multipart", **extra))


def _upload_too(visit: Visit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return _multipart(visit, attachment=SimpleUploadedFile("evil.html", SCRIPT.encode(), "text/html"))


CASES: dict[str, Case] = {
    # Oversized free text: refused by the form, never truncated silently.
    "free text of 5,001 characters": Case(
        lambda v: v.post(q2_utilization="x" * 5001), 200, "at most 5000 characters (it has 5001)"
    ),
    "free text of 1 MB": Case(lambda v: v.post(q3_text="y" * 1_048_576), 200, "at most 5000 characters"),
    "free text of exactly 5,000 characters is kept": Case(
        lambda v: v.post(q4_text="z" * 5000), 302, stored={"q4_text": "z" * 5000, "revision": 2}
    ),
    "a body larger than the upload limit": Case(
        lambda v: v.post(q2_utilization="x" * (6 * 1024 * 1024)), 400, "could not be read"
    ),
    # Wrong types.
    "checkbox value 'maybe' counts as ticked, as in HTML": Case(
        lambda v: v.post(q1_manuals="maybe"), 302, stored={"q1_manuals": True}
    ),
    "checkbox value 'false' counts as not ticked": Case(
        lambda v: v.post(q1_submitted_report="false"), 302, stored={"q1_submitted_report": False}
    ),
    "yes/no answer '2'": Case(lambda v: v.post(q3_direct_effects="2"), 200, "Select a valid choice"),
    "yes/no answer 'True'": Case(lambda v: v.post(q5_new_project="True"), 200, "Select a valid choice"),
    "negative count": Case(lambda v: v.post(q1_shared_with="-3"), 200, "greater than or equal to 0"),
    "huge count": Case(lambda v: v.post(q1_shared_with=str(10**20)), 200, "less than or equal to"),
    "count of 5,000 digits": Case(lambda v: v.post(q1bis_colleagues_learned="9" * 5000), 200, "Enter a whole number"),
    "count that is a fraction": Case(lambda v: v.post(q1_shared_with="1.5"), 200, "Enter a whole number"),
    "count that is a word": Case(lambda v: v.post(q1_shared_with="twelve"), 200, "Enter a whole number"),
    "count that breaks out of its attribute": Case(
        lambda v: v.post(q1_shared_with='" autofocus onfocus="alert(1)'),
        200,
        "Enter a whole number",
        check=_no_raw('autofocus onfocus="alert(1)"'),
    ),
    "a list where a number is expected (the last one is read)": Case(
        lambda v: v.post(q1_shared_with=["3", "lots"]), 200, "Enter a whole number"
    ),
    "a list of answers to one yes/no question (the last one is read)": Case(
        lambda v: v.post(q3_direct_effects=["yes", "no"]), 302, stored={"q3_direct_effects": False, "revision": 2}
    ),
    "revision that is not a number": Case(lambda v: v.post(revision="latest"), 200, "press the button again"),
    "negative revision": Case(lambda v: v.post(revision="-1"), 200, "press the button again"),
    "stale revision with different answers": Case(
        lambda v: v.post(revision="0", q2_utilization="Typed on an old page"),
        200,
        "Your reply was changed elsewhere",
    ),
    # HTML and script: stored as typed, shown as text.
    "script in free text is stored and shown as text": Case(
        lambda v: v.post(q2_utilization=SCRIPT), 302, stored={"q2_utilization": SCRIPT}, check=_script_shown_as_text
    ),
    "HTML in the contact e-mail": Case(
        lambda v: v.post(contact_email=f'"><img src=x onerror=alert(1)>{SCRIPT}@x.org'),
        200,
        "Enter a valid email address",
        check=_no_raw("<img src=x"),
    ),
    # Invalid bytes and NUL.
    # Browsers percent-encode a form; a raw body that is not UTF-8 is read as Latin-1 (Django's fallback), so
    # it cannot fail, and the participant sees on the thank-you page what was stored.
    "invalid UTF-8 bytes in the body": Case(
        lambda v: v.post_raw(v.form_body(q2_utilization="").replace(b"q2_utilization=", b"q2_utilization=ok\xff\xfe")),
        302,
        stored={"q2_utilization": "ok\xff\xfe"},
    ),
    "percent-encoded invalid UTF-8 in the body": Case(
        lambda v: v.post_raw(v.form_body(q3_text="").replace(b"q3_text=", b"q3_text=%C3%28%FF")),
        302,
        stored={"q3_text": "\ufffd(\ufffd"},
    ),
    "invalid UTF-8 in the URL": Case(
        lambda v: v.client.post("/r/%FF%FE%C3%28/", v.answers()), 404, "This link is not valid"
    ),
    "invalid UTF-8 after a valid token": Case(
        lambda v: v.client.post(v.url.rstrip("/") + "%FF/", v.answers()), 404, "This link is not valid"
    ),
    "NUL in free text": Case(
        lambda v: v.post(q2_utilization="before\x00after"), 200, "Null characters are not allowed"
    ),
    "NUL in the contact e-mail": Case(lambda v: v.post(contact_email="a\x00b@x.org"), 200, "Null characters"),
    "NUL in the token": Case(
        lambda v: v.client.post(v.url.replace("/r/", "/r/%00"), v.answers()), 404, "This link is not valid"
    ),
    "a token longer than any token": Case(
        lambda v: v.client.post(reverse("surveys:questionnaire", args=["A" * 5000]), v.answers()),
        404,
        "This link is not valid",
    ),
    # CSRF, links, methods.
    "missing CSRF token": Case(lambda v: v.post(csrfmiddlewaretoken=None), 403, "nothing was saved"),
    "CSRF token of another participant's browser": Case(_other_visitors_csrf, 403, "nothing was saved"),
    "POST to a revoked link": Case(_revoked, 404, "This link is not valid"),
    "PUT instead of POST": Case(
        lambda v: v.client.put(v.url, v.form_body(), content_type=FORM, headers={"X-CSRFToken": v.csrf}), 405
    ),
    "POST to the thank-you page": Case(
        lambda v: v.client.post(reverse("surveys:thanks", args=[v.participant.token]), v.answers()), 405
    ),
    # Size and shape of the body.
    "2,000 fields": Case(_many_fields, 400, "could not be read"),
    "a JSON body": Case(_json, 200, "press the button again"),
    "a text/plain body": Case(
        lambda v: v.post_raw(v.form_body(), "text/plain", headers={"X-CSRFToken": v.csrf}),
        200,
        "press the button again",
    ),
    "multipart form data is a form like any other": Case(
        _multipart, 302, stored={"q2_utilization": "Sent as multipart"}
    ),
    "multipart with a file nobody asked for": Case(_upload_too, 302, stored={"q2_utilization": "Sent as multipart"}),
    "multipart without a boundary": Case(
        lambda v: v.post_raw(v.form_body(), "multipart/form-data", headers={"X-CSRFToken": v.csrf}),
        400,
        "could not be read",
    ),
    "a charset nobody knows": Case(
        lambda v: v.post_raw(v.form_body(q5_text="plain"), f"{FORM}; charset=x-no-such-charset"),
        302,
        stored={"q5_text": "plain"},
    ),
}


def _as_text(content: bytes) -> str:
    return content.decode("utf-8", errors="replace").replace("&#x27;", "'").replace("&quot;", '"')


@pytest.mark.parametrize("name", CASES)
def test_hostile_request_gets_a_clear_answer_and_loses_nothing(visit, name):
    case = CASES[name]
    before = _snapshot()
    response = case.send(visit)
    assert response.status_code == case.status, response.content[:500]
    html = _as_text(response.content)
    says = (case.says,) if isinstance(case.says, str) else case.says
    for fragment in says:
        assert fragment in html, fragment
    if case.status == 200:
        assert 'id="error-summary"' in html or 'id="conflict-notice"' in html
        assert "<textarea" in html  # the form again, with what was typed
    if case.stored is None:
        assert _snapshot() == before, "a refused request changed the stored reply"
    else:
        reply = Response.objects.get(participant=visit.participant)
        for field, value in case.stored.items():
            assert getattr(reply, field) == value, field
        assert reply.status == Status.SUBMITTED
        assert Response.objects.count() == len(before["replies"])  # one reply, never a second
    if case.check:
        case.check(visit, response.content.decode("utf-8", errors="replace"))


def test_refused_form_keeps_what_was_typed(visit):
    # "Nothing lost" for the participant too: the page that refuses shows their text back, escaped.
    html = visit.post(q2_utilization=f"My long answer {SCRIPT}", q3_direct_effects="2").content.decode()
    assert "My long answer &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Response.objects.get(participant=visit.participant).q2_utilization == STORED_TEXT


def test_replayed_post_makes_one_change_not_two(visit):
    first = visit.post(q2_utilization="Changed once")
    assert first.status_code == 302
    changed = Response.objects.get(participant=visit.participant)
    assert changed.revision == 2
    replay = visit.post(q2_utilization="Changed once")  # the very same form again
    assert replay.status_code == 302
    again = Response.objects.get(participant=visit.participant)
    assert again.revision == 2
    assert again.changed_at == changed.changed_at
    assert Response.objects.filter(participant=visit.participant).count() == 1
    # The same old form with another text is a stale edit: shown for confirmation, not saved over.
    stale = visit.post(q2_utilization="Changed twice from the old page")
    assert stale.status_code == 200
    assert 'id="conflict-notice"' in stale.content.decode()
    assert Response.objects.get(participant=visit.participant).q2_utilization == "Changed once"


def test_token_guessing_gets_429_but_a_real_link_from_the_same_address_still_works(visit, settings):
    settings.TOKEN_GUESS_LIMIT = 5
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.TOKEN_GUESS_LIMIT):
        assert guesser.get(reverse("surveys:questionnaire", args=[f"guess-{number}"])).status_code == 404
    refused = guesser.get(reverse("surveys:questionnaire", args=["guess-next"]))
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert refused["Cache-Control"] == "no-store"
    # Guessing the thank-you page's tokens is refused the same way.
    assert guesser.get(reverse("surveys:thanks", args=["guess-thanks"])).status_code == 429
    # A participant behind the same (office) address opens and changes their reply as usual.
    colleague = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    page = colleague.get(visit.url)
    assert page.status_code == 200
    assert visit.participant.workshop.title in page.content.decode()
    saved = colleague.post(visit.url, answers(revision="1", csrfmiddlewaretoken=_csrf_token(page), q5_text="Fine"))
    assert saved.status_code == 302
    assert Response.objects.get(participant=visit.participant).q5_text == "Fine"
    # Another address is not affected by this one's guessing.
    assert Client(REMOTE_ADDR="198.51.100.4").get("/r/guess-elsewhere/").status_code == 404
