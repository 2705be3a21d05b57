"""The two staff roles, as groups, and what each may do. This module is the one place that says so.

The groups are created by a migration; their permissions are (re)applied after every `migrate`, by codename,
so that models added later (the message log, report editions) are covered as soon as they exist. The code is
the truth: permissions added to these groups by hand are reset at the next migrate (make a new group instead).
"""

from __future__ import annotations

from collections.abc import Callable

SURVEY_MANAGERS = "Survey managers"
REPORT_VIEWERS = "Report viewers"

# app_label.model -> actions. Survey managers edit workshops, participants (and so the schedule's date
# overrides), report texts and quotes, and send messages; they read replies. Report viewers read replies and
# reports and change nothing; they see no participant list and no message log, where the e-mail addresses are.
ROLES: dict[str, dict[str, list[str]]] = {
    SURVEY_MANAGERS: {
        "workshops.memberadministration": ["view"],
        "workshops.workshop": ["add", "change", "delete", "view"],
        "workshops.participant": ["add", "change", "delete", "view"],
        "surveys.response": ["view"],
        "surveys.message": ["add", "change", "view"],
        # The office's own wording of the e-mails (surveys/admin/wording.py).
        "surveys.emailwording": ["add", "change", "delete", "view"],
        # The history of workbook imports (they import workbooks; the errors may quote e-mail addresses).
        "surveys.workbookimport": ["view"],
        "reports.reportedition": ["add", "change", "view"],
        "reports.quote": ["add", "change", "delete", "view"],
        "reports.earlierround": ["view"],
        # They confirm which descriptions are tangible results (the office's indicator counts them).
        "impact.successstory": ["add", "change", "delete", "view"],
    },
    REPORT_VIEWERS: {
        "workshops.memberadministration": ["view"],
        "workshops.workshop": ["view"],
        "surveys.response": ["view"],
        "reports.reportedition": ["view"],
        "reports.quote": ["view"],
        "reports.earlierround": ["view"],
        "impact.successstory": ["view"],
    },
}


# What the pages and exports ask of a user, by permission, so that a superuser may do everything and a staff user
# with no role nothing.
# The staff pages (/staff/) read replies.
READ_REPLIES = "surveys.view_response"
# Quoting a reply in the report is adding a quote.
QUOTE_REPLIES = "reports.add_quote"
# Confirming a reply's description as a success story (impact app) is adding one.
CONFIRM_STORIES = "impact.add_successstory"
# Sending messages (invitations now, the link again) adds to the message log.
SEND_MESSAGES = "surveys.add_message"
# E-mail addresses (the participant list, the export's e-mail column, a reply's contact e-mail) are for whoever may
# see the participants: survey managers, not report viewers.
SEE_PERSONAL_DATA = "workshops.view_participant"


def may_see_personal_data(user) -> bool:
    return user.has_perm(SEE_PERSONAL_DATA)


def staff_page(view: Callable) -> Callable:
    """A /staff/ page: others than staff go to the login; staff without a role get 403."""
    from django.contrib.admin.views.decorators import staff_member_required
    from django.contrib.auth.decorators import permission_required

    return staff_member_required(permission_required(READ_REPLIES, raise_exception=True)(view))


def create_groups(group_model) -> None:
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


def apply_role_permissions(group_model, permission_model, using: str = "default") -> None:
    """Give each role exactly the permissions ROLES lists, for the models that exist now."""
    for name, grants in ROLES.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        wanted = []
        for model_label, actions in grants.items():
            app_label, model = model_label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += permission_model.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


def on_post_migrate(sender, apps=None, using="default", **kwargs) -> None:
    """post_migrate: runs once per migrated app; cheap and idempotent, so the last run sees every model."""
    if apps is None:  # flush (as after a transactional test) sends it without the migration state
        from django.apps import apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:  # migrating backwards, before auth exists
        return
    apply_role_permissions(group_model, permission_model, using)
