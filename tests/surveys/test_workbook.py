"""The workbook import (docs/import-format.md): good, broken, re-imported, aliases, Excel dates, blanks."""

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from surveys.imports.cells import parse_text
from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.workbook import import_workbook
from surveys.models import Response, Status
from tests.helpers import (
    DEMO_WORKBOOK,
    PARTICIPANT_HEADER,
    RESPONSE_HEADER,
    ROOT,
    WORKSHOP_HEADER,
    make_workbook,
)
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

WORKSHOP = ["T-1", "WCO Regional Workshop on Testing", "regional", "2019-12-09", "2019-12-12", "Bangkok", "", ""]


def reply(email, **answers):
    values = {"workshop": "T-1", "email": email, "submitted_at": "2020-06-20", **answers}
    return [values.get(column) for column in RESPONSE_HEADER]


def counts():
    return (Workshop.objects.count(), Participant.objects.count(), Response.objects.replies().count())


def errors_of(source) -> list[str]:
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(source)
    return [str(error) for error in caught.value.errors]


def test_demo_workbook_twice_gives_4_workshops_40_participants_28_replies():
    first = import_workbook(DEMO_WORKBOOK)
    assert (first.workshops.created, first.participants.created, first.responses.created) == (4, 40, 28)
    snapshot = list(Response.objects.order_by("pk").values())
    second = import_workbook(DEMO_WORKBOOK)
    assert (second.workshops.unchanged, second.participants.unchanged, second.responses.unchanged) == (4, 40, 28)
    assert counts() == (4, 40, 28)
    assert list(Response.objects.order_by("pk").values()) == snapshot


def test_demo_values_arrive_as_written():
    import_workbook(DEMO_WORKBOOK)
    aeo = Workshop.objects.get(code="FY19-AEO")
    assert (aeo.title, aeo.scope, aeo.fiscal_year) == ("WCO Regional Workshop on AEO", "regional", 2019)
    reply = Response.objects.get(participant__email="id.fy19-rmt@example.org")
    assert reply.q1_shared_materials and reply.q1_shared_with == 12 and reply.q1bis_colleagues_learned == 8
    assert reply.q3_direct_effects is False and reply.q4_contributed is True
    # Blank Q3 in the workbook stays blank: not answered is not No.
    blank = Response.objects.get(participant__email="mv.fy19-rmt@example.org")
    assert blank.q3_direct_effects is None
    assert blank.status == Status.SUBMITTED


def test_errors_in_all_three_sheets_change_nothing_and_are_all_listed():
    import_workbook(DEMO_WORKBOOK)
    before = counts()
    source = make_workbook(
        {
            "workshops": [
                WORKSHOP_HEADER,
                ["T-1", "Fine workshop", "regional", "2019-12-09", "2019-12-12", "", "", ""],
                ["T-2", "Backwards", "global", "2019-12-12", "2019-12-09", "", "", ""],
                ["T-1", "Again", "regional", "2019-12-09", "2019-12-12", "", "", ""],
            ],
            "participants": [
                PARTICIPANT_HEADER,
                ["T-1", "A", "a@example.org", "FJ"],
                ["T-1", "B", "not-an-address", "XX"],
                ["T-9", "C", "c@example.org", "PNG"],
                ["T-1", "D", "A@example.org", "TO"],
            ],
            "responses": [
                RESPONSE_HEADER,
                reply("a@example.org", q3_direct_effects="maybe", q1_shared_with=-2),
                reply("nobody@example.org"),
                reply("a@example.org", submitted_at="someday"),
            ],
        }
    )
    errors = errors_of(source)
    assert counts() == before
    assert "workshops!3 scope: expected one of regional, sub-regional, national, got 'global'" in errors
    assert "workshops!3 end_date: 2019-12-09 is before the start date 2019-12-12" in errors
    assert "workshops!4 code: T-1 appears twice (also row 2)" in errors
    assert "participants!3 email: not a valid e-mail address: 'not-an-address'" in errors
    unknown = next(line for line in errors if line.startswith("participants!3 administration:"))
    assert unknown.startswith("participants!3 administration: unknown member administration 'XX' (valid codes: ")
    assert all(f" {code}," in unknown or f" {code})" in unknown for code in ("FJ", "PG", "WS"))
    assert "participants!4 workshop: no workshop with code T-9" in errors
    assert "participants!5 email: A@example.org is listed twice for workshop T-1 (also row 2)" in errors
    assert "responses!2 q3_direct_effects: expected yes/no, got 'maybe'" in errors
    assert "responses!2 q1_shared_with: must not be negative, got -2" in errors
    assert "responses!3 email: nobody@example.org is not a participant of workshop T-1" in errors
    assert any(e.startswith("responses!4 submitted_at: expected a date") for e in errors)
    assert "responses!4 email: a second reply of a@example.org to workshop T-1 (also row 2)" in errors
    assert len(errors) == 12
    assert errors == sorted(
        errors,
        key=lambda e: (
            e.split("!")[0] != "workshops",
            e.split("!")[0] != "participants",
            int(e.split("!")[1].split()[0]),
        ),
    )


