"""Suggestions computed on this machine (docs/impact.md): for each description, the language it is written in, a
"possible tangible result" hint with a suggested kind, (a) operational improvement or (b) strategic empowerment for a
Q2 example, and near-duplicates among a year's quotes. Nothing leaves the machine: wordllama's embeddings ship in
its wheel and are loaded with downloads disabled; py3langid ships its language model.

No Django here, so the bench (bench/suggestions.py) and the tests run it on plain lists. A suggestion never counts by
itself: staff confirm stories (impact.models), and the figures of how often they agree are shown beside.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

EXAMPLES = Path(__file__).resolve().parent / "data" / "published_examples.json"
# Past this, a text is an essay, not a description: the embedding of the whole says little about any result in it.
MAX_CHARACTERS = 1500
MIN_WORDS = 3
# Cosine similarity from which two quotes of a year are near-duplicates (the same text pasted twice, a colleague's
# reply copied): measured on the published examples, where no two distinct quotes reach it.
DUPLICATE_SIMILARITY = 0.97

# Why a text gets no suggestion.
EMPTY, TOO_LONG, NOT_ENGLISH, MIXED_SCRIPTS = "empty", "too long", "not English", "mixed scripts"

# What each kind of success story reads like, in the words replies use; staff-confirmed stories join them.
KIND_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "law": (
        "A new law was enacted.",
        "The regulation was amended and adopted by the ministry.",
        "Legislation on customs valuation was revised and came into force.",
    ),
    "system": (
        "A new IT system was developed and deployed.",
        "We launched an electronic database for risk profiles.",
        "The single window system now connects the border agencies.",
    ),
    "procedure": (
        "A standard operating procedure was developed and approved.",
        "New guidelines and a manual for post clearance audit were issued.",
        "The inspection procedure was revised.",
    ),
    "unit": (
        "A new unit was established in the administration.",
        "A dedicated team was set up for data analytics.",
        "A new directorate was created for IPR enforcement.",
    ),
    "project": (
        "A modernization project was launched.",
        "We initiated a pilot project on AEO.",
        "The administration started a new reform programme.",
    ),
    "outcome": (
        "Seizures of counterfeit goods increased.",
        "Revenue collection increased by ten per cent.",
        "Clearance time was reduced from three days to one day.",
    ),
}
# What a reply without a tangible result reads like: knowledge gained, shared, intended.
NOT_TANGIBLE_PROTOTYPES = (
    "Improved understanding and knowledge of the participants.",
    "Shared the training materials with colleagues.",
    "Learned best practices from other administrations.",
    "Raised awareness of officers on the topic.",
    "We plan to consider it in the future.",
    "The workshop was very useful and informative.",
)
OTHER = "other"


@dataclass(frozen=True)
class Suggestion:
    language: str  # py3langid's code ("en", "fr"), "" for an empty text
    reason: str = ""  # why there is no suggestion; "" when there is one
    tangible: bool | None = None  # a possible tangible result
    kind: str = ""  # the kind suggested with it
    section: str = ""  # "a" or "b" for a Q2 example
    score: float = 0.0

    @property
    def suggested(self) -> bool:
        return not self.reason


def scripts_of(text: str) -> set[str]:
    """The scripts of a text's letters: "LATIN", "CYRILLIC", "ARABIC", "CJK"..."""
    found = set()
    for character in text:
        if character.isalpha():
            name = unicodedata.name(character, "")
            found.add(name.split(" ")[0] if name else "UNKNOWN")
    return found


def language_of(text: str) -> str:
    import py3langid

    return str(py3langid.classify(text)[0]) if text.strip() else ""


def why_not(text: str, language: str) -> str:
    """Why a text gets no suggestion ("" when it gets one): a wrong suggestion costs staff more than none."""
    if len(text.split()) < MIN_WORDS:
        return EMPTY
    if len(text) > MAX_CHARACTERS:
        return TOO_LONG
    if len(scripts_of(text)) > 1:
        return MIXED_SCRIPTS
    if language != "en":
        return NOT_ENGLISH
    return ""


