"""The regional office that runs the survey: its names in each language, its default language, its time zone, its
sender and addresses, its logo, its member administrations (with the names the office writes its own way), its
earlier rounds' published figures and its demo. One TOML file describes an office (docs/offices.md); the OFFICE
setting names it.

Everything a participant, a staff user or a reader of the report sees of the office comes from here, so that
another office runs the product by writing its own file, not by editing templates or code.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The languages the product speaks (a gettext catalogue each under locale/), with their own names for the switch.
LANGUAGES = (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"))
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
# The languages the staff pages, the admin and the report can be written in: every string of the product is
# translated into them. The others are participants' languages: their catalogues hold every string a participant
# reads (the questionnaire and its pages, the e-mails) and leave the staff's to English (bin/check_catalogues.py
# checks both). An office's own staff languages are those of its languages that are here (Office.staff_languages):
# adding one here asks nothing of an office that does not list it (docs/offices.md, "Adding a staff language").
STAFF_LANGUAGES = ("en", "fr", "es", "ar")
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
class OfficeMail:
    """Who the survey's mail comes from, and where participants write to (the settings DEFAULT_FROM_EMAIL,
    OFFICE_EMAIL and BOUNCE_ADDRESS win where the environment sets them)."""

    sender: str  # "Follow-Up Survey <survey@rocbap.example.org>": the From of every message
    reply_to: str  # the office's address: Reply-To, the e-mails' and pages' "write to"
    bounce_address: str = ""  # the return path's base when bounces are read; empty: bounces@ + the sender's domain


@dataclass(frozen=True)
class SurveyInProgress:
    """The demo's workshop whose survey runs now (reports.demo.add_current_workshop)."""

    title: str  # in the office's default language
    titles: dict[str, str]  # other languages' titles
    venue: str
    participants: tuple[tuple[str, str, str], ...]  # (administration code, name, language or "")
    reply_text: str  # what the two replies typed in already say in Q2


@dataclass(frozen=True)
class OfficeDemo:
    """What `manage.py load_demo` loads for this office: its own workshops, venues and participants."""

    workbook: Path | None = None
    quotes: tuple[tuple[str, str, str, str], ...] = ()  # (workshop code, administration code, answer, section)
    in_progress: SurveyInProgress | None = None


