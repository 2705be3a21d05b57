"""Cells of reports.tables as HTML for the staff pages: escaped text, numbers right-aligned, and the published
marking of Tables 4 and 7 (underlined in the action columns, bold in the outcome column)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from reports.tables import CodeCell, Table


@dataclass(frozen=True)
class Cell:
    html: SafeString
    numeric: bool


@dataclass(frozen=True)
class DisplayTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    summary: list[list[Cell]]


def _code_cell(cell: CodeCell, tag: str) -> SafeString:
    def entry(item) -> SafeString:
        return format_html("<{}>{}</{}>", tag, str(item), tag) if item.marked else format_html("{}", str(item))

    return format_html_join(", ", "{}", ((entry(item),) for item in cell.entries))


def _cell(value, tag: str) -> Cell:
    if isinstance(value, CodeCell):
        return Cell(_code_cell(value, tag), False)
    if value is None or value == "":
        return Cell(mark_safe(""), False)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return Cell(format_html("{}", value), numeric)


def display_table(table: Table) -> DisplayTable:
    last = len(table.columns) - 1

    def cells(row: list) -> list[Cell]:
        return [_cell(value, "b" if index == last else "u") for index, value in enumerate(row)]

    return DisplayTable(
        table.key, table.title, table.columns, [cells(r) for r in table.rows], [cells(r) for r in table.summary]
    )
