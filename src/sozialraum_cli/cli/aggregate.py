"""`sozialraum aggregate`: district statistics summed up to Räume, ranked."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import (
    Datensaetze,
    Eingabe,
    add_geometry_areas,
    check_output,
    load_data,
    load_records,
    options_text,
    resolve_format,
    say,
    say_notes,
    write_result,
)
from .geheimhaltung import schutz
from .map import CodePropertyOption, GeometryOption
from .options import (
    AllowIncompleteOption,
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
    ValuesOption,
    VerboseOption,
    YearOption,
)

EPILOG = (
    "Beispiel: sozialraum aggregate data/raw/privathaushalte_2006-2016.csv --year 2016 --scheme planungsraeume"
)


def aggregate(
    ctx: typer.Context,
    dateien: FilesArgument,
    scheme: SchemeOption = "all",
    value: ValuesOption = None,
    sort: Annotated[
        Optional[str],
        typer.Option("--sort", help="Rang nach diesem Merkmal (Standard: das erste ausgegebene).", metavar="MERKMAL", show_default=False),
    ] = None,
    ascending: Annotated[bool, typer.Option("--ascending", help="Rang 1 für den kleinsten Wert.")] = False,
    year: YearOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fehlende Bezirke und Namen, die nicht zum Schlüssel passen, sind ein Fehler statt einer Warnung.")
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
    geometry: GeometryOption = None,
    code_property: CodePropertyOption = "id",
    records: Annotated[
        bool, typer.Option("--records", help="Die Datei hat eine Zeile je Person, Adresse oder Fall (.csv, .parquet): je Bezirk zählen.")
    ] = False,
    lat: Annotated[Optional[str], typer.Option("--lat", help="Mit --records: Spalte mit der geografischen Breite (WGS84).", metavar="SPALTE", show_default=False)] = None,
    lon: Annotated[Optional[str], typer.Option("--lon", help="Mit --records: Spalte mit der geografischen Länge (WGS84).", metavar="SPALTE", show_default=False)] = None,
    x: Annotated[Optional[str], typer.Option("--x", help="Mit --records: Spalte mit dem Rechtswert (--crs).", metavar="SPALTE", show_default=False)] = None,
    y: Annotated[Optional[str], typer.Option("--y", help="Mit --records: Spalte mit dem Hochwert (--crs).", metavar="SPALTE", show_default=False)] = None,
    crs: Annotated[str, typer.Option("--crs", help="Mit --records: Koordinatensystem von --x/--y.", metavar="EPSG")] = "EPSG:25832",
    count: Annotated[
        Optional[list[str]],
        typer.Option("--count", help="Mit --records: Datensätze zählen, deren Spalte einen der Werte hat (mehrfach möglich).",
                     metavar="NAME:SPALTE=WERT[,WERT…]", show_default=False),
    ] = None,
    sum_: Annotated[
        Optional[list[str]],
        typer.Option("--sum", help="Mit --records: Spalte je Bezirk summieren, z. B. Schadenssumme (mehrfach möglich).", metavar="SPALTE", show_default=False),
    ] = None,
) -> None:
    """Bezirksstatistik zu Räumen zusammenfassen: Summen, Anteile, Quoten, Rang."""
    from ..render import raumtabelle as darstellung
    from .schemes import resolve_schemes

    eingabe = Eingabe.aus_optionen(dateien, locals())
    fmt = resolve_format(fmt, output)
    eingabe.pruefsumme = fmt in (Format.json, Format.xlsx)  # the only outputs of aggregate that show it
    if fmt is Format.xlsx and output is None:  # before any work and before any note
        from ..errors import AufrufError

        raise AufrufError("Das Format xlsx braucht --output DATEI.xlsx.")
    zuordnung = eingabe.zuordnung()
    check_output(output, force=force, inputs=eingabe.inputs(zuordnung))
    datensaetze = Datensaetze(records, code_column, lat, lon, x, y, crs, count, sum_)
    regel = schutz(zuordnung, min_count, no_disclosure)
    datensaetze.check(regel.min_count, explizit=min_count is not None)
    schemata = resolve_schemes(zuordnung, scheme)
    if records:
        daten = load_records(zuordnung, eingabe, datensaetze)
    else:
        wanted = [*(value or []), *([sort] if sort else [])] or None
        daten = load_data(zuordnung, eingabe, merkmale=wanted, nur_jahr=True)
    daten = add_geometry_areas(zuordnung, daten, value, geometry, code_property)
    # imported after reading: a large file's scan (DuckDB, outside the GIL) runs beside pandas' import
    from ..aggregate import aggregate as aggregate_core

    tabellen = [
        aggregate_core(
            zuordnung, s, daten, jahr=year, merkmale=value, sortierung=sort, aufsteigend=ascending, strict=strict,
            unvollstaendige_zulassen=allow_incomplete,
        )
        for s in schemata
    ]
    if regel.min_count is not None:
        from ..publication import protect

        tabellen = protect(zuordnung, daten, tabellen, regel.min_count).ergebnisse
    for t in tabellen:
        t.hinweise = [*t.hinweise, *([regel.hinweis] if regel.hinweis else [])]
    if fmt is not Format.table:  # people read these in the table's footer
        say_notes(tabellen[0].hinweise)
        for t in tabellen:  # the disclosure note counts each table's cells: one line per scheme
            if t.geheimhaltung is not None:
                say(f"Hinweis ({t.schema.name}): {t.geheimhaltung.regel}")
        say_notes(darstellung.behandlung_texte(tabellen[0], nur_ausgelassen=True))
        for t in tabellen:
            for w in t.warnungen:
                say(f"Warnung ({t.schema.name}): {w}")
    write_result(
        fmt,
        output,
        force=force,
        inputs=eingabe.inputs(zuordnung),
        tabellen=lambda: [darstellung.tabelle(t) for t in tabellen],
        records=lambda: [r for t in tabellen for r in darstellung.records(t)],
        json_doc=lambda: darstellung.json_doc(tabellen, str(zuordnung.datei)),
        markdown=lambda: darstellung.markdown(tabellen),
        xlsx=lambda: _workbook(zuordnung, tabellen, daten, options_text(ctx)),
    )


def _workbook(zuordnung, tabellen, daten, optionen: str) -> bytes:
    from ..export import tables_workbook  # only for xlsx: openpyxl is slow to import

    return tables_workbook(zuordnung, tabellen, daten, optionen=optionen).to_bytes()
