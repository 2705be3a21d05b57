"""The regional office that runs the survey: its names in each language, its default language, its logo and its
member administrations. One TOML file describes an office (docs/offices.md); the OFFICE setting names it.

Everything a participant, a staff user or a reader of the report sees of the office comes from here, so that
another office runs the product by writing its own file, not by editing templates or code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The languages the product speaks (a gettext catalogue each under locale/), with their own names for the switch.
LANGUAGES = (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"))
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
# The languages of the staff pages, the admin and the report: every string of the product is translated into them.
# The others are participants' languages: their catalogues hold every string a participant reads (the questionnaire
# and its pages, the e-mails) and leave the staff's to English (bin/check_catalogues.py checks both).
STAFF_LANGUAGES = ("en", "fr")
# An office file that names no languages offers these (the office files written before Spanish and Arabic).
DEFAULT_OFFICE_LANGUAGES = ("en", "fr")

# The bundled offices, by the name OFFICE may give instead of a path.
OFFICES_DIR = Path(__file__).resolve().parent.parent / "offices"


@dataclass(frozen=True)
class OfficeNames:
    """What the office is called in one language."""

    name: str  # "WCO Asia/Pacific Regional Office for Capacity Building"
    short_name: str  # "ROCB A/P"
    region: str  # "Asia/Pacific"
    parent: str  # "World Customs Organization"
    report_series: str  # "Customs Good Practice Report on Exemplifying Follow-Up Actions"
    signatory_title: str  # "Head of ROCB A/P"
    region_short: str = ""  # optional: "A/P", as titles abbreviate the region; the region's name when empty

    @property
    def region_abbreviated(self) -> str:
        return self.region_short or self.region


NAME_FIELDS = ("name", "short_name", "region", "parent", "report_series", "signatory_title")
OPTIONAL_NAME_FIELDS = ("region_short",)


@dataclass(frozen=True)
class Office:
    key: str
    default_language: str
    names: dict[str, OfficeNames]
    members_csv: Path
    # The languages the office serves participants in (its names are given in each), the default language first.
    languages: tuple[str, ...] = DEFAULT_OFFICE_LANGUAGES
    logo: str = ""  # a static file's path, e.g. "offices/west-central-africa.svg"; empty: no logo
    demo_workbook: Path | None = None  # what `manage.py load_demo` imports
    survey_since: int | None = None  # the year the office started the survey, for the report's introduction

    def in_language(self, language: str | None) -> OfficeNames:
        """The office's names in a language ("fr", "fr-ca"...), else in its default language."""
        code = (language or "").split("-")[0].lower()
        return self.names.get(code) or self.names[self.default_language]

    @property
    def staff_languages(self) -> tuple[str, ...]:
        """The office's languages that the staff pages, the admin and the report are written in; English when the
        office offers neither English nor French to its participants."""
        return tuple(code for code in self.languages if code in STAFF_LANGUAGES) or ("en",)

    @property
    def staff_default_language(self) -> str:
        """The staff pages' language for a browser that asks for none of the staff languages."""
        return self.staff_languages[0]


def load_office(path: Path, setting: str = "OFFICE") -> Office:
    """Read and check an office file; every error names the setting and the file."""

    def fail(message: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{setting}: {path}: {message}")

    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"is not valid TOML ({exc})") from None
    languages = data.get("languages", list(DEFAULT_OFFICE_LANGUAGES))
    if (
        not isinstance(languages, list)
        or not languages
        or any(code not in LANGUAGE_CODES for code in languages)
        or len(set(languages)) != len(languages)
    ):
        raise fail(f"languages must list some of {', '.join(LANGUAGE_CODES)}, once each, got {languages!r}")
    default_language = data.get("default_language")
    if not isinstance(default_language, str) or default_language not in languages:
        raise fail(f"default_language must be one of languages ({', '.join(languages)}), got {default_language!r}")
    names = {}
    for code in languages:
        table = data.get(code)
        if not isinstance(table, dict):
            raise fail(f"needs a [{code}] table with {', '.join(NAME_FIELDS)}")
        missing = [field for field in NAME_FIELDS if not isinstance(table.get(field), str) or not table[field].strip()]
        if missing:
            raise fail(f"[{code}] needs {', '.join(missing)}")
        optional = {field: str(table.get(field, "")).strip() for field in OPTIONAL_NAME_FIELDS}
        names[code] = OfficeNames(**{field: table[field].strip() for field in NAME_FIELDS}, **optional)
    members = data.get("member_administrations")
    if not isinstance(members, str) or not members:
        raise fail("member_administrations must name a CSV file (relative to the office file)")
    members_csv = (path.parent / members).resolve()
    if not members_csv.is_file():
        raise fail(f"member_administrations: no file {members_csv}")
    logo = data.get("logo", "")
    if not isinstance(logo, str):
        raise fail("logo must be the path of a static file")
    since = data.get("survey_since")
    if since is not None and (not isinstance(since, int) or not 1950 <= since <= 2100):
        raise fail(f"survey_since must be a year, got {since!r}")
    demo = data.get("demo_workbook")
    demo_workbook = (path.parent / demo).resolve() if isinstance(demo, str) and demo else None
    return Office(
        key=path.stem,
        default_language=default_language,
        names=names,
        languages=(default_language, *(code for code in languages if code != default_language)),
        members_csv=members_csv,
        logo=logo.strip(),
        demo_workbook=demo_workbook,
        survey_since=since,
    )


def office_path(value: str) -> Path:
    """OFFICE is the name of a bundled office ("asia-pacific", "west-central-africa") or the path of a TOML file."""
    if value.endswith(".toml") or "/" in value:
        return Path(value).expanduser().resolve()
    return OFFICES_DIR / f"{value}.toml"
