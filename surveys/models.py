"""A participant's reply to the questionnaire (docs/questionnaire.md): one per participant, draft or submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rocbap.bulk import update_rows
from rocbap.languages import default_language, language_choices
from surveys.instrument import (  # noqa: F401  (the field groups, re-exported beside the model they name)
    ANSWER_FIELDS,
    COUNTS,
    FREE_TEXTS,
    Q1_ACTIONS,
    YES_NO_QUESTIONS,
)
from workshops.models import Participant, fiscal_year_label

TEXT_MAX_LENGTH = 5000


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


def replied(via: str = "") -> Q:
    """What counts as a reply (docs/domain.md, counting rules): a submitted response, late ones too, drafts never; as
    a condition on a query that reaches the response through `via` ("response__" from a participant,
    "participants__response__" from a workshop). Every count or exclusion of replies goes through it
    (`ResponseQuerySet.replies`; `Response.is_reply` is the same rule for one response)."""
    return Q(**{f"{via}status": Status.SUBMITTED})


class ResponseQuerySet(models.QuerySet):
    def replies(self) -> ResponseQuerySet:
        """Submitted responses: the only ones that count (`replied`)."""
        return self.filter(replied())


class Response(models.Model):
    participant = models.OneToOneField(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="response"
    )
    # The participant may correct their contact address on the form; the invitation address stays as it is.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    q1_shared_materials = models.BooleanField(_("Circulated/shared training materials with colleagues"), default=False)
    q1_shared_with = models.PositiveIntegerField(
        _("Number of colleagues with whom you shared the training materials"), null=True, blank=True
    )
    q1_submitted_report = models.BooleanField(_("Submitted a mission report to superiors"), default=False)
    q1_made_recommendations = models.BooleanField(
        _("Made some recommendations to management officials for consideration"), default=False
    )
    q1_inhouse_workshop = models.BooleanField(
        _("Organized an in-house workshop to cascade-down lessons learned"), default=False
    )
    q1_manuals = models.BooleanField(_("Developed/updated operation manuals, etc."), default=False)
    q1_others = models.BooleanField(_("Others"), default=False)
    q1_others_text = models.TextField(_("Others (description)"), max_length=TEXT_MAX_LENGTH, blank=True)
    q1bis_colleagues_learned = models.PositiveIntegerField(
        _("Number of colleagues who learned from the shared materials"), null=True, blank=True
    )
    q2_utilization = models.TextField(_("How the lessons learned are utilized"), max_length=TEXT_MAX_LENGTH, blank=True)
    q3_direct_effects = models.BooleanField(_("Direct effects observed"), null=True, blank=True)
    q3_text = models.TextField(_("Direct effects (description)"), max_length=TEXT_MAX_LENGTH, blank=True)
    q4_contributed = models.BooleanField(_("Contributed to efficiency/effectiveness"), null=True, blank=True)
    q4_text = models.TextField(_("Contribution (description)"), max_length=TEXT_MAX_LENGTH, blank=True)
    q5_new_project = models.BooleanField(_("New modernization project initiated"), null=True, blank=True)
    q5_text = models.TextField(_("Modernization project (description)"), max_length=TEXT_MAX_LENGTH, blank=True)

    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(
        _("first submitted"), null=True, blank=True, help_text=_("The first submission; later changes keep it.")
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)
    late = models.BooleanField(
        verbose_name=_("late"), default=False, help_text=_("Submitted after the workshop's due date.")
    )
    # Bumped on every save from the form, so that an edit made from a stale page is detected.
    revision = models.PositiveIntegerField(verbose_name=_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["participant__workshop__start_date", "participant__administration__code"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="response_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(submitted_at__isnull=False),
                name="response_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(q1_shared_with__isnull=True) | Q(q1_shared_with__gte=0),
                name="response_shared_with_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(q1bis_colleagues_learned__isnull=True) | Q(q1bis_colleagues_learned__gte=0),
                name="response_colleagues_learned_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(late=False) | Q(status=Status.SUBMITTED), name="response_only_replies_late"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Reply of %(participant)s") % {"participant": self.participant}

    @property
    def is_reply(self) -> bool:
        return self.status == Status.SUBMITTED

    @classmethod
    def answer_label(cls, name: str) -> str:
        """An answer field's name as staff read it (admin, staff pages, exports, charts, quotes)."""
        field = cls._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{name} is not an answer field")
        return str(field.verbose_name)


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER_1 = "reminder-1", _("Reminder 1")
    REMINDER_2 = "reminder-2", _("Reminder 2")
    REMINDER_3 = "reminder-3", _("Reminder 3")
    FEEDBACK = "feedback", _("Feedback")
    # Sent on staff request ("send the link again"); like the two below, a kind that may repeat.
    LINK = "link", _("Link sent again")
    # Staff's "send again" of an earlier message, with the reason (Message.resent_of, Message.reason).
    AGAIN = "again", _("Sent again")
    # Staff's "remind now" for chosen non-repliers: at most one a participant and day (Message.requested_on).
    REMIND_NOW = "remind-now", _("Reminder sent by staff")
    # The due date changed after participants were told it: the new date, and the one they were told (due_was).
    CORRECTION = "correction", _("Due date corrected")