@dataclass(frozen=True)
class Office:
    key: str
    default_language: str
    names: dict[str, OfficeNames]
    members_csv: Path
    # The languages the office serves participants in (its names are given in each), the default language first.
    languages: tuple[str, ...] = DEFAULT_OFFICE_LANGUAGES
    time_zone: str = "UTC"
    mail: OfficeMail = OfficeMail("Follow-Up Survey <survey@example.org>", "survey@example.org")
    logo: str = ""  # a static file's path, e.g. "offices/west-central-africa.svg"; empty: no logo
    survey_since: int | None = None  # the year the office started the survey, for the report's introduction
    indicators: tuple[Indicator, ...] = ()  # what the office's plan measures with the survey (impact.indicators)
    earlier_rounds_csv: Path | None = None  # the published figures of its rounds before this product; None: none
    demo: OfficeDemo = field(default_factory=OfficeDemo)
    # The member list's own names for some administrations, by code and language ("HK" -> {"fr": "Hong Kong,
    # Chine"}): the names the WCO writes its own way, where CLDR's differ (workshops.models.administration_name).
    member_names: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def demo_workbook(self) -> Path | None:
        return self.demo.workbook

    @property
    def first_round_fiscal_year(self) -> int | None:
        """The fiscal year of the office's first round: the survey of a FY's workshops runs in the next year."""
        return None if self.survey_since is None else self.survey_since - 1

    def in_language(self, language: str | None) -> OfficeNames:
        """The office's names in a language ("fr", "fr-ca"...), else in its default language."""
        code = (language or "").split("-")[0].lower()
        return self.names.get(code) or self.names[self.default_language]

    @property
    def staff_languages(self) -> tuple[str, ...]:
        """The office's languages that the staff pages, the admin and the report are written in; English when the
        office offers none of STAFF_LANGUAGES to its participants."""
        return staff_languages_of(self.languages)

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
    except UnicodeDecodeError:
        raise fail("is not a text file in UTF-8: an office file is TOML (docs/offices.md)") from None
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
    _check_member_list(members_csv, fail)
    logo = data.get("logo", "")
    if not isinstance(logo, str) or logo.startswith("/") or ".." in Path(logo).parts:
        raise fail(f"logo must be the path of a static file, such as offices/my-office.svg, got {logo!r}")
    since = data.get("survey_since")
    if since is not None and (not isinstance(since, int) or not 1950 <= since <= 2100):
        raise fail(f"survey_since must be a year, got {since!r}")
    time_zone = data.get("time_zone")
    try:
        zoneinfo.ZoneInfo(time_zone if isinstance(time_zone, str) else "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise fail(f"time_zone must name a time zone such as Africa/Abidjan, got {time_zone!r}") from None
    earlier = data.get("earlier_rounds", "")
    if not isinstance(earlier, str):
        raise fail("earlier_rounds must name a CSV file (relative to the office file), or be left out")
    earlier_rounds_csv = (path.parent / earlier).resolve() if earlier else None
    if earlier_rounds_csv is not None and not earlier_rounds_csv.is_file():
        raise fail(f"earlier_rounds: no file {earlier_rounds_csv}")
    return Office(
        key=path.stem,
        default_language=default_language,
        names=names,
        languages=(default_language, *(code for code in languages if code != default_language)),
        members_csv=members_csv,
        time_zone=str(time_zone),
        mail=_mail(data.get("mail"), fail),
        logo=logo.strip(),
        survey_since=since,
        indicators=load_indicators(data.get("indicators", []), fail, staff_languages_of(languages)),
        earlier_rounds_csv=earlier_rounds_csv,
        demo=_demo(data.get("demo"), path.parent, fail),
        member_names=_member_names(members_csv),
    )


def _address(value: object) -> str:
    """The address part of "Name <address>" when it looks like one, else ""."""
    if not isinstance(value, str):
        return ""
    address = parseaddr(value)[1]
    return address if re.fullmatch(r"[^@\s+]+(\+[^@\s]*)?@[^@\s]+\.[^@\s]+", address) else ""


def _mail(table: object, fail: Any) -> OfficeMail:
    if not isinstance(table, dict):
        raise fail("needs a [mail] table with from (the sender) and reply_to (the office's address)")
    sender, reply_to, bounce = table.get("from"), table.get("reply_to"), table.get("bounce_address", "")
    if not _address(sender):
        raise fail(f'[mail] from must be an address, e.g. "Follow-Up Survey <survey@example.org>", got {sender!r}')
    if not _address(reply_to):
        raise fail(f"[mail] reply_to must be an address, got {reply_to!r}")
    if bounce and (not _address(bounce) or "+" in str(bounce)):
        raise fail(f"[mail] bounce_address must be a plain address such as bounces@example.org, got {bounce!r}")
    return OfficeMail(str(sender).strip(), str(reply_to).strip(), str(bounce or "").strip())


def _demo(table: object, folder: Path, fail: Any) -> OfficeDemo:
    if table is None:
        return OfficeDemo()
    if not isinstance(table, dict):
        raise fail("[demo] must be a table")
    workbook = table.get("workbook")
    quotes = table.get("quotes", [])
    if not isinstance(quotes, list) or any(
        not isinstance(row, list) or len(row) != 4 or not all(isinstance(v, str) for v in row) for row in quotes
    ):
        raise fail("[demo] quotes must be a list of [workshop code, administration code, answer, section]")
    current = table.get("in_progress")
    in_progress = None
    if current is not None:
        if not isinstance(current, dict) or not all(
            isinstance(current.get(key), str) and current[key].strip() for key in ("title", "venue", "reply_text")
        ):
            raise fail("[demo.in_progress] needs title, venue and reply_text")
        people = current.get("participants")
        if (
            not isinstance(people, list)
            or not people
            or any(
                not isinstance(row, list) or len(row) not in (2, 3) or not all(isinstance(v, str) for v in row)
                for row in people
            )
        ):
            raise fail("[demo.in_progress] participants must be a list of [administration code, name, language]")
        in_progress = SurveyInProgress(
            title=current["title"].strip(),
            titles={
                code: str(current[f"title_{code}"]).strip()
                for code in LANGUAGE_CODES
                if str(current.get(f"title_{code}", "")).strip()
            },
            venue=current["venue"].strip(),
            participants=tuple((row[0], row[1], row[2] if len(row) == 3 else "") for row in people),
            reply_text=current["reply_text"].strip(),
        )
    demo_workbook = (folder / workbook).resolve() if isinstance(workbook, str) and workbook else None
    if demo_workbook is not None and demo_workbook.suffix.lower() != ".xlsx":
        raise fail(f"[demo] workbook must name an .xlsx workbook, got {workbook!r}")
    return OfficeDemo(
        workbook=demo_workbook,
        quotes=tuple((row[0], row[1], row[2], row[3]) for row in quotes),
        in_progress=in_progress,
    )


def _member_names(members_csv: Path) -> dict[str, dict[str, str]]:
    """The member list's name_<language> columns (docs/offices.md): the office's own names where CLDR's differ.
    The list itself is checked where it is loaded (workshops.members); here a row without a code is skipped."""
    try:
        with members_csv.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError):
        return {}
    names: dict[str, dict[str, str]] = {}
    for row in rows:
        code = (row.get("code") or "").strip()
        own = {
            language: (row.get(f"name_{language}") or "").strip()
            for language in LANGUAGE_CODES
            if (row.get(f"name_{language}") or "").strip()
        }
        if code and own:
            names[code] = own
    return names


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


def staff_languages_of(languages: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Those of an office's languages that its staff pages and report are written in (Office.staff_languages)."""
    return tuple(code for code in languages if code in STAFF_LANGUAGES) or ("en",)


def load_indicators(
    tables: Any, fail: Callable[[str], Exception], staff_languages: tuple[str, ...] = STAFF_LANGUAGES
) -> tuple[Indicator, ...]:
    """The `[[indicators]]` tables of an office file (docs/offices.md); each error names the indicator. A label is
    needed in each of the office's staff languages (`staff_languages`), not in every language the product has: an
    office of English and French need not write Spanish."""
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
        # Staff pages and the report read it: the office's staff languages (the participants' others may add theirs).
        if not isinstance(label, dict) or not all(isinstance(label.get(code), str) for code in staff_languages):
            raise fail(f'{where} needs a label in {", ".join(staff_languages)} (label = {{ en = "...", ... }})')
        labels = {code: label[code].strip() for code in LANGUAGE_CODES if isinstance(label.get(code), str)}
        indicators.append(Indicator(key.strip(), measure, target, start, end, plan.strip(), labels))  # type: ignore[arg-type]
    return tuple(indicators)
