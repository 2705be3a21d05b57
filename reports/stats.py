"""Measures of association for a 2×2 table of replies (action taken or not, outcome Yes or No), and the
plain-language reading of the association table. These describe association in a small sample, never cause."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext
from scipy.special import gammaln

from reports import wording
from rocbap.percentages import percent_sign

# Below this two-sided p-value a reading calls an association "unlikely to be chance alone".
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class TwoByTwo:
    a: int  # action and outcome
    b: int  # action, no outcome
    c: int  # no action, outcome
    d: int  # neither

    @property
    def with_action(self) -> int:
        return self.a + self.b

    @property
    def without_action(self) -> int:
        return self.c + self.d


@dataclass(frozen=True)
class Measures:
    odds_ratio: float | None
    phi: float | None
    fisher_p: float | None


def odds_ratio(cells: TwoByTwo) -> float | None:
    """ad / bc, with 0.5 added to every cell when one is zero (Haldane-Anscombe), so that it stays finite.

    None (printed "–") when there is nothing to compare: the outcome rate is 0% or 100% on both sides (every reply
    gave the same answer), or nobody, or everybody, took the action. The +0.5 correction would otherwise produce
    a figure out of no difference at all."""
    if 0 in (cells.a + cells.c, cells.b + cells.d, cells.a + cells.b, cells.c + cells.d):
        return None
    added = 0.5 if 0 in (cells.a, cells.b, cells.c, cells.d) else 0.0
    a, b, c, d = (cells.a + added, cells.b + added, cells.c + added, cells.d + added)
    return (a * d) / (b * c)


def phi(cells: TwoByTwo) -> float | None:
    """Pearson's phi; None when a row or column is empty (everyone took the action, or nobody did...)."""
    a, b, c, d = cells.a, cells.b, cells.c, cells.d
    denominator = (a + b) * (c + d) * (a + c) * (b + d)
    if denominator == 0:
        return None
    return (a * d - b * c) / math.sqrt(denominator)


def fisher_p(cells: TwoByTwo) -> float | None:
    """Two-sided Fisher exact p: the probability, with the margins fixed, of every table no more likely than the
    one observed. The same rule as scipy.stats.fisher_exact (a test compares them), in one vectorized computation
    instead of its search, which is several times slower for the eighteen tables of a report."""
    total = cells.a + cells.b + cells.c + cells.d
    if total == 0:
        return None
    with_action, outcome = cells.with_action, cells.a + cells.c
    low, high = max(0, with_action + outcome - total), min(with_action, outcome)
    probabilities = np.exp(_log_hypergeom(np.arange(low, high + 1), total, outcome, with_action))
    observed = probabilities[cells.a - low]
    # The relative tolerance scipy uses, so that tables as likely as the observed one are not lost to rounding.
    return float(min(1.0, probabilities[probabilities <= observed * (1 + 1e-7)].sum()))


@functools.lru_cache(maxsize=8)
def _log_factorials(total: int) -> np.ndarray:
    """log(n!) for n = 0..total, once for the eighteen tables of a report (one total per outcome question)."""
    values = gammaln(np.arange(total + 1) + 1)
    values.flags.writeable = False  # shared by every caller
    return values


def _log_hypergeom(k, total: int, successes: int, draws: int):
    """log P(k successes in `draws` draws without replacement from `total` holding `successes`)."""
    log_factorial = _log_factorials(total)

    def log_choose(n, chosen):
        return log_factorial[n] - log_factorial[chosen] - log_factorial[n - chosen]

    return log_choose(successes, k) + log_choose(total - successes, draws - k) - log_choose(total, draws)


