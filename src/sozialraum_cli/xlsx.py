"""The Excel writer: real numbers with number formats, a title row and a source row above a
frozen bold header, autofilter, a print setup that stays readable (fit to the page width only
while the text keeps at least 8 pt, else pages side by side with the first columns repeated),
page header and footer (sheet, file name, page), document properties, and byte-identical output
for the same input.

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
TITELZEILEN = 2  # rows above the header: title and source
KOPFZEILE = TITELZEILEN + 1  # the header row (1-based)
SCHRIFT_PT = 10  # cell font size; printed at least MIN_PT
MIN_PT = 8
DRUCKBREITE_PT = (297 - 2 * 15) / 25.4 * 72  # A4 landscape less 1.5 cm margins
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
    titel: str = ""  # the title row above the table (default: the sheet's name)
    quelle: str = ""  # the source row
    feste_spalten: int = 1  # columns repeated on every printed page (the names)


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
    from openpyxl.styles import Alignment
    from openpyxl.styles import Font as _Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    normal = _Font(name="Calibri", size=SCHRIFT_PT)
    bold = _Font(name="Calibri", size=SCHRIFT_PT, bold=True)
    taken: set[str] = set()
    for blatt in blaetter:
        _check_size(blatt)
        ws = wb.create_sheet(sheet_name(_safe_text(blatt.name), taken))
        _append(ws, [blatt.titel or blatt.name])
        ws.cell(1, 1).font = _Font(name="Calibri", size=SCHRIFT_PT + 2, bold=True)
        _append(ws, [blatt.quelle])
        ws.cell(2, 1).font = normal
        _append(ws, [s.titel for s in blatt.spalten])
        for cell in ws[KOPFZEILE]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in blatt.zeilen:
            _append(ws, row)
            for cell in ws[ws.max_row]:
                cell.font = normal
        for row in blatt.summenzeilen:
            _append(ws, row)
            for cell in ws[ws.max_row]:
                cell.font = bold
        total = 0.0
        widths: list[float] = []
        for k, spalte in enumerate(blatt.spalten, start=1):
            letter = get_column_letter(k)
            if spalte.format:
                for (cell,) in ws.iter_rows(min_row=KOPFZEILE + 1, min_col=k, max_col=k):
                    cell.number_format = spalte.format
            # the header wraps at spaces: its longest word counts, not its whole length
            head = max((len(w) for w in str(spalte.titel).split()), default=0)
            cells = [len(_shown(r[k - 1], spalte.format)) for r in blatt.zeilen + blatt.summenzeilen if k - 1 < len(r)]
            width = min(_MAX_WIDTH, max([head, min(len(str(spalte.titel)), 14)] + cells) + 2)
            ws.column_dimensions[letter].width = width
            widths.append(width)
            total += width
        ws.freeze_panes = f"A{KOPFZEILE + 1}"
        if blatt.filter and blatt.spalten:
            last = get_column_letter(len(blatt.spalten))
            ws.auto_filter.ref = f"A{KOPFZEILE}:{last}{KOPFZEILE + len(blatt.zeilen)}"
        # the header row as high as its most wrapped title (LibreOffice does not grow it by itself)
        import textwrap

        lines = max((len(textwrap.wrap(str(s.titel), max(1, int(w) - 1)) or [""]) for s, w in zip(blatt.spalten, widths)),
                    default=1)
        ws.row_dimensions[KOPFZEILE].height = 1.3 * SCHRIFT_PT * lines + 3
        # long texts wrap in their column (they would otherwise run over the page and shrink the print)
        wrap = Alignment(wrap_text=True, vertical="top")
        for k, spalte in enumerate(blatt.spalten, start=1):
            if spalte.format is None:
                for (cell,) in ws.iter_rows(min_row=KOPFZEILE + 1, min_col=k, max_col=k):
                    if isinstance(cell.value, str) and len(cell.value) > ws.column_dimensions[get_column_letter(k)].width - 2:
                        cell.alignment = wrap
        # title and source rows span the table's width and wrap inside it
        span = max(total, 40.0)
        last = get_column_letter(max(1, len(blatt.spalten)))
        for row, size in ((1, SCHRIFT_PT + 2), (2, SCHRIFT_PT)):
            text = str(ws.cell(row, 1).value or "")
            if len(blatt.spalten) > 1:
                ws.merge_cells(f"A{row}:{last}{row}")
            ws.cell(row, 1).alignment = wrap
            lines = max(1, -(-len(text) * size // 11 // int(span)))  # characters per line ≈ the span's width
            ws.row_dimensions[row].height = 1.4 * size * lines + 2
        _print_setup(ws, blatt, total, PageSetupProperties)
        if width_pt(total) * ws.page_setup.scale / 100 > 0.97 * DRUCKBREITE_PT:
            _year_block_breaks(ws, blatt, [w * ws.page_setup.scale / 100 for w in widths])
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


def width_pt(chars: float) -> float:
    """Printed width (pt) of columns `chars` wide, on the safe side: Excel's unit is a digit of the workbook's
    default font (Calibri 11) plus padding; LibreOffice prints a unit about 7 pt wide (measured on A4: 102
    units fit a page of 757 pt, 113 do not). The cells' own smaller font does not change it."""
    return chars * 7.0 + 4


