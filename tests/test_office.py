"""The office by configuration (rocbap.office, rocbap.env.office_config): the bundled offices, a bad office file."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rocbap import env
from rocbap.office import OFFICES_DIR, load_office


def test_the_default_office_is_asia_pacific(monkeypatch):
    monkeypatch.delenv("OFFICE", raising=False)
    office = env.office_config("OFFICE", "asia-pacific")
    assert office.default_language == "en"
    assert office.in_language("en").short_name == "ROCB A/P"
    assert office.in_language("fr").short_name == "BRRC A/P"
    assert office.in_language("fr-CA").region == "Asie/Pacifique"
    assert office.in_language("xx") == office.in_language("en")  # unknown: the office's default language
    assert office.members_csv.name == "asia-pacific.csv" and office.members_csv.is_file()
    assert office.time_zone == "Asia/Bangkok" and office.first_round_fiscal_year == 2014
    assert office.mail.sender == "Follow-Up Survey <survey@rocbap.example.org>"
    assert office.earlier_rounds_csv is not None and office.earlier_rounds_csv.name == "asia-pacific-earlier-rounds.csv"
    assert office.member_names["HK"] == {"fr": "Hong Kong, Chine"}  # the WCO's French, not CLDR's
    assert office.demo.in_progress is not None and office.demo.in_progress.venue == "Bangkok, Thailand"


def test_west_and_central_africa_works_in_french_first(monkeypatch):
    monkeypatch.setenv("OFFICE", "west-central-africa")
    office = env.office_config("OFFICE", "asia-pacific")
    assert office.default_language == "fr"
    assert office.in_language(None).name.startswith("Bureau régional de renforcement des capacités de l'OMD")
    assert office.in_language("en").name == "WCO West and Central Africa Regional Office for Capacity Building"
    assert (Path(__file__).resolve().parent.parent / "static" / office.logo).is_file()
    # Everything else of its own: its clock, its addresses, no earlier round, its own demo.
    assert office.time_zone == "Africa/Abidjan"
    assert office.mail.sender.endswith("<enquete@brrc-aoc.example.org>")
    assert office.mail.reply_to == "brrc-aoc@brrc-aoc.example.org"
    assert office.earlier_rounds_csv is None and office.survey_since is None and len(office.demo.quotes) == 6
    assert office.demo.in_progress is not None and office.demo.in_progress.venue == "Abidjan, Côte d'Ivoire"
    assert office.demo.in_progress.titles["en"].startswith("WCO Regional Workshop on Data Analytics")
    assert office.member_names["CD"] == {"en": "Democratic Republic of the Congo"}


def test_an_office_file_by_path(monkeypatch, tmp_path):
    text = (OFFICES_DIR / "west-central-africa.toml").read_text(encoding="utf-8")
    (tmp_path / "west-central-africa.csv").write_text("code,name\nSN,Sénégal\n", encoding="utf-8")
    path = tmp_path / "my-office.toml"
    path.write_text(text.replace('short_name = "BRRC AOC"', 'short_name = "Mon bureau"'), encoding="utf-8")
    monkeypatch.setenv("OFFICE", str(path))
    office = env.office_config("OFFICE", "asia-pacific")
    assert office.in_language("fr").short_name == "Mon bureau"
    assert office.members_csv == (tmp_path / "west-central-africa.csv").resolve()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('default_language = "fr"', 'default_language = "de"'), "default_language must be one of"),
        (lambda t: t.replace('short_name = "ROCB WCA"\n', ""), "[en] needs short_name"),
        (lambda t: t.replace("[en]", "[english]"), "needs a [en] table"),
        (lambda t: t.replace("west-central-africa.csv", "nowhere.csv"), "member_administrations: no file"),
        (lambda t: t + "\n[[broken", "is not valid TOML"),
        (lambda t: t.replace('"es", "ar"]', '"es", "de"]'), "languages must list some of en, fr, es, ar"),
        (lambda t: t.replace('"es", "ar"]', '"es", "es"]'), "once each"),
        (lambda t: t.replace('languages = ["fr", "en", "es", "ar"]', 'languages = ["en"]'), "default_language must be"),
        (lambda t: t.replace("[ar]", "[arabic]"), "needs a [ar] table"),
        (lambda t: t.replace('"Africa/Abidjan"', '"Africa/Atlantis"'), "time_zone must name a time zone"),
        (lambda t: t.replace('time_zone = "Africa/Abidjan"\n', ""), "time_zone must name a time zone"),
        (lambda t: t.replace("[mail]", "[post]"), "needs a [mail] table"),
        (lambda t: t.replace("<enquete@brrc-aoc.example.org>", "<enquete>"), "[mail] from must be an address"),
        (lambda t: t.replace('reply_to = "brrc-aoc@', 'reply_to = "brrc-aoc at '), "[mail] reply_to must be"),
        (lambda t: t.replace('venue = "Abidjan', 'place = "Abidjan'), "[demo.in_progress] needs title, venue"),
        (lambda t: t.replace("[mail]", 'earlier_rounds = "nowhere.csv"\n[mail]'), "earlier_rounds: no file"),
        # Other files of the machine, or outside the static files.
        (lambda t: t.replace('"west-central-africa.csv"', '"/etc/passwd"'), "is no list of member administrations"),
        (
            lambda t: t.replace("../fixtures/demo/wca-fy2019-20.xlsx", "/etc/shadow"),
            "[demo] workbook must name an .xlsx",
        ),
        (lambda t: t.replace('logo = "', 'logo = "../../'), "logo must be the path of a static file"),
        (lambda t: t.replace('logo = "', 'logo = "/etc/'), "logo must be the path of a static file"),
        # A member list that is none.
        (lambda t: t.replace('"west-central-africa.csv"', '"junk.csv"'), "is no list of member administrations"),
        (lambda t: t.replace('"west-central-africa.csv"', '"binary.csv"'), "cannot be read as CSV in UTF-8"),
    ],
)
def test_a_bad_office_file_stops_the_start_naming_the_variable(tmp_path, change, message):
    text = (OFFICES_DIR / "west-central-africa.toml").read_text(encoding="utf-8")
    folder = tmp_path / "office"
    folder.mkdir()
    (tmp_path / "west-central-africa.csv").write_text("code,name\n", encoding="utf-8")  # outside its folder
    (folder / "west-central-africa.csv").write_text("code,name\n", encoding="utf-8")
    (folder / "junk.csv").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (folder / "binary.csv").write_bytes(b"\xff\xfe\x00\x01 code,name")
    path = folder / "office.toml"
    path.write_text(change(text), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"^OFFICE: ") as error:
        load_office(path)
    assert message in str(error.value)


def test_an_office_variable_naming_no_office_file_stops_the_start_with_a_clear_error(monkeypatch, tmp_path):
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe\x00 binary")
    cases = {
        str(tmp_path / "binary.toml"): "is not a text file in UTF-8",
        "/etc/passwd": "is not valid TOML",
        "../../../../etc/hostname": "cannot be read" if not Path("/etc/hostname").exists() else "is not valid TOML",
        str(tmp_path): "cannot be read",
    }
    for value, message in cases.items():
        monkeypatch.setenv("OFFICE", value)
        with pytest.raises(ImproperlyConfigured, match=r"^OFFICE: ") as error:
            env.office_config("OFFICE", "asia-pacific")
        assert message in str(error.value), value


def test_an_office_name_that_is_no_file(monkeypatch):
    monkeypatch.setenv("OFFICE", "atlantis")
    with pytest.raises(ImproperlyConfigured, match=r"OFFICE: .*atlantis\.toml: cannot be read"):
        env.office_config("OFFICE", "asia-pacific")


def test_the_bundled_offices_offer_english_french_spanish_and_arabic_to_participants_and_staff():
    for name, first in (("asia-pacific", "en"), ("west-central-africa", "fr")):
        office = load_office(OFFICES_DIR / f"{name}.toml")
        assert office.languages[0] == first and set(office.languages) == {"en", "fr", "es", "ar"}
        assert office.staff_languages == (first, "fr" if first == "en" else "en", "es", "ar")
        assert office.in_language("es").parent == "Organización Mundial de Aduanas"
        assert office.in_language("ar").parent == "منظمة الجمارك العالمية"


def test_an_office_file_without_languages_offers_english_and_french(tmp_path):
    """Office files written before Spanish and Arabic still load, as they were."""
    text = (OFFICES_DIR / "west-central-africa.toml").read_text(encoding="utf-8")
    text = text.replace('languages = ["fr", "en", "es", "ar"]\n', "").split("\n[es]")[0]
    (tmp_path / "west-central-africa.csv").write_text("code,name\n", encoding="utf-8")
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    office = load_office(path)
    assert office.languages == ("fr", "en")
    assert office.in_language("ar") == office.in_language("fr")  # no Arabic names: the default language's


def test_an_arabic_first_office_has_its_staff_pages_in_arabic(tmp_path):
    text = (OFFICES_DIR / "west-central-africa.toml").read_text(encoding="utf-8")
    text = text.replace('default_language = "fr"', 'default_language = "ar"')
    text = text.replace('languages = ["fr", "en", "es", "ar"]', 'languages = ["ar", "en"]')
    (tmp_path / "west-central-africa.csv").write_text("code,name\n", encoding="utf-8")
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    office = load_office(path)
    assert office.languages == ("ar", "en")
    assert office.staff_languages == ("ar", "en") and office.staff_default_language == "ar"


def test_asia_pacific_names_its_plan_indicator():
    """The RSP 2022-2024 target (Annual Report 2021-2022, the Strategic Action Plan's 3.2.1 - 5th milestone)."""
    office = load_office(OFFICES_DIR / "asia-pacific.toml")
    (indicator,) = office.indicators
    assert (indicator.plan, indicator.measure, indicator.target) == ("RSP 2022-2024", "success_stories", 10)
    assert (indicator.start.isoformat(), indicator.end.isoformat()) == ("2022-07-01", "2024-06-30")
    assert indicator.label("fr-CA").startswith("Nombre de résultats concrets")
    assert load_office(OFFICES_DIR / "west-central-africa.toml").indicators == ()


INDICATOR = """
[[indicators]]
key = "k"
measure = "success_stories"
target = 10
start = 2022-07-01
end = 2024-06-30
plan = "RSP 2022-2024"
label = { en = "Tangible results", fr = "Résultats concrets", es = "Resultados tangibles", ar = "النتائج الملموسة" }
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("target = 10", "target = 0"), "target must be a whole number"),
        (("target = 10", 'target = "ten"'), "target must be a whole number"),
        (('measure = "success_stories"', 'measure = "smiles"'), "measure must be one of success_stories"),
        (("end = 2024-06-30", "end = 2021-06-30"), "end comes before start"),
        (("start = 2022-07-01", 'start = "July 2022"'), "start and end must be dates"),
        ((', fr = "Résultats concrets"', ""), "needs a label in en, fr, es"),
        ((', es = "Resultados tangibles"', ""), "needs a label in en, fr, es"),
        (('plan = "RSP 2022-2024"', 'plan = ""'), "needs the plan"),
    ],
)
def test_a_bad_indicator_stops_the_start_naming_it(tmp_path, change, message):
    text = (OFFICES_DIR / "asia-pacific.toml").read_text(encoding="utf-8")
    text = text[: text.index("[[indicators]]")] + INDICATOR.replace(*change)
    # The office's own files, named from where the copy is read.
    for name in ("asia-pacific.csv", "asia-pacific-earlier-rounds.csv", "../fixtures"):
        text = text.replace(f'"{name}', f'"{(OFFICES_DIR / name).resolve()}')
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=rf"office.toml: \[\[indicators\]\] number 1.*{message}"):
        load_office(path)


def test_an_english_french_office_needs_no_spanish_label(tmp_path):
    """Spanish and Arabic are staff languages, but only for an office that lists them: an office of English and
    French (the files written before Spanish) loads its indicators labelled in English and French, with no Spanish
    or Arabic label, and its staff pages and report stay in those two."""
    text = (OFFICES_DIR / "asia-pacific.toml").read_text(encoding="utf-8")
    text = text.replace('languages = ["en", "fr", "es", "ar"]', 'languages = ["en", "fr"]')
    text = text[: text.index("[[indicators]]")] + INDICATOR.replace(
        ', es = "Resultados tangibles", ar = "النتائج الملموسة"', ""
    )
    for name in ("asia-pacific.csv", "asia-pacific-earlier-rounds.csv", "../fixtures"):
        text = text.replace(f'"{name}', f'"{(OFFICES_DIR / name).resolve()}')
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    office = load_office(path)
    assert office.staff_languages == ("en", "fr")
    (indicator,) = office.indicators
    assert indicator.label("es") == "Tangible results"  # a Spanish reader of no Spanish office: the first label