REPEATABLE_KINDS = ("link", "again", "remind-now", "correction")
# The kinds whose text names the due date (recorded on the row as sent: Message.due_named).
NAMES_DUE_DATE = ("invitation", "reminder-1", "reminder-2", "reminder-3", "correction")


REMINDER_PREFIX = "reminder-"


def reminder_kind(number: int) -> str:
    """The kind of the number-th reminder (1-based)."""
    return f"{REMINDER_PREFIX}{number}"


def reminder_number(kind: str) -> int | None:
    """The number (1-based) of a reminder's kind; None for every other kind."""
    return int(kind.removeprefix(REMINDER_PREFIX)) if kind.startswith(REMINDER_PREFIX) else None


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Due when planned, but no longer wanted when its turn came (opted out, or replied before a reminder).
    SKIPPED = "skipped", _("Skipped")


class Bounce(models.TextChoices):
    # A permanent failure (no such user, domain unknown): the address is flagged undeliverable.
    HARD = "hard", _("Hard (permanent)")
    # A temporary one (mailbox full, delayed): noted on the message only.
    SOFT = "soft", _("Soft (temporary)")


class MessageQuerySet(models.QuerySet):
    def record_bounces(self, reports: Sequence[tuple[int, str, str]], now: dt.datetime) -> int:
        """Mark messages bounced from reports (message pk, bounce, detail), taken in turn as if one by one; a hard
        bounce flags the address its message went to undeliverable. Idempotent, and a soft report never
        downgrades a hard one. Returns how many addresses this call flagged.

        A few queries whatever the number of reports (the bounce pass hands them a chunk at a time): the rows are
        read under a lock, so a second pass waits and then sees these marks, and written back in bulk."""
        with transaction.atomic():
            messages = {
                row["pk"]: row
                for row in self.select_for_update()
                .filter(pk__in={pk for pk, _bounce, _detail in reports})
                .values("pk", "bounce", "participant_id", "to_email")
            }
            marked: dict[int, tuple[int, str, str]] = {}
            # Per participant, each hard report's address and detail: the one still theirs flags them.
            hard: dict[int, list[tuple[str, str]]] = {}
            for pk, bounce, detail in reports:
                row = messages.get(pk)
                if row is None:
                    continue
                if row["bounce"] == "" if bounce == Bounce.SOFT else row["bounce"] != bounce:
                    row["bounce"] = bounce
                    marked[pk] = (pk, bounce, detail)
                if bounce == Bounce.HARD and row["to_email"]:
                    hard.setdefault(row["participant_id"], []).append((row["to_email"].lower(), detail))
            update_rows(Message, ["bounce", "bounce_detail"], list(marked.values()), same_for_all={"bounced_at": now})
            # Only while the participant still has that address: a corrected one is not flagged by an old report.
            flagged = []
            still_deliverable = Participant.objects.select_for_update().filter(
                pk__in=hard, undeliverable_since__isnull=True
            )
            for pk, email in still_deliverable.values_list("pk", "email"):
                reason = next((said for address, said in hard[pk] if address == email.lower()), None)
                if reason is not None:
                    flagged.append((pk, reason))
            update_rows(Participant, ["undeliverable_reason"], flagged, same_for_all={"undeliverable_since": now})
        return len(flagged)


