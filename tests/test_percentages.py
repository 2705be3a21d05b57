"""One rounding for every percentage the product shows: whole per cent, half up."""

from __future__ import annotations

import pytest
from django.utils import translation

from rocbap.percentages import percent, percent_label


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, 13), (3, 8, 38), (5, 8, 63), (1, 2, 50), (1, 200, 1), (1, 201, 0), (2, 3, 67), (0, 5, 0), (5, 5, 100)],
)
def test_percent_rounds_half_up(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_of_nothing_is_none():
    assert percent(0, 0) is None


def test_percent_label():
    assert percent_label(1, 8, language="en") == "13%"
    assert percent_label(0, 0) == "-"


def test_percent_label_as_the_language_writes_it():
    assert percent_label(1, 8, language="fr") == "13\u202f%"  # a narrow no-break space before the sign
    with translation.override("fr"):
        assert percent_label(11, 20) == "55\u202f%"
    with translation.override("en"):
        assert percent_label(11, 20) == "55%"
