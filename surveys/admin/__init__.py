"""The survey's admin pages, one module per thing administered; importing this package registers them all."""

from surveys.admin import message_log, participants, replies, wording, workshops  # noqa: F401
from surveys.imports import admin as imports_admin  # noqa: F401