def load_model():
    """wordllama's bundled model, with downloads disabled: its tokenizer is read from the package's own files."""
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@cache
def published_examples() -> tuple[dict, ...]:
    return tuple(json.loads(EXAMPLES.read_text(encoding="utf-8")))


def _normalized(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass
class Suggester:
    """Embeds texts once and compares them with prototypes: the kinds' and the not-tangible ones, and the (a) and
    (b) centroids of the published Q2 examples. `learned` adds staff-confirmed stories (excerpt, kind)."""

    model: object
    learned: Sequence[tuple[str, str]] = ()
    q2_examples: Sequence[tuple[str, str]] = field(default_factory=list)  # (text, "a"|"b"); default: published

    def __post_init__(self) -> None:
        if not self.q2_examples:
            self.q2_examples = [
                (example["text"], example["heading"][-1])
                for example in published_examples()
                if example["heading"] in ("2.3a", "2.3b")
            ]
        kinds = [(text, kind) for kind, texts in KIND_PROTOTYPES.items() for text in texts]
        kinds += [(text, kind) for text, kind in self.learned if kind in KIND_PROTOTYPES or kind == OTHER]
        self._kind_labels = [kind for _text, kind in kinds]
        self._kinds = self.embed([text for text, _kind in kinds])
        self._not_tangible = self.embed(list(NOT_TANGIBLE_PROTOTYPES))
        q2 = self.embed([text for text, _section in self.q2_examples])
        labels = np.array([section for _text, section in self.q2_examples])
        self._sections = ("a", "b")
        self._centroids = _normalized(np.stack([q2[labels == s].mean(axis=0) for s in self._sections]))

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return _normalized(np.asarray(self.model.embed(texts), dtype=np.float32))  # type: ignore[attr-defined]

    def suggest(self, texts: Sequence[str], q2: Sequence[bool] | None = None) -> list[Suggestion]:
        """One suggestion per text; `q2[i]` says text i answers Q2 (then (a) or (b) is suggested too)."""
        languages = [language_of(text) for text in texts]
        reasons = [why_not(text, language) for text, language in zip(texts, languages, strict=True)]
        chosen = [i for i, reason in enumerate(reasons) if not reason]
        vectors = self.embed([texts[i] for i in chosen])
        found = [Suggestion(language, reason) for language, reason in zip(languages, reasons, strict=True)]
        if not chosen:
            return found
        to_kinds = vectors @ self._kinds.T
        best = to_kinds.argmax(axis=1)
        score = to_kinds.max(axis=1) - (vectors @ self._not_tangible.T).max(axis=1)
        sections = (vectors @ self._centroids.T).argmax(axis=1)
        for row, index in enumerate(chosen):
            tangible = bool(score[row] > 0)
            found[index] = Suggestion(
                languages[index],
                tangible=tangible,
                kind=self._kind_labels[best[row]] if tangible else "",
                section=self._sections[sections[row]] if q2 is not None and q2[index] else "",
                score=float(score[row]),
            )
        return found

    def near_duplicates(self, texts: Sequence[str]) -> list[tuple[int, int]]:
        """Pairs (i, j), i < j, of texts (non-empty) so alike that one looks copied from the other."""
        kept = [i for i, text in enumerate(texts) if text.strip()]
        vectors = self.embed([texts[i] for i in kept])
        similar = np.triu(vectors @ vectors.T, k=1) >= DUPLICATE_SIMILARITY
        return [(kept[i], kept[j]) for i, j in zip(*np.nonzero(similar), strict=True)]


def cohen_kappa(pairs: Iterable[tuple[object, object]]) -> float | None:
    """Agreement of two raters beyond chance; None when it cannot be told (no pair, or both always said the same)."""
    pairs = list(pairs)
    if not pairs:
        return None
    labels = {label for pair in pairs for label in pair}
    observed = sum(a == b for a, b in pairs) / len(pairs)
    expected = sum(
        (sum(a == label for a, _b in pairs) / len(pairs)) * (sum(b == label for _a, b in pairs) / len(pairs))
        for label in labels
    )
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)
