"""The catalogue check of bin/test: it fails on a message without its French or its Spanish (or, in Arabic, on a
message participants read without its translation), and passes on the repository's."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("check_catalogues", ROOT / "bin" / "check_catalogues.py")
assert SPEC and SPEC.loader
check_catalogues = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_catalogues)

pytestmark = pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext is installed by bin/test")

CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Submit"
msgstr "Envoyer"

msgid "Save draft"
msgstr ""

#, fuzzy
msgid "Save changes"
msgstr "Enregistrer le brouillon"
"""


def test_untranslated_and_fuzzy_messages_are_named(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    found = check_catalogues.problems(catalogue)
    assert found == ['untranslated: "Save draft"', 'fuzzy: "Save changes"']


def test_a_catalogue_msgfmt_refuses_is_named(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        CATALOGUE.replace('"Envoyer"', '"Envoyer %(counter)s"').replace(
            'msgid "Submit"', '#, python-format\nmsgid "Submit %(number)s"'
        ),
        encoding="utf-8",
    )
    assert any(line.startswith("msgfmt:") for line in check_catalogues.problems(catalogue))


PARTICIPANTS_CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: templates/surveys/thanks.html:7 reports/views.py:12
msgid "Thank you for your reply"
msgstr ""

#: reports/admin.py:55
msgid "Texts"
msgstr ""

#: surveys/instrument.py:20
msgid "Please briefly describe."
msgstr "Descríbalo brevemente."

#: reports/admin.py:56
#, fuzzy
msgid "Signature of the foreword"
msgstr "Firma"

#: templates/emails/base.html:4
#, fuzzy
msgid "Reply now"
msgstr "Responder"
"""


def test_a_participants_language_needs_every_message_participants_read(tmp_path):
    """Spanish, Arabic: a message of a participant's page must be translated, and not fuzzy, even if staff pages use
    it too; one only staff read may stay empty or fuzzy (shown in English either way)."""
    catalogue = tmp_path / "django.po"
    catalogue.write_text(PARTICIPANTS_CATALOGUE, encoding="utf-8")
    found = check_catalogues.problems(catalogue, check_catalogues.read_by_participants)
    assert found == ['untranslated: "Thank you for your reply"', 'fuzzy: "Reply now"']
    # The staff's languages need them all.
    assert check_catalogues.problems(catalogue) == [
        'untranslated: "Thank you for your reply"',
        'untranslated: "Texts"',
        'fuzzy: "Signature of the foreword"',
        'fuzzy: "Reply now"',
    ]


def test_the_staff_languages_are_english_french_spanish_and_arabic():
    assert [code for code in check_catalogues.languages() if check_catalogues.is_staff_language(code)] == [
        "fr",
        "es",
        "ar",
    ]
    assert [code for code in check_catalogues.languages() if not check_catalogues.is_staff_language(code)] == []


@pytest.mark.parametrize(
    ("language", "title"), [("es", "Informe sobre buenas prácticas"), ("ar", "تقرير الممارسات الجيدة")]
)
def test_a_message_only_staff_read_must_be_translated(tmp_path, monkeypatch, capsys, language, title):
    """Spanish and Arabic are staff languages: the report's title left empty in their catalogue fails the check, as
    it would in French (before, a message only staff read could stay empty in them)."""
    committed = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    text = committed.read_text(encoding="utf-8")
    translated = f'msgid "Good Practice Report"\nmsgstr "{title}"\n'
    assert translated in text
    emptied = tmp_path / f"{language}.po"
    emptied.write_text(text.replace(translated, 'msgid "Good Practice Report"\nmsgstr ""\n'), encoding="utf-8")
    catalogues = {
        code: ROOT / "locale" / code / "LC_MESSAGES" / "django.po" for code in ("fr", "es", "ar") if code != language
    }
    monkeypatch.setattr(check_catalogues, "refreshed", lambda _workdir, code: catalogues.get(code, emptied))
    assert check_catalogues.main() == 1
    output = capsys.readouterr().out
    assert f'locale/{language}: 1 message(s) need a translation:\n  untranslated: "Good Practice Report"' in output


def test_every_message_of_the_product_has_its_french(capsys):
    assert check_catalogues.main() == 0, capsys.readouterr().out