class Message(models.Model):
    """The message log: one row per e-mail the product sends (or will send), claimed before it is sent.

    The row exists before the e-mail does: the unique constraint on (participant, kind) makes planning a message
    idempotent, and a claim (a token plus a lease) makes sending it exclusive, so two dispatch passes or workers
    never send it twice, and a claim whose worker died expires and is taken up again.
    """

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=MessageKind.choices)
    status = models.CharField(
        verbose_name=_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)
    # What was sent, as read from the database at send time.
    to_email = models.EmailField(_("to"), max_length=254, blank=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    error = models.TextField(
        verbose_name=_("error"), blank=True, help_text=_("The last SMTP error, or why the message was skipped.")
    )
    # A transient failure waits until then before the next attempt (backoff).
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), null=True, blank=True)
    claim = models.CharField(verbose_name=_("claim"), max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(verbose_name=_("claimed until"), null=True, blank=True, editable=False)
    # The plain-text part as sent, for staff to read what went out (erasure blanks it: it names the person).
    body = models.TextField(_("text"), blank=True)
    # A bounce report about this message, read from the bounce mailbox (surveys.mail.bounces).
    bounce = models.CharField(verbose_name=_("bounce"), max_length=4, choices=Bounce.choices, blank=True)
    bounced_at = models.DateTimeField(verbose_name=_("bounced at"), null=True, blank=True)
    bounce_detail = models.TextField(
        verbose_name=_("bounce detail"), blank=True, help_text=_("What the bounce report said about the recipient.")
    )
    # Sent with the unsigned return path of earlier versions (bounces+<pk>@): its bounce reports are believed only
    # for one survey round after it went out (surveys.mail.bounces). Rows sent since carry a signed return path.
    unsigned_return_path = models.BooleanField(default=False, editable=False)

    # What staff sent by hand: the message a "send again" copies, and why.
    resent_of = models.ForeignKey(
        "self",
        verbose_name=_("sent again from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True)
    # The confirmation page a staff action came from: submitted twice, it makes no second row.
    request_key = models.CharField(verbose_name=_("request"), max_length=32, blank=True, editable=False)
    # The office's day a "remind now" was asked on: one a participant and day.
    requested_on = models.DateField(verbose_name=_("requested on"), null=True, blank=True, editable=False)
    # The due date the message named as it went out (invitations, reminders, corrections): who was told which date.
    due_named = models.DateField(verbose_name=_("due date named"), null=True, blank=True, editable=False)
    # A correction's earlier due date, the one it corrects ("it was ...").
    due_was = models.DateField(verbose_name=_("due date before"), null=True, blank=True, editable=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "participant",
                "kind",
                condition=~Q(kind__in=REPEATABLE_KINDS),
                name="message_once_per_participant_and_kind",
            ),
            # One copy of a message per "send again" page, however often it is submitted.
            models.UniqueConstraint(
                "resent_of", "request_key", condition=~Q(request_key=""), name="message_sent_again_once_per_request"
            ),
            models.UniqueConstraint(
                "participant",
                "requested_on",
                condition=Q(kind="remind-now"),
                name="message_remind_now_once_a_day",
            ),
            models.CheckConstraint(condition=Q(kind__in=MessageKind.values), name="message_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
            models.CheckConstraint(condition=Q(bounce__in=["", *Bounce.values]), name="message_bounce_valid"),
            # Every way out of pending clears the claim, so a row that carries a claim token is pending: the
            # dispatch finds a claimed row by its key and token alone (surveys.mail.sending._finish says why).
            models.CheckConstraint(
                condition=Q(claim="") | Q(status=MessageStatus.PENDING), name="message_claimed_is_pending"
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"], name="message_claimable")]

    def __str__(self) -> str:
        return gettext("%(kind)s to %(name)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "name": self.participant.name,
            "status": self.get_status_display().lower(),
        }

    @property
    def sent_as(self) -> str:
        """The kind whose texts and rules this message follows: a message sent again follows the one it copies, a
        reminder asked for by staff follows the reminders (not after the due date, not to a replier)."""
        if self.kind == MessageKind.AGAIN and self.resent_of is not None:
            return self.resent_of.kind
        if self.kind == MessageKind.REMIND_NOW:
            return reminder_kind(1)
        return self.kind


class RoundState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SurveyRound(models.Model):
    """The state of one fiscal year's survey round; a fiscal year without a row is open.

    Read and change it through surveys.questionnaire.rounds, never directly: that module is the rule of round closing.
    """

    fiscal_year = models.PositiveSmallIntegerField(
        verbose_name=_("fiscal year"),
        unique=True,
        help_text=_("The year the fiscal year starts in: 2019 for FY2019/20."),
    )
    state = models.CharField(
        verbose_name=_("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    closed_at = models.DateTimeField(verbose_name=_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="survey_round_state_valid"),
        ]

    def __str__(self) -> str:
        return gettext("Survey round FY%(label)s (%(state)s)") % {
            "label": fiscal_year_label(self.fiscal_year),
            "state": self.get_state_display().lower(),
        }

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED


class ImportState(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    # The workbook is valid and makes messages due: nothing is imported until staff confirm what it sends.
    AWAITING = "awaiting", _("Waiting for your confirmation")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Nothing imported")
    CANCELLED = "cancelled", _("Cancelled: nothing imported")
    # Left awaiting confirmation longer than IMPORT_CONFIRMATION_HOURS: its file is deleted, nothing imported.
    EXPIRED = "expired", _("Expired: nothing imported, upload it again")


FINISHED_IMPORT_STATES = (ImportState.DONE, ImportState.FAILED, ImportState.CANCELLED, ImportState.EXPIRED)


class WorkbookImport(models.Model):
    """One workbook uploaded in the admin, imported in the background (surveys.imports.jobs): its progress, then its
    summary or its errors, for the staff page that follows it and the admin's list of past imports.

    What the import says (progress, summary, errors) is stored as text in the language of the staff user who
    started it (`language`): what they were told, kept as they read it."""

    file_name = models.CharField(verbose_name=_("file name"), max_length=255)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The language of the page the import was started from: the import's messages are written in it.
    language = models.CharField(
        verbose_name=_("language"), max_length=8, choices=language_choices, default=default_language
    )
    created_at = models.DateTimeField(verbose_name=_("uploaded at"), auto_now_add=True)
    # When it was last handed to a worker (uploaded, or confirmed): one still waiting or running long after has
    # stopped without finishing (surveys.imports.jobs.STOPPED_AFTER).
    queued_at = models.DateTimeField(verbose_name=_("handed to a worker at"), default=timezone.now)
    # When the import began to wait for staff to confirm what it sends: it expires IMPORT_CONFIRMATION_HOURS later.
    awaiting_since = models.DateTimeField(verbose_name=_("awaiting confirmation since"), null=True, blank=True)
    finished_at = models.DateTimeField(verbose_name=_("finished at"), null=True, blank=True)
    state = models.CharField(
        verbose_name=_("state"), max_length=10, choices=ImportState.choices, default=ImportState.WAITING
    )
    progress = models.CharField(verbose_name=_("progress"), max_length=200, blank=True)
    # What the import said: the summary's lines when done, the listed errors (and how many more) when not.
    summary = models.JSONField(verbose_name=_("summary"), default=list, blank=True)
    errors = models.JSONField(verbose_name=_("errors"), default=list, blank=True)
    unlisted_errors = models.PositiveIntegerField(verbose_name=_("errors not listed"), default=0)
    # Why nothing was imported when the workbook is not at fault (the worker unreachable, an unexpected error, the
    # import stopped before it finished): a sentence for staff instead of the workbook's errors.
    failure = models.CharField(verbose_name=_("failure"), max_length=300, blank=True)
    # What the import makes due (surveys.imports.jobs.plan_lines): shown for staff to confirm while awaiting, and
    # the plan they confirmed, which the import must still make due when it runs for real.
    announced = models.JSONField(verbose_name=_("messages it makes due"), default=list, blank=True)
    confirmed = models.JSONField(verbose_name=_("messages confirmed"), null=True, blank=True)
    # The plan changed between the confirmation and the import: shown again, nothing imported.
    plan_changed = models.BooleanField(verbose_name=_("plan changed"), default=False)

    class Meta:
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ImportState.values), name="workbook_import_state_valid"),
        ]

    def __str__(self) -> str:
        return gettext("Import of %(file)s (%(state)s)") % {
            "file": self.file_name,
            "state": self.get_state_display().lower(),
        }

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_IMPORT_STATES


class EmailTemplateKind(models.TextChoices):
    """The e-mails an office may word its own way: one per folder of templates/emails/ (every reminder reads the
    reminder's wording; the context tells which one it is)."""

    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    LINK = "link", _("Link sent again")
    FEEDBACK = "feedback", _("Feedback")


class EmailWording(models.Model):
    """The office's own wording of one kind of e-mail in one language: a subject, a plain text and an HTML text,
    each a template with the same values as the files under templates/emails/ (which are the wording wherever no
    row is saved). Checked before it is saved (surveys.mail.wording_checks): it renders for a real participant,
    keeps the personal link and the opt-out line, and prints a participant's own values and nothing else."""

    kind = models.CharField(verbose_name=_("e-mail"), max_length=20, choices=EmailTemplateKind.choices)
    language = models.CharField(
        verbose_name=_("language"), max_length=8, choices=language_choices, default=default_language
    )
    subject = models.TextField(verbose_name=_("subject"))
    text = models.TextField(verbose_name=_("plain text"))
    html = models.TextField(verbose_name=_("HTML"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail wording")
        verbose_name_plural = _("e-mail wordings")
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="one_wording_per_kind_and_language")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
