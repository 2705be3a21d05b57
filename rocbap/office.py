"""The regional office that runs the survey: its names in each language, its default language, its logo and its
member administrations. One TOML file describes an office (docs/offices.md); the OFFICE setting names it.

Everything a participant, a staff user or a reader of the report sees of the office comes from here, so that
another office runs the product by writing its own file, not by editing templates or code.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The languages the product speaks (a gettext catalogue each under locale/), with their own names for the switch.
LANGUAGES = (("en", "English"), ("fr", "Français"))
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)

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
    logo: str = ""  # a static file's path, e.g. "offices/west-central-africa.svg"; empty: no logo
    demo_workbook: Path | None = None  # what `manage.py load_demo` imports
    survey_since: int | None = None  # the year the office started the survey, for the report's introduction
    indicators: tuple[Indicator, ...] = ()  # what the office's plan measures with the survey (impact.indicators)

    def in_language(self, language: str | None) -> OfficeNames:
        """The office's names in a language ("fr", "fr-ca"...), else in its default language."""
        code = (language or "").split("-")[0].lower()
        return self.names.get(code) or self.names[self.default_language]


def load_office(path: Path, setting: str = "OFFICE") -> Office:
    """Read and check an office file; every error names the setting and the file."""

    def fail(message: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{setting}: {path}: {message}")

    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise fail("is not a text file in UTF-8: an office file is TOML (docs/offices.md)") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"is not valid TOML ({exc})") from None
    default_language = data.get("default_language")
    if default_language not in LANGUAGE_CODES:
        raise fail(f"default_language must be one of {', '.join(LANGUAGE_CODES)}, got {default_language!r}")
    names = {}
    for code in LANGUAGE_CODES:
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
    _check_member_list(members_csv, fail)
    logo = data.get("logo", "")
    if not isinstance(logo, str) or logo.startswith("/") or ".." in Path(logo).parts:
        raise fail(f"logo must be the path of a static file, such as offices/my-office.svg, got {logo!r}")
    since = data.get("survey_since")
    if since is not None and (not isinstance(since, int) or not 1950 <= since <= 2100):
        raise fail(f"survey_since must be a year, got {since!r}")
    demo = data.get("demo_workbook")
    demo_workbook = (path.parent / demo).resolve() if isinstance(demo, str) and demo else None
    if demo_workbook is not None and demo_workbook.suffix.lower() != ".xlsx":
        raise fail(f"demo_workbook must name an .xlsx workbook, got {demo!r}")
    return Office(
        key=path.stem,
        default_language=default_language,
        names=names,
        members_csv=members_csv,
        logo=logo.strip(),
        demo_workbook=demo_workbook,
        survey_since=since,
        indicators=load_indicators(data.get("indicators", []), fail),
    )


def _check_member_list(path: Path, fail) -> None:
    """The member list's first line names its columns (code, name, ...): a wrong or broken file (some other file of
    the machine, say) is refused at start, not when staff load it."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise fail(f"member_administrations: {path} cannot be read as CSV in UTF-8 ({exc})") from None
    columns = [column.strip().lower() for column in header]
    if "code" not in columns or "name" not in columns:
        raise fail(
            f"member_administrations: {path} is no list of member administrations: its first line must name the "
            f"columns code,name (got {','.join(header)[:80]!r})"
        )


def office_path(value: str) -> Path:
    """OFFICE is the name of a bundled office ("asia-pacific", "west-central-africa") or the path of a TOML file."""
    if value.endswith(".toml") or "/" in value:
        return Path(value).expanduser().resolve()
    return OFFICES_DIR / f"{value}.toml"


# What an indicator may count (impact.indicators counts each); the office's plan names the target and the period.
INDICATOR_MEASURES = ("success_stories",)


@dataclass(frozen=True)
class Indicator:
    """A target of the office's plan that the survey measures: "at least 10 success stories between 1 July 2022 and
    30 June 2024" (RSP 2022-2024). Its label in each language the product speaks."""

    key: str
    measure: str
    target: int
    start: dt.date
    end: dt.date
    plan: str  # the plan's own reference, as the office writes it: "RSP 2022-2024"
    labels: dict[str, str]

    def label(self, language: str | None) -> str:
        code = (language or "").split("-")[0].lower()
        return self.labels.get(code) or next(iter(self.labels.values()))


def load_indicators(tables: Any, fail: Callable[[str], Exception]) -> tuple[Indicator, ...]:
    """The `[[indicators]]` tables of an office file (docs/offices.md); each error names the indicator."""
    if not isinstance(tables, list):
        raise fail("indicators must be a list of [[indicators]] tables")
    indicators = []
    for number, table in enumerate(tables, start=1):
        where = f"[[indicators]] number {number}"
        if not isinstance(table, dict):
            raise fail(f"{where} must be a table")
        key, measure, target = table.get("key"), table.get("measure"), table.get("target")
        start, end, plan, label = table.get("start"), table.get("end"), table.get("plan"), table.get("label")
        if not isinstance(key, str) or not key.strip():
            raise fail(f"{where} needs a key")
        if measure not in INDICATOR_MEASURES:
            raise fail(f"{where}: measure must be one of {', '.join(INDICATOR_MEASURES)}, got {measure!r}")
        if not isinstance(target, int) or isinstance(target, bool) or target < 1:
            raise fail(f"{where}: target must be a whole number of at least 1, got {target!r}")
        dates = (start, end)
        if not all(isinstance(day, dt.date) and not isinstance(day, dt.datetime) for day in dates):
            raise fail(f"{where}: start and end must be dates (2022-07-01)")
        if end < start:  # type: ignore[operator]
            raise fail(f"{where}: end comes before start")
        if not isinstance(plan, str) or not plan.strip():
            raise fail(f'{where} needs the plan it belongs to (plan = "RSP 2022-2024")')
        if not isinstance(label, dict) or not all(isinstance(label.get(code), str) for code in LANGUAGE_CODES):
            raise fail(f'{where} needs a label in {", ".join(LANGUAGE_CODES)} (label = {{ en = "...", ... }})')
        labels = {code: label[code].strip() for code in LANGUAGE_CODES}
        indicators.append(Indicator(key.strip(), measure, target, start, end, plan.strip(), labels))  # type: ignore[arg-type]
    return tuple(indicators)
