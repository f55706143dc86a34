"""Read district statistics (CSV, .xlsx) into one tidy district table.

Every input layout ends up as a long table with the columns
``bezirk_nr, jahr, merkmal, wert, status, zeile``; everything after reading works on
that form. Rows are matched to districts of the mapping; whatever cannot be matched
is an error naming file and line, never dropped.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..errors import InputError
from ..mapping import ANZAHL, Zuordnung, name_key
from ..treatment import Einordnung, classify
from ..sources import allow_large_csv_fields, check_spreadsheet, csv_error, read_source

from ..symbole import (  # the statuses of the tidy table, re-exported for its users
    AUSSTEHEND,
    BEKANNT,
    EINGESCHRAENKT,
    FEHLT,
    GEHEIM,
    GESPERRT,
    NULL,
    STATUS_TEXT,
    SYMBOLE,
    UNSICHER,
    UNTERDRUECKT,
    VORHANDEN,
    parse_symbol_option,
    symbol_table,
)

__all__ = [  # what other modules take from here, the statuses included
    "AUSSTEHEND", "BEKANNT", "EINGESCHRAENKT", "FEHLT", "GEHEIM", "GESPERRT", "NULL", "STATUS_TEXT", "SYMBOLE",
    "UNSICHER", "UNTERDRUECKT", "VORHANDEN", "Bezirksdaten", "Spalte", "LAYOUT_MERKMALE", "LAYOUT_STICHTAGE",
    "combine_bezirksdaten", "number_style", "parse_cell", "parse_code", "parse_symbol_option", "read_bezirksdaten",
    "read_table", "split_header", "symbol_table",
]

LAYOUT_MERKMALE = "merkmale"  # one column per indicator
LAYOUT_STICHTAGE = "stichtage"  # one column per reference date / year

_DE_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_EN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_CODE_SUFFIXES = ("nr", "nummer", "code", "schluessel", "kennziffer")


@dataclass(frozen=True)
class Spalte:
    """An indicator column of the input file."""

    merkmal: str
    titel: str
    art: str  # kind (mapping.ARTEN): declared in the mapping, or by the default rule (treatment.classify)
    nr: int  # 1-based column number in the file
    jahr: int | None = None
    stichtag: str | None = None  # the reference date as written in the header ("31.12.2020", "Dez 2013")
    grund: str = ""  # why the column is not summed (empty for counts)
    vorschlag: str = ""  # a line of YAML that would declare it (undeclared columns only)


@dataclass
class Bezirksdaten:
    """The tidy district table of one input file, with its provenance."""

    datei: Path
    sha256: str
    layout: str
    daten: pd.DataFrame  # bezirk_nr, jahr, merkmal, wert, status, zeile
    spalten: list[Spalte]
    zeilen: dict[int, int]  # district or special code -> line in the file
    hinweise: list[str] = field(default_factory=list)
    quellen: list[tuple[Path, str]] = field(default_factory=list)  # every input file with its SHA-256
    details: list[str] = field(default_factory=list)  # skipped title and footnote lines (--verbose)
    # published subtotals: rows naming a Raum (raum as written, jahr, merkmal, wert, status, zeile)
    teilsummen: pd.DataFrame | None = None
    # (merkmal, jahr) -> symbol -> number of cells read as a true zero
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.quellen:
            self.quellen = [(self.datei, self.sha256)]

    @property
    def bezeichnung(self) -> str:
        """File name(s) for titles."""
        return " + ".join(p.name for p, _ in self.quellen)

    @property
    def jahre(self) -> list[int]:
        return sorted({s.jahr for s in self.spalten if s.jahr is not None})

    @property
    def merkmale(self) -> dict[str, Spalte]:
        """Indicator name -> its (first) column, in file order."""
        out: dict[str, Spalte] = {}
        for s in self.spalten:
            out.setdefault(s.merkmal, s)
        return out

    @property
    def reihen(self) -> set[str]:
        """Indicators with columns for several reference dates: time series."""
        years: dict[str, set[int]] = {}
        for s in self.spalten:
            if s.jahr is not None:
                years.setdefault(s.merkmal, set()).add(s.jahr)
        return {m for m, y in years.items() if len(y) > 1}

    def standard_jahr(self) -> int | None:
        """The latest year that has at least one known value (None for files without years).

        Time series decide; without any, the dated columns do.
        """
        if self.layout != LAYOUT_STICHTAGE:
            return None
        known = self.daten[self.daten["status"].isin(BEKANNT) & self.daten["jahr"].notna()]
        if self.reihen:
            known = known[known["merkmal"].isin(self.reihen)]
        return int(known["jahr"].max()) if not known.empty else None


# ----------------------------------------------------------------------------- cells


def parse_code(value: Any) -> int | None:
    """District code from a cell: 11, 11.0, "11", "011" -> 11; anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    return _SPACES.sub("", text)


def number_style(texts: list[str]) -> str:
    """'de' (1.234,5) or 'en' (1,234.5) for the text cells of one column."""
    cleaned = [_clean(t) for t in texts]
    for t in cleaned:
        if "," in t and "." in t:
            return "de" if t.rfind(",") > t.rfind(".") else "en"
    if any("," in t for t in cleaned):
        return "de"
    dotted = [t for t in cleaned if "." in t]
    if dotted and all(_THOUSANDS_DOT.match(t) for t in dotted):
        return "de"
    return "en"


def _written_style(text: str) -> str | None:
    """How one cell writes its number: 'de'/'en' (certain), 'de,'/'en.' (decimal separator, certain),
    '?.'/'?,' (one separator followed by three digits: thousands or decimal), None (no separator, not a number)."""
    t = _clean(text).strip("()").lstrip("+-")
    if not t or not re.fullmatch(r"[\d.,]+", t) or not t[0].isdigit():
        return None
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        return "de" if t.rfind(",") > t.rfind(".") else "en"
    if dots > 1 or commas > 1:
        return "de" if dots else "en"
    if dots or commas:
        sep = "." if dots else ","
        head, tail = t.split(sep)
        if len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0":
            return "?" + sep
        return "en." if dots else "de,"
    return None


