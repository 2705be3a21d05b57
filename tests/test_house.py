"""The house keeps its shape: models and migrations agree, every rule named in docs/architecture.md has the home the
page gives it, no product module grows past what a newcomer can read, and tests share helpers through one module."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers import ROOT

ARCHITECTURE = ROOT / "docs/architecture.md"
PRODUCT = ("rocbap", "workshops", "surveys", "impact", "reports")
# Longer than this, a module holds more than one concern: split it by what it decides (docs/architecture.md).
MAX_MODULE_LINES = 700


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model changed without its migration fails here, before it fails a deployment."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")


def rule_map() -> list[tuple[str, list[str], list[str]]]:
    """The rows of "Where each rule lives": (rule, module paths, names to look for)."""
    text = ARCHITECTURE.read_text()
    table = text[text.index("## Where each rule lives") :].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) != 3 or cells[0] in ("rule", "---"):
            continue
        modules = re.findall(r"`([^`]+)`", cells[1])
        names = [name for name in re.findall(r"`([^`]+)`", cells[2]) if re.fullmatch(r"[A-Za-z_][\w.]*", name)]
        rows.append((cells[0], modules, names))
    return rows


def defined_names(path: Path) -> set[str]:
    """Top-level names of a module (functions, classes, assignments) and `Class.member` for every class body."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()

    def targets(node: ast.stmt) -> list[str]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return [node.name]
        if isinstance(node, ast.Assign):
            return [t.id for target in node.targets for t in ast.walk(target) if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        return []

    for node in tree.body:
        names.update(targets(node))
        if isinstance(node, ast.ClassDef):
            names.update(f"{node.name}.{member}" for statement in node.body for member in targets(statement))
    return names


def test_the_rule_map_is_read():
    rows = rule_map()
    assert len(rows) > 40
    assert any("what counts as a reply" in rule for rule, _, _ in rows)


@pytest.mark.parametrize(("rule", "modules", "names"), rule_map(), ids=lambda value: str(value)[:40])
def test_every_rule_has_the_home_the_architecture_page_gives(rule, modules, names):
    for module in modules:
        assert (ROOT / module).exists(), f"{rule}: {module} does not exist"
    found = set().union(*(defined_names(ROOT / module) for module in modules if module.endswith(".py")))
    if not any(module.endswith(".py") for module in modules):
        return  # a catalogue or a script: its existence is the claim
    missing = [name for name in names if name not in found]
    assert not missing, f"{rule}: {', '.join(missing)} not defined in {', '.join(modules)}"


def product_modules() -> list[Path]:
    return [
        path
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and ".venv" not in path.parts
    ]


def test_no_product_module_is_longer_than_a_newcomer_reads():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in product_modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these by concern: {long}"


def test_tests_share_helpers_through_one_module_not_through_each_other():
    """A test module imports tests.helpers (and the servers and pages the integration and browser tests share),
    never another test module or a conftest: a constant that two tests need lives in tests/helpers.py."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                last = node.module.rsplit(".", 1)[-1]
                if last.startswith("test_") or last == "conftest":
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import ...")
    assert not offenders, "\n".join(offenders)