def _print_setup(ws: Any, blatt: Blatt, total_chars: float, PageSetupProperties: Any) -> None:
    """A4 landscape at a scale that keeps the text at ≥ MIN_PT; title rows (and, when the sheet needs several
    pages side by side, the first columns) repeated on every page; header and footer with sheet, file and page."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 20 / 25.4
    ws.page_margins.header = ws.page_margins.footer = 8 / 25.4
    needed = width_pt(total_chars)
    avail = 0.97 * DRUCKBREITE_PT  # a little room for the office's own rounding
    # never "fit to page": offices shrink further than announced. A fixed scale instead, at most down to
    # 8 pt; what is still too wide goes on further pages with the name columns repeated.
    scale = 100 if needed <= avail else max(round(100 * MIN_PT / SCHRIFT_PT), int(100 * avail / needed))
    ws.page_setup.scale = scale
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    if blatt.feste_spalten and needed > avail:
        ws.print_title_cols = f"A:{get_column_letter(blatt.feste_spalten)}"
    ws.print_title_rows = f"1:{KOPFZEILE}"
    ws.oddHeader.left.text = _safe_text(blatt.titel or blatt.name)[:200].replace("&", "&&")
    ws.oddHeader.left.size = SCHRIFT_PT  # scaled with the page like the cells: never below 8 pt
    ws.oddFooter.left.text = "&F – &A"
    ws.oddFooter.left.size = SCHRIFT_PT
    ws.oddFooter.right.text = "Seite &P von &N"
    ws.oddFooter.right.size = SCHRIFT_PT


def _year_block_breaks(ws: Any, blatt: Blatt, widths: list[float]) -> None:
    """Page breaks between year blocks (columns whose header ends in the same year), never inside one,
    for sheets printed at full size on several pages side by side (the name columns repeat on each)."""
    from openpyxl.worksheet.pagebreak import Break

    def year(titel: str) -> str | None:
        found = re.findall(r"\b(?:19|20)\d{2}\b", titel)
        return found[-1] if found else None

    fixed = blatt.feste_spalten
    avail = 0.97 * DRUCKBREITE_PT - width_pt(sum(widths[:fixed]))
    used, k = 0.0, fixed
    while k < len(blatt.spalten):
        y = year(blatt.spalten[k].titel)
        end = k + 1
        while y is not None and end < len(blatt.spalten) and year(blatt.spalten[end].titel) == y:
            end += 1
        w = width_pt(sum(widths[k:end]))
        if used > 0 and used + w > avail:
            ws.col_breaks.append(Break(id=k))  # after column k (1-based): the block starts a new page
            used = 0.0
        used += w
        k = end


def _check_size(blatt: Blatt) -> None:
    from .errors import OutputError

    if len(blatt.spalten) > MAX_SPALTEN:
        raise OutputError(
            f"Das Blatt „{blatt.name}“ hätte {len(blatt.spalten):,} Spalten; Excel erlaubt höchstens {MAX_SPALTEN:,}.".replace(",", "."),
            hilfe="Bitte mit --value weniger Merkmale oder mit --year/--years weniger Jahre wählen.",
        )
    rows = KOPFZEILE + len(blatt.zeilen) + len(blatt.summenzeilen)
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
            body = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):  # openpyxl writes empty first/even page headers: drop them
                body = _EMPTY_HEADERS.sub(b"", body)
            dst.writestr(fixed, body)
    return out.getvalue()


_EMPTY_HEADERS = re.compile(rb"<(?:first|even)(?:Header|Footer)\s*/>")