def mixed_number_styles(texts: list[str]) -> tuple[str, str] | None:
    """Two cells of one column whose numbers are written in conflicting styles (e.g. 2.447 and 1.5), or None."""
    first: dict[str, str] = {}
    for t in texts:
        if "." not in t and "," not in t:
            continue
        style = _written_style(t)
        if style is not None:
            first.setdefault(style, t)
    german = [first[s] for s in ("de", "de,") if s in first]
    english = [first[s] for s in ("en", "en.") if s in first]
    if german and english:
        return german[0], english[0]
    if "?." in first and "en." in first and "en" not in first:
        return first["?."], first["en."]  # thousands dot or decimal point?
    if "?," in first and "en." in first:
        return first["?,"], first["en."]
    return None


def parse_number(text: str, style: str) -> float | None:
    """A number written as text in the given style, or None if it is not one."""
    t = _clean(text)
    if style == "de":
        if not _DE_NUMBER.match(t):
            return None
        return float(t.replace(".", "").replace(",", "."))
    if not _EN_NUMBER.match(t):
        return None
    return float(t.replace(",", ""))


def parse_cell(value: Any, style: str, symbole: dict[str, str] = SYMBOLE) -> tuple[float | None, str] | None:
    """(value, status) of a cell; None if the cell is text that is neither number nor symbol."""
    if value is None:
        return None, FEHLT
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None, FEHLT
        return float(value), VORHANDEN
    text = str(value).strip()
    if not text:
        return None, FEHLT
    if text in symbole:
        status = symbole[text]
        return (0.0 if status == NULL else None), status
    if text.startswith("(") and text.endswith(")"):
        inner = parse_number(text[1:-1], style)
        return (inner, EINGESCHRAENKT) if inner is not None else None
    number = parse_number(text, style)
    return (number, VORHANDEN) if number is not None else None


# ----------------------------------------------------------------------------- files


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


def _delimiter(text: str) -> str:
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


def _csv_rows(
    datei: Path, raw: bytes, hinweise: list[str], *, keep: Callable[[list[tuple[int, list[Any]]]], RowFilter | None] | None = None
) -> list[tuple[int, list[Any]]]:
    """The rows of a CSV file with their line numbers.

    `keep`, given the first rows, may return a filter that every further row must pass (a long
    file read for some indicators and one year only); the first rows are always kept.
    """
    encoding = _encoding(raw, datei, hinweise)
    allow_large_csv_fields()
    delim = _delimiter(raw[: 1 << 16].decode(encoding, errors="ignore"))
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


def long_filter(zuordnung: Zuordnung, merkmale: list[str] | None, jahr: int | None):
    """A factory for _csv_rows: in a long file, keep only rows of the wanted indicators and year.

    Rows whose indicator or year cell is empty or unreadable are kept, so that every check of the
    normal reading (unknown districts, footnotes, bad years) still sees them.
    """
    if not merkmale and jahr is None:
        return None
    wanted = None
    if merkmale:
        wanted = set(merkmale) | {p for m in merkmale if m in zuordnung.merkmale for p in zuordnung.merkmale[m].teile}

    def factory(sample: list[tuple[int, list[Any]]]) -> RowFilter | None:
        rows = [(line, cells) for line, cells in sample if any(_text(c) for c in cells)]
        h, code_col, name_col = _find_header(rows, None, Path("."))
        if h < 0:
            return None
        keys = [name_key(_text(c)) for c in rows[h][1]]
        key_cols = {c for c in (code_col, name_col) if c is not None}
        cols = {role: next((i for i, k in enumerate(keys) if k in names and i not in key_cols), None)
                for role, names in _LONG_COLUMNS.items()}
        if cols["merkmal"] is None or cols["wert"] is None:
            return None
        m_col, j_col = cols["merkmal"], cols["jahr"]
        header_line = rows[h][0]
        labels: dict[str, bool] = {}
        years: dict[str, bool] = {}

        def wanted_label(label: str) -> bool:
            text = label.strip()
            return not text or (_merkmal_for_header(text, zuordnung) or merkmal_slug(text)) in wanted

        def wanted_year(text: str) -> bool:
            year = _header_year(text) if text.strip() else None
            return year is None or year == jahr

        def passes(cells: list[str], col: int, cache: dict[str, bool], test: Callable[[str], bool]) -> bool:
            text = cells[col] if col < len(cells) else ""
            hit = cache.get(text)
            if hit is None:
                hit = cache[text] = test(text)
            return hit

        def row_filter(line: int, cells: list[str]) -> bool:
            return line <= header_line or (
                (wanted is None or passes(cells, m_col, labels, wanted_label))
                and (jahr is None or j_col is None or passes(cells, j_col, years, wanted_year))
            )

        return row_filter

    return factory


def _sheet_rows(datei: Path, sheet: str | None, hinweise: list[str]) -> list[tuple[int, list[Any]]]:
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
        raise InputError(f"Das Tabellenblatt „{sheet}“ gibt es nicht. Vorhanden: {', '.join(names)}.", datei=datei)
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


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# ----------------------------------------------------------------------------- layout


def _is_code_header(key: str) -> bool:
    return key == "id" or key.endswith(_CODE_SUFFIXES) or key.startswith("bezirksnummer")


def _is_code_title(text: str) -> bool:
    """A key column such as `PLR-ID`, `Bezirk ID` (the key alone is too short to tell)."""
    return bool(re.search(r"(^|[\s_-])id$", text.strip(), re.I))


def _is_name_header(key: str) -> bool:
    return ("name" in key or "bezirk" in key or key in ("gebiet", "district", "stadtteil")) and not _is_code_header(key)


_LONG_COLUMNS = {
    "jahr": {"jahr", "year", "stichtag", "berichtsjahr"},
    "merkmal": {"merkmal", "indikator", "indicator", "variable", "kennzahl", "merkmalname"},
    "wert": {"wert", "value", "werte", "anzahl"},
}


def _key_columns(cells: list[Any]) -> tuple[int | None, int | None]:
    texts = [_text(c) for c in cells]
    keys = [name_key(t) for t in texts]
    long_names = set().union(*_LONG_COLUMNS.values())
    code = next((i for i, k in enumerate(keys) if k and (_is_code_header(k) or _is_code_title(texts[i]))), None)
    name = next((i for i, k in enumerate(keys) if k and i != code and _is_name_header(k) and k not in long_names), None)
    return code, name


