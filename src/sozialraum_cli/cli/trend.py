"""`sozialraum trend`: the development of a count per Raum over the years."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import Eingabe, check_output, load_data, resolve_format, say_notes, write_result
from .geheimhaltung import schutz
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
    MinCountOption,
    NoDisclosureOption,
    OutputOption,
    SchemeOption,
    SheetOption,
    SymbolOption,
    VerboseOption,
)

EPILOG = "Beispiel: sozialraum trend data/raw/privathaushalte_2006-2016.csv --scheme planungsraeume --years 2010-2016"


def trend(
    dateien: FilesArgument,
    scheme: SchemeOption = "all",
    value: Annotated[
        Optional[str],
        typer.Option("--value", help="Die Anzahl, deren Entwicklung gezeigt wird (Standard: die erste der Datei).", metavar="MERKMAL", show_default=False),
    ] = None,
    years: Annotated[
        Optional[str],
        typer.Option("--years", help="Jahre der Reihe, z. B. 2010-2016, 2010- oder -2014 (Standard: alle mit Werten).",
                     metavar="VON-BIS", show_default=False),
    ] = None,
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
    no_disclosure: NoDisclosureOption = False,
) -> None:
    """Entwicklung je Raum über die Jahre: Reihe, Veränderung und mittlere jährliche Veränderung."""
    from ..render import entwicklung as darstellung
    from ..errors import AufrufError
    from ..jahre import parse_range
    from ..trend import trend as trend_core
    from .schemes import resolve_schemes

    fmt = resolve_format(fmt, output)
    if fmt is Format.xlsx:
        raise AufrufError("trend schreibt kein xlsx; die Entwicklung steht in „sozialraum export --years“.")
    eingabe = Eingabe.aus_optionen(dateien, locals())
    zuordnung = eingabe.zuordnung()
    check_output(output, force=force, inputs=eingabe.inputs(zuordnung))
    schemata = resolve_schemes(zuordnung, scheme)
    von, bis = parse_range(years) if years else (None, None)
    daten = load_data(zuordnung, eingabe)
    entwicklungen = [trend_core(zuordnung, s, daten, merkmal=value, von=von, bis=bis) for s in schemata]
    regel = schutz(zuordnung, min_count, no_disclosure)
    if regel.min_count is not None:
        from ..publication import protect

        entwicklungen = protect(zuordnung, daten, entwicklungen, regel.min_count).ergebnisse
    for e in entwicklungen:
        e.hinweise = [*e.hinweise, *([regel.hinweis] if regel.hinweis else [])]
    if fmt is not Format.table:
        say_notes([e.geheimhaltung.regel for e in entwicklungen if e.geheimhaltung is not None],
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
