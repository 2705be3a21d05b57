"""The office's member administrations from a CSV file (code, name, subregion, aliases), as docs/offices.md
describes it. The migrations load the Asia/Pacific list into a new database; an office loads its own with
`manage.py load_member_administrations`."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from workshops.models import MemberAdministration

COLUMNS = ("code", "name", "subregion", "aliases")


class MemberListError(ValueError):
    pass


@dataclass
class MemberListResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # not in the list, but participants refer to them

    def lines(self) -> list[str]:
        lines = [
            f"Member administrations: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.removed)} removed"
        ]
        if self.kept:
            lines.append(f"Not in the list but kept, participants refer to them: {', '.join(self.kept)}")
        return lines


def read_member_list(path: Path) -> list[dict[str, str]]:
    """The rows of a member list, checked: every error names the line."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in COLUMNS[:2] if column not in (reader.fieldnames or [])]
            if missing:
                raise MemberListError(f"{path}: the first line must name the columns {', '.join(COLUMNS)}")
            rows, errors, seen = [], [], set()
            for line, row in enumerate(reader, start=2):
                values = {column: (row.get(column) or "").strip() for column in COLUMNS}
                if not any(values.values()):
                    continue
                if not re.fullmatch(r"[A-Z]{2}", values["code"]):
                    errors.append(f"line {line}: code must be two capital letters, got {values['code']!r}")
                elif values["code"] in seen:
                    errors.append(f"line {line}: code {values['code']} is listed twice")
                if not values["name"]:
                    errors.append(f"line {line}: name is required")
                seen.add(values["code"])
                rows.append(values)
    except OSError as exc:
        raise MemberListError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise MemberListError(f"{path}: is not UTF-8 text") from None
    if errors:
        raise MemberListError(f"{path}: " + "; ".join(errors))
    return rows


@transaction.atomic
def load_member_list(path: Path, *, prune: bool = False) -> MemberListResult:
    """Create or update every administration of the list; with `prune`, remove those not in it that no participant
    refers to (a new office drops the default list this way)."""
    rows = read_member_list(path)
    result = MemberListResult()
    existing = {administration.code: administration for administration in MemberAdministration.objects.all()}
    for values in rows:
        administration = existing.get(values["code"])
        if administration is None:
            MemberAdministration.objects.create(**values)
            result.created.append(values["code"])
        elif any(getattr(administration, column) != values[column] for column in COLUMNS):
            for column in COLUMNS:
                setattr(administration, column, values[column])
            administration.save()
            result.updated.append(values["code"])
    if prune:
        listed = {values["code"] for values in rows}
        for code, administration in sorted(existing.items()):
            if code in listed:
                continue
            if administration.participants.exists():
                result.kept.append(code)
            else:
                administration.delete()
                result.removed.append(code)
    return result