def test_re_import_updates_changed_values_only():
    import_workbook(DEMO_WORKBOOK)
    source = make_workbook(
        {
            "workshops": [
                WORKSHOP_HEADER,
                [
                    "FY19-AEO",
                    "WCO Regional Workshop on AEO (corrected)",
                    "regional",
                    "2019-12-09",
                    "2019-12-12",
                    "Hong Kong, China",
                    "in-person",
                    "yes",
                ],
            ],
            "responses": [
                RESPONSE_HEADER,
                reply("ID.FY19-RMT@EXAMPLE.ORG", workshop="fy19-rmt", q3_direct_effects="yes"),
            ],
        }
    )
    summary = import_workbook(source)
    assert (summary.workshops.updated, summary.responses.updated) == (1, 1)
    assert Workshop.objects.get(code="FY19-AEO").title.endswith("(corrected)")
    reply_ = Response.objects.get(participant__email="id.fy19-rmt@example.org")
    assert reply_.q3_direct_effects is True
    assert reply_.q1_shared_materials is False  # the re-imported row is the reply now, blanks included
    assert counts() == (4, 40, 28)


def test_aliases_and_case_insensitive_codes_and_emails():
    source = make_workbook(
        {
            "workshops": [WORKSHOP_HEADER, WORKSHOP],
            "participants": [
                PARTICIPANT_HEADER,
                ["t-1", "Papua", "Officer@PNG.example.org", "png"],
                ["T-1", "Lao", "lao@example.org", "Laos"],
                ["T-1", "Fiji", "fj@example.org", " fj "],
            ],
            "responses": [RESPONSE_HEADER, reply("officer@png.example.org", workshop="T-1")],
        }
    )
    import_workbook(source)
    assert sorted(Participant.objects.values_list("administration__code", flat=True)) == ["FJ", "LA", "PG"]
    assert Response.objects.get().participant.email == "Officer@PNG.example.org"
    # Again, with the address in other letters: still the same participant.
    import_workbook(
        make_workbook({"participants": [PARTICIPANT_HEADER, ["T-1", "Papua", "OFFICER@png.example.org", "PG"]]})
    )
    assert Participant.objects.count() == 3


def test_excel_dates_serial_numbers_and_text_dates():
    book = Workbook()
    sheet = book.active
    sheet.title = "Workshops"
    sheet.append([" Code ", "TITLE", "scope", "start_date", "end_date"])
    sheet.append(["T-1", "Dates as cells", "sub-regional", dt.datetime(2020, 1, 13), dt.date(2020, 1, 16)])
    sheet.append(["T-2", "Dates as serial numbers", "national", 43843, 43846.0])
    sheet.append([None, None, None, None, None])  # empty rows are skipped
    participants = book.create_sheet("participants")
    participants.append(PARTICIPANT_HEADER)
    participants.append(["T-1", "A", "a@example.org", "WS"])
    responses = book.create_sheet("responses")
    responses.append(["workshop", "email", "submitted_at", "q1_others", "q4_contributed"])
    responses.append(["T-1", "a@example.org", dt.datetime(2020, 8, 3, 14, 30), "x", True])
    buffer = io.BytesIO()
    book.save(buffer)
    import_workbook(buffer)
    first, second = Workshop.objects.order_by("code")
    assert (first.start_date, first.end_date) == (dt.date(2020, 1, 13), dt.date(2020, 1, 16))
    assert (second.start_date, second.end_date) == (dt.date(2020, 1, 13), dt.date(2020, 1, 16))
    assert first.surveyed and first.mode == "in-person"
    reply_ = Response.objects.get()
    assert reply_.q1_others is True and reply_.q4_contributed is True and reply_.q3_direct_effects is None
    assert reply_.submitted_at.isoformat() == "2020-08-03T07:30:00+00:00"  # 14:30 in Bangkok


