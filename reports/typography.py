"""The report's typography as its language writes it, applied to the rendered HTML's text (never to markup, the
stylesheet or the charts' drawing instructions):

* French puts a no-break space before ; : ? ! (a narrow one before ; ? !, a full one before :), so that the sign
  never starts a line; the catalogue's translations write an ordinary space there, this makes it a no-break one.
* A name joined by a slash ("l'Asie/Pacifique", "A/P", "régional/sous-régional") never breaks at its slash: it is
  wrapped in a span that does not wrap (in running text; table cells keep their own rules, report.css). In a
  right-to-left language ("و/أو", "إقليمية/دون") the slash is held by word joiners instead: WeasyPrint breaks an
  Arabic line that holds such a span after its first word when the paragraph would otherwise fill the line.
"""

from __future__ import annotations

import re

from django.utils import translation

_TAG = re.compile(r"(<[^>]*>)")
# Elements whose content is not running text: left as they are.
_SKIPPED = ("style", "svg", "title", "script", "table", "head")
_FRENCH_BEFORE = re.compile(r"[ \u00a0]([;?!])")
_FRENCH_COLON = re.compile(r"[ \u202f]:(?=\s|$|<)")
_SLASHED = re.compile(r"(?<![\w/.:@])([\w'’-]+(?:/[\w'’-]+)+)(?![\w/.@])")

NARROW_NO_BREAK = "\u202f"
WORD_JOINER = "\u2060"  # invisible, and no line break on either side of it
NO_BREAK = "\u00a0"


def french_spacing(text: str) -> str:
    """`a ; b : c ?` with no-break spaces before the signs (text, not HTML)."""
    text = _FRENCH_BEFORE.sub(lambda match: NARROW_NO_BREAK + match[1], text)
    return _FRENCH_COLON.sub(NO_BREAK + ":", text)


def unbroken_names(text: str, right_to_left: bool = False) -> str:
    """Slash-joined names in a span that does not wrap (text that is already HTML-escaped); in a right-to-left
    language, their slash between word joiners."""
    if right_to_left:
        return _SLASHED.sub(lambda match: match[1].replace("/", f"{WORD_JOINER}/{WORD_JOINER}"), text)
    return _SLASHED.sub(r'<span class="nowrap">\1</span>', text)


def typeset(html: str, language: str) -> str:
    """The report's HTML with its running text typeset for `language`."""
    parts = _TAG.split(html)
    depth = dict.fromkeys(_SKIPPED, 0)
    right_to_left = translation.get_language_info(language)["bidi"]
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name[1].lower() in depth and not part.endswith("/>"):
                depth[name[1].lower()] += -1 if part.startswith("</") else 1
            continue
        if not part or any(depth.values()):
            if part and language == "fr" and not (depth["style"] or depth["head"] or depth["svg"]):
                parts[index] = french_spacing(part)
            continue
        if language == "fr":
            part = french_spacing(part)
        parts[index] = unbroken_names(part, right_to_left)
    return "".join(parts)
