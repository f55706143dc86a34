"""The value columns of the two layouts -> records of the tidy table and their `Spalte`s.

Wide: one column per indicator (and reference date); long: one row per district, (year,)
indicator and value, with `long_filter` to read a large long file for some indicators and one
year only. Every value column is parsed as one (one way of writing numbers, symbols for missing,
secret or zero values, counted per column in `nullzeichen`) and given its kind.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from ..mapping import ANZAHL, Zuordnung, name_key
from ..treatment import Einordnung, classify
from .cells import mixed_number_styles, number_style, parse_cell, text
from .decode import RowFilter
from .header import (
    LONG_COLUMNS,
    column_title,
    file_merkmal,
    find_header,
    header_year,
    merkmal_for_header,
    merkmal_slug,
    parse_stichtag,
)
from .model import BEKANNT, NULL, Spalte


def long_filter(zuordnung: Zuordnung, merkmale: list[str] | None, jahr: int | None,
                code_column: str | None = None, name_column: str | None = None):
    """A factory for csv_rows: in a long file, keep only rows of the wanted indicators and year.

    Rows whose indicator or year cell is empty or unreadable are kept, so that every check of the
    normal reading (unknown districts, footnotes, bad years) still sees them.
    """
    if not merkmale and jahr is None:
        return None
    wanted = None
    if merkmale:
        wanted = set(merkmale) | {p for m in merkmale if m in zuordnung.merkmale for p in zuordnung.merkmale[m].teile}

    def factory(sample: list[tuple[int, list[Any]]]) -> RowFilter | None:
        rows = [(line, cells) for line, cells in sample if any(text(c) for c in cells)]
        try:
            h, code_col, name_col = find_header(rows, None, Path("."), code_column, name_column, zuordnung=zuordnung)
        except InputError:  # the normal reading names the missing column
            return None
        if h < 0:
            return None
        keys = [name_key(text(c)) for c in rows[h][1]]
        key_cols = {c for c in (code_col, name_col) if c is not None}
        cols = {role: next((i for i, k in enumerate(keys) if k in names and i not in key_cols), None)
                for role, names in LONG_COLUMNS.items()}
        if cols["merkmal"] is None or cols["wert"] is None:
            return None
        m_col, j_col = cols["merkmal"], cols["jahr"]
        header_line = rows[h][0]
        labels: dict[str, bool] = {}
        years: dict[str, bool] = {}

        def wanted_label(label: str) -> bool:
            text = label.strip()
            return not text or (merkmal_for_header(text, zuordnung) or merkmal_slug(text)) in wanted

        def wanted_year(text: str) -> bool:
            year = header_year(text) if text.strip() else None
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
            f"„{text(c)}“ ist keine Zahl.",
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
    cells: list[Any] = (),
) -> Einordnung:
    """The kind of a column; a declared count with a negative or fractional value is an error. A
    column whose numbers are written with leading zeros („01“, „011001“) holds codes, not counts."""
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
    codes = any(isinstance(c, str) and _LEADING_ZERO.match(c.strip()) for c in cells)
    return classify(merkmal, titel, values, declared, own_titel, display, codes=codes)


_LEADING_ZERO = re.compile(r"0\d+$")  # „01“, „011001“: a code; a count is never written so


def _fraction_warning(titel: str, art: str, parsed: list[tuple[float | None, str]], declared: Any) -> str:
    """A share in percent whose values all lie between 0 and 1 is probably a fraction (Excel's % format)."""
    if art not in ("anteil", "quote") or not ("%" in titel or (declared is not None and declared.faktor == 100)):
        return ""
    values = [w for w, st in parsed if w is not None and st in BEKANNT]
    if values and max(values) <= 1 and any(0 < w < 1 for w in values):
        return (f"Achtung: Spalte „{titel}“ soll Prozent enthalten, alle Werte liegen aber zwischen 0 und 1 – "
                f"vermutlich Anteile als Bruch (Excel-Prozentformat: 0,2 = 20 %). Dann in der Zuordnung „faktor: 1“ angeben.")
    return ""


def wide_records(
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
    heads = {i: column_title(parts[i]) for i in value_cols}
    # in a header of several rows, a column's own cell in the key row is its short name (e.g. „EW_u18“)
    owned = [own[i] for i in value_cols if own[i]]
    short = {i: parse_stichtag(own[i])[0] if own[i] and owned.count(own[i]) == 1 else None for i in value_cols}
    stem_merkmal = file_merkmal(datei)
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
            merkmal_for_header(label, zuordnung, labels)
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
        einordnung = _einordnung(datei, merkmal, label or titel, parsed, lines, zuordnung, ungrouped[i], own_label,
                                 cells)
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


def long_records(
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
        label = text(cell(cells, "merkmal"))
        if not label:
            raise InputError("Das Merkmal fehlt.", datei=datei, zeile=line, spalte=titles[cols["merkmal"]])
        jahr, stichtag = None, None
        if cols["jahr"] is not None:
            jahr_text = cell(cells, "jahr")
            jahr = header_year(jahr_text) if text(jahr_text) else None
            stichtag = text(jahr_text) or None
            if text(jahr_text) and jahr is None:
                raise InputError(
                    f"„{text(jahr_text)}“ ist kein Jahr.", datei=datei, zeile=line, spalte=titles[cols["jahr"]]
                )
        merkmal = merkmal_for_header(label, zuordnung) or merkmal_slug(label) or "wert"
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
