"""The Excel writer: real numbers with number formats, frozen bold header, autofilter,
landscape print setup, document properties, and byte-identical output for the same input.

Computes nothing; it lays out sheets that the caller has filled.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ANZAHL_FORMAT = "#,##0"
ANZAHL_BRUCH_FORMAT = "#,##0.0"
PROZENT_FORMAT = "0.0"  # shares and rates are stored as percent numbers (25.1 = 25,1 %)
FIXED_TIME = datetime(2000, 1, 1)  # document timestamp unless --timestamp asks for the current time
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MAX_WIDTH = 60
MAX_ZEILEN = 1_048_576  # Excel's limits per sheet
MAX_SPALTEN = 16_384
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may take for the start of a formula
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot carry


@dataclass
class XSpalte:
    titel: str
    format: str | None = None  # None: text


@dataclass
class Blatt:
    name: str
    spalten: list[XSpalte]
    zeilen: list[list[Any]]  # data rows: numbers stay numbers, None = empty cell
    summenzeilen: list[list[Any]] = field(default_factory=list)  # bold, below the data, outside the filter
    filter: bool = True


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (max. 31 characters, none of []:*?/\\)."""
    name = re.sub(r"[\[\]:*?/\\]", "-", text).strip("'")[:31] or "Tabelle"
    base, n = name, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def workbook_bytes(blaetter: list[Blatt], *, titel: str, thema: str, zeitpunkt: datetime | None = None) -> bytes:
    """The workbook as bytes; the same sheets and zeitpunkt give the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    taken: set[str] = set()
    for blatt in blaetter:
        _check_size(blatt)
        ws = wb.create_sheet(sheet_name(_safe_text(blatt.name), taken))
        _append(ws, [s.titel for s in blatt.spalten])
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in blatt.zeilen:
            _append(ws, row)
        for row in blatt.summenzeilen:
            _append(ws, row)
            for cell in ws[ws.max_row]:
                cell.font = bold
        for k, spalte in enumerate(blatt.spalten, start=1):
            letter = get_column_letter(k)
            if spalte.format:
                for (cell,) in ws.iter_rows(min_row=2, min_col=k, max_col=k):
                    cell.number_format = spalte.format
            width = max([len(str(spalte.titel))] + [len(_shown(r[k - 1], spalte.format)) for r in blatt.zeilen + blatt.summenzeilen])
            ws.column_dimensions[letter].width = min(_MAX_WIDTH, width + 2)
        ws.freeze_panes = "A2"
        if blatt.filter and blatt.spalten:
            last = get_column_letter(len(blatt.spalten))
            ws.auto_filter.ref = f"A1:{last}{1 + len(blatt.zeilen)}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = "1:1"
    when = zeitpunkt or FIXED_TIME
    wb.properties.title = _safe_text(titel)
    wb.properties.subject = _safe_text(thema)
    wb.properties.creator = "sozialraum"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # openpyxl's save_workbook would stamp the current time
    return _normalise_zip(raw.getvalue())


def _check_size(blatt: Blatt) -> None:
    from .errors import OutputError

    if len(blatt.spalten) > MAX_SPALTEN:
        raise OutputError(
            f"Das Blatt „{blatt.name}“ hätte {len(blatt.spalten):,} Spalten; Excel erlaubt höchstens {MAX_SPALTEN:,}.".replace(",", "."),
            hilfe="Bitte mit --value weniger Merkmale oder mit --year/--years weniger Jahre wählen.",
        )
    rows = 1 + len(blatt.zeilen) + len(blatt.summenzeilen)
    if rows > MAX_ZEILEN:
        raise OutputError(
            f"Das Blatt „{blatt.name}“ hätte {rows:,} Zeilen; Excel erlaubt höchstens {MAX_ZEILEN:,}.".replace(",", "."),
        )


def _safe_text(value: str) -> str:
    """Text without the control characters that XML cannot carry (shown as \\xNN)."""
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def _append(ws: Any, row: list[Any]) -> None:
    """Append a row; every text cell is written as text, never as a formula or error value."""
    ws.append([_safe_text(v) if isinstance(v, str) else v for v in row])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error value
            if cell.value.startswith(_FORMULA_START):
                cell.quotePrefix = True  # stays text when edited in Excel


def _shown(value: Any, fmt: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and fmt:
        return f"{value:,.1f}"
    return str(value)


def _normalise_zip(data: bytes) -> bytes:
    """Same entries, same order, fixed timestamps: zip files otherwise carry the time of writing."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