def _find_header(rows: list[tuple[int, list[Any]]], header_row: int | None, datei: Path) -> tuple[int, int | None, int | None]:
    """Index into rows of the header row, and the code and name column indices."""
    if header_row is not None:
        idx = next((i for i, (line, _) in enumerate(rows) if line == header_row), None)
        if idx is None:
            raise InputError(f"--header-row {header_row}: Die Zeile ist leer oder fehlt.", datei=datei)
        code, name = _key_columns(rows[idx][1])
        if code is None and name is None:
            raise InputError(
                "In der angegebenen Kopfzeile steht keine Spalte mit Bezirksnummer oder Bezirksname.",
                datei=datei,
                zeile=header_row,
            )
        return idx, code, name
    for idx, (_, cells) in enumerate(rows):
        if sum(1 for c in cells if _text(c)) < 2:  # a title line, not a header
            continue
        code, name = _key_columns(cells)
        if code is not None or name is not None:
            return idx, code, name
    return -1, None, None


def _is_year_like(v: Any) -> bool:
    return _header_year(v) is not None


def _is_header_row(cells: list[Any], key_cols: set[int]) -> bool:
    """A row of column titles over the value columns: nothing in the key columns, only text or dates."""
    if any(_text(cells[i]) for i in key_cols if i < len(cells)):
        return False
    values = [c for i, c in enumerate(cells) if i not in key_cols and _text(c)]
    return bool(values) and all(isinstance(v, str) or _is_year_like(v) for v in values)


_MAX_HEADER_ROWS = 2  # group rows above and definition rows below the row with the key columns


def _header_parts(
    rows: list[tuple[int, list[Any]]], h: int, key_cols: set[int]
) -> tuple[list[list[str]], list[str], int, int]:
    """The title parts of every column of a header of up to five rows.

    Rows right above the key row whose key cells are empty are group titles (merged cells: a title
    stands for the columns to its right up to the next one); up to two rows below are sub-titles
    or definitions. Returns the parts per column, each column's own cell of the key row, and the
    number of rows above and below.
    """
    above = 0
    while above < _MAX_HEADER_ROWS and h - above - 1 >= 0 and _is_header_row(rows[h - above - 1][1], key_cols):
        above += 1
    below = 0
    while below < _MAX_HEADER_ROWS and h + below + 1 < len(rows) - 1 and _is_header_row(rows[h + below + 1][1], key_cols):
        below += 1
    block = [cells for _, cells in rows[h - above : h + below + 1]]
    width = max(len(cells) for cells in block)
    filled = []
    for k, cells in enumerate(block):
        texts = [_text(cells[i]) if i < len(cells) else "" for i in range(width)]
        if k < above or (k == above and below):  # a group title spans the empty cells to its right
            group = ""
            for i in range(width):
                if i in key_cols:
                    group = ""
                elif texts[i]:
                    group = texts[i]
                elif k == above:  # the key row: only over columns that have a sub-title
                    texts[i] = group if any(_text(r[i]) for r in block[above + 1 :] if i < len(r)) else ""
                else:
                    texts[i] = group
        filled.append(texts)
    parts = []
    for i in range(width):
        if i in key_cols:
            parts.append([filled[above][i]])
            continue
        column: list[str] = []
        for texts in filled:
            if texts[i] and texts[i] not in column:
                column.append(texts[i])
        parts.append(column)
    own = [filled[above][i] if _text(block[above][i] if i < len(block[above]) else None) else "" for i in range(width)]
    return parts, own, above, below


@functools.lru_cache(maxsize=65536)
def merkmal_slug(text: str) -> str:
    s = unicodedata.normalize("NFC", text).casefold()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


_MONTHS = r"(?:jan|feb|m[aä]r|mrz|apr|mai|jun|jul|aug|sep|okt|nov|dez)[a-zä]*\.?"
_DATE = rf"(?:(?:stand|stichtag|jahr)[:\s]*)?(?:\d{{1,2}}\.\d{{1,2}}\.\s?|{_MONTHS}\s*|\d{{1,2}}/)?((?:19|20)\d{{2}})"
_ONLY_DATE = re.compile(rf"^{_DATE}$", re.I)
_TRAILING_DATE = re.compile(rf"^(.*?\S)[\s_,]+({_DATE})$", re.I)
_PAREN_DATE = re.compile(rf"^(.*?)\s*\(\s*({_DATE})\s*\)\s*(.*)$", re.I)
# "Sozialwohnungen mit Bindungsauslauf bis 2019": a year after these words is part of the definition
_NOT_A_DATE = {"bis", "ab", "seit", "vor", "nach", "von", "zwischen", "und", "bzw", "oder", "ende", "anfang"}


def _header_year(header: Any) -> int | None:
    if isinstance(header, (int, float)) and not isinstance(header, bool) and float(header).is_integer():
        return int(header) if 1900 <= header <= 2099 else None
    m = _ONLY_DATE.match(_text(header))
    return int(m.group(1)) if m else None


def parse_stichtag(header: str) -> tuple[str, str | None, int | None]:
    """A header's label, its reference date as written and its year.

    '31.12.2016' -> ('', '31.12.2016', 2016); 'EW 31.12.2020' -> ('EW', '31.12.2020', 2020);
    'Arbeitslose (Dez 2013)' -> ('Arbeitslose', 'Dez 2013', 2013); 'Wohnungen bis 2019' has no date.
    """
    text = header.strip()
    m = _ONLY_DATE.match(text)
    if m:
        return "", text, int(m.group(1))
    m = _PAREN_DATE.match(text)
    if m:
        label = " ".join(p for p in (m.group(1).strip(), m.group(4).strip()) if p)
        return label, m.group(2).strip(), int(m.group(3))
    m = _TRAILING_DATE.match(text)
    if m and m.group(1).split()[-1].casefold().strip(".") not in _NOT_A_DATE:
        return m.group(1).strip(" _,"), m.group(2).strip(), int(m.group(3))
    return text, None, None


def split_header(header: str) -> tuple[str, int | None]:
    """'31.12.2016' -> ('', 2016); 'Einwohner 2016' -> ('Einwohner', 2016); 'Einwohner' -> ('Einwohner', None)."""
    label, _, jahr = parse_stichtag(header)
    return label, jahr


