"""The tidy district table and its parts: `Bezirksdaten`, `Spalte`, the layouts and the statuses.

Every input layout ends up as a long table with the columns
``bezirk_nr, jahr, merkmal, wert, status, zeile``; everything after reading works on that form.
The statuses of its cells come from symbole.py and are re-exported here for its users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by whoever builds the table: reading starts without it
    import pandas as pd

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

__all__ = [
    "AUSSTEHEND", "BEKANNT", "EINGESCHRAENKT", "FEHLT", "GEHEIM", "GESPERRT", "NULL", "STATUS_TEXT", "SYMBOLE",
    "UNSICHER", "UNTERDRUECKT", "VORHANDEN", "Bezirksdaten", "Spalte", "LAYOUT_MERKMALE", "LAYOUT_STICHTAGE",
    "parse_symbol_option", "symbol_table",
]


LAYOUT_MERKMALE = "merkmale"  # one column per indicator
LAYOUT_STICHTAGE = "stichtage"  # one column per reference date / year


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
    warnungen: list[str] = field(default_factory=list)  # e.g. a row's name that does not fit its code
    # published subtotals: rows naming a Raum (raum as written, jahr, merkmal, wert, status, zeile)
    teilsummen: pd.DataFrame | None = None
    # (merkmal, jahr) -> symbol -> number of cells read as a true zero
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = field(default_factory=dict)
    # remainders of Räume (hierarchical codes, e.g. 019900 in Bezirk 01): schema, raum, rest (code and name
    # as written), jahr, merkmal, wert, status, zeile
    reste: pd.DataFrame | None = None

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

    def jahre_mit_werten(self) -> list[int]:
        """The years that have at least one known value. Time series decide; without any, the dated columns do."""
        if self.layout != LAYOUT_STICHTAGE:
            return []
        known = self.daten[self.daten["status"].isin(BEKANNT) & self.daten["jahr"].notna()]
        if self.reihen:
            known = known[known["merkmal"].isin(self.reihen)]
        return sorted(int(j) for j in known["jahr"].unique())

    def standard_jahr(self) -> int | None:
        """The latest year that has at least one known value (None for files without years)."""
        jahre = self.jahre_mit_werten()
        return jahre[-1] if jahre else None
