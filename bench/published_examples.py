"""Build impact/data/published_examples.json: the examples the office's three published Good Practice Reports quote,
each with the heading it was published under and where it is (file and line of the reports' text extractions).

    .venv/bin/python bench/published_examples.py SEEDS_FOLDER > impact/data/published_examples.json

An example is a bullet ("➢", "-", "•") running until its attribution in brackets, "(Fiji - WCO Regional Workshop
on AEO)" or "(Pakistan after the Regional Workshop on ...)". The heading is the report's section: 2.2 (others),
2.3 (a) operational improvement, 2.3 (b) strategic empowerment, 2.4, 2.5, 2.6; Report No. 17 numbers them (2)-(6)
and does not split 2.3. Only the texts and headings are kept: the attribution names the administration, which the
suggestions do not use.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPORTS = {
    "003_f6f452202a3b9bbf.txt": "Good Practice Report No. 17 (FY2016/17)",
    "004_901e2c7e8c0ddcac.txt": "Good Practice Report, FY2019/20 (Survey 2020)",
    "002_1d51f2ebccf6b1fb.txt": "Annual Report 2021-2022, Annex I: Good Practice Report, FY2020/21 (Survey 2021)",
}
# "2.5 Improvement in ..." (the two later reports) or "### **(5) Perception ..." (No. 17, a Markdown heading: its
# tables number their rows "(5) WCO Regional Workshop ..." too).
SECTION = re.compile(r"^\s*(?:2\.([2-6])\s+[A-Z]|#+\s*\**\s*\(([2-6])\)\s+[A-Z])")
SUBSECTION = re.compile(r"^\s*-?\s*\((a|b)\)\s+(Operational|Strategic)")
STOP = re.compile(r"^\s*(?:#+\s*)?\**\s*(?:3\.\s|3\s+General|Annex|2\.[2-6]\.2\s)")
BULLET = re.compile(r"^\s*(?:➢|-|•)\s+(?=\S)")
ATTRIBUTION = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*[;.,]?\s*(?:and)?\s*$")


def examples(path: Path) -> list[dict]:
    found: list[dict] = []
    section: str | None = None
    current: dict | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if STOP.match(line):
            section, current = None, None
            continue
        match = SECTION.match(line)
        if match and "\t" not in line and not re.search(r"\.{4,}", line):
            section, current = "2." + (match.group(1) or match.group(2)), None
            continue
        sub = SUBSECTION.match(line)
        if sub and section == "2.3":
            section, current = f"2.3{sub.group(1)}", None
            continue
        if sub and section in ("2.3a", "2.3b"):
            section, current = f"2.3{sub.group(1)}", None
            continue
        if section is None:
            continue
        if BULLET.match(line):
            current = {"line": number, "text": BULLET.sub("", line).strip()}
        elif current is not None and line.strip():
            current["text"] += " " + line.strip()
        elif current is not None and not line.strip() and len(current["text"]) > 400:
            current = None
        if current is not None:
            attribution = ATTRIBUTION.search(current["text"])
            if attribution and re.search(r"Workshop|WS\b|Seminar|Meeting", attribution.group(1)):
                text = current["text"][: attribution.start()].strip().rstrip(";,").strip()
                if text:
                    found.append({"line": current["line"], "heading": section, "text": text})
                current = None
    return found


def main(folder: str) -> None:
    rows = []
    for name, title in REPORTS.items():
        for example in examples(Path(folder) / name):
            rows.append({"report": title, "source": f"seeds/{name}", **example})
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
