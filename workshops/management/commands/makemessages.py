"""Django's makemessages, also extracting N_("..."), a no-op marker: the wording of modules kept free of
Django (reports.tables' labels) is marked with it and translated where it is shown."""

from django.core.management.commands.makemessages import Command as MakeMessagesCommand


class Command(MakeMessagesCommand):
    xgettext_options = [*MakeMessagesCommand.xgettext_options, "--keyword=N_"]
