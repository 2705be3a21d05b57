"""Simulated participants for the load benchmark and the whole-stack fault test: each one opens their own
personal link with a real HTTP client (cookies, the CSRF token of the page), then submits a complete, valid reply,
as a browser would post the form. The answers are built from the questionnaire's own fields, never retyped."""

from __future__ import annotations

import html
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

from surveys import instrument
from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS

# The form's fields a browser posts as the page filled them in.
PREFILLED = ("csrfmiddlewaretoken", "revision", "contact_email")
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def prefilled(page: str) -> dict[str, str]:
    values = {}
    for tag in INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("name") in PREFILLED:
            values[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return values


def answers_for(number: int) -> dict[str, str]:
    """The form fields of a complete reply for simulated participant `number`: every question answered, the
    answers varied by `number`, and a marker in Q2 that the database check looks for."""
    yes, no = (key for key, _ in instrument.Q3.options)
    data: dict[str, str] = {}
    for index, name in enumerate(Q1_ACTIONS):
        # The first box (shared materials) is always ticked: the counts are only allowed with it.
        if index == 0 or (number >> index) & 1:
            data[name] = "on"
    for offset, name in enumerate(COUNTS):
        data[name] = str((number + offset) % 40)
    for name in FREE_TEXTS:
        data[name] = f"Simulated participant {number}: {name}."
    data["q2_utilization"] = marker(number)
    for bit, name in enumerate(YES_NO_QUESTIONS):
        data[name] = yes if (number >> bit) & 1 else no
    return data


def marker(number: int) -> str:
    return f"Reply of simulated participant {number}: risk profiles shared with the frontline every week."


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A submit answers 302 to the thank-you page: record it as the answer instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Attempt:
    method: str
    status: int  # 0: no answer (connection refused or reset)
    seconds: float
    started: float


@dataclass
class SimulatedParticipant:
    base: str
    token: str
    number: int
    attempts: list[Attempt] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _KeepRedirects)

    @property
    def url(self) -> str:
        return f"{self.base}/r/{self.token}/"

    def _request(self, method: str, data: bytes | None = None) -> tuple[int, str, str]:
        started = time.monotonic()
        request = urllib.request.Request(self.url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("Referer", self.url)
        try:
            with self.opener.open(request, timeout=30) as answer:
                status, body, location = answer.status, answer.read().decode(), ""
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "")
            status, body = error.code, error.read().decode(errors="replace")
        except OSError:
            status, body, location = 0, "", ""
        self.attempts.append(Attempt(method, status, time.monotonic() - started, started))
        return status, body, location

    def open_page(self) -> dict[str, str] | None:
        """GET the personal link; the hidden fields of the form, or None when the page did not come."""
        status, body, _ = self._request("GET")
        if status != 200:
            return None
        found = prefilled(body)
        return found if len(found) == len(PREFILLED) else None

    def submit(self, hidden: dict[str, str]) -> bool:
        """POST the complete reply with the page's CSRF token and revision; True when it was accepted."""
        data = {**hidden, **answers_for(self.number), "submit": "1"}
        status, _, location = self._request("POST", urllib.parse.urlencode(data).encode())
        return status == 302 and location.rstrip("/").endswith("/thanks")

    def reply(self, tries: int = 1, pause: float = 0.5) -> bool:
        """Open the page and submit; when either fails, reload and submit again (as a person would), up to
        `tries` times."""
        for attempt in range(tries):
            if attempt:
                time.sleep(pause)
            hidden = self.open_page()
            if hidden is not None and self.submit(hidden):
                return True
        return False
