"""Import a workbook from the command line, all or nothing, in a language staff read (--language; by default the
office's): the messages it would make due, its errors and its summary."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from rocbap.formats import day_long
from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.workbook import import_workbook
from surveys.mail import planning
from surveys.mail.planning import Announced
from workshops.models import Workshop


def plan_line(due: Announced) -> str:
    """One message the import makes due, in the active language: Invitation to 2 participants of IMP-1 on
    5 March 2027, due 26 March 2027."""
    return ngettext(
        "%(message)s to %(count)s participant of %(workshop)s on %(day)s, due %(due)s",
        "%(message)s to %(count)s participants of %(workshop)s on %(day)s, due %(due)s",
        due.count,
    ) % {
        "message": due.kind_label,
        "count": number_format(due.count, force_grouping=True),
        "workshop": due.workshop.code,
        "day": day_long(due.day),
        "due": day_long(due.due),
    }


class Command(BaseCommand):
    help = (
        "Import workshops, participants and replies from an .xlsx workbook (all or nothing). An import that makes "
        "messages due says which and imports only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx workbook")
        parser.add_argument(
            "--yes", action="store_true", help="import even if it makes messages due (they go out with the next pass)"
        )
        parser.add_argument(
            "--language",
            choices=settings.OFFICE.staff_languages,  # staff read what it says: a staff language
            help="the language of what the import says (messages due, errors, summary); default: the office's",
        )

    def handle(self, *args, path: str, yes: bool = False, language: str | None = None, **options):
        with translation.override(language or settings.OFFICE.staff_default_language):
            self._import(path, yes)

    def _import(self, path: str, yes: bool) -> None:
        try:
            with open(path, "rb") as handle:
                # Tried first in a transaction that is rolled back: does the import make messages due?
                lines = planning.announced_by(lambda: import_workbook(handle), Workshop.objects.all(), timezone.now())
                for due in lines:
                    self.stdout.write(plan_line(due))
                if lines and not yes:
                    raise CommandError(
                        gettext(
                            "Nothing imported: this import makes the messages above due. Run it again with --yes to "
                            "import it; the next dispatch pass sends them."
                        )
                    )
                handle.seek(0)
                summary = import_workbook(handle)
        except FileNotFoundError:
            raise CommandError(gettext("%(path)s: no such file") % {"path": path}) from None
        except WorkbookInvalid as invalid:
            for line in invalid.lines():
                self.stderr.write(line)
            raise CommandError(str(invalid)) from None
        for line in summary.lines():
            self.stdout.write(line)
