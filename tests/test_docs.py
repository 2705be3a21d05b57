"""Every document that a comment, a docstring or a page names is in the repository, under the name given."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.helpers import ROOT

DOCUMENT = re.compile(r"[A-Za-z0-9_./-]+\.md\b")
# Not ours to check: others' files, data, and what runs and builds leave behind.
SKIPPED = {".git", ".venv", "var", "test-artifacts", "staticfiles", "requirements", "fixtures", "vendor"}


def skipped(folder: str) -> bool:
    return folder in SKIPPED or folder.startswith(".") or "cache" in folder or folder.endswith(".egg-info")


def _named_documents() -> dict[str, set[str]]:
    """document name -> the files of the repository that name it."""
    named: dict[str, set[str]] = {}
    for folder, subfolders, files in os.walk(ROOT):
        # Pruned, not walked: a virtualenv alone holds thousands of files.
        subfolders[:] = [name for name in subfolders if not skipped(name)]
        for name in files:
            path = Path(folder) / name
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # a binary file (a workbook, a picture)
            for document in DOCUMENT.findall(text):
                named.setdefault(document, set()).add(str(path.relative_to(ROOT)))
    return named


def test_every_named_document_exists_in_the_repository():
    named = _named_documents()
    assert "docs/domain.md" in named  # the check looks where the names are
    missing = {document: sorted(files) for document, files in named.items() if not (ROOT / document).is_file()}
    assert not missing, f"documents named but not in the repository (name them by their path from the root): {missing}"
