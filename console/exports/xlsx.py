"""The quarterly report (R30) as an XLSX workbook: one sheet per table, headers in bold.

The view passes tables already translated, so the workbook is in the reader's language.
Numbers stay numbers (not text), so the office can sum and chart them in Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | None
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})
MAX_SHEET_NAME = 31  # Excel's limit


@dataclass(frozen=True, slots=True)
class SheetTable:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def report_xlsx(heading: str, tables: Sequence[SheetTable]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([table.title])
        sheet["A2"].font = Font(bold=True)
        sheet.append([])
        sheet.append(list(table.header))
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        _fit_columns(sheet, [table.header, *table.rows])
        sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = title.translate(_FORBIDDEN_IN_SHEET_NAMES).strip()[:MAX_SHEET_NAME] or "Sheet"
    name, counter = base, 2
    while name.casefold() in used:
        suffix = f" ({counter})"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        counter += 1
    used.add(name.casefold())
    return name


def _fit_columns(sheet: object, rows: Sequence[Sequence[Cell]]) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), len(str(value if value is not None else "")))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 80)  # type: ignore[attr-defined]
