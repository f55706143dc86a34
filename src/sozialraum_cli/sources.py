"""Limits for reading source files, so that a hostile or broken file costs bounded time and memory.

Every input file is read through `read_source` (size limit, German errors, registered as an input so
that no output option can replace it). Spreadsheets are checked by `check_spreadsheet` before
calamine sees them: calamine allocates the whole used area of a sheet at once, so one cell at
XFD1048576 or a small zip that unpacks to gigabytes would exhaust the memory.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import zipfile
from pathlib import Path

from .errors import InputError, SozialraumError

MAX_DATEI = 256 * 1024**2  # bytes of one input file (CSV, spreadsheet, mapping, geometry)
MAX_ENTPACKT = 512 * 1024**2  # uncompressed content of one spreadsheet (.xlsx, .ods)
MAX_ZELLEN = 10_000_000  # rows × columns of the used area of a sheet
MAX_FELD = 16 * 1024**2  # characters in one CSV field

_CHUNK = 1024**2
_ROW_REF = re.compile(rb'<row\s[^>]*?\br="([0-9]{1,10})"')
_CELL_COL = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,4})[0-9]')


def _mib(n: int) -> str:
    return f"{n // 1024**2} MiB"


def os_reason(exc: OSError) -> str:
    """A German reason for an operating system error (strerror is English)."""
    return {
        errno.EACCES: "keine Leseberechtigung",
        errno.EPERM: "nicht erlaubt",
        errno.EISDIR: "das ist ein Ordner",
        errno.ENOENT: "gibt es nicht",
        errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
        errno.EROFS: "schreibgeschützter Datenträger",
        errno.EIO: "Ein-/Ausgabefehler",
        errno.ENAMETOOLONG: "Name zu lang",
        errno.ELOOP: "zu viele symbolische Verknüpfungen",
        errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
        errno.ENXIO: "Gerät nicht erreichbar",
        errno.EBADF: "Datenstrom geschlossen",
    }.get(exc.errno or 0, f"Systemfehler {exc.errno}")


def duckdb_reason(exc: Exception) -> str:
    """A German reason for DuckDB's error on reading a CSV or Parquet file (its text is English, and it quotes
    the line, which may hold anything): the line number and what is wrong with it, as far as recognised."""
    import re

    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    where = f"Zeile {int(line[1]):,}".replace(",", ".") if line else "eine Zeile"
    columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if "Invalid unicode" in text:
        return f"{where} ist nicht UTF-8-kodiert (etwa Windows-1252): bitte als UTF-8 speichern"
    if columns:
        return f"{where} hat {columns[2]} statt {columns[1]} Spalten"
    if "unterminated quote" in text:
        return f"in {where} endet ein Anführungszeichen nicht"
    if "Could not convert" in text or "Conversion Error" in text:
        return f"ein Wert in {where} passt nicht zu seiner Spalte"
    if line:
        return f"{where} ist nicht lesbar"
    return "DuckDB kann sie nicht lesen; den Grund zeigt --debug"


def read_source(path: str | Path, *, art: type[SozialraumError] = InputError, was: str = "Die Datei") -> bytes:
    """The bytes of an input file, at most MAX_DATEI; also endless streams stop there."""
    from .output import note_input

    datei = Path(path)
    try:
        with open(datei, "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise art("Das ist ein Ordner, keine Datei.", datei=datei)
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_DATEI:
                raise art(f"{was} ist größer als {_mib(MAX_DATEI)}; so große Dateien werden nicht gelesen.", datei=datei)
            note_input(datei)
            raw = f.read(MAX_DATEI + 1)
    except FileNotFoundError:
        raise art(f"{was} gibt es nicht.", datei=datei) from None
    except IsADirectoryError:
        raise art("Das ist ein Ordner, keine Datei.", datei=datei) from None
    except OSError as exc:
        raise art(f"{was} ist nicht lesbar ({os_reason(exc)}).", datei=datei) from None
    if len(raw) > MAX_DATEI:
        raise art(
            f"{was} ist größer als {_mib(MAX_DATEI)} (oder endlos); so große Dateien werden nicht gelesen.", datei=datei
        )
    return raw


OHNE_PRUEFSUMME = ""  # the checksum of a large input that no output of the call shows is not computed


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file read in pieces (large streamed inputs are never held whole)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def streamed_input(path: str | Path, *, art: type[SozialraumError] = InputError, was: str = "Die Datei") -> int:
    """Check a file that a streaming reader (DuckDB, pandas in pieces) reads by itself; return its size.

    Such readers keep only what they need in memory, so MAX_DATEI does not apply; the file must be
    a regular file (never a device, FIFO or socket) and is protected from every output.
    """
    from .output import note_input

    datei = Path(path)
    try:
        info = os.stat(datei)
    except FileNotFoundError:
        raise art(f"{was} gibt es nicht.", datei=datei) from None
    except OSError as exc:
        raise art(f"{was} ist nicht lesbar ({os_reason(exc)}).", datei=datei) from None
    if stat.S_ISDIR(info.st_mode):
        raise art("Das ist ein Ordner, keine Datei.", datei=datei)
    if not stat.S_ISREG(info.st_mode):
        raise art(f"{was} ist keine gewöhnliche Datei (Gerät, FIFO oder Socket) und wird nicht gelesen.", datei=datei)
    note_input(datei)
    return info.st_size


def check_spreadsheet(datei: Path, raw: bytes) -> None:
    """Refuse a zip-based spreadsheet that unpacks to too much or whose sheets span too many cells."""
    if not raw.startswith(b"PK"):
        return  # .xls (BIFF) is bounded by its format: 65.536 × 256 cells; anything else calamine refuses
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError):
        return  # calamine names the broken file
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_ENTPACKT:
            raise _too_big(datei)
        total = 0
        for info in infos:
            is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            ods = _OdsArea(datei) if info.filename == "content.xml" else None
            max_row = max_col = cells = 0
            try:
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_ENTPACKT:  # the sizes in the zip directory may lie
                            raise _too_big(datei)
                        if ods is not None:
                            ods.feed(chunk)
                        if not is_sheet:
                            continue
                        text = tail + chunk
                        cells += chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/")
                        rows = set(_ROW_REF.findall(text))
                        if rows:
                            max_row = max(max_row, max(map(int, rows)))
                        cols = set(_CELL_COL.findall(text))
                        if cols:
                            max_col = max(max_col, _column_number(max(cols, key=lambda c: (len(c), c))))
                        tail = chunk[-64:]
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
                return  # calamine names the broken file
            used = max(max_row * max(max_col, 1), cells)
            if is_sheet and used > MAX_ZELLEN:
                raise _too_many_cells(datei, max_row, max_col, used)


def _too_many_cells(datei: Path, max_row: int, max_col: int, used: int) -> InputError:
    return InputError(
        f"Ein Tabellenblatt reicht bis Zeile {max_row:,} und Spalte {max(max_col, 1):,} "
        f"({used:,} Zellen); gelesen werden höchstens {MAX_ZELLEN:,} Zellen je Blatt.".replace(",", "."),
        datei=datei,
        hilfe="Bitte leere Zeilen und Spalten am Ende des Blatts löschen oder die Daten als CSV speichern.",
    )


_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>")
_ODS_ROWS = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_ODS_COLS = re.compile(rb'table:number-columns-repeated="([0-9]+)"')


class _OdsArea:
    """The used area of every table in an ODS content.xml, counted from its repeat attributes.

    Empty rows and cells repeated at the end (as LibreOffice writes them) do not count; the
    empty ones before a filled cell do, because calamine allocates them.
    """

    def __init__(self, datei: Path) -> None:
        self.datei = datei
        self.rest = b""
        self.row = 0  # rows of the current table before the current row
        self.repeat = 1  # repeats of the current row
        self.col = 0  # cells of the current row so far
        self.row_end = 0  # end of the last filled cell in the current row
        self.last_row = self.max_col = 0

    def feed(self, chunk: bytes) -> None:
        text = self.rest + chunk
        cut = text.rfind(b">") + 1
        self.rest = text[cut:]
        for closing, tag, attrs in _ODS_TAG.findall(text[:cut]):
            if tag == b"table" and not closing:
                self.row = self.last_row = self.max_col = 0
            elif tag == b"table-row" and not closing:
                m = _ODS_ROWS.search(attrs)
                self.repeat = int(m.group(1)) if m else 1
                self.col = self.row_end = 0
                if attrs.endswith(b"/"):
                    self.row += self.repeat
            elif tag == b"table-row":
                if self.row_end:
                    self.last_row = self.row + self.repeat
                    self.max_col = max(self.max_col, self.row_end)
                    used = self.last_row * self.max_col
                    if used > MAX_ZELLEN:
                        raise _too_many_cells(self.datei, self.last_row, self.max_col, used)
                self.row += self.repeat
            elif not closing:  # a cell
                m = _ODS_COLS.search(attrs)
                self.col += int(m.group(1)) if m else 1
                if b"office:value-type" in attrs:
                    self.row_end = self.col


def _too_big(datei: Path) -> InputError:
    return InputError(
        f"Die Tabellendatei ist entpackt größer als {_mib(MAX_ENTPACKT)}; so große Dateien werden nicht gelesen.",
        datei=datei,
        hilfe="Bitte die Daten als CSV speichern oder auf die nötigen Blätter kürzen.",
    )


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def allow_large_csv_fields() -> None:
    """CSV fields of up to MAX_FELD characters (Python's default stops at 128 KiB)."""
    csv.field_size_limit(MAX_FELD)


def csv_error(exc: csv.Error) -> str:
    """The German text for a csv module error."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"Ein Feld ist länger als {MAX_FELD:,} Zeichen.".replace(",", ".")
    if "NUL" in text or "null byte" in text:
        return "Die Datei enthält Null-Bytes; sie ist wohl keine Textdatei."
    if "new-line character seen in unquoted field" in text:
        return "Ein Zeilenumbruch steht mitten in einem Feld ohne Anführungszeichen."
    return "Die CSV-Datei ist fehlerhaft (z. B. ein Anführungszeichen ohne Gegenstück)."
