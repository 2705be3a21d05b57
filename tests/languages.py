"""What a page, an e-mail or a report in French (or Spanish) must not contain: any English wording of the product.

The English wordings are the msgids of the language's catalogue (every string the product marks for translation);
each is cut into the runs of words between its placeholders and tags, and a run of two words or more found in the
text is English the reader was not meant to see. Data (workshop titles, names, quotes) is not the product's and is
left out by the tests through their fixtures.
"""

from __future__ import annotations

import html
import re
from functools import cache

from django.utils import translation

PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)s|%s|<[^>]+>|\{\{.*?\}\}")


@cache
def english_runs(language: str = "fr") -> frozenset[str]:
    with translation.override(language):
        catalog = translation.trans_real.translation(language)._catalog  # type: ignore[attr-defined]
        runs = set()
        for key, translated in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or msgid == translated:
                continue
            pieces = PLACEHOLDER_OR_TAG.split(msgid)
            for run in pieces:
                words = run.strip(" .,:;–—()“”\"'").split()
                # A whole short message ("Save draft") counts from two words; a piece between placeholders from
                # three, since two ("of the") are common to any English text, the participants' own too.
                if len(words) >= (2 if len(pieces) == 1 else 3):
                    runs.add(" ".join(words))
    return frozenset(runs)


def visible_text(page: str) -> str:
    """The text a reader sees of an HTML page: no tags, scripts or styles; entities decoded; spaces collapsed."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # A table's cells and the page's blocks stay apart: words of two cells are no run of the product's wording.
    page = re.sub(r"</?(?:td|th|tr|p|li|h\d|div|caption|dt|dd|title|button|label|legend)\b[^>]*>", " ¶ ", page)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def english_in(text: str, language: str = "fr") -> list[str]:
    """The product's English wordings found in a text meant to be in `language` (those its catalogue translates)."""
    flat = " ".join(text.split())
    return sorted(run for run in english_runs(language) if run in flat)


# pdftotext writes each Arabic line between directional marks (U+202A-U+202E), keeps the word joiners around a
# slash (reports.typography), sets a vowel mark (tanwin, shadda) apart from its letter at times, and writes a lam-alef
# ligature's two letters the other way round (لإ read as إل): Arabic read back from a PDF is compared without marks
# of any of these kinds (plain_arabic, on both sides), and the words a test looks for are chosen without that
# ligature and without figures (whose neighbours' order pdftotext changes).
BIDI_AND_VOWEL_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u064b-\u0652\u0670]")


def plain_arabic(text: str) -> str:
    return " ".join(BIDI_AND_VOWEL_MARKS.sub("", text).split())