def test_late_replies_are_marked():
    source = make_workbook(
        {
            "workshops": [WORKSHOP_HEADER, WORKSHOP],  # ends 12 Dec 2019: invited 12 Jun, due 3 Jul 2020
            "participants": [
                PARTICIPANT_HEADER,
                ["T-1", "A", "a@example.org", "FJ"],
                ["T-1", "B", "b@example.org", "TO"],
            ],
            "responses": [
                RESPONSE_HEADER,
                reply("a@example.org", submitted_at="2020-07-03"),
                reply("b@example.org", submitted_at="2020-07-04T00:30:00+07:00"),
            ],
        }
    )
    import_workbook(source)
    late = dict(Response.objects.values_list("participant__email", "late"))
    assert late == {"a@example.org": False, "b@example.org": True}


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        ({"workshops": [[*WORKSHOP_HEADER, "colour"], [*WORKSHOP, "blue"]]}, "workshops!1 colour: unknown column"),
        ({"workshops": [WORKSHOP_HEADER[1:], WORKSHOP[1:]]}, "workshops!1 code: required column is missing"),
        (
            {"workshop": [WORKSHOP_HEADER, WORKSHOP]},
            "workshop: unknown sheet; expected workshops, participants, responses, success_stories",
        ),
        (
            {"workshops": [WORKSHOP_HEADER, ["T-1", "", "regional", "2019-12-09", "2019-12-12"]]},
            "workshops!2 title: required",
        ),
        (
            {"workshops": [WORKSHOP_HEADER, [*WORKSHOP[:7], "perhaps"]]},
            "workshops!2 surveyed: expected yes or no (x, 1, blank), got 'perhaps'",
        ),
        (
            {
                "workshops": [WORKSHOP_HEADER, WORKSHOP],
                "participants": [PARTICIPANT_HEADER, ["T-1", "A", "a@example.org", "FJ"]],
                "responses": [RESPONSE_HEADER, reply("a@example.org", q1bis_colleagues_learned="2.5")],
            },
            "responses!2 q1bis_colleagues_learned: expected a whole number, got '2.5'",
        ),
        (
            {
                "workshops": [WORKSHOP_HEADER, WORKSHOP],
                "participants": [PARTICIPANT_HEADER, ["T-1", "A", "a@example.org", "FJ"]],
                "responses": [RESPONSE_HEADER, reply("a@example.org", q2_utilization="x" * 5001)],
            },
            "responses!2 q2_utilization: at most 5,000 characters, got 5,001",
        ),
        (
            {
                "workshops": [WORKSHOP_HEADER, WORKSHOP],
                "participants": [PARTICIPANT_HEADER, ["T-1", "A", "a@example.org", "FJ"]],
                "responses": [RESPONSE_HEADER, reply("a@example.org"), reply("A@example.org")],
            },
            "responses!3 email: a second reply of A@example.org to workshop T-1 (also row 2)",
        ),
    ],
)
def test_broken_rows_are_reported_with_sheet_row_and_column(sheets, message):
    assert message in errors_of(make_workbook(sheets))
    assert counts() == (0, 0, 0)


def test_formulas_are_refused():
    source = make_workbook({"workshops": [WORKSHOP_HEADER, [*WORKSHOP[:5], '=HYPERLINK("http://x","y")', "", ""]]})
    assert errors_of(source) == ["workshops!2 venue: is a formula; paste values only"]


def test_a_file_that_is_not_a_workbook():
    assert errors_of(io.BytesIO(b"name,email\nA,a@example.org\n")) == [
        "workbook: is not an .xlsx workbook (save it as Excel Workbook .xlsx)"
    ]


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert errors_of(buffer)[0].startswith("workbook: cannot be read as an .xlsx workbook")


