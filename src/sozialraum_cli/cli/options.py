"""Options shared by several commands (Annotated aliases, one definition each)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import click
import typer


class GanzeZahl(click.IntRange):
    """A whole number, optionally bounded; German messages and a German range in the help (`[≥ 2]`)."""

    name = "integer"

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        super().__init__(min=min, max=max)

    def _number(self, value: str) -> int:
        return int(value.strip())

    def _what(self, value: object) -> str:
        return f"„{value}“: erwartet wird eine ganze Zahl."

    def convert(self, value, param, ctx):  # type: ignore[override]
        raw = value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            try:
                value = self._number(str(value))
            except ValueError:
                self.fail(self._what(value), param, ctx)
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            self.fail(f"{raw} liegt nicht im erlaubten Bereich ({self._describe_range()}).", param, ctx)
        return value

    def _describe_range(self) -> str:
        if self.min is None and self.max is None:
            return ""
        if self.max is None:
            return f"≥ {self.min}"
        if self.min is None:
            return f"≤ {self.max}"
        return f"{self.min} bis {self.max}"


class Zahl(GanzeZahl):
    """A number (decimal point or comma), optionally bounded."""

    name = "float"

    def _number(self, value: str) -> float:  # type: ignore[override]
        return float(value.strip().replace(",", "."))

    def _what(self, value: object) -> str:
        return f"„{value}“: erwartet wird eine Zahl."


class Jahr(GanzeZahl):
    """A year: `2016`, or a reference date whose year counts (`31.12.2016`, `2016-12-31`)."""

    def _number(self, value: str) -> int:
        import datetime
        import re

        value = value.strip()
        if re.fullmatch(r"\d{4}", value):
            return int(value)
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(value, pattern).year
            except ValueError:
                pass
        raise ValueError(value)

    def _what(self, value: object) -> str:
        return f"„{value}“: erwartet wird eine ganze Zahl (ein Jahr wie 2016) oder ein Stichtag wie 31.12.2016."


class Format(str, Enum):
    table = "table"
    csv = "csv"
    csv_de = "csv-de"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


SUFFIX_FORMAT = {
    ".csv": Format.csv,
    ".json": Format.json,
    ".md": Format.markdown,
    ".txt": Format.table,
    ".xlsx": Format.xlsx,
}

ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        help="Zuordnungsdatei (YAML). Ohne Angabe wird die mitgelieferte Zuordnung verwendet.",
        metavar="DATEI",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Optional[Format],
    typer.Option(
        "--format",
        "-f",
        help="Ausgabeformat (xlsx nur mit --output). Ohne Angabe: nach der Endung von --output, sonst table im Terminal und csv in Pipes.",
        show_default=False,
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="In diese Datei schreiben statt auf die Standardausgabe (atomar, nie halb geschrieben).",
        metavar="DATEI",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Eine vorhandene Ausgabedatei ersetzen.")
]
YearOption = Annotated[
    Optional[int],
    typer.Option(
        "--year",
        "-j",
        help="Jahr bei Dateien mit einer Spalte je Stichtag, z. B. 2016 oder 31.12.2016. Ohne Angabe: letztes Jahr mit Werten.",
        metavar="JAHR",
        click_type=Jahr(),
        show_default=False,
    ),
]
SheetOption = Annotated[
    Optional[str],
    typer.Option("--sheet", help="Tabellenblatt einer Excel-Datei (Standard: das erste).", metavar="BLATT", show_default=False),
]
FilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Datei(en) mit Bezirksstatistik (.csv, .xlsx, .xls, .ods); mehrere werden je Bezirk zusammengeführt.",
        metavar="DATEI...",
        show_default=False,
    ),
]
HeaderRowOption = Annotated[
    Optional[int],
    typer.Option("--header-row", help="Zeile der Kopfzeile (statt automatischer Erkennung).", metavar="ZEILE",
                 click_type=GanzeZahl(min=1), show_default=False),
]
CodeColumnOption = Annotated[
    Optional[str],
    typer.Option("--code-column", help="Spalte mit dem Schlüssel der Einheit (Bezirksnummer, PLR-ID …); ohne Angabe an der Überschrift erkannt. Auch für --records.",
                 metavar="SPALTE", show_default=False),
]
NameColumnOption = Annotated[
    Optional[str],
    typer.Option("--name-column", help="Spalte mit dem Namen der Einheit; ohne Angabe an der Überschrift erkannt.",
                 metavar="SPALTE", show_default=False),
]
IndicatorColumnOption = Annotated[
    Optional[list[str]],
    typer.Option("--indicator-column", help="Lange Dateien: Spalte mit dem Merkmal (mehrfach: mehrere Spalten bilden zusammen den Namen).",
                 metavar="SPALTE", show_default=False),
]
ValueColumnOption = Annotated[
    Optional[str],
    typer.Option("--value-column", help="Lange Dateien: Spalte mit dem Wert.", metavar="SPALTE", show_default=False),
]
YearColumnOption = Annotated[
    Optional[str],
    typer.Option("--year-column", help="Lange Dateien: Spalte mit dem Jahr.", metavar="SPALTE", show_default=False),
]
SymbolOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--symbol",
        help="Bedeutung eines Zeichens ändern, z. B. '-=suppressed' oder 'x=fehlt' (mehrfach möglich).",
        metavar="ZEICHEN=BEDEUTUNG",
        show_default=False,
    ),
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", help="Übersprungene Titel- und Fußnotenzeilen auf stderr nennen.")
]
AllowIncompleteOption = Annotated[
    bool,
    typer.Option(
        "--allow-incomplete",
        help="Anteile und Quoten auch für unvollständige Räume aus den bekannten Bezirken berechnen (gekennzeichnet).",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Keine Hinweise und Warnungen auf stderr, nur Fehler.")
]
SchemeOption = Annotated[
    str,
    typer.Option(
        "--scheme",
        "-s",
        help="Schema aus der Zuordnung (z. B. sozialraeume, planungsraeume) oder all (jedes Schema für sich).",
        metavar="SCHEMA",
    ),
]
ValuesOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--value",
        help="Nur diese Merkmale (mehrfach möglich); Standard: alle Anzahlen der Datei und alle berechenbaren Quoten.",
        metavar="MERKMAL",
        show_default=False,
    ),
]
MinCountOption = Annotated[
    Optional[int],
    typer.Option(
        "--min-count",
        help="Geheimhaltung: Anzahlen unter N (ab 1) und daraus berechnete Werte unterdrücken, dazu sekundär so viele Zellen, dass nichts zurückgerechnet werden kann. Standard: „geheimhaltung: min_count“ der Zuordnung (Jena: 3).",
        metavar="N",
        click_type=GanzeZahl(min=2),
        show_default=False,
    ),
]
NoDisclosureOption = Annotated[
    bool,
    typer.Option(
        "--no-disclosure",
        help="Geheimhaltung ausschalten (auch kleine Anzahlen zeigen); die Ausgabe sagt es. Nur für den internen Gebrauch.",
    ),
]
StandOption = Annotated[
    Optional[str],
    typer.Option("--stand", help="Stand der Daten für Kopf und Quellenzeile, z. B. 31.12.2021 (Standard: Stichtage der Datei).",
                 metavar="TEXT", show_default=False),
]
SourceOption = Annotated[
    Optional[str],
    typer.Option("--source", help="Quelle, z. B. „Stadt Jena, Statistik“ (Standard: aus der Zuordnung).", metavar="TEXT",
                 show_default=False),
]
