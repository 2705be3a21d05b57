"""The checks across rows and against the database, before anything is written: the plan of what the workbook
will write."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext

from surveys.imports.cells import fold
from surveys.imports.reading import Reader, Row
from surveys.models import FREE_TEXTS, Response
from surveys.questionnaire import rounds
from surveys.questionnaire.schedule import date_problems
from workshops.models import (
    MemberAdministration,
    Participant,
    Workshop,
    fiscal_year_label,
    fiscal_year_of,
)

# What another app's sheet contributes to the plan: checks its rows, reports problems through plan.reader, and
# returns what to write (surveys.imports.extra_sheets.ExtraSheet.check).
ExtraCheck = Callable[[list[Row], "Plan"], Any]


@dataclass(frozen=True)
class ReplyAfterImport:
    """A participant's reply as it will stand once the workbook is written: the stored one (None when the workbook
    makes it), whether it will be a reply (a workbook's row is always submitted; a stored draft is none), and its
    free texts (the stored ones, those the workbook's row gives replacing them)."""

    stored: Response | None
    is_reply: bool
    texts: dict[str, str]


class Plan:
    """What the workbook will write, checked across rows and against the database before anything is written."""

    def __init__(self, reader: Reader, user=None, extra_checks: Mapping[str, ExtraCheck] | None = None) -> None:
        self.reader = reader
        # Other apps' sheets' checks, by sheet (surveys.imports.extra_sheets.checks, passed in by the import).
        self.extra_checks = dict(extra_checks or {})
        self.user = user  # who imports it (the admin's upload; None for the command), for the sheets that record it
        self.workshops: dict[str, Row] = {}  # code (lower) -> row
        self.participants: dict[tuple[str, str], Row] = {}  # (code, e-mail), lower
        self.responses: dict[tuple[str, str], Row] = {}
        self.administrations = MemberAdministration.lookup_table()
        self.existing_workshops: dict[str, Workshop] = {}  # code (lower) -> stored workshop
        self.known_codes: set[str] = set()  # in the workbook or stored
        self.existing_participants: dict[tuple[str, str], Participant] = {}
        self.touched_fiscal_years: set[int] = set()  # rounds whose replies or participants the import writes
        self.frozen_replies: set[tuple[str, str]] = set()  # unchanged replies of closed rounds: left as they are
        self.extra: dict[str, Any] = {}  # a registered sheet's name -> what its check planned to write

    def check(self, sheets: dict[str, list[Row]]) -> None:
        """Every check across rows and against the database; errors go to the reader, nothing is written."""
        self._check_workshops(sheets.get("workshops", []))
        self._load_existing_workshops(sheets)
        self._check_workshop_dates()
        self._check_participants(sheets.get("participants", []))
        self._check_responses(sheets.get("responses", []))
        self._check_closed_rounds()
        # Other apps' sheets last: they may rely on what the survey's sheets will write (a story on a new reply).
        for name, check in self.extra_checks.items():
            if name in sheets:
                self.extra[name] = check(sheets[name], self)

    def replies_after_import(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], ReplyAfterImport]:
        """The replies the participants named by (workshop code, e-mail) will have once the workbook is written,
        from the workbook's `responses` and the database (one query); a participant with neither is left out.
        Codes and addresses match without regard to case."""
        keys = {(fold(code), fold(email)) for code, email in keys}
        stored = {
            (fold(response.participant.workshop.code), fold(response.participant.email)): response
            for response in Response.objects.annotate(code_key=Lower("participant__workshop__code"))
            .filter(code_key__in={code for code, _email in keys})
            .select_related("participant__workshop")
        }
        replies = {}
        for key in keys:
            response, row = stored.get(key), self.responses.get(key)
            if response is None and row is None:
                continue
            texts = {name: getattr(response, name) if response is not None else "" for name in FREE_TEXTS}
            if row is not None:
                texts.update({name: row.values[name] for name in FREE_TEXTS if name in row.values})
            is_reply = row is not None or (response is not None and response.is_reply)
            replies[key] = ReplyAfterImport(response, is_reply, texts)
        return replies

    def _check_workshops(self, rows: list[Row]) -> None:
        """1. Each code once in the sheet; a workshop ends on or after its start."""
        error = self.reader.error
        for row in rows:
            values = row.values
            code = values.get("code")
            if code is None:
                continue
            if fold(code) in self.workshops:
                error(
                    "workshops",
                    row.number,
                    "code",
                    gettext("%(code)s appears twice (also row %(row)s)")
                    % {"code": code, "row": self.workshops[fold(code)].number},
                )
                continue
            self.workshops[fold(code)] = row
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                error(
                    "workshops",
                    row.number,
                    "end_date",
                    gettext("%(end)s is before the start date %(start)s") % {"end": end, "start": start},
                )

    def _load_existing_workshops(self, sheets: dict[str, list[Row]]) -> None:
        """2. The stored workshops the workbook names (one query); codes match without regard to case, like
        e-mail addresses."""
        referenced = {
            fold(r.values["workshop"])
            for s in ("participants", "responses")
            for r in sheets.get(s, [])
            if r.values.get("workshop")
        }
        self.existing_workshops = {
            fold(w.code): w
            for w in Workshop.objects.annotate(code_key=Lower("code")).filter(
                code_key__in=referenced | set(self.workshops)
            )
        }
        self.known_codes = set(self.workshops) | set(self.existing_workshops)

    def _check_workshop_dates(self) -> None:
        """2b. New dates of a stored workshop must still make sense with its survey dates (the schedule's rules,
        which Workshop.clean applies in the admin): an end date moved past its invitation is refused."""
        for code, row in self.workshops.items():
            stored = self.existing_workshops.get(code)
            if stored is None:
                continue  # a new workshop has no date override: its computed dates follow the rules
            changed = copy.copy(stored)
            for name in ("start_date", "end_date"):
                if row.values.get(name):
                    setattr(changed, name, row.values[name])
            for problem in date_problems(changed).values():
                self.reader.error("workshops", row.number, "end_date", problem)

    def _check_participants(self, rows: list[Row]) -> None:
        """3. Each participant of a known workshop and member administration, each address once per workshop."""
        error = self.reader.error
        for row in rows:
            values = row.values
            code, email = values.get("workshop"), values.get("email")
            if code and fold(code) not in self.known_codes:
                error(
                    "participants", row.number, "workshop", gettext("no workshop with code %(code)s") % {"code": code}
                )
                continue
            self._resolve_administration(row)
            if code and email:
                key = (fold(code), fold(email))
                if key in self.participants:
                    error(
                        "participants",
                        row.number,
                        "email",
                        gettext("%(email)s is listed twice for workshop %(code)s (also row %(row)s)")
                        % {"email": email, "code": code, "row": self.participants[key].number},
                    )
                else:
                    self.participants[key] = row

    def _resolve_administration(self, row: Row) -> None:
        """The administration's code or alias becomes the administration itself."""
        administration = row.values.get("administration")
        if not administration:
            return
        if administration not in self.administrations:
            self.reader.error(
                "participants",
                row.number,
                "administration",
                gettext("unknown member administration %(code)s (valid codes: %(codes)s)")
                % {
                    "code": repr(administration),
                    "codes": ", ".join(sorted({a.code for a in self.administrations.values()})),
                },
            )
        else:
            row.values["administration"] = self.administrations[administration]

    def _check_responses(self, rows: list[Row]) -> None:
        """4. Each reply from a participant in the workbook or the database, one reply per participant."""
        error = self.reader.error
        wanted = {
            (fold(r.values["workshop"]), fold(r.values["email"]))
            for r in rows
            if r.values.get("workshop") and r.values.get("email")
        }
        unknown = wanted - set(self.participants)
        self.existing_participants = self._existing_participants({code for code, _ in [*self.participants, *unknown]})
        for row in rows:
            values = row.values
            code, email = values.get("workshop"), values.get("email")
            if not (code and email):
                continue
            key = (fold(code), fold(email))
            if key not in self.participants and key not in self.existing_participants:
                if fold(code) not in self.known_codes:
                    error(
                        "responses", row.number, "workshop", gettext("no workshop with code %(code)s") % {"code": code}
                    )
                else:
                    error(
                        "responses",
                        row.number,
                        "email",
                        gettext("%(email)s is not a participant of workshop %(code)s") % {"email": email, "code": code},
                    )
            elif key in self.responses:
                error(
                    "responses",
                    row.number,
                    "email",
                    gettext("a second reply of %(email)s to workshop %(code)s (also row %(row)s)")
                    % {"email": email, "code": code, "row": self.responses[key].number},
                )
            else:
                self.responses[key] = row

    def _fiscal_year(self, code: str) -> int | None:
        """The fiscal year the workshop will be in: the workbook's start date when it has the workshop, else the
        stored one's."""
        row = self.workshops.get(code)
        if row is not None and row.values.get("start_date"):
            return fiscal_year_of(row.values["start_date"])
        stored = self.existing_workshops.get(code)
        return stored.fiscal_year if stored is not None else None

    def _check_closed_rounds(self) -> None:
        """5. Closed means closed (surveys.questionnaire.rounds): no reply of a closed round is added or changed, and no
        participant is added to it (the published reply rate counts them). The same workbook imported again, unchanged,
        passes."""
        error = self.reader.error
        fiscal_years = {code: self._fiscal_year(code) for code in self.known_codes}
        closed = rounds.closed_fiscal_years() & {year for year in fiscal_years.values() if year is not None}
        stored_replies = {
            response.participant_id: response
            for response in Response.objects.filter(participant__in=list(self.existing_participants.values()))
        }
        for key, row in self.participants.items():
            year = fiscal_years.get(key[0])
            if year is not None and key not in self.existing_participants:
                self.touched_fiscal_years.add(year)
                if year in closed:
                    error("participants", row.number, None, _round_closed(year))
        for key, row in self.responses.items():
            year = fiscal_years.get(key[0])
            if year is None:
                continue
            participant = self.existing_participants.get(key)
            stored = stored_replies.get(participant.pk) if participant is not None else None
            if stored is not None and not _reply_differs(stored, row.values):
                if year in closed:
                    self.frozen_replies.add(key)  # not even its late mark is recomputed
                continue
            self.touched_fiscal_years.add(year)
            if year in closed:
                error("responses", row.number, None, _round_closed(year))

    def _existing_participants(self, codes: set[str]) -> dict[tuple[str, str], Participant]:
        workshops = [w for c, w in self.existing_workshops.items() if c in codes]
        participants = Participant.objects.filter(workshop__in=workshops).select_related("workshop")
        return {(fold(p.workshop.code), fold(p.email)): p for p in participants}


def _round_closed(year: int) -> str:
    return gettext("the FY%(label)s round is closed") % {"label": fiscal_year_label(year)}


def _reply_differs(response: Response, values: dict[str, Any]) -> bool:
    """Whether importing the row would change the stored reply (what write sets through _apply)."""
    answers = {k: v for k, v in values.items() if k not in ("workshop", "email")}
    return not response.is_reply or any(getattr(response, k) != v for k, v in answers.items())
