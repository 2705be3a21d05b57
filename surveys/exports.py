"""The participants' list as staff export it from the admin: who they are and where each stands (surveys.status),
in the staff user's language (the active one), every text a text cell so that a name beginning with = is never
taken for a formula."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils.translation import gettext
from openpyxl import Workbook

from rocbap.spreadsheets import write_only_cell
from surveys import status
from workshops.models import Participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_workbook(participants: QuerySet[Participant]) -> bytes:
    """One sheet, one row per participant, in the list's order."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Participants")[:31])
    headers = [
        gettext("Workshop code"),
        gettext("Workshop"),
        gettext("FY"),
        gettext("Name"),
        gettext("E-mail"),
        gettext("Administration"),
        gettext("Language"),
        gettext("Reply"),
        gettext("Mail"),
    ]
    sheet.append([write_only_cell(sheet, header) for header in headers])
    rows = status.annotated(participants.select_related("workshop", "administration")).order_by(
        "workshop__start_date", "workshop__code", "name", "pk"
    )
    for participant in rows.iterator(chunk_size=2000):
        values = [
            participant.workshop.code,
            participant.workshop.title,
            participant.workshop.fiscal_year_label,
            participant.name,
            participant.email,
            participant.administration.code,
            participant.language,
            status.label(status.ReplyState.choices, status.reply_state_of(participant)),
            status.label(status.MailState.choices, status.mail_state_of(participant)),
        ]
        sheet.append([write_only_cell(sheet, value) for value in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