def _column_title(parts: list[str]) -> tuple[str, str | None, int | None, list[str]]:
    """(label, reference date, year, label parts) of a column from its header parts."""
    labels, stichtag, jahr = [], None, None
    for part in parts:
        label, tag, year = parse_stichtag(part)
        if tag is not None and stichtag is None:
            stichtag, jahr = tag, year
        elif tag is not None:
            label = part
        if label and label not in labels:
            labels.append(label)
    return " ".join(labels), stichtag, jahr, labels


def _merkmal_for_header(header: str, zuordnung: Zuordnung, parts: list[str] | None = None) -> str | None:
    """The declared indicator a header names (by the whole title or one of its parts), else None."""
    keys = [name_key(t.replace("%", "")) for t in [header, *(parts or [])]]
    index = _merkmal_keys(zuordnung)
    found = [index[k] for k in keys if k and k in index]
    return min(found)[1] if found else None  # the first in mapping order


def _merkmal_keys(zuordnung: Zuordnung) -> dict[str, tuple[int, str]]:
    """name_key of every way of writing an indicator -> (position, name) of the first indicator so named;
    built once per mapping, because long files ask once per line."""
    cached = zuordnung.__dict__.get("_merkmal_keys")
    if cached is None or cached[0] is not zuordnung.merkmale or cached[1] != len(zuordnung.merkmale):
        keys: dict[str, tuple[int, str]] = {}
        for i, m in enumerate(zuordnung.merkmale.values()):
            for s in m.schreibweisen:
                keys.setdefault(name_key(s), (i, m.name))
        cached = (zuordnung.merkmale, len(zuordnung.merkmale), keys)
        zuordnung.__dict__["_merkmal_keys"] = cached
    return cached[2]


def _stem_merkmal(datei: Path) -> str:
    stem = re.sub(r"[_\-\s]*(19|20)\d{2}([_\-\s]+(19|20)\d{2})?$", "", datei.stem)
    return merkmal_slug(stem) or "wert"


# ----------------------------------------------------------------------------- main entry

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def read_bezirksdaten(
    path: str | Path,
    zuordnung: Zuordnung,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    symbole: dict[str, str] | None = None,
    merkmale: list[str] | None = None,
    jahr: int | None = None,
    geometrie: str | Path | None = None,
) -> Bezirksdaten:
    """Read one CSV or spreadsheet file of district statistics into the tidy district table.

    `symbole` overrides the meaning of symbols for this file (on top of the defaults and the
    mapping's `symbole` section); `header_row` is the line of the header (1-based) when the
    automatic detection should not be used. `merkmale` and `jahr` let a long CSV file be read
    for those indicators (and their parts) and that year only: fast and lean for large files.
    A Zensus grid file (GITTER_ID_…) is summed to the districts of the polygons in `geometrie`
    (the bundled ones when None), see grid.py.
    """
    datei = Path(path)
    from ..grid import is_grid_file

    if is_grid_file(datei):
        from ..grid import read_grid

        return read_grid([datei], zuordnung, geometrie=geometrie, symbole=symbole)
    raw = read_source(datei)
    if not raw.strip():
        raise InputError("Die Datei ist leer.", datei=datei)
    hinweise: list[str] = []
    suffix = datei.suffix.lower()
    if suffix in SPREADSHEETS:
        check_spreadsheet(datei, raw)
        rows = _sheet_rows(datei, sheet, hinweise)
    elif suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise InputError("--sheet gilt nur für Tabellendateien (.xlsx, .xls, .ods).", datei=datei)
        keep = long_filter(zuordnung, merkmale, jahr) if header_row is None else None
        rows = _csv_rows(datei, raw, hinweise, keep=keep)
    else:
        raise InputError(
            f"Unbekanntes Dateiformat „{datei.suffix}“.",
            datei=datei,
            hilfe="Erwartet wird .csv, .xlsx, .xls oder .ods.",
        )
    try:
        table = symbol_table(zuordnung.symbole, symbole)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    return _tidy(datei, hashlib.sha256(raw).hexdigest(), rows, zuordnung, hinweise, header_row, table)


