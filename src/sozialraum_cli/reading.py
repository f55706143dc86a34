"""Read district statistics (CSV, .xlsx) into one tidy district table.

Every input layout ends up as a long table with the columns
``bezirk_nr, jahr, merkmal, wert, status, zeile``; everything after reading works on
that form. Rows are matched to districts of the mapping; whatever cannot be matched
is an error naming file and line, never dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError
from .mapping import ANZAHL, QUOTE, Zuordnung, name_key

# Status of a single value. Only the first three are known values; the others make a sum incomplete.
VORHANDEN = "vorhanden"
NULL = "null"  # "–": nothing there, a true zero
EINGESCHRAENKT = "eingeschraenkt"  # "(123)": usable, limited reliability
FEHLT = "fehlt"  # empty cell or district missing in the file
GEHEIM = "geheim"  # ".": unknown or secret
GESPERRT = "gesperrt"  # "x": cell blocked
UNSICHER = "unsicher"  # "/": not reliable enough
AUSSTEHEND = "ausstehend"  # "…": not yet available
UNTERDRUECKT = "unterdrueckt"  # "*": suppressed for data protection
BEKANNT = frozenset({VORHANDEN, NULL, EINGESCHRAENKT})

STATUS_TEXT = {
    VORHANDEN: "vorhanden",
    NULL: "nichts vorhanden (0)",
    EINGESCHRAENKT: "Aussagewert eingeschränkt",
    FEHLT: "fehlt",
    GEHEIM: "unbekannt oder geheim",
    GESPERRT: "gesperrt",
    UNSICHER: "nicht sicher genug",
    AUSSTEHEND: "noch nicht verfügbar",
    UNTERDRUECKT: "aus Datenschutzgründen unterdrückt",
}

# Zeichenerklärung of the German statistical offices (and "*" of the Federal Employment Agency).
SYMBOLE = {
    "–": NULL,
    "-": NULL,
    "—": NULL,
    ".": GEHEIM,
    "x": GESPERRT,
    "X": GESPERRT,
    "/": UNSICHER,
    "…": AUSSTEHEND,
    "...": AUSSTEHEND,
    "*": UNTERDRUECKT,
}

LAYOUT_MERKMALE = "merkmale"  # one column per indicator
LAYOUT_STICHTAGE = "stichtage"  # one column per reference date / year

_DATE_HEADER = re.compile(r"^(?:(?:stand|stichtag|jahr)\s*)?(?:\d{1,2}\.\d{1,2}\.)?((?:19|20)\d{2})$", re.I)
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
    art: str  # ANZAHL or QUOTE
    nr: int  # 1-based column number in the file
    jahr: int | None = None


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

    def standard_jahr(self) -> int | None:
        """The latest year that has at least one known value (None for files without years)."""
        if self.layout != LAYOUT_STICHTAGE:
            return None
        known = self.daten[self.daten["status"].isin(BEKANNT)]
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


def parse_cell(value: Any, style: str) -> tuple[float | None, str] | None:
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
    if text in SYMBOLE:
        status = SYMBOLE[text]
        return (0.0 if status == NULL else None), status
    if text.startswith("(") and text.endswith(")"):
        inner = parse_number(text[1:-1], style)
        return (inner, EINGESCHRAENKT) if inner is not None else None
    number = parse_number(text, style)
    return (number, VORHANDEN) if number is not None else None


# ----------------------------------------------------------------------------- files


def _decode(raw: bytes, datei: Path, hinweise: list[str]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252.",
            datei=datei,
            hilfe="Bitte als UTF-8 speichern.",
        ) from None
    hinweise.append("Zeichenkodierung: Windows-1252 (cp1252).")
    return text


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in (";", ",", "\t"):
        counts: dict[int, int] = {}
        for row in csv.reader(sample, delimiter=delim):
            counts[len(row)] = counts.get(len(row), 0) + 1
        wide = {n: c for n, c in counts.items() if n > 1}
        if not wide:
            continue
        fields, lines = max(wide.items(), key=lambda kv: (kv[1], kv[0]))
        if (lines, fields) > best_score:
            best, best_score = delim, (lines, fields)
    return best


def _csv_rows(datei: Path, raw: bytes, hinweise: list[str]) -> list[tuple[int, list[Any]]]:
    text = _decode(raw, datei, hinweise)
    delim = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(f"Die CSV-Datei ist fehlerhaft ({exc}).", datei=datei, zeile=reader.line_num) from None
    return rows


def _xlsx_rows(datei: Path, sheet: str | None, hinweise: list[str]) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(datei, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputError(f"Die Excel-Datei ist nicht lesbar ({type(exc).__name__}: {exc}).", datei=datei) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(
                f"Das Tabellenblatt „{sheet}“ gibt es nicht. Vorhanden: {', '.join(wb.sheetnames)}.",
                datei=datei,
            )
        if len(wb.sheetnames) > 1:
            hinweise.append(f"Tabellenblatt „{ws.title}“ gelesen (von {len(wb.sheetnames)}).")
        rows = []
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_excel_value(v) for v in row]
            rows.append((i, cells))
        return rows
    finally:
        wb.close()


def _excel_value(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.strftime("%d.%m.%Y")
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


def _is_name_header(key: str) -> bool:
    return ("name" in key or "bezirk" in key or key == "gebiet") and not _is_code_header(key)


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, int | None, int | None]:
    """Index into rows of the header row, and the code and name column indices."""
    for idx, (_, cells) in enumerate(rows):
        keys = [name_key(_text(c)) for c in cells]
        if sum(1 for k in keys if k) < 2:  # a title line, not a header
            continue
        code = next((i for i, k in enumerate(keys) if k and _is_code_header(k)), None)
        name = next((i for i, k in enumerate(keys) if k and _is_name_header(k)), None)
        if code is not None or name is not None:
            return idx, code, name
    return -1, None, None


def merkmal_slug(text: str) -> str:
    s = unicodedata.normalize("NFC", text).casefold()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


def _header_year(header: Any) -> int | None:
    if isinstance(header, int) and 1900 <= header <= 2099:
        return header
    m = _DATE_HEADER.match(_text(header))
    return int(m.group(1)) if m else None


def _is_rate_header(header: str) -> bool:
    key = name_key(header)
    return "%" in header or "anteil" in key or "quote" in key


def _merkmal_for_header(header: str, zuordnung: Zuordnung) -> str:
    key = name_key(header.replace("%", ""))
    for m in zuordnung.merkmale.values():
        if any(name_key(s) == key for s in m.schreibweisen):
            return m.name
    return merkmal_slug(header)


def _stem_merkmal(datei: Path) -> str:
    stem = re.sub(r"[_\-\s]*(19|20)\d{2}([_\-\s]+(19|20)\d{2})?$", "", datei.stem)
    return merkmal_slug(stem) or "wert"


# ----------------------------------------------------------------------------- main entry


def read_bezirksdaten(
    path: str | Path,
    zuordnung: Zuordnung,
    *,
    sheet: str | None = None,
) -> Bezirksdaten:
    """Read one CSV or .xlsx file of district statistics into the tidy district table."""
    datei = Path(path)
    try:
        raw = datei.read_bytes()
    except FileNotFoundError:
        raise InputError("Die Datei gibt es nicht.", datei=datei) from None
    except IsADirectoryError:
        raise InputError("Das ist ein Ordner, keine Datei.", datei=datei) from None
    except OSError as exc:
        raise InputError(f"Die Datei ist nicht lesbar ({exc.strerror}).", datei=datei) from None
    if not raw.strip():
        raise InputError("Die Datei ist leer.", datei=datei)
    hinweise: list[str] = []
    suffix = datei.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(datei, sheet, hinweise)
    elif suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise InputError("--sheet gilt nur für Excel-Dateien.", datei=datei)
        rows = _csv_rows(datei, raw, hinweise)
    elif suffix in (".xls", ".ods"):
        raise InputError(
            f"Das Format {suffix} wird noch nicht gelesen.",
            datei=datei,
            hilfe="Bitte in Excel oder LibreOffice als .xlsx oder .csv speichern.",
        )
    else:
        raise InputError(
            f"Unbekanntes Dateiformat „{datei.suffix}“.",
            datei=datei,
            hilfe="Erwartet wird .csv oder .xlsx.",
        )
    return _tidy(datei, hashlib.sha256(raw).hexdigest(), rows, zuordnung, hinweise)


def _tidy(
    datei: Path,
    sha: str,
    rows: list[tuple[int, list[Any]]],
    zuordnung: Zuordnung,
    hinweise: list[str],
) -> Bezirksdaten:
    rows = [(line, cells) for line, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        raise InputError("Die Datei ist leer.", datei=datei)
    h, code_col, name_col = _find_header(rows)
    if h < 0:
        raise InputError(
            "Keine Spalte mit Bezirksnummer oder Bezirksname gefunden.",
            datei=datei,
            hilfe="Erwartet wird eine Kopfzeile mit z. B. „bezirk_nr“ oder „bezirk“.",
        )
    header_line, header = rows[h]
    for line, cells in rows[:h]:
        hinweise.append(f"Titelzeile {line} übersprungen: {' '.join(_text(c) for c in cells if _text(c))}")
    body = rows[h + 1 :]
    if not body:
        raise InputError("Die Datei enthält nur die Kopfzeile und keine Daten.", datei=datei, zeile=header_line)

    key_cols = {c for c in (code_col, name_col) if c is not None}
    value_cols = [i for i, c in enumerate(header) if i not in key_cols and _text(c)]
    for line, cells in body:
        for i in range(len(header), len(cells)):
            if _text(cells[i]):
                raise InputError(
                    f"Wert „{_text(cells[i])}“ in Spalte {i + 1}, die keine Überschrift hat.",
                    datei=datei,
                    zeile=line,
                )

    # match rows to districts; separate trailing footnotes
    matched: list[tuple[int, int, list[Any]]] = []  # (nr, line, cells)
    unknown: list[tuple[int, str, bool]] = []  # (line, label, has values)
    seen: dict[int, int] = {}
    for line, cells in body:
        nr, label = _match_row(cells, code_col, name_col, zuordnung, datei, line)
        has_values = any(_text(cells[i]) for i in value_cols if i < len(cells))
        if nr is None:
            unknown.append((line, label, has_values))
            continue
        if nr in seen:
            raise InputError(
                f"{_label(zuordnung, nr)} steht zweimal in der Datei (Zeilen {seen[nr]} und {line}).",
                datei=datei,
                zeile=line,
                hilfe="Bitte die doppelte Zeile entfernen.",
            )
        seen[nr] = line
        matched.append((nr, line, cells))
    last_matched = max((line for _, line, _ in matched), default=0)
    footnotes = [u for u in unknown if u[0] > last_matched and not u[2]]
    unknown = [u for u in unknown if u not in footnotes]
    for line, label, _ in footnotes:
        hinweise.append(f"Fußnote Zeile {line} übersprungen: {label}")
    if unknown:
        listed = "; ".join(f"Zeile {line}: „{label}“" for line, label, _ in unknown[:10])
        more = f" und {len(unknown) - 10} weitere" if len(unknown) > 10 else ""
        raise InputError(
            f"{len(unknown)} Zeile(n) passen zu keinem Bezirk der Zuordnung ({listed}{more}).",
            datei=datei,
            zeile=unknown[0][0],
            hilfe="Bitte Nummer oder Schreibweise prüfen oder den Namen als Alias in der Zuordnung eintragen.",
        )
    if not matched:
        raise InputError("Die Datei enthält keine Bezirkszeilen.", datei=datei)

    spalten, columns = _columns(datei, header, value_cols, matched, zuordnung, hinweise)
    layout = LAYOUT_STICHTAGE if any(s.jahr is not None for s in spalten) else LAYOUT_MERKMALE
    records = []
    for spalte, parsed in zip(spalten, columns):
        for (nr, line, _), (wert, status) in zip(matched, parsed):
            records.append((nr, spalte.jahr, spalte.merkmal, wert, status, line))
    daten = pd.DataFrame.from_records(
        records, columns=["bezirk_nr", "jahr", "merkmal", "wert", "status", "zeile"]
    ).astype({"bezirk_nr": "int64", "jahr": "Int64", "wert": "float64", "zeile": "int64"})
    return Bezirksdaten(
        datei=datei,
        sha256=sha,
        layout=layout,
        daten=daten,
        spalten=spalten,
        zeilen={nr: line for nr, line, _ in matched},
        hinweise=hinweise,
    )


def _label(zuordnung: Zuordnung, nr: int) -> str:
    if nr in zuordnung.bezirke:
        return f"Bezirk {nr} ({zuordnung.bezirke[nr].name})"
    return f"Die Zeile „{zuordnung.sondercodes[nr].name}“ ({nr})"


def _match_row(
    cells: list[Any], code_col: int | None, name_col: int | None, zuordnung: Zuordnung, datei: Path, line: int
) -> tuple[int | None, str]:
    def cell(i: int | None) -> Any:
        return cells[i] if i is not None and i < len(cells) else None

    known = set(zuordnung.bezirke) | set(zuordnung.sondercodes)
    code_text, name_text = _text(cell(code_col)), _text(cell(name_col))
    label = " / ".join(t for t in (code_text, name_text) if t) or "(leer)"
    code = parse_code(cell(code_col)) if code_col is not None else None
    by_name = None
    if name_text:
        by_name = parse_code(name_text) if name_text.isdigit() else zuordnung.finde(name_text)
    if code is not None:
        if code not in known:
            return None, label
        if by_name is not None and by_name != code and by_name in known:
            raise InputError(
                f"Nummer {code} und Name „{name_text}“ passen nicht zusammen: "
                f"{code} ist „{_name(zuordnung, code)}“, „{name_text}“ ist {by_name}.",
                datei=datei,
                zeile=line,
                hilfe="Bitte Nummer oder Name korrigieren.",
            )
        return code, label
    if code_text:  # a code column with something that is not a code
        return None, label
    if by_name is not None and by_name in known:
        return by_name, label
    return None, label


def _name(zuordnung: Zuordnung, nr: int) -> str:
    return zuordnung.bezirke[nr].name if nr in zuordnung.bezirke else zuordnung.sondercodes[nr].name


def _columns(
    datei: Path,
    header: list[Any],
    value_cols: list[int],
    matched: list[tuple[int, int, list[Any]]],
    zuordnung: Zuordnung,
    hinweise: list[str],
) -> tuple[list[Spalte], list[list[tuple[float | None, str]]]]:
    years = {i: _header_year(header[i]) for i in value_cols}
    dated = [i for i in value_cols if years[i] is not None]
    if dated and len(dated) != len(value_cols):
        other = ", ".join(f"„{_text(header[i])}“" for i in value_cols if years[i] is None)
        raise InputError(
            f"Spalten mit Stichtagen und Merkmalsspalten ({other}) sind gemischt.",
            datei=datei,
            hilfe="Bitte je Datei entweder eine Spalte je Stichtag oder eine Spalte je Merkmal liefern.",
        )
    stem_merkmal = _stem_merkmal(datei) if dated else None
    spalten: list[Spalte] = []
    columns: list[list[tuple[float | None, str]]] = []
    used: dict[tuple[str, int | None], str] = {}
    for i in value_cols:
        titel = _text(header[i])
        cells = [cells[i] if i < len(cells) else None for _, _, cells in matched]
        texts = [str(c) for c in cells if isinstance(c, str) and c.strip() and c.strip() not in SYMBOLE]
        style = number_style(texts)
        parsed = [parse_cell(c, style) for c in cells]
        bad = [(line, c) for (_, line, _), c, p in zip(matched, cells, parsed) if p is None]
        good = sum(1 for p in parsed if p is not None and p[1] in BEKANNT)
        if bad and len(bad) >= good:
            hinweise.append(f"Spalte „{titel}“ enthält Text, keine Zahlen, und wird nicht ausgewertet.")
            continue
        if bad:
            line, c = bad[0]
            raise InputError(
                f"„{_text(c)}“ ist keine Zahl.",
                datei=datei,
                zeile=line,
                spalte=titel,
                hilfe="Erlaubt sind Zahlen (auch 1.234 oder 51,6), leere Zellen und die Zeichen – . x / … *.",
            )
        jahr = years[i]
        merkmal = stem_merkmal if jahr is not None else _merkmal_for_header(titel, zuordnung)
        if not merkmal:
            merkmal = f"spalte_{i + 1}"
        if (merkmal, jahr) in used:
            raise InputError(
                f"Die Spalten „{used[(merkmal, jahr)]}“ und „{titel}“ meinen dasselbe Merkmal "
                f"„{merkmal}“{f' für {jahr}' if jahr else ''}.",
                datei=datei,
                spalte=titel,
            )
        used[(merkmal, jahr)] = titel
        declared = zuordnung.merkmale.get(merkmal)
        art = QUOTE if (declared and declared.art == QUOTE) or _is_rate_header(titel) else ANZAHL
        spalten.append(Spalte(merkmal=merkmal, titel=titel, art=art, nr=i + 1, jahr=jahr))
        columns.append(parsed)  # type: ignore[arg-type]
    if not spalten:
        raise InputError("Die Datei enthält keine Spalte mit Zahlen.", datei=datei)
    return spalten, columns


def combine_bezirksdaten(teile: list[Bezirksdaten]) -> Bezirksdaten:
    """Join several files per district. The same value in two files is an error if it differs."""
    if len(teile) == 1:
        return teile[0]
    layouts = {t.layout for t in teile}
    if len(layouts) > 1:
        raise InputError(
            "Dateien mit einer Spalte je Stichtag und Dateien mit einer Spalte je Merkmal lassen sich nicht "
            "gemeinsam auswerten.",
            datei=teile[0].datei,
        )
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
    frames, spalten, keys = [], [], set()
    for t in teile:
        new = [s for s in t.spalten if (s.merkmal, s.jahr) not in keys]
        keys |= {(s.merkmal, s.jahr) for s in new}
        spalten += new
        names = {s.merkmal for s in new}
        frames.append(t.daten[t.daten["merkmal"].isin(names)])
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
        layout=teile[0].layout,
        daten=pd.concat(frames, ignore_index=True),
        spalten=spalten,
        zeilen=zeilen,
        hinweise=hinweise,
        quellen=[q for t in teile for q in t.quellen],
    )


def _same_year(df: pd.DataFrame, jahr: int | None) -> pd.Series:
    return df["jahr"].isna() if jahr is None else df["jahr"] == jahr