def holm_adjusted(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of p-values for the number of pairings tested (those with a p-value): the
    smallest is multiplied by m, the next by m - 1, ..., each kept at least as large as the one before and at
    most 1. It controls the chance of even one false "unlikely to be chance" over the whole table."""
    tested = sorted((p, index) for index, p in enumerate(p_values) if p is not None)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(tested):
        running = max(running, min(1.0, (len(tested) - rank) * p))
        adjusted[index] = running
    return adjusted


def measures(cells: TwoByTwo, p: float | None = None) -> Measures:
    """Rounded for reading: two decimals for the odds ratio and phi, three for p (`p` when the caller has
    computed fisher_p already)."""

    def rounded(value: float | None, places: int) -> float | None:
        return None if value is None else round(value, places)

    p = fisher_p(cells) if p is None else p
    return Measures(rounded(odds_ratio(cells), 2), rounded(phi(cells), 2), rounded(p, 3))


def association_sentences(table) -> list[str]:
    """What the association table can and cannot say, from its rows (reports.tables.associations). The reading
    follows the Holm-adjusted p-value: with eighteen pairings tested, a raw p below 0.05 is expected by chance.
    Worded in the active language; the table's labels are looked up by their English names."""
    columns = table.columns
    index = {name: columns.index(name) for name in columns}
    adjusted = index[ADJUSTED_P]
    rows = [row for row in table.rows if row[adjusted] is not None]
    if too_few_replies(table):
        return [gettext("There are too few replies to look for associations between follow-up actions and outcomes.")]
    replies = max(row[index["Replies to the outcome question"]] for row in rows)
    sentences = [
        gettext(
            "The table sets each follow-up action against each outcome over at most %(replies)s replies. It shows "
            "association in a small sample, not proof that an action caused an outcome: administrations that take "
            "one step often take others, and the replies are self-reported. Because %(pairings)s pairings are "
            "tested at once, each p-value is adjusted for their number by Holm's method (the last column), and only "
            "the adjusted value is read."
        )
        % {"replies": replies, "pairings": len(rows)}
    ]
    for row in clear_associations(table):
        outcome = wording.label(row[index["Outcome"]])
        values = {
            "action": wording.label(row[index["Follow-up action"]]),
            # "direct effects (Q3)", keeping the Q; French quotes the label as it is
            "outcome": outcome[:1].lower() + outcome[1:],
            "with_rate": percent_sign(row[index["Outcome with the action (%)"]]),
            "without_rate": percent_sign(row[index["Outcome without the action (%)"]]),
            "p": number_format(row[adjusted], decimal_pos=3),
            "phi": number_format(row[index["Phi"]], decimal_pos=2),
        }
        if (row[index["Phi"]] or 0) > 0:
            sentence = gettext(
                "Replies that reported “%(action)s” reported %(outcome)s more often (%(with_rate)s against "
                "%(without_rate)s without it; adjusted p = %(p)s, phi = %(phi)s): unlikely to be chance alone, but "
                "still an association."
            )
        else:
            sentence = gettext(
                "Replies that reported “%(action)s” reported %(outcome)s less often (%(with_rate)s against "
                "%(without_rate)s without it; adjusted p = %(p)s, phi = %(phi)s): unlikely to be chance alone, but "
                "still an association."
            )
        sentences.append(sentence % values)
    threshold = number_format(SIGNIFICANCE, decimal_pos=2)
    if not clear_associations(table):
        sentences.append(
            gettext(
                "No pairing reaches an adjusted p below %(threshold)s: with this few replies, the differences seen "
                "could be chance."
            )
            % {"threshold": threshold}
        )
    else:
        sentences.append(
            gettext(
                "The other pairings do not reach an adjusted p below %(threshold)s; with this few replies their "
                "differences could be chance."
            )
            % {"threshold": threshold}
        )
    return sentences


ADJUSTED_P = "Holm-adjusted p"


def too_few_replies(table) -> bool:
    """True when no pairing can show anything: no row has a p-value and a phi (a pairing where everybody or nobody
    took the action, or everybody or nobody reached the outcome, compares nothing; one reply compares nothing at
    all). Section 2.7 then says there are too few replies, prints no table, and the summary says the same."""
    columns = table.columns
    adjusted, phi_column = columns.index(ADJUSTED_P), columns.index("Phi")
    return not any(row[adjusted] is not None and row[phi_column] is not None for row in table.rows)


def clear_associations(table) -> list[list]:
    """The association table's rows whose Holm-adjusted p is below SIGNIFICANCE, the clearest first (at most 3).
    The executive summary and section 2.7 both read this list, so they cannot disagree."""
    columns = table.columns
    adjusted = columns.index(ADJUSTED_P)
    clear = [row for row in table.rows if row[adjusted] is not None and row[adjusted] < SIGNIFICANCE]
    return sorted(clear, key=lambda row: row[adjusted])[:3]
