"""Which way a participant's text runs. Replies come in every script of the region; a quote in Persian, Urdu,
Pashto (Arabic script) or Dhivehi (Thaana) is set right to left, as its writer reads it."""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT = {"R", "AL"}
LEFT_TO_RIGHT = {"L"}


def text_direction(text: str) -> str:
    """ "rtl" or "ltr" by the first strongly directional character (Unicode's rule P2 for a paragraph), "ltr" for
    text that has none (digits, punctuation)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in RIGHT_TO_LEFT:
            return "rtl"
        if kind in LEFT_TO_RIGHT:
            return "ltr"
    return "ltr"
