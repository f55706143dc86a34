"""Read district statistics (CSV, .xlsx) into one tidy district table.

Every input layout ends up as a long table with the columns
``bezirk_nr, jahr, merkmal, wert, status, zeile``; everything after reading works on
that form. Rows are matched to districts of the mapping; whatever cannot be matched
is an error naming file and line, never dropped.

The stages, one module each: model (the tidy table, its statuses), cells (one cell -> value and
status), decode (bytes -> rows), header (header rows, key columns, reference dates), layouts (wide
and long value columns -> records), tidy (rows -> districts, subtotals -> `Bezirksdaten`), combine
(several files, added columns). This module holds the entry `read_bezirksdaten` and re-exports
what other modules take from the package.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from ..mapping import Zuordnung
from ..sources import read_source
from .cells import number_style, parse_cell, parse_code
from .combine import add_column, combine_bezirksdaten
from .decode import file_rows, read_table
from .header import OPTIONEN, merkmal_slug, parse_stichtag, split_header
from .layouts import long_filter
from .model import (
    AUSSTEHEND,
    BEKANNT,
    EINGESCHRAENKT,
    FEHLT,
    GEHEIM,
    GESPERRT,
    LAYOUT_MERKMALE,
    LAYOUT_STICHTAGE,
    NULL,
    STATUS_TEXT,
    SYMBOLE,
    UNSICHER,
    UNTERDRUECKT,
    VORHANDEN,
    Bezirksdaten,
    Spalte,
    parse_symbol_option,
    symbol_table,
)
from .tidy import tidy_rows

__all__ = [  # what other modules take from here, the statuses included
    "AUSSTEHEND", "BEKANNT", "EINGESCHRAENKT", "FEHLT", "GEHEIM", "GESPERRT", "NULL", "STATUS_TEXT", "SYMBOLE",
    "UNSICHER", "UNTERDRUECKT", "VORHANDEN", "Bezirksdaten", "Spalte", "LAYOUT_MERKMALE", "LAYOUT_STICHTAGE",
    "add_column", "combine_bezirksdaten", "merkmal_slug", "number_style", "parse_cell", "parse_code",
    "parse_stichtag", "parse_symbol_option", "read_bezirksdaten", "read_table", "split_header", "symbol_table",
]


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
    code_column: str | None = None,
    name_column: str | None = None,
    strict: bool = False,
    lang: tuple[list[str], str | None, str | None] | None = None,
) -> Bezirksdaten:
    """Read one CSV or spreadsheet file of district statistics into the tidy district table.

    `symbole` overrides the meaning of symbols for this file (on top of the defaults and the
    mapping's `symbole` section); `header_row` is the line of the header (1-based) when the
    automatic detection should not be used. `merkmale` and `jahr` let a long CSV file be read
    for those indicators (and their parts) and that year only: fast and lean for large files.
    `code_column`/`name_column` name the key columns by their header (else the mapping's `spalten:`
    does, else they are recognised);
    with `strict` a name that does not fit its row's code is an error, else a note.
    A Zensus grid file (GITTER_ID_…) is summed to the districts of the polygons in `geometrie`
    (the bundled ones when None), see grid.py.
    """
    datei = Path(path)
    from ..gridlayout import is_grid_file

    if is_grid_file(datei):
        from ..grid import read_grid

        return read_grid([datei], zuordnung, geometrie=geometrie, symbole=symbole)
    raw = read_source(datei)
    if not raw.strip():
        raise InputError("Die Datei ist leer.", datei=datei)
    hinweise: list[str] = []
    code_column, name_column, lang, herkunft = spalten_waehlen(zuordnung, code_column, name_column, lang)
    explicit = lang is not None and any(lang)
    keep = long_filter(zuordnung, merkmale, jahr, code_column, name_column) if header_row is None and not explicit else None
    rows = file_rows(datei, raw, sheet, hinweise, keep)
    try:
        table = symbol_table(zuordnung.symbole, symbole)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    return tidy_rows(datei, hashlib.sha256(raw).hexdigest(), rows, zuordnung, hinweise, header_row, table,
                     code_column=code_column, name_column=name_column, strict=strict, lang=lang, herkunft=herkunft)


def spalten_waehlen(
    zuordnung: Zuordnung, code_column: str | None, name_column: str | None,
    lang: tuple[list[str], str | None, str | None] | None,
) -> tuple[str | None, str | None, tuple[list[str], str | None, str | None], dict[str, str]]:
    """The columns to read by header: each given option, else the mapping's `spalten:` entry; and, per
    column, how an error names where it came from (the option, or the mapping's entry)."""
    m, w, j = lang if lang is not None else ([], None, None)
    sp = zuordnung.spalten
    herkunft = dict(OPTIONEN)
    chosen = {"code": code_column, "name": name_column, "merkmal": list(m or []), "wert": w, "jahr": j}
    for feld, value in (("code", sp.code), ("name", sp.name), ("merkmal", list(sp.merkmal)), ("wert", sp.wert),
                        ("jahr", sp.jahr)):
        if not chosen[feld] and value:
            chosen[feld] = value
            herkunft[feld] = sp.herkunft(feld)
    return chosen["code"], chosen["name"], (chosen["merkmal"], chosen["wert"], chosen["jahr"]), herkunft
