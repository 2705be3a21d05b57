"""One fiscal year's counting frame and tables, computed once and kept until something they count changes.

Every save or delete of a workshop, participant, member administration or reply draws a new data version when its
transaction commits (at once outside one): a random token in the shared cache, so every web process and worker
sees it. A kept round is used only under the version it was computed at, and the version is read before the frame
is loaded, so a kept round is never older than its version. Inside a transaction nothing kept is used or kept: the
transaction may have changed rows it has not committed yet, or roll them back. Should the cache lose the token, a
new one is drawn and everything is counted again: a lost token never brings an older round back.

Writes that bypass save() and delete() (QuerySet.update, bulk_create) send no signal: code that changes counted
columns that way must call data_changed() itself. None does today (the bulk updates change message rows, opt-outs,
contact addresses and release dates, which no table counts).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from reports import frames, tables
from surveys.models import Response
from workshops.models import MemberAdministration, Participant, Workshop

VERSION_KEY = "reports:counted-data-version"
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


_kept: OrderedDict[tuple[int, str], CountedRound] = OrderedDict()
_lock = threading.Lock()


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() rather than set(): of two processes finding no token, both end up with the one stored first.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version or ""


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(**_: Any) -> None:
    """Something counted changed: a new version once it is committed (one cache write per transaction and
    signal: a reply's submit pays for it)."""
    transaction.on_commit(_new_version)


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
    key = (fiscal_year, data_version())
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    counted = _count(fiscal_year)
    with _lock:
        _kept[key] = counted
        while len(_kept) > KEPT_ROUNDS:
            _kept.popitem(last=False)
    return counted


def _count(fiscal_year: int) -> CountedRound:
    frame = frames.replies_frame(fiscal_year, texts=False)
    return CountedRound(fiscal_year, frame, tables.build_tables(frame))


def forget() -> None:
    """Drop every kept round of this process (tests)."""
    with _lock:
        _kept.clear()
