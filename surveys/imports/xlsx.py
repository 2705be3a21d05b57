"""An .xlsx workbook's cells, read as a stream at a cost bounded by what the workbook holds.

openpyxl's read-only mode trusts what a sheet declares: it pads every row to the declared dimension (a 5 KB sheet
that declares A1:XFD100001 becomes 1.6 billion cells), scans a whole sheet for its dimension when the tag is missing,
and builds every shared string whole before anybody can look at its length. Here every part is read with expat, which
hands text over in pieces: a row is the cells it lists, no text grows past MAX_TEXT characters before it is refused,
and the caller stops reading whenever it has read enough. Only what the import needs is read: the sheets' names,
the shared strings, which styles are dates, and the cells' values.

Why a workbook cannot be read (Unreadable's message) is shown to staff after "cannot be read as an .xlsx workbook",
so it is written in the active language (surveys.imports.writing).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from django.utils.translation import gettext
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)$")
CHUNK = 1 << 16
# The workbook's structure (sheet list, relationships, styles) is small; a larger part is not a workbook we read.
MAX_STRUCTURE_BYTES = 10 * 1024 * 1024


class Unreadable(Exception):
    """The file is a zip but not a workbook we can read (a part missing or damaged); the message says why, for staff."""


class TextTooLong(Exception):
    """A shared string or a cell holds more characters than the limit."""


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False


def _local(tag: str) -> str:
    """A tag without its namespace (expat without namespace processing keeps prefixes such as x:row)."""
    return tag.rpartition(":")[2]


class _Text:
    """Text handed over in pieces, refused as soon as it passes the limit (before it is joined)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[str] = []
        self.length = 0

    def add(self, piece: str) -> None:
        self.length += len(piece)
        if self.length > self.limit:
            raise TextTooLong
        self.pieces.append(piece)

    def take(self) -> str:
        text = "".join(self.pieces)
        self.pieces, self.length = [], 0
        return text


def _stream(archive: zipfile.ZipFile, name: str, parser) -> Iterator[None]:
    """Feed the part to the parser chunk by chunk, yielding after each chunk so that callers can hand out what it
    completed."""
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
            yield
    parser.Parse(b"", True)
    yield


