"""Every e-mail the product sends is built here, from templates/emails/<kind>/{subject.txt,body.txt,body.html}.

The context is read from the database at send time: a corrected address, title or date reaches every later
message, and "days left" is counted on the day the message goes out.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from surveys.feedback import WorkshopResults, workshop_results
from surveys.links import questionnaire_url
from surveys.models import Message, reminder_number
from surveys.optout import optout_url
from surveys.schedule import days_left, schedule_for
from workshops.models import Workshop

# Each workshop's results counted once per batch of feedback messages: workshop id -> results.
ResultsCache = dict[int, WorkshopResults]


def template_folder(kind: str) -> str:
    # Every reminder reads the same templates; the context tells which one it is.
    return "reminder" if reminder_number(kind) else kind


def results_for(workshop: Workshop, cache: ResultsCache | None = None) -> WorkshopResults:
    """The workshop's aggregated results for the feedback mail, counted once per workshop and batch."""
    if cache is None:
        return workshop_results(workshop)
    if workshop.pk not in cache:
        cache[workshop.pk] = workshop_results(workshop)
    return cache[workshop.pk]


def context_for(message: Message, today: dt.date, results_cache: ResultsCache | None = None) -> dict[str, Any]:
    participant = message.participant
    workshop = participant.workshop
    schedule = schedule_for(workshop)
    response = getattr(participant, "response", None)
    return {
        "kind": message.kind,
        "reminder_number": reminder_number(message.kind),
        "participant": participant,
        "workshop": workshop,
        "schedule": schedule,
        "due": schedule.due,
        "days_left": days_left(workshop, today),
        "replied": bool(response and response.is_reply),
        "link": questionnaire_url(participant),
        "optout_link": optout_url(participant),
        "office_email": settings.OFFICE_EMAIL,
        "results": results_for(workshop, results_cache) if message.kind == "feedback" else None,
    }


def sender_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "rocbap.invalid"


# A log row's Message-ID, as message_id() writes it: bounce reports that quote it name the row (surveys.bounces).
MESSAGE_ID = re.compile(rb"<rocbap-message-(\d+)@([^>\s]+)>")


def message_id(pk: int) -> str:
    # One Message-ID per log row: should a message ever go out twice, receiving systems see the same message.
    return f"<rocbap-message-{pk}@{sender_domain()}>"


def return_path(pk: int) -> str:
    """The envelope sender of a log row's e-mail: bounces+<pk>@domain (VERP) when bounces are read, so that a
    report names its message even when it quotes nothing of it; the sender address otherwise."""
    if not settings.BOUNCE_ADDRESS:
        return settings.DEFAULT_FROM_EMAIL
    local, _, domain = settings.BOUNCE_ADDRESS.rpartition("@")
    return f"{local}+{pk}@{domain}"


def return_path_pattern() -> re.Pattern[bytes]:
    """Matches what return_path() writes when bounces are read; group 1 is the log row's pk."""
    local, _, domain = settings.BOUNCE_ADDRESS.rpartition("@")
    return re.compile(rb"\b" + re.escape(local.encode()) + rb"\+(\d+)@" + re.escape(domain.encode()), re.IGNORECASE)


def build_email(
    message: Message, today: dt.date, connection=None, results_cache: ResultsCache | None = None
) -> EmailMultiAlternatives:
    """The e-mail of one log row: subject, plain text and HTML, List-Unsubscribe with one-click."""
    context = context_for(message, today, results_cache)
    folder = f"emails/{template_folder(message.kind)}"
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    text = render_to_string(f"{folder}/body.txt", context)
    html = render_to_string(f"{folder}/body.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        # The envelope sender (where bounces go); the From header stays the survey's address.
        from_email=return_path(message.pk),
        to=[message.participant.email],
        reply_to=[settings.OFFICE_EMAIL],
        connection=connection,
        headers={
            "From": settings.DEFAULT_FROM_EMAIL,
            "Message-ID": message_id(message.pk),
            "List-Unsubscribe": f"<{context['optout_link']}>, <mailto:{settings.OFFICE_EMAIL}?subject=unsubscribe>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def send_message(
    message: Message, today: dt.date, connection, results_cache: ResultsCache | None = None
) -> EmailMultiAlternatives:
    """Build and send one message through an open connection; SMTP errors propagate. Returns the e-mail sent (the
    log keeps its subject and text)."""
    email = build_email(message, today, connection=connection, results_cache=results_cache)
    connection.send_messages([email])
    return email
