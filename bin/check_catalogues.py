#!/usr/bin/env python3
"""Fails when a string of the product lacks its translation: for each language of settings.LANGUAGES but English,
the catalogue is extracted afresh from the sources (in a copy of the checkout, so the working tree is left as it is)
and every message that is untranslated or fuzzy is listed, as is a catalogue msgfmt refuses.

Run by bin/test; usable alone: .venv/bin/python bin/check_catalogues.py
After changing a wording: manage.py makemessages -l fr --no-location --no-obsolete, translate, remove "fuzzy".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What makemessages reads: the apps, the templates and the catalogues themselves.
SOURCES = ("manage.py", "rocbap", "workshops", "surveys", "impact", "reports", "templates", "offices", "locale")
SOURCE_LANGUAGE = "en"


def languages() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from rocbap.office import LANGUAGE_CODES

    return [code for code in LANGUAGE_CODES if code != SOURCE_LANGUAGE]


def _lines(command: list[str]) -> list[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def problems(catalogue: Path) -> list[str]:
    """The messages of a .po file that are untranslated or fuzzy, and msgfmt's complaints, one line each."""
    found = []
    check = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)], capture_output=True, text=True
    )
    if check.returncode:
        found += [f"msgfmt: {line}" for line in check.stderr.splitlines() if line.strip()]
    for option, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        for line in _lines(["msgattrib", option, "--no-wrap", "--no-location", str(catalogue)]):
            if line.startswith("msgid ") and line != 'msgid ""':
                found.append(f"{what}: {line[len('msgid ') :]}")
    return found


def refreshed(workdir: Path, language: str) -> Path:
    """The catalogue as makemessages makes it from the current sources, in a copy of the checkout."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, workdir / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif source.exists():
            shutil.copy2(source, workdir / name)
    env = {**os.environ, "VAR_DIR": str(workdir / "var"), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location", "--no-obsolete", "-v0"],
        cwd=workdir,
        env=env,
        check=True,
    )
    return workdir / "locale" / language / "LC_MESSAGES" / "django.po"


def main() -> int:
    failed = False
    for language in languages():
        with tempfile.TemporaryDirectory() as scratch:
            found = problems(refreshed(Path(scratch), language))
        if found:
            failed = True
            print(f"locale/{language}: {len(found)} message(s) need a translation:")
            for line in found:
                print(f"  {line}")
            print(f"  (manage.py makemessages -l {language} --no-location --no-obsolete, then translate them)")
        else:
            print(f"locale/{language}: every message translated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
