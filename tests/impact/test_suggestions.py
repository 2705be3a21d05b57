"""The local suggestions (impact.suggestions): nothing downloaded (the network is blocked while the model loads and
suggests), no suggestion for texts it would get wrong, (a)/(b) from the published examples, Cohen's kappa."""

from __future__ import annotations

import json
import socket

import pytest

from impact import suggestions


class NetworkBlocked(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def suggester():
    return suggestions.Suggester(suggestions.load_model())


def test_the_model_loads_and_suggests_with_the_network_blocked(no_network):
    with pytest.raises(NetworkBlocked):  # the block itself works
        socket.create_connection(("127.0.0.1", 9))
    # A fresh load, not one kept from another test: the tokenizer and weights come from the package's files.
    suggester = suggestions.Suggester(suggestions.load_model())
    (made,) = suggester.suggest(["A new risk management unit was set up in the Customs department."], q2=[True])
    assert made.suggested and made.tangible and made.kind == "unit" and made.section in ("a", "b")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", suggestions.EMPTY),
        ("Useful.", suggestions.EMPTY),
        ("A new unit was set up. " * 80, suggestions.TOO_LONG),
        ("Nous avons créé une nouvelle unité de gestion des risques au sein de la douane.", suggestions.NOT_ENGLISH),
        ("A new unit named Отдел рисков was set up for risk management.", suggestions.MIXED_SCRIPTS),
    ],
)
def test_texts_it_would_get_wrong_get_no_suggestion(suggester, text, reason):
    (made,) = suggester.suggest([text], q2=[True])
    assert made.reason == reason and not made.suggested
    assert made.tangible is None and made.kind == "" and made.section == ""


def test_the_language_of_each_text(suggester):
    made = suggester.suggest(["Risk profiles are now shared every week with the ports.", "Les profils sont partagés."])
    assert [m.language for m in made] == ["en", "fr"]


def test_a_hint_tells_a_result_from_knowledge_gained(suggester):
    made = suggester.suggest(
        [
            "The regulation on advance rulings was amended and came into force in 2022.",
            "Improved the knowledge and understanding of participants on the topic.",
        ]
    )
    assert (made[0].tangible, made[0].kind) == (True, "law")
    assert (made[1].tangible, made[1].kind) == (False, "")


def test_staff_confirmed_stories_teach_it(suggester):
    text = "Kahoot quizzes replaced the yearly written examination for cadets."
    learned = suggestions.Suggester(suggester.model, learned=[("Kahoot quizzes replaced the written exam.", "other")])
    assert learned.suggest([text])[0].kind == "other"
    assert suggester.suggest([text])[0].kind != "other"


def test_near_duplicates(suggester):
    texts = ["A new AEO unit was set up in 2021.", "", "A new AEO unit was set up in 2021 .", "Seizures rose by half."]
    assert suggester.near_duplicates(texts) == [(0, 2)]


def test_the_fixture_cites_the_published_reports():
    examples = json.loads(suggestions.EXAMPLES.read_text(encoding="utf-8"))
    assert len(examples) >= 140
    assert {e["heading"] for e in examples} == {"2.2", "2.3", "2.3a", "2.3b", "2.4", "2.5", "2.6"}
    assert all(e["source"].startswith("seeds/") and e["line"] > 0 and e["text"] for e in examples)
    assert sum(e["heading"] in ("2.3a", "2.3b") for e in examples) == 30


def test_cohen_kappa():
    assert suggestions.cohen_kappa([("a", "a"), ("b", "b")]) == 1
    assert suggestions.cohen_kappa([("a", "b"), ("b", "a")]) == -1
    # 70% observed, 50% by chance.
    pairs = [("a", "a")] * 35 + [("b", "b")] * 35 + [("a", "b")] * 15 + [("b", "a")] * 15
    assert suggestions.cohen_kappa(pairs) == pytest.approx(0.4)
    assert suggestions.cohen_kappa([]) is None and suggestions.cohen_kappa([("a", "a")]) is None
