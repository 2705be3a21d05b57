"""Each stylesheet holds only rules its pages use: static/rocbap.css for the staff pages (on top of Bootstrap), and
static/surveys/participant.css for the participant's pages. A class that no page loading the stylesheet names is a
dead rule (the questionnaire's rules stayed in rocbap.css for a while after the participant pages got their own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

TEMPLATES = ROOT / "templates"
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"')
INCLUDES = re.compile(r'{%\s*include\s+"([^"]+)"')


def source(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def chain(name: str) -> list[str]:
    """The template and the templates it extends, itself first."""
    names = [name]
    while (parent := EXTENDS.search(source(names[-1]))) and (TEMPLATES / parent.group(1)).exists():
        names.append(parent.group(1))
    return names


def with_includes(names: set[str]) -> set[str]:
    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in found and (TEMPLATES / name).exists():
            found.add(name)
            todo += INCLUDES.findall(source(name))
    return found


def pages_with(stylesheet_template: str) -> set[str]:
    """The templates of the pages whose styles come from `stylesheet_template`'s block styles: the pages that extend
    it without a block styles of their own before it, and what they include."""
    pages = set()
    for path in TEMPLATES.rglob("*.html"):
        names = chain(str(path.relative_to(TEMPLATES)))
        if stylesheet_template in names:
            before = names[: names.index(stylesheet_template)]
            if not any("{% block styles %}" in source(name) for name in before):
                pages.update(names)
    return with_includes(pages)


def classes(css: Path) -> set[str]:
    text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
    selectors = re.sub(r"\{[^}]*\}", "{}", text)
    return set(re.findall(r"\.([a-zA-Z][\w-]*)", selectors))


@pytest.mark.parametrize(
    ("stylesheet", "styles_from", "markup_in_python"),
    [
        ("static/rocbap.css", "base.html", []),
        (
            "static/surveys/participant.css",
            "surveys/base.html",
            ["surveys/questionnaire/rendering.py", "static/surveys/keep.js"],
        ),
    ],
)
def test_every_class_of_a_stylesheet_is_named_by_its_pages(stylesheet, styles_from, markup_in_python):
    pages = pages_with(styles_from)
    assert len(pages) > 3, pages
    markup = "".join([*(source(name) for name in pages), *((ROOT / path).read_text() for path in markup_in_python)])
    unused = sorted(name for name in classes(ROOT / stylesheet) if not re.search(rf"\b{re.escape(name)}\b", markup))
    assert unused == [], f"{stylesheet}: rules of classes no page of it names"


def test_the_participant_pages_do_not_load_the_staff_stylesheet():
    assert "surveys/questionnaire.html" in pages_with("surveys/base.html")
    assert "surveys/questionnaire.html" not in pages_with("base.html")
    assert "reports/staff/index.html" in pages_with("base.html")