def test_a_zip_bomb_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr("surveys.imports.reading.MAX_UNZIPPED_BYTES", 1000)
    assert errors_of(DEMO_WORKBOOK)[0].startswith("workbook: unpacks to")


def test_import_never_sends_mail(mailoutbox):
    import_workbook(DEMO_WORKBOOK)
    assert mailoutbox == []


def test_command_imports_and_reports(capsys):
    call_command("import_workbook", str(DEMO_WORKBOOK))
    assert "Participants: 40 new" in capsys.readouterr().out


def test_command_imports_what_makes_messages_due_only_when_told(tmp_path, capsys):
    import datetime as dt

    from django.utils import timezone

    from surveys.questionnaire.schedule import add_months, schedule_for
    from workshops.models import Workshop

    end = add_months(timezone.localdate(), -6) - dt.timedelta(days=1)  # invited yesterday: due now
    path = tmp_path / "due.xlsx"
    rows = [WORKSHOP_HEADER, ["DUE-1", "WCO Workshop on Imports", "regional", end, end, "", "", "yes"]]
    participants = [["workshop", "name", "email", "administration"], ["DUE-1", "Ana", "ana@example.org", "FJ"]]
    path.write_bytes(make_workbook({"workshops": rows, "participants": participants}).getvalue())
    with pytest.raises(CommandError, match="Nothing imported: this import makes the messages above due"):
        call_command("import_workbook", str(path))
    due = schedule_for(Workshop(end_date=end)).due
    assert (
        f"Invitation to 1 participant of DUE-1 on {timezone.localdate():%-d %B %Y}, due {due:%-d %B %Y}"
        in capsys.readouterr().out
    )
    assert not Workshop.objects.filter(code="DUE-1").exists()
    call_command("import_workbook", str(path), "--yes")
    assert Workshop.objects.get(code="DUE-1").participants.count() == 1


def _due_workbook(tmp_path, code: str = "DUE-1"):
    """A workbook whose two participants' invitations are due today (the workshop ended six months ago)."""
    from django.utils import timezone

    from surveys.questionnaire.schedule import add_months

    end = add_months(timezone.localdate(), -6) - dt.timedelta(days=1)
    path = tmp_path / "due.xlsx"
    rows = [WORKSHOP_HEADER, [code, "WCO Workshop on Imports", "regional", end, end, "", "", "yes"]]
    participants = [
        ["workshop", "name", "email", "administration"],
        [code, "Ana", "ana@example.org", "FJ"],
        [code, "Ben", "ben@example.org", "PG"],
    ]
    path.write_bytes(make_workbook({"workshops": rows, "participants": participants}).getvalue())
    return path, end


def test_command_speaks_the_language_it_is_given(tmp_path, capsys):
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    from surveys.questionnaire.schedule import schedule_for

    path, end = _due_workbook(tmp_path)
    with pytest.raises(CommandError, match="Rien n'a été importé : cette importation rend dus les messages ci-dessus"):
        call_command("import_workbook", str(path), "--language", "fr")
    with translation.override("fr"):
        today = date_format(timezone.localdate(), "j F Y")
        due = date_format(schedule_for(Workshop(end_date=end)).due, "j F Y")
    assert f"Invitation à 2 participants de DUE-1 le {today}, échéance le {due}" in capsys.readouterr().out
    call_command("import_workbook", str(path), "--yes", "--language", "fr")
    assert "Participants : 2 nouveau(x), 0 mis à jour, 0 inchangé(s)" in capsys.readouterr().out
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(make_workbook({"workshops": [WORKSHOP_HEADER, ["T-1", "", "x", "", ""]]}).getvalue())
    with pytest.raises(CommandError, match="4 erreurs dans le classeur ; rien n'a été importé"):
        call_command("import_workbook", str(broken), "--language", "fr")
    assert "workshops!2 title : obligatoire" in capsys.readouterr().err
    with pytest.raises(CommandError, match=r"nowhere\.xlsx : fichier introuvable"):
        call_command("import_workbook", str(tmp_path / "nowhere.xlsx"), "--language", "fr")