def read_table(path: str | Path, *, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Any table (e.g. a list of facilities): header texts and the data rows with their line numbers."""
    datei = Path(path)
    raw = read_source(datei)
    hinweise: list[str] = []
    suffix = datei.suffix.lower()
    if suffix in SPREADSHEETS:
        check_spreadsheet(datei, raw)
        rows = _sheet_rows(datei, sheet, hinweise)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(datei, raw, hinweise)
    else:
        raise InputError(f"Unbekanntes Dateiformat „{datei.suffix}“.", datei=datei, hilfe="Erwartet wird .csv, .xlsx, .xls oder .ods.")
    rows = [(line, cells) for line, cells in rows if any(_text(c) for c in cells)]
    if len(rows) < 2:
        raise InputError("Die Datei enthält keine Datenzeilen.", datei=datei)
    return [_text(c) for c in rows[0][1]], rows[1:]


def _tidy(
    datei: Path,
    sha: str,
    rows: list[tuple[int, list[Any]]],
    zuordnung: Zuordnung,
    hinweise: list[str],
    header_row: int | None,
    symbole: dict[str, str],
) -> Bezirksdaten:
    rows = [(line, cells) for line, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        raise InputError("Die Datei ist leer.", datei=datei)
    h, code_col, name_col = _find_header(rows, header_row, datei)
    if h < 0:
        raise InputError(
            "Keine Spalte mit Bezirksnummer oder Bezirksname gefunden.",
            datei=datei,
            hilfe="Erwartet wird eine Kopfzeile mit z. B. „bezirk_nr“ oder „bezirk“ (oder --header-row angeben).",
        )
    details: list[str] = []
    header_line = rows[h][0]
    key_cols = {c for c in (code_col, name_col) if c is not None}
    parts, own, above, below = _header_parts(rows, h, key_cols)
    # the column's own header rows, without group titles that may span it only by position
    # (its longest own part, e.g. „Fortzüge“ rather than the short name „Fortz“, names it best for people)
    ungrouped = [" ".join(dict.fromkeys(_text(cells[i]) for _, cells in rows[h : h + below + 1] if i < len(cells) and _text(cells[i])))
                 for i in range(len(parts))]
    named = [max((parse_stichtag(_text(cells[i]))[0] for _, cells in rows[h : h + below + 1] if i < len(cells)),
                 key=len, default="") for i in range(len(parts))]
    for line, cells in rows[: h - above]:
        details.append(f"Titelzeile {line} übersprungen: {' '.join(_text(c) for c in cells if _text(c))}")
    if above or below:
        first, last = rows[h - above][0], rows[h + below][0]
        what = "Zweizeilige" if above + below == 1 else f"{above + below + 1}-zeilige"
        details.append(f"{what} Kopfzeile (Zeilen {first} {'und' if above + below == 1 else 'bis'} {last}) zusammengefasst.")
    titles = [" ".join(p) for p in parts]
    body = rows[h + below + 1 :]
    if not body:
        raise InputError("Die Datei enthält nur die Kopfzeile und keine Daten.", datei=datei, zeile=header_line)
    for line, cells in body:
        for i in range(len(titles), len(cells)):
            if _text(cells[i]):
                raise InputError(
                    f"Wert „{_text(cells[i])}“ in Spalte {i + 1}, die keine Überschrift hat.",
                    datei=datei,
                    zeile=line,
                )
    keys = [name_key(t) for t in titles]
    long_cols = {role: next((i for i, k in enumerate(keys) if k in names and i not in key_cols), None)
                 for role, names in _LONG_COLUMNS.items()}
    is_long = long_cols["merkmal"] is not None and long_cols["wert"] is not None

    # match rows to districts and published subtotals of Räume; separate trailing footnotes
    value_cols = [i for i, t in enumerate(titles) if i not in key_cols and t]
    matched: list[tuple[int | str, int, list[Any]]] = []  # (district code or Raum label, line, cells)
    unknown: list[tuple[int, str, bool]] = []  # (line, label, has values)
    seen: dict[Any, int] = {}
    in_subtotals = False
    ambiguous: list[tuple[int, str]] = []  # (line, label) of rows named like both a district and a Raum
    for line, cells in body:
        nr, label, raum = _match_row(cells, code_col, name_col, zuordnung, datei, line)
        if raum and nr in zuordnung.bezirke and parse_code(cells[code_col] if code_col is not None and code_col < len(cells) else None) is None:
            ambiguous.append((line, label))
        has_values = any(_text(cells[i]) for i in value_cols if i < len(cells))
        row_key = (*(_text(cells[long_cols[r]]) for r in ("jahr", "merkmal") if long_cols[r] is not None),) if is_long else ()
        if raum and (nr is None or (nr, *row_key) in seen or (in_subtotals and nr in zuordnung.bezirke)):
            key: Any = ("raum", name_key(raum), *row_key)
            _once(seen, key, line, f"Die Teilsumme „{raum}“", datei)
            in_subtotals = True
            also = f" (nicht als Bezirk {nr}, der schon in Zeile {seen[(nr, *row_key)]} steht)" if (nr, *row_key) in seen else (
                f" (nicht als Bezirk {nr}: sie steht im Block der Teilsummen)" if nr is not None else "")
            details.append(f"Zeile {line} „{label}“ als veröffentlichte Teilsumme des Raums „{raum}“ gelesen{also}.")
            matched.append((raum, line, cells))
            continue
        if nr is None:
            unknown.append((line, label, has_values))
            continue
        key = (nr, *row_key)
        _once(seen, key, line, _label(zuordnung, nr) + (f" mit {' / '.join(row_key)}" if is_long else ""), datei)
        matched.append((nr, line, cells))
    _check_ambiguous_names(matched, ambiguous, datei)
    last_matched = max((line for _, line, _ in matched), default=0)
    footnotes = {u[0] for u in unknown if u[0] > last_matched and not u[2]}
    for line, label, _ in unknown:
        if line in footnotes:
            details.append(f"Fußnote Zeile {line} übersprungen: {label}")
    unknown = [u for u in unknown if u[0] not in footnotes]
    if unknown:
        listed = "; ".join(f"Zeile {line}: „{label}“" for line, label, _ in unknown[:10])
        more = f" und {len(unknown) - 10} weitere" if len(unknown) > 10 else ""
        raise InputError(
            f"{len(unknown)} Zeile(n) passen zu keinem Bezirk und keinem Raum der Zuordnung ({listed}{more}).",
            datei=datei,
            zeile=unknown[0][0],
            hilfe="Bitte Nummer oder Schreibweise prüfen oder den Namen als Alias in der Zuordnung eintragen.",
        )
    if not any(isinstance(k, int) for k, _, _ in matched):
        raise InputError("Die Datei enthält keine Bezirkszeilen.", datei=datei)
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = {}
    if is_long:
        spalten, records = _long_records(datei, titles, long_cols, matched, zuordnung, symbole, nullzeichen)
    else:
        short = own if above or below else [""] * len(own)
        spalten, records = _wide_records(datei, titles, parts, short, ungrouped, named, value_cols, matched, zuordnung, hinweise, symbole, nullzeichen)
    layout = LAYOUT_STICHTAGE if any(s.jahr is not None for s in spalten) else LAYOUT_MERKMALE
    columns = ["bezirk_nr", "jahr", "merkmal", "wert", "status", "zeile"]
    daten = pd.DataFrame.from_records(
        [r for r in records if isinstance(r[0], int)], columns=columns
    ).astype({"bezirk_nr": "int64", "jahr": "Int64", "wert": "float64", "zeile": "int64"})
    teilsummen = pd.DataFrame.from_records(
        [r for r in records if isinstance(r[0], str)], columns=["raum", *columns[1:]]
    ).astype({"jahr": "Int64", "wert": "float64", "zeile": "int64"})
    return Bezirksdaten(
        datei=datei,
        sha256=sha,
        layout=layout,
        daten=daten,
        spalten=spalten,
        zeilen={nr: line for nr, line, _ in matched if isinstance(nr, int)},
        hinweise=hinweise,
        details=details,
        teilsummen=teilsummen,
        nullzeichen=nullzeichen,
    )


def _check_ambiguous_names(matched: list[tuple[int | str, int, list[Any]]], ambiguous: list[tuple[int, str]], datei: Path) -> None:
    """Names that fit a district and a Raum are read by position only when the subtotals follow the districts.

    If a subtotal row stands among or before the district rows, position says nothing: an error, not a guess.
    """
    if not ambiguous:
        return
    districts = [line for key, line, _ in matched if isinstance(key, int)]
    subtotals = [line for key, line, _ in matched if isinstance(key, str)]
    if subtotals and districts and min(subtotals) < max(districts):
        listed = "; ".join(f"Zeile {line}: „{label}“" for line, label in ambiguous[:5])
        raise InputError(
            f"Die Teilsummen der Räume stehen zwischen den Bezirkszeilen, und manche Namen passen zu einem Bezirk "
            f"und zu einem Raum ({listed}); welche Zeile was ist, lässt sich nicht erkennen.",
            datei=datei,
            zeile=ambiguous[0][0],
            hilfe="Bitte eine Spalte mit den Bezirksnummern ergänzen oder die Teilsummen unter die Bezirkszeilen stellen.",
        )


def _once(seen: dict, key: Any, line: int, what: str, datei: Path) -> None:
    """Remember the line of a row key; a second row with the same key is an error."""
    if key in seen:
        raise InputError(
            f"{what} steht zweimal in der Datei (Zeilen {seen[key]} und {line}).",
            datei=datei,
            zeile=line,
            hilfe="Bitte die doppelte Zeile entfernen.",
        )
    seen[key] = line


def _label(zuordnung: Zuordnung, nr: int) -> str:
    if nr in zuordnung.bezirke:
        return f"Bezirk {nr} ({zuordnung.bezirke[nr].name})"
    return f"Die Zeile „{zuordnung.sondercodes[nr].name}“ ({nr})"


def _match_row(
    cells: list[Any], code_col: int | None, name_col: int | None, zuordnung: Zuordnung, datei: Path, line: int
) -> tuple[int | None, str, str | None]:
    """(district or special code, label as written, Raum the row names) of one data row."""
    def cell(i: int | None) -> Any:
        return cells[i] if i is not None and i < len(cells) else None

    known = set(zuordnung.bezirke) | set(zuordnung.sondercodes)
    code_text, name_text = _text(cell(code_col)), _text(cell(name_col))
    label = " / ".join(t for t in (code_text, name_text) if t) or "(leer)"
    raum_text = name_text or (code_text if parse_code(cell(code_col)) is None else "")
    raeume = zuordnung.finde_raum(raum_text) if raum_text else []
    raum = raeume[0][1] if raeume else None
    code = parse_code(cell(code_col)) if code_col is not None else None
    by_name = None
    if name_text:
        by_name = parse_code(name_text) if name_text.isdigit() else zuordnung.finde(name_text)
    if code is not None:
        if code not in known:
            return None, label, raum
        if by_name is not None and by_name != code and by_name in known:
            raise InputError(
                f"Nummer {code} und Name „{name_text}“ passen nicht zusammen: "
                f"{code} ist „{_name(zuordnung, code)}“, „{name_text}“ ist {by_name}.",
                datei=datei,
                zeile=line,
                hilfe="Bitte Nummer oder Name korrigieren.",
            )
        return code, label, None
    if code_text and not raum:  # a code column with something that is not a code
        return None, label, None
    if code_col is not None and by_name in zuordnung.bezirke and raum:
        # the file has codes: a row without one, named like a district and a Raum, is the Raum's subtotal
        return None, label, raum
    if by_name is not None and by_name in known:
        return by_name, label, raum
    return None, label, raum


def _name(zuordnung: Zuordnung, nr: int) -> str:
    return zuordnung.bezirke[nr].name if nr in zuordnung.bezirke else zuordnung.sondercodes[nr].name


def _parse_column(
    datei: Path, titel: str, cells: list[Any], lines: list[int], symbole: dict[str, str]
) -> list[tuple[float | None, str]] | None:
    """Parsed cells of one value column; None for a text column; an error for a stray text cell."""
    texts = [str(c) for c in cells if isinstance(c, str) and c.strip() and c.strip() not in symbole]
    style = number_style(texts)
    parsed = [parse_cell(c, style, symbole) for c in cells]
    bad = [(line, c) for line, c, p in zip(lines, cells, parsed) if p is None]
    good = sum(1 for p in parsed if p is not None and p[1] in BEKANNT)
    if bad and len(bad) >= good:
        return None
    mixed = mixed_number_styles(texts)  # a number column: one way of writing numbers
    if mixed:
        where: dict[str, int] = {}
        for line, c in zip(lines, cells):
            if isinstance(c, str):
                where.setdefault(c, line)
        raise InputError(
            f"Die Zahlen sind verschieden geschrieben: „{mixed[0].strip()}“ (Zeile {where[mixed[0]]}) und "
            f"„{mixed[1].strip()}“ – ist der Punkt ein Tausender- oder ein Dezimalzeichen?",
            datei=datei,
            zeile=where[mixed[1]],
            spalte=titel,
            hilfe="Bitte die Spalte einheitlich schreiben: deutsch (2.447 und 1,5) oder englisch (2447 und 1.5).",
        )
    if bad:
        line, c = bad[0]
        raise InputError(
            f"„{_text(c)}“ ist keine Zahl.",
            datei=datei,
            zeile=line,
            spalte=titel,
            hilfe="Erlaubt sind Zahlen (auch 1.234 oder 51,6), leere Zellen und die Zeichen – . x / … * (auch mit --symbol).",
        )
    return parsed  # type: ignore[return-value]


def _count_nulls(cells: list[Any], symbole: dict[str, str]) -> dict[str, int]:
    """How many cells of a column hold each symbol read as a true zero (e.g. „–“)."""
    out: dict[str, int] = {}
    for c in cells:
        if isinstance(c, str) and symbole.get(c.strip()) == NULL:
            out[c.strip()] = out.get(c.strip(), 0) + 1
    return out


def _einordnung(
    datei: Path, merkmal: str, titel: str, parsed: list[tuple[float | None, str]], lines: list[int],
    zuordnung: Zuordnung,
    own_titel: str = "",
    display: str = "",
) -> Einordnung:
    """The kind of a column; a declared count with a negative or fractional value is an error."""
    declared = zuordnung.merkmale.get(merkmal)
    values = [w for w, st in parsed if w is not None and st in BEKANNT]
    if declared is not None and declared.art == ANZAHL:
        for (w, st), line in zip(parsed, lines):
            if w is None or st not in BEKANNT:
                continue
            if w < 0 or (declared.ganzzahlig and not float(w).is_integer()):
                what = "negativ" if w < 0 else "keine ganze Zahl"
                raise InputError(
                    f"„{f'{w:g}'.replace('.', ',')}“ ist {what}, „{declared.titel}“ ist aber als Anzahl erklärt.",
                    datei=datei,
                    zeile=line,
                    spalte=titel,
                    hilfe="Anzahlen sind ganze Zahlen ≥ 0 (für Flächen u. Ä. in der Zuordnung „ganzzahlig: false“ angeben).",
                )
    return classify(merkmal, titel, values, declared, own_titel, display)


def _fraction_warning(titel: str, art: str, parsed: list[tuple[float | None, str]], declared: Any) -> str:
    """A share in percent whose values all lie between 0 and 1 is probably a fraction (Excel's % format)."""
    if art not in ("anteil", "quote") or not ("%" in titel or (declared is not None and declared.faktor == 100)):
        return ""
    values = [w for w, st in parsed if w is not None and st in BEKANNT]
    if values and max(values) <= 1 and any(0 < w < 1 for w in values):
        return (f"Achtung: Spalte „{titel}“ soll Prozent enthalten, alle Werte liegen aber zwischen 0 und 1 – "
                f"vermutlich Anteile als Bruch (Excel-Prozentformat: 0,2 = 20 %). Dann in der Zuordnung „faktor: 1“ angeben.")
    return ""


def _wide_records(
    datei: Path,
    titles: list[str],
    parts: list[list[str]],
    own: list[str],
    ungrouped: list[str],
    named: list[str],
    value_cols: list[int],
    matched: list[tuple[int | str, int, list[Any]]],
    zuordnung: Zuordnung,
    hinweise: list[str],
    symbole: dict[str, str],
    nullzeichen: dict[tuple[str, int | None], dict[str, int]],
) -> tuple[list[Spalte], list[tuple]]:
    """One column per indicator; a column whose header carries a date gets that reference date."""
    heads = {i: _column_title(parts[i]) for i in value_cols}
    # in a header of several rows, a column's own cell in the key row is its short name (e.g. „EW_u18“)
    owned = [own[i] for i in value_cols if own[i]]
    short = {i: parse_stichtag(own[i])[0] if own[i] and owned.count(own[i]) == 1 else None for i in value_cols}
    stem_merkmal = _stem_merkmal(datei)
    lines = [line for _, line, _ in matched]
    spalten: list[Spalte] = []
    records: list[tuple] = []
    used: dict[tuple[str, int | None], str] = {}
    for i in value_cols:
        titel = titles[i]
        label, stichtag, jahr, labels = heads[i]
        cells = [cells[i] if i < len(cells) else None for _, _, cells in matched]
        own_label = named[i]
        parsed = _parse_column(datei, titel, cells, lines, symbole)
        if parsed is None:
            hinweise.append(f"Spalte „{own_label or titel}“ enthält Text, keine Zahlen, und wird nicht ausgewertet.")
            continue
        merkmal = (
            _merkmal_for_header(label, zuordnung, labels)
            or (merkmal_slug(short[i]) if short[i] else None)
            or (merkmal_slug(label) if label else stem_merkmal)
            or f"spalte_{i + 1}"
        )
        if (merkmal, jahr) in used:
            raise InputError(
                f"Die Spalten „{used[(merkmal, jahr)]}“ und „{titel}“ meinen dasselbe Merkmal "
                f"„{merkmal}“{f' für {stichtag}' if stichtag else ''}.",
                datei=datei,
                spalte=titel,
            )
        used[(merkmal, jahr)] = titel
        einordnung = _einordnung(datei, merkmal, label or titel, parsed, lines, zuordnung, ungrouped[i], own_label)
        fraction = _fraction_warning(own_label or label or titel, einordnung.art, parsed, zuordnung.merkmale.get(merkmal))
        if fraction:
            hinweise.append(fraction)
        spalten.append(Spalte(merkmal=merkmal, titel=own_label or label or titel, art=einordnung.art, nr=i + 1, jahr=jahr,
                              stichtag=stichtag, grund=einordnung.grund, vorschlag=einordnung.vorschlag))
        nulls = _count_nulls(cells, symbole)
        if nulls:
            nullzeichen[(merkmal, jahr)] = nulls
        records += [(nr, jahr, merkmal, w, st, line) for (nr, line, _), (w, st) in zip(matched, parsed)]
    if not spalten:
        raise InputError("Die Datei enthält keine Spalte mit Zahlen.", datei=datei)
    both = sorted({m for m, j in used if j is None} & {m for m, j in used if j is not None})
    if both:
        raise InputError(
            f"Das Merkmal „{both[0]}“ steht in einer Spalte ohne und in einer Spalte mit Stichtag.",
            datei=datei,
            hilfe="Bitte jeder Spalte dieses Merkmals einen Stichtag geben.",
        )
    return spalten, records


def _long_records(
    datei: Path,
    titles: list[str],
    cols: dict[str, int | None],
    matched: list[tuple[int | str, int, list[Any]]],
    zuordnung: Zuordnung,
    symbole: dict[str, str],
    nullzeichen: dict[tuple[str, int | None], dict[str, int]],
) -> tuple[list[Spalte], list[tuple]]:
    """Long layout: one row per district, (year,) indicator and value."""

    def cell(cells: list[Any], role: str) -> Any:
        i = cols[role]
        return cells[i] if i is not None and i < len(cells) else None

    wert_titel = titles[cols["wert"]]
    wert_cells = [cell(c, "wert") for _, _, c in matched]
    lines = [line for _, line, _ in matched]
    parsed = _parse_column(datei, wert_titel, wert_cells, lines, symbole)
    if parsed is None:
        raise InputError("Die Wertspalte enthält keine Zahlen.", datei=datei, spalte=wert_titel)
    keys: dict[tuple[str, int | None], tuple[str, str | None, list[int]]] = {}  # -> (label, stichtag, row indices)
    records = []
    for k, ((nr, line, cells), (w, st)) in enumerate(zip(matched, parsed)):
        label = _text(cell(cells, "merkmal"))
        if not label:
            raise InputError("Das Merkmal fehlt.", datei=datei, zeile=line, spalte=titles[cols["merkmal"]])
        jahr, stichtag = None, None
        if cols["jahr"] is not None:
            jahr_text = cell(cells, "jahr")
            jahr = _header_year(jahr_text) if _text(jahr_text) else None
            stichtag = _text(jahr_text) or None
            if _text(jahr_text) and jahr is None:
                raise InputError(
                    f"„{_text(jahr_text)}“ ist kein Jahr.", datei=datei, zeile=line, spalte=titles[cols["jahr"]]
                )
        merkmal = _merkmal_for_header(label, zuordnung) or merkmal_slug(label) or "wert"
        keys.setdefault((merkmal, jahr), (label, stichtag, []))[2].append(k)
        records.append((nr, jahr, merkmal, w, st, line))
    years = {j for _, j in keys}
    if None in years and len(years) > 1:
        raise InputError("Manche Zeilen haben ein Jahr, andere nicht.", datei=datei, spalte=titles[cols["jahr"]])
    spalten = []
    for (merkmal, jahr), (label, stichtag, rows) in keys.items():
        einordnung = _einordnung(datei, merkmal, label, [parsed[k] for k in rows], [lines[k] for k in rows], zuordnung)
        spalten.append(Spalte(merkmal=merkmal, titel=label, art=einordnung.art, nr=cols["wert"] + 1, jahr=jahr,
                              stichtag=stichtag, grund=einordnung.grund, vorschlag=einordnung.vorschlag))
        nulls = _count_nulls([wert_cells[k] for k in rows], symbole)
        if nulls:
            nullzeichen[(merkmal, jahr)] = nulls
    order = {k: i for i, k in enumerate(keys)}  # file order; a dict, since long files have many
    return sorted(spalten, key=lambda s: (s.jahr or 0, order[(s.merkmal, s.jahr)])), records


def add_column(daten: Bezirksdaten, merkmal: str, titel: str, werte: dict[int, float], quelle: str) -> Bezirksdaten:
    """A copy of `daten` with one more count column from elsewhere (e.g. areas from the geometry).

    Districts without a value stay absent (and so count as missing); nothing is guessed.
    """
    from dataclasses import replace

    codes = sorted(werte)
    rows = pd.DataFrame({
        "bezirk_nr": codes, "jahr": pd.array([pd.NA] * len(codes), dtype="Int64"), "merkmal": merkmal,
        "wert": [werte[nr] for nr in codes], "status": VORHANDEN, "zeile": 0,
    }).astype({"bezirk_nr": "int64", "wert": "float64", "zeile": "int64"})
    spalte = Spalte(merkmal=merkmal, titel=titel, art=ANZAHL, nr=0)
    return replace(daten, daten=pd.concat([daten.daten, rows], ignore_index=True), spalten=[*daten.spalten, spalte],
                   hinweise=[*daten.hinweise, f"„{titel}“ berechnet aus {quelle}."])


def combine_bezirksdaten(teile: list[Bezirksdaten]) -> Bezirksdaten:
    """Join several files per district. The same value in two files is an error if it differs."""
    if len(teile) == 1:
        return teile[0]
    seen: dict[tuple[str, int | None], Bezirksdaten] = {}
    for t in teile:
        for s in t.spalten:
            key = (s.merkmal, s.jahr)
            if key not in seen:
                seen[key] = t
                continue
            first = seen[key]
            a = first.daten[(first.daten["merkmal"] == s.merkmal) & _same_year(first.daten, s.jahr)]
            b = t.daten[(t.daten["merkmal"] == s.merkmal) & _same_year(t.daten, s.jahr)]
            both = a.merge(b, on="bezirk_nr", suffixes=("_a", "_b"))
            differ = both[
                (both["status_a"] != both["status_b"])
                | ((both["wert_a"] - both["wert_b"]).abs().fillna(0) > 1e-9)
            ]
            if not differ.empty:
                row = differ.iloc[0]
                jahr = f" ({s.jahr})" if s.jahr is not None else ""
                raise InputError(
                    f"„{s.merkmal}“{jahr} steht in {first.datei} (Zeile {row['zeile_a']}) und in {t.datei} "
                    f"(Zeile {row['zeile_b']}) mit verschiedenen Werten für Bezirk {row['bezirk_nr']}.",
                    datei=t.datei,
                    zeile=int(row["zeile_b"]),
                    hilfe="Bitte eine der beiden Angaben entfernen.",
                )
    hinweise = [h for t in teile for h in (f"{t.datei.name}: {x}" for x in t.hinweise)]
    frames, subtotals, spalten, keys = [], [], [], set()
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = {}
    for t in teile:
        new = [s for s in t.spalten if (s.merkmal, s.jahr) not in keys]
        keys |= {(s.merkmal, s.jahr) for s in new}
        spalten += new
        for part, out in ((t.daten, frames), (t.teilsummen, subtotals)):
            if part is not None:
                wanted = {(s.merkmal, s.jahr) for s in new}
                out.append(part[[(m, None if pd.isna(j) else int(j)) in wanted
                                 for m, j in zip(part["merkmal"], part["jahr"])]])
        nullzeichen.update({(s.merkmal, s.jahr): t.nullzeichen[(s.merkmal, s.jahr)] for s in new
                            if (s.merkmal, s.jahr) in t.nullzeichen})
    all_codes = set().union(*(t.zeilen for t in teile))
    for t in teile:
        missing = sorted(all_codes - set(t.zeilen))
        if missing:
            hinweise.append(f"{t.datei.name}: keine Zeile für {', '.join(map(str, missing))}.")
    zeilen: dict[int, int] = {}
    for t in reversed(teile):
        zeilen.update(t.zeilen)
    return Bezirksdaten(
        datei=teile[0].datei,
        sha256=teile[0].sha256,
        layout=LAYOUT_STICHTAGE if any(t.layout == LAYOUT_STICHTAGE for t in teile) else LAYOUT_MERKMALE,
        daten=pd.concat(frames, ignore_index=True),
        spalten=spalten,
        zeilen=zeilen,
        hinweise=hinweise,
        quellen=[q for t in teile for q in t.quellen],
        details=[f"{t.datei.name}: {d}" for t in teile for d in t.details],
        teilsummen=pd.concat(subtotals, ignore_index=True) if subtotals else None,
        nullzeichen=nullzeichen,
    )


def _same_year(df: pd.DataFrame, jahr: int | None) -> pd.Series:
    return df["jahr"].isna() if jahr is None else df["jahr"] == jahr
