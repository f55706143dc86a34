"""Options shared by several commands (Annotated aliases, one definition each)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


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
        help="Jahr bei Dateien mit einer Spalte je Stichtag (z. B. 31.12.2016). Ohne Angabe: letztes Jahr mit Werten.",
        metavar="JAHR",
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
    typer.Option("--header-row", help="Zeile der Kopfzeile (statt automatischer Erkennung).", metavar="ZEILE", show_default=False),
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
        metavar="SPALTE",
        show_default=False,
    ),
]
MinCountOption = Annotated[
    Optional[int],
    typer.Option(
        "--min-count",
        help="Geheimhaltung: Anzahlen unter N (ab 1) und daraus berechnete Werte unterdrücken, dazu sekundär so viele Zellen, dass nichts zurückgerechnet werden kann.",
        metavar="N",
        min=2,
        show_default=False,
    ),
]
