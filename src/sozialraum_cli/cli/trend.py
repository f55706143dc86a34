"""`sozialraum trend`: the development of a count per Raum over the years."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import Eingabe, load_data, resolve_format, say_notes, write_result
from .options import (
    ConfigOption,
    FilesArgument,
    ForceOption,
    Format,
    FormatOption,
    CodeColumnOption,
    HeaderRowOption,
    NameColumnOption,
    IndicatorColumnOption,
    ValueColumnOption,
    YearColumnOption,
    Jahr,
    MinCountOption,
    OutputOption,
    SchemeOption,
    SheetOption,
    SymbolOption,
    VerboseOption,
)

EPILOG = "Beispiel: sozialraum trend data/raw/privathaushalte_2006-2016.csv --scheme planungsraeume --from 2010 --to 2016"


def trend(
    dateien: FilesArgument,
    scheme: SchemeOption = "all",
    value: Annotated[
        Optional[str],
        typer.Option("--value", help="Die Anzahl, deren Entwicklung gezeigt wird (Standard: die erste der Datei).", metavar="MERKMAL", show_default=False),
    ] = None,
    von: Annotated[Optional[int], typer.Option("--from", help="Erstes Jahr (Standard: das erste mit Werten).", metavar="JAHR", click_type=Jahr(), show_default=False)] = None,
    bis: Annotated[Optional[int], typer.Option("--to", help="Letztes Jahr (Standard: das letzte mit Werten).", metavar="JAHR", click_type=Jahr(), show_default=False)] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    code_column: CodeColumnOption = None,
    name_column: NameColumnOption = None,
    indicator_column: IndicatorColumnOption = None,
    value_column: ValueColumnOption = None,
    year_column: YearColumnOption = None,
    symbol: SymbolOption = None,
    verbose: VerboseOption = False,
    min_count: MinCountOption = None,
) -> None:
    """Entwicklung je Raum über die Jahre: Reihe, Veränderung und mittlere jährliche Veränderung."""
    from ..render import entwicklung as darstellung
    from ..errors import AufrufError
    from ..trend import trend as trend_core
    from .schemes import resolve_schemes

    fmt = resolve_format(fmt, output)
    if fmt is Format.xlsx:
        raise AufrufError("trend schreibt kein xlsx; die Entwicklung steht in „sozialraum export --years“.")
    eingabe = Eingabe(dateien, config=config, sheet=sheet, header_row=header_row, code_spalte=code_column, name_spalte=name_column,
                      merkmal_spalten=indicator_column, wert_spalte=value_column, jahr_spalte=year_column, symbole=symbol, verbose=verbose)
    zuordnung = eingabe.zuordnung()
    schemata = resolve_schemes(zuordnung, scheme)
    daten = load_data(zuordnung, eingabe)
    entwicklungen = [trend_core(zuordnung, s, daten, merkmal=value, von=von, bis=bis) for s in schemata]
    if min_count is not None:
        from ..publication import protect

        entwicklungen = protect(zuordnung, daten, entwicklungen, min_count).ergebnisse
    if fmt is not Format.table:
        say_notes([h for e in entwicklungen for h in e.hinweise if h.startswith("Geheimhaltung")],
                  warnungen=[w for e in entwicklungen for w in e.warnungen])
    write_result(
        fmt,
        output,
        force=force,
        inputs=eingabe.inputs(zuordnung),
        tabellen=lambda: [darstellung.tabelle(e) for e in entwicklungen],
        records=lambda: [r for e in entwicklungen for r in darstellung.records(e)],
        json_doc=lambda: darstellung.json_doc(entwicklungen, str(zuordnung.datei)),
        markdown=lambda: darstellung.markdown(entwicklungen),
    )