class Workbook:
    def __init__(self, source: str | IO[bytes], max_text: int) -> None:
        self.archive = zipfile.ZipFile(source)
        self.max_text = max_text
        try:
            self.sheets = self._sheets()
            self.epoch = self._epoch
            self.date_styles = self._date_styles()
            self.shared_strings = self._shared_strings()
        except KeyError:
            self.archive.close()
            raise Unreadable(gettext("a part of the workbook is missing")) from None
        except ElementTree.ParseError:
            self.archive.close()
            raise Unreadable(gettext("a part of the workbook is damaged")) from None
        except BaseException:
            self.archive.close()
            raise

    def close(self) -> None:
        self.archive.close()

    # --- the structure: small parts, read whole ---

    def _xml(self, name: str) -> ElementTree.Element:
        """A small part (workbook, relationships, styles), parsed whole. No part of a workbook has a DTD, so one with
        a DTD (the way to entity tricks) is refused rather than given to a parser."""
        if self.archive.getinfo(name).file_size > MAX_STRUCTURE_BYTES:
            raise Unreadable(gettext("its part %(part)s is too large") % {"part": name})
        data = self.archive.read(name)
        if b"<!DOCTYPE" in data.upper():
            raise Unreadable(gettext("its part %(part)s has a DTD") % {"part": name})
        return ElementTree.fromstring(data)  # noqa: S314  (no DTD, checked above; expat resolves no external entity)

    def _sheets(self) -> list[tuple[str, str]]:
        """(name, part) of every sheet, in the workbook's order."""
        book = self._xml("xl/workbook.xml")
        properties = book.find(f"{MAIN}workbookPr")
        self._epoch = (
            CALENDAR_MAC_1904
            if properties is not None and properties.get("date1904") in ("1", "true")
            else CALENDAR_WINDOWS_1900
        )
        targets = {
            relation.get("Id"): relation.get("Target", "")
            for relation in self._xml("xl/_rels/workbook.xml.rels").iter(f"{PACKAGE_RELATIONSHIPS}Relationship")
        }
        sheets = []
        for sheet in book.iter(f"{MAIN}sheet"):
            target = targets[sheet.get(f"{RELATIONSHIPS}id")]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            sheets.append((sheet.get("name", ""), part))
        return sheets

    def _date_styles(self) -> set[int]:
        """The cell styles (indexes into cellXfs) whose number format is a date."""
        if "xl/styles.xml" not in self.archive.namelist():
            return set()
        styles = self._xml("xl/styles.xml")
        formats = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in styles.iter(f"{MAIN}numFmt")}
        cell_formats = styles.find(f"{MAIN}cellXfs")
        dates = set()
        for index, xf in enumerate(cell_formats if cell_formats is not None else []):
            number_format = int(xf.get("numFmtId", "0"))
            code = formats.get(number_format, BUILTIN_FORMATS.get(number_format, ""))
            if code and is_date_format(code):
                dates.add(index)
        return dates

    # --- the shared strings: streamed, every string checked against the limit as it grows ---

    def _shared_strings(self) -> list[str]:
        name = next((n for n in self.archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
        if name is None:
            return []
        strings: list[str] = []
        text = _Text(self.max_text)
        # Text counts inside <t> only; phonetic runs (<rPh>) are not part of the value.
        depth = {"t": 0, "rPh": 0}

        def start(tag: str, attributes: dict) -> None:
            local = _local(tag)
            if local in depth:
                depth[local] += 1

        def end(tag: str) -> None:
            local = _local(tag)
            if local in depth:
                depth[local] -= 1
            elif local == "si":
                strings.append(text.take())

        def data(piece: str) -> None:
            if depth["t"] and not depth["rPh"]:
                text.add(piece)

        parser = _parser(start, end, data)
        for _ in _stream(self.archive, name, parser):
            pass
        return strings

    # --- a sheet's rows ---

    def rows(self, part: str) -> Iterator[tuple[int, dict[int, Cell]]]:
        """(row number, {column index from 0: cell}) for each row the sheet lists, in order; empty cells left out.
        Raises TextTooLong, expat.ExpatError."""
        done: list[tuple[int, dict[int, Cell]]] = []
        state: dict[str, Any] = {"row": 0, "cells": {}, "column": -1, "cell": None}
        text = _Text(self.max_text)
        inside = {"v": 0, "t": 0, "rPh": 0, "f": 0}

        def start(tag: str, attributes: dict) -> None:
            local = _local(tag)
            if local == "row":
                number = attributes.get("r")
                state["row"] = int(number) if number and number.isdigit() else state["row"] + 1
                state["cells"], state["column"] = {}, -1
            elif local == "c":
                reference = CELL_REFERENCE.match(attributes.get("r", ""))
                state["column"] = column_index_from_string(reference[1]) - 1 if reference else state["column"] + 1
                state["cell"] = {"type": attributes.get("t", "n"), "style": attributes.get("s", "0"), "formula": False}
                text.take()
            elif local in inside:
                inside[local] += 1
                if local == "f":
                    state["cell"]["formula"] = True

        def end(tag: str) -> None:
            local = _local(tag)
            if local in inside:
                inside[local] -= 1
            elif local == "c":
                cell = state["cell"]
                value = self._value(cell["type"], cell["style"], text.take())
                if value is not None or cell["formula"]:
                    state["cells"][state["column"]] = Cell(value, cell["formula"])
            elif local == "row":
                done.append((state["row"], state["cells"]))

        def data(piece: str) -> None:
            # A cell's value is in <v>, or for an inline string in <is><t> (not in phonetic runs); a formula's
            # text (<f>) is not its value.
            if inside["v"] or (inside["t"] and not inside["rPh"]):
                text.add(piece)

        parser = _parser(start, end, data)
        for _ in _stream(self.archive, part, parser):
            yield from done
            done.clear()

    def _value(self, kind: str, style: str, text: str) -> Any:
        if kind in ("inlineStr", "str", "e"):
            return text if text != "" or kind == "inlineStr" else None
        if text == "":
            return None
        if kind == "s":
            try:
                return self.shared_strings[int(text)]
            except (ValueError, IndexError):
                raise Unreadable(
                    gettext("a cell refers to shared string %(index)s, which does not exist")
                    % {"index": repr(text[:20])}
                ) from None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        try:  # a number ("n", or no type)
            number: int | float = int(text) if re.fullmatch(r"-?\d+", text.strip()) else float(text)
        except ValueError:
            return text
        if style.isdigit() and int(style) in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
        return number


def _refuse_dtd(*args) -> None:
    raise Unreadable(gettext("a part of the workbook has a DTD"))


def _parser(start, end, data):
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.buffer_text = False  # text in pieces: a huge one is refused before it is whole
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    return parser
