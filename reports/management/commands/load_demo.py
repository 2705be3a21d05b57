import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.demo import add_current_workshop, add_demo_quotes
from reports.earlier_rounds import load_earlier_rounds
from surveys.imports.workbook import import_workbook
from workshops.members import load_member_list


class Command(BaseCommand):
    help = (
        "Load the office's member administrations, its earlier rounds' figures, its demo survey through the "
        "importer and a workshop whose survey runs now (the office file's [demo]), and make a staff login for the "
        "demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="staff")

    def handle(self, *args, username: str, **options):
        # The office's own list and record: a database made for another office holds that office's.
        for line in load_member_list(settings.OFFICE.members_csv, prune=True).lines():
            self.stdout.write(line)
        for line in load_earlier_rounds(settings.OFFICE.earlier_rounds_csv, prune=True).lines():
            self.stdout.write(line)
        if settings.OFFICE.demo.workbook is not None:
            with settings.OFFICE.demo.workbook.open("rb") as handle:
                summary = import_workbook(handle)
            for line in summary.lines():
                self.stdout.write(line)
        self.stdout.write(f"Curated quotes for the demo report: {add_demo_quotes()} added")
        current = add_current_workshop(timezone.localdate())
        if current is not None:
            self.stdout.write(
                f"A survey in progress: {current.title}, FY{current.fiscal_year_label}; "
                "its invitations go out with the first dispatch pass."
            )
        # A fresh password each start: the demo never ships a known credential.
        password = secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": "staff@example.org"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nLog in as staff at {settings.SITE_URL}/admin/ with user {username!r} and password {password!r}\n"
            )
        )
