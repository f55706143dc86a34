"""Bytes of an input file -> rows of cells with their line numbers.

CSV: encoding (UTF-8 or Windows-1252, checked in pieces), delimiter, rows decoded while read,
optionally filtered (see layouts.long_filter). Spreadsheets (.xlsx, .xls, .ods): one sheet read by
calamine. Size limits and streaming of the raw bytes are in ../sources.py.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from ..errors import AufrufError, InputError
from ..sources import allow_large_csv_fields, check_spreadsheet, csv_error, read_source
from .cells import text


def _encoding(raw: bytes, datei: Path, hinweise: list[str]) -> str:
    """'utf-8-sig' or 'cp1252', checked over the whole file in pieces (no second copy of a large file)."""
    import codecs

    view = memoryview(raw)
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(view), 1 << 20):
                decoder.decode(view[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1252":
            hinweise.append("Zeichenkodierung: Windows-1252 (cp1252).")
        return encoding
    raise InputError(
        "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252.",
        datei=datei,
        hilfe="Bitte als UTF-8 speichern.",
    )


def delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in (";", ",", "\t"):
        counts: dict[int, int] = {}
        try:
            for row in csv.reader(sample, delimiter=delim):
                counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:  # the reader below names the line
            continue
        wide = {n: c for n, c in counts.items() if n > 1}
        if not wide:
            continue
        fields, lines = max(wide.items(), key=lambda kv: (kv[1], kv[0]))
        if (lines, fields) > best_score:
            best, best_score = delim, (lines, fields)
    return best


RowFilter = Callable[[int, list[str]], bool]


def csv_rows(
    datei: Path, raw: bytes, hinweise: list[str], *, keep: Callable[[list[tuple[int, list[Any]]]], RowFilter | None] | None = None
) -> list[tuple[int, list[Any]]]:
    """The rows of a CSV file with their line numbers.

    `keep`, given the first rows, may return a filter that every further row must pass (a long
    file read for some indicators and one year only); the first rows are always kept.
    """
    encoding = _encoding(raw, datei, hinweise)
    allow_large_csv_fields()
    delim = delimiter(raw[: 1 << 16].decode(encoding, errors="ignore"))
    # decoded piece by piece while reading: a large file is never held twice
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline=""), delimiter=delim)
    rows = []
    seen: dict[str, str] = {}  # one object per distinct text: long files repeat names, years and values
    row_filter: RowFilter | None = None
    dropped = 0
    try:
        for row in reader:
            if row_filter is not None and not row_filter(reader.line_num, row):
                dropped += 1
                continue
            rows.append((reader.line_num, [seen.setdefault(v, v) for v in row]))
            if len(seen) > 100_000:  # bounded: frequent texts come back soon
                seen.clear()
            if keep is not None and len(rows) == _SAMPLE_ROWS:
                row_filter, keep = keep(rows), None
                if row_filter is not None:  # the sample itself is filtered too
                    sample = len(rows)
                    rows = [(line, cells) for line, cells in rows if row_filter(line, cells)]
                    dropped += sample - len(rows)
    except csv.Error as exc:
        raise InputError(csv_error(exc), datei=datei, zeile=reader.line_num) from None
    if dropped:
        hinweise.append(f"Langformat: {dropped:,} Zeilen anderer Merkmale oder Jahre nicht gelesen "
                        f"(nur die verlangten).".replace(",", "."))
    return rows


_SAMPLE_ROWS = 50  # rows read before a long file's header decides how to filter the rest


def sheet_rows(datei: Path, sheet: str | None, hinweise: list[str]) -> list[tuple[int, list[Any]]]:
    """Rows of a spreadsheet (.xlsx, .xls, .ods) with their row numbers, read by calamine."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(datei))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise InputError(f"Die Tabellendatei ist nicht lesbar ({type(exc).__name__}: {exc}).", datei=datei) from None
    names = list(wb.sheet_names)
    if not names:
        raise InputError("Die Tabellendatei enthält kein Tabellenblatt.", datei=datei)
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        raise AufrufError(f"Das Tabellenblatt „{sheet}“ gibt es nicht. Vorhanden: {', '.join(names)}.", datei=datei,
                          parameter="blatt")
    if len(names) > 1:
        hinweise.append(f"Tabellenblatt „{sheet}“ gelesen (von {len(names)}).")
    try:
        values = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputError(f"Das Tabellenblatt „{sheet}“ ist nicht lesbar ({exc}).", datei=datei) from None
    return [(i, [_sheet_value(v) for v in row]) for i, row in enumerate(values, start=1)]


def _sheet_value(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.strftime("%d.%m.%Y")
    if isinstance(v, str) and not v.strip():
        return None
    return v


SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def file_rows(datei: Path, raw: bytes, sheet: str | None, hinweise: list, keep: Any = None) -> list:
    """The rows of a CSV or spreadsheet with their line numbers, by the file's ending."""
    suffix = datei.suffix.lower()
    if suffix in SPREADSHEETS:
        check_spreadsheet(datei, raw)
        return sheet_rows(datei, sheet, hinweise)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise AufrufError("Ein Tabellenblatt gibt es nur in Tabellendateien (.xlsx, .xls, .ods).", datei=datei,
                              parameter="blatt")
        return csv_rows(datei, raw, hinweise, keep=keep)
    raise InputError(f"Unbekanntes Dateiformat „{datei.suffix}“.", datei=datei, hilfe="Erwartet wird .csv, .xlsx, .xls oder .ods.")


def read_table(path: str | Path, *, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Any table (e.g. a list of facilities): header texts and the data rows with their line numbers."""
    datei = Path(path)
    rows = file_rows(datei, read_source(datei), sheet, [])
    rows = [(line, cells) for line, cells in rows if any(text(c) for c in cells)]
    if len(rows) < 2:
        raise InputError("Die Datei enthält keine Datenzeilen.", datei=datei)
    return [text(c) for c in rows[0][1]], rows[1:]