@pytest.mark.parametrize(
    ("office", "expected"),
    [("asia-pacific", "Invitation to 2 participants"), ("west-central-africa", "Invitation à 2 participants")],
)
def test_command_speaks_the_offices_language_by_default(tmp_path, capsys, settings, office, expected):
    from rocbap.office import OFFICES_DIR, load_office

    settings.OFFICE = load_office(OFFICES_DIR / f"{office}.toml")
    path, _end = _due_workbook(tmp_path)
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path))
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize("language", ["de", "tr"])  # languages the product does not speak (Arabic is a staff one)
def test_command_refuses_a_language_it_does_not_speak(tmp_path, language):
    path, _end = _due_workbook(tmp_path)
    with pytest.raises(CommandError, match=f"invalid choice: '{language}'"):
        call_command("import_workbook", str(path), "--language", language)


def test_command_fails_with_every_error(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(make_workbook({"workshops": [WORKSHOP_HEADER, ["T-1", "", "x", "", ""]]}).getvalue())
    with pytest.raises(CommandError, match="4 error"):
        call_command("import_workbook", str(path))
    err = capsys.readouterr().err
    assert "workshops!2 title: required" in err and "workshops!2 scope" in err and "workshops!2 start_date" in err


def test_command_exit_status_is_non_zero_on_errors(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    # A process of its own, on a database of its own: the exit status is what a shell script sees.
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_workbook", str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "is not an .xlsx workbook" in result.stderr


def test_the_optional_accreditation_column(db):
    header = [*WORKSHOP_HEADER, "accreditation"]
    rows = [
        ["A-1", "WCO Accreditation Workshop for Trainers", "regional", "2019-12-09", "2019-12-12", "", "", "no", "yes"],
        ["A-2", "WCO Regional Workshop on AEO", "regional", "2019-12-09", "2019-12-12", "", "", "", ""],
        ["A-3", "WCO Regional Workshop on HS", "regional", "2019-12-09", "2019-12-12", "", "", "", "maybe"],
    ]
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(make_workbook({"workshops": [header, *rows]}))
    assert [str(error) for error in refused.value.errors] == [
        "workshops!4 accreditation: expected yes or no (x, 1, blank), got 'maybe'"
    ]
    import_workbook(make_workbook({"workshops": [header, *rows[:2]]}))
    assert dict(Workshop.objects.values_list("code", "accreditation")) == {"A-1": True, "A-2": False}
    # A workbook without the column leaves the flag as staff set it.
    import_workbook(make_workbook({"workshops": [WORKSHOP_HEADER, [*rows[0][:7], "no"]]}))
    assert Workshop.objects.get(code="A-1").accreditation is True


# --- The messages in the staff user's language (issue 13) ---------------------------------------------------------


def test_errors_are_in_the_active_language_and_keep_the_workbooks_own_names():
    from django.utils import translation

    rows = [
        PARTICIPANT_HEADER,
        ["T-1", "Jane", "jane@customs.gov.fj", "FJ"],
        ["T-1", "Jane", "JANE@customs.gov.fj", "FJ"],
        ["NOPE", "Ana", "not an address", "ZZ"],
    ]
    source = make_workbook(
        {
            "workshops": [WORKSHOP_HEADER, [*WORKSHOP[:3], "2019-12-12", "2019-12-09", "", "", "maybe"]],
            "participants": rows,
        }
    )
    with translation.override("fr"):
        errors = errors_of(source)
    assert errors == [
        "workshops!2 surveyed : yes ou no attendu (ou x, 1, vide) au lieu de 'maybe'",
        "workshops!2 end_date : 2019-12-09 est antérieure à la date de début 2019-12-12",
        "participants!3 email : JANE@customs.gov.fj figure deux fois pour l'atelier T-1 (aussi à la ligne 2)",
        "participants!4 email : adresse électronique non valide : 'not an address'",
        "participants!4 workshop : aucun atelier n'a le code NOPE",
    ]
    # The same workbook in English: the language is the reader's, not the workbook's.
    source.seek(0)
    with translation.override("en"):
        assert errors_of(source)[3] == "participants!4 email: not a valid e-mail address: 'not an address'"


def test_counts_and_limits_are_written_as_the_language_groups_figures(monkeypatch):
    from django.utils import translation

    monkeypatch.setattr("surveys.imports.reading.MAX_LISTED_ERRORS", 1)
    rows = [PARTICIPANT_HEADER] + [["NOPE", "Ana", f"a{n}@example.org", "FJ"] for n in range(1_200)]
    source = make_workbook({"participants": rows})
    with translation.override("fr"):
        with pytest.raises(WorkbookInvalid) as invalid:
            import_workbook(source)
        assert invalid.value.lines()[-1] == "... et 1\xa0199 autres erreurs, non listées"
    assert str(invalid.value) == "1\xa0200 erreurs dans le classeur ; rien n'a été importé"


def test_the_summary_in_the_active_language():
    from django.utils import translation

    with translation.override("fr"):
        summary = import_workbook(DEMO_WORKBOOK)
        lines = summary.lines()
    assert lines == [
        "Ateliers : 4 nouveau(x), 0 mis à jour, 0 inchangé(s)",
        "Participants : 40 nouveau(x), 0 mis à jour, 0 inchangé(s)",
        "Réponses : 28 nouvelle(s), 0 mise(s) à jour, 0 inchangée(s)",
    ]
    assert summary.lines()[0] == "Workshops: 4 new, 0 updated, 0 unchanged"  # the same counts, read in English


def test_a_workbook_that_cannot_be_read_says_why_in_the_active_language():
    from django.utils import translation

    source = make_workbook({"workshops": [WORKSHOP_HEADER]})
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts["xl/workbook.xml"] = b'<!DOCTYPE x [<!ENTITY x "x">]>' + parts["xl/workbook.xml"]
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with translation.override("fr"):
        assert errors_of(damaged) == [
            "workbook : ne peut pas être lu comme un classeur .xlsx (sa partie xl/workbook.xml contient une DTD)"
        ]
    with translation.override("en"):
        assert errors_of(damaged) == [
            "workbook: cannot be read as an .xlsx workbook (its part xl/workbook.xml has a DTD)"
        ]


def test_free_texts_are_imported_without_surrounding_whitespace():
    # The report counts a Q2 text that is not empty as an answer (reports.frames): whitespace alone is no answer.
    assert parse_text(" \n\t\u00a0 ") == ""
    assert parse_text("  Risk profiles are shared.\r\n") == "Risk profiles are shared."


def test_a_workshops_title_per_language_imports_and_a_workbook_without_it_keeps_it():
    row = ["AOC19-GR", "Atelier régional sur la gestion des risques", "regional", "2019-10-14", "2019-10-18"]
    import_workbook(
        make_workbook(
            {"workshops": [[*WORKSHOP_HEADER[:5], "title_en"], [*row, "WCO Regional Workshop on Risk Management"]]}
        )
    )
    workshop = Workshop.objects.get(code="AOC19-GR")
    assert workshop.title_en == "WCO Regional Workshop on Risk Management" and workshop.title_fr == ""
    assert workshop.title_in("en") == "WCO Regional Workshop on Risk Management"
    assert workshop.title_in("fr") == workshop.title_in("es") == "Atelier régional sur la gestion des risques"
    # A workbook without the column leaves the title as it is; too long a title is refused, naming its cell.
    summary = import_workbook(make_workbook({"workshops": [WORKSHOP_HEADER[:5], row]}))
    assert summary.workshops.unchanged == 1
    assert Workshop.objects.get(code="AOC19-GR").title_en.startswith("WCO Regional Workshop")
    with pytest.raises(WorkbookInvalid) as error:
        import_workbook(make_workbook({"workshops": [[*WORKSHOP_HEADER[:5], "title_fr"], [*row, "x" * 301]]}))
    assert str(error.value.errors[0]).startswith("workshops!2 title_fr:")


def test_an_end_date_moved_past_the_workshops_invitation_is_refused_with_its_row_and_column(workshop_factory):
    workshop = workshop_factory(code="T-1", invitation_date_override=dt.date(2020, 3, 1))
    before = counts()
    source = make_workbook(
        {
            "workshops": [
                WORKSHOP_HEADER,
                ["T-1", "WCO Regional Workshop on Testing", "regional", "2020-03-02", "2020-03-05", "", "", ""],
            ]
        }
    )
    errors = errors_of(source)
    assert errors == [
        "workshops!2 end_date: The invitation (1 March 2020) must be on or after the workshop's end (5 March 2020)."
    ]
    workshop.refresh_from_db()
    assert workshop.end_date == dt.date(2019, 12, 5) and counts() == before
