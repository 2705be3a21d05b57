"""One fiscal year's counting frame and tables, computed once and kept until something they count changes.

A kept round is used only under the data version it was computed at: a random token in a cache every web process
and worker shares (the "counted" cache, which never evicts its two keys). A save or delete of a workshop,
participant, member administration or reply draws a new version when its transaction commits (at once outside
one) - but only when some round was kept under the current version (the IN_USE key says which). So a burst of
submits pays one cache read each, not a write, while nobody reads the tables.

Why that is never stale: a reader marks the version in use before it loads the frame, and keeps its round only if
the version is still current and still marked afterwards. A writer checks the mark after its commit. Either the
writer sees the mark and draws a new version (the reader's round is never used again), or it looked before the
reader marked, so before the reader loaded: the reader saw the committed rows. Inside a transaction nothing kept is
used or kept (it may hold uncommitted changes, or roll back). A lost token is drawn anew: everything is counted again.

Writes that bypass save() and delete() send no signal. New rows made by bulk_create (the workbook import's
participants) change the key anyway: it holds the newest participant's and reply's ids. QuerySet.update of a
counted column must call data_changed() itself; none does today (the bulk updates change message rows, opt-outs,
contact addresses and release dates, which no table counts).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from reports import frames, tables
from surveys.models import Response
from workshops.models import MemberAdministration, Participant, Workshop

VERSION_KEY = "reports:counted-data-version"
IN_USE_KEY = "reports:counted-version-in-use"
# Rounds kept per process: the staff pages ask for one FY and the one before it, the PDF the same.
KEPT_ROUNDS = 8
# The models whose rows the counting frame reads (reports.frames.COUNTING_COLUMNS).
COUNTED_MODELS = (Workshop, Participant, MemberAdministration, Response)


@dataclass(frozen=True)
class CountedRound:
    """A fiscal year's counting frame (reports.frames, texts left out) and Tables 1-7 with the association table.
    Shared by every caller: read them, never change them."""

    fiscal_year: int
    frame: pd.DataFrame
    tables: dict[str, tables.Table[Any]]


_kept: OrderedDict[tuple[int, str, tuple[int | None, int | None]], CountedRound] = OrderedDict()
_lock = threading.Lock()


def _store() -> BaseCache:
    # The default cache where settings name no "counted" one (a test's own CACHES, say).
    return caches["counted" if "counted" in settings.CACHES else "default"]


def data_version() -> str:
    store = _store()
    version = store.get(VERSION_KEY)
    if version is None:
        # add() rather than set(): of two processes finding no token, both end up with the one stored first.
        store.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = store.get(VERSION_KEY)
    return version or ""


def _new_version_if_in_use() -> None:
    store = _store()
    in_use, version = store.get(IN_USE_KEY), store.get(VERSION_KEY)
    if in_use is not None and in_use == version:
        store.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(**_: Any) -> None:
    """Something counted changed: once it is committed, a new version if a round was kept under the current one."""
    transaction.on_commit(_new_version_if_in_use)


def connect_signals() -> None:
    """Called by ReportsConfig.ready in every process."""
    for model in COUNTED_MODELS:
        post_save.connect(data_changed, sender=model, dispatch_uid=f"counted-{model._meta.label}-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"counted-{model._meta.label}-delete")


def counted_round(fiscal_year: int) -> CountedRound:
    """The fiscal year's frame and tables: kept ones when nothing they count changed since, else counted now."""
    if connection.in_atomic_block:
        # The transaction may hold changes not yet versioned (they are at commit), or roll them back.
        return _count(fiscal_year)
    version = data_version()
    key = (fiscal_year, version, _last_rows())
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    store = _store()
    if store.get(IN_USE_KEY) != version:
        store.set(IN_USE_KEY, version, timeout=None)  # before loading: see the module's docstring
    counted = _count(fiscal_year)
    if store.get_many([VERSION_KEY, IN_USE_KEY]) != {VERSION_KEY: version, IN_USE_KEY: version}:
        return counted  # changed while it was counted, or the marks were lost: correct now, but not kept
    with _lock:
        _kept[key] = counted
        while len(_kept) > KEPT_ROUNDS:
            _kept.popitem(last=False)
    return counted


def _last_rows() -> tuple[int | None, int | None]:
    """The newest participant and reply: rows written by bulk_create, which sends no signal (the workbook import
    adds its participants so), still make a new key. Two index lookups."""
    return (
        Participant.objects.aggregate(last=Max("pk"))["last"],
        Response.objects.aggregate(last=Max("pk"))["last"],
    )


def _count(fiscal_year: int) -> CountedRound:
    frame = frames.replies_frame(fiscal_year, texts=False)
    return CountedRound(fiscal_year, frame, tables.build_tables(frame))


def forget() -> None:
    """Drop every kept round of this process (tests)."""
    with _lock:
        _kept.clear()
