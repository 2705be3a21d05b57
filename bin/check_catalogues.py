#!/usr/bin/env python3
"""Fails when a string of the product lacks its translation: for each language the product speaks but English
(rocbap.office.LANGUAGES), the catalogue is extracted afresh from the sources (in a copy of the checkout, so the
working tree is left as it is) and every message that is untranslated or fuzzy is listed, as is a catalogue msgfmt
refuses.

The staff's languages (English, French, Spanish, Arabic: rocbap.office.STAFF_LANGUAGES) need every message. A
participants' language that is not a staff language (none today) would need every message a participant reads:
each message found in a PARTICIPANT_SOURCES file (the questionnaire and its pages, the e-mails), wherever else it is
used too; a message only staff read may stay empty there (gettext shows its English, and staff pages are never in
such a language). The answers' names that the feedback e-mail prints come from surveys/models.py, whose other
messages are staff's: the e-mail tests in those languages catch an untranslated one
(tests/surveys/test_languages_es_ar.py). A fuzzy message fails as an untranslated one does, in the languages that
need it.

Run by bin/test; usable alone: .venv/bin/python bin/check_catalogues.py
After changing a wording: manage.py makemessages -l fr -l es -l ar --no-location --no-obsolete, translate, remove
"fuzzy".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What makemessages reads: the apps, the templates and the catalogues themselves.
SOURCES = ("manage.py", "rocbap", "workshops", "surveys", "impact", "reports", "templates", "offices", "locale")
SOURCE_LANGUAGE = "en"
# What a participant reads: the files (or folders, by prefix) whose messages every participant language must have.
PARTICIPANT_SOURCES = (
    "templates/base.html",  # the frame of every page
    "templates/400.html",
    "templates/403_csrf.html",  # a questionnaire sent after its page expired
    "templates/surveys/",
    "templates/emails/",
    "surveys/instrument.py",  # the questionnaire's wording
    "surveys/questionnaire/",  # its errors, the summary of a reply, its pages
    "surveys/mail/emails.py",
    "surveys/mail/optout.py",
    "surveys/mail/results.py",  # the feedback e-mail's figures
)


def languages() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from rocbap.office import LANGUAGE_CODES

    return [code for code in LANGUAGE_CODES if code != SOURCE_LANGUAGE]


def is_staff_language(language: str) -> bool:
    from rocbap.office import STAFF_LANGUAGES

    return language in STAFF_LANGUAGES


def read_by_participants(locations: list[str]) -> bool:
    """Whether a message with these source locations ("templates/surveys/thanks.html:7") is read by participants."""
    return any(location.startswith(PARTICIPANT_SOURCES) for location in locations)


def _lines(command: list[str]) -> list[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def problems(catalogue: Path, required: Callable[[list[str]], bool] | None = None) -> list[str]:
    """The messages of a .po file that are untranslated or fuzzy, and msgfmt's complaints, one line each. With
    `required`, a message counts only if `required` says so of its source locations (a staff message that gettext
    guessed, fuzzy, from a similar one is shown in English in a participant's language, as an empty one is)."""
    found = []
    check = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)], capture_output=True, text=True
    )
    if check.returncode:
        found += [f"msgfmt: {line}" for line in check.stderr.splitlines() if line.strip()]
    for option, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        locations: list[str] = []
        for line in _lines(["msgattrib", option, "--no-wrap", str(catalogue)]):
            if line.startswith("#: "):
                locations += line[len("#: ") :].split()
            elif line.startswith("msgid ") and line != 'msgid ""' and (required is None or required(locations)):
                found.append(f"{what}: {line[len('msgid ') :]}")
            if not line.strip():
                locations = []
    return found


def refreshed(workdir: Path, language: str) -> Path:
    """The catalogue as makemessages makes it from the current sources, in a copy of the checkout."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, workdir / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif source.exists():
            shutil.copy2(source, workdir / name)
    env = {**os.environ, "VAR_DIR": str(workdir / "var"), "PYTHONDONTWRITEBYTECODE": "1"}
    # With the locations (which the committed catalogues leave out): they tell a participant's message from staff's.
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete", "-v0"],
        cwd=workdir,
        env=env,
        check=True,
    )
    return workdir / "locale" / language / "LC_MESSAGES" / "django.po"


def main() -> int:
    failed = False
    for language in languages():
        with tempfile.TemporaryDirectory() as scratch:
            required = None if is_staff_language(language) else read_by_participants
            found = problems(refreshed(Path(scratch), language), required)
        if found:
            failed = True
            print(f"locale/{language}: {len(found)} message(s) need a translation:")
            for line in found:
                print(f"  {line}")
            print(f"  (manage.py makemessages -l {language} --no-location --no-obsolete, then translate them)")
        elif is_staff_language(language):
            print(f"locale/{language}: every message translated")
        else:
            print(f"locale/{language}: every message participants read translated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
