"""`sozialraum export`: the yearly Excel summary for committees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, check_output, emit, load_data, options_text, say_notes
from .geheimhaltung import schutz
from .options import (
    AllowIncompleteOption,
    ConfigOption,
    FilesArgument,
    ForceOption,
    CodeColumnOption,
    HeaderRowOption,
    NameColumnOption,
    IndicatorColumnOption,
    ValueColumnOption,
    YearColumnOption,
    MinCountOption,
    NoDisclosureOption,
    QuietOption,
    SchemeOption,
    SheetOption,
    SymbolOption,
    ValuesOption,
    VerboseOption,
    YearOption,
)

EPILOG = (
    "Beispiel: sozialraum export data/raw/privathaushalte_2006-2016.csv --years 2010-2016 --output haushalte.xlsx"
)


def export(
    ctx: typer.Context,
    dateien: FilesArgument,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Die Excel-Datei (.xlsx), die entsteht (atomar geschrieben).", metavar="DATEI", show_default=False),
    ],
    scheme: SchemeOption = "all",
    value: ValuesOption = None,
    year: YearOption = None,
    years: Annotated[
        Optional[str],
        typer.Option("--years", help="Mehrere Jahre, z. B. 2010-2016: je Jahr ein Spaltenblock.", metavar="VON-BIS", show_default=False),
    ] = None,
    config: ConfigOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    timestamp: Annotated[
        bool, typer.Option("--timestamp", help="Aktuelle Zeit als Dokumentdatum (sonst fest, damit die Datei reproduzierbar ist).")
    ] = False,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    code_column: CodeColumnOption = None,
    name_column: NameColumnOption = None,
    indicator_column: IndicatorColumnOption = None,
    value_column: ValueColumnOption = None,
    year_column: YearColumnOption = None,
    symbol: SymbolOption = None,
    allow_incomplete: AllowIncompleteOption = False,
    verbose: VerboseOption = False,
    min_count: MinCountOption = None,
    no_disclosure: NoDisclosureOption = False,
) -> None:
    """Excel-Zusammenfassung schreiben: je Schema ein Blatt, Bezirke, Vergleich, Metadaten."""
    from datetime import datetime

    from ..errors import AufrufError
    from ..export import build_export, export_years
    from ..jahre import parse_years
    from .schemes import resolve_schemes

    if output.suffix.lower() != ".xlsx":
        raise AufrufError(f"--output „{output}“: export schreibt eine Excel-Datei mit der Endung .xlsx.")
    eingabe = Eingabe.aus_optionen(dateien, locals())
    zuordnung = eingabe.zuordnung()
    check_output(output, force=force, inputs=eingabe.inputs(zuordnung))
    schemata = resolve_schemes(zuordnung, scheme)
    daten = load_data(zuordnung, eingabe)
    jahre, notes = export_years(daten, year, parse_years(years) if years else None)
    regel = schutz(zuordnung, min_count, no_disclosure)
    notes = [*notes, *([regel.hinweis] if regel.hinweis else [])]
    _check_width(daten, schemata, jahre, all_values=not value)
    ergebnis = build_export(
        zuordnung, schemata, daten, jahre=jahre, merkmale=value, optionen=options_text(ctx), zeitstempel=timestamp,
        hinweise=notes,
        unvollstaendige_zulassen=allow_incomplete,
        min_count=regel.min_count,
    )
    if not quiet:
        say_notes(ergebnis.hinweise, ergebnis.warnungen)
    data = ergebnis.to_bytes(datetime.now() if timestamp else None)
    emit(data, output, force=force, inputs=[*dateien, zuordnung.datei], quiet=quiet)


def _check_width(daten, schemata: list, jahre: list, *, all_values: bool) -> None:
    """Refuse, before any work, a workbook wider than Excel allows (it could not be opened)."""
    from ..errors import InputError
    from ..mapping import ANZAHL
    from ..xlsx import MAX_SPALTEN

    spalten = [s for s in daten.spalten if s.jahr in jahre]
    breite = 3 + len(schemata) + len(spalten)  # the sheet Bezirke
    if all_values:  # a scheme sheet: every count with its share, per year, and the rank
        breite = max(breite, 3 + sum(2 * sum(1 for s in spalten if s.art == ANZAHL and s.jahr == j) + 1 for j in jahre))
    if breite > MAX_SPALTEN:
        raise InputError(
            f"Die Arbeitsmappe hätte {breite:,} Spalten; Excel erlaubt höchstens {MAX_SPALTEN:,}.".replace(",", "."),
            datei=daten.datei,
            hilfe="Bitte mit --value weniger Merkmale oder mit --year/--years weniger Jahre wählen.",
        )
