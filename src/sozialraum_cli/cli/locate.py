"""`sozialraum locate`: assign points (facilities, offers) to districts and count them per Raum."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, load_data, load_geo, resolve_format, say, write_result
from .map import CodePropertyOption, GeometryOption
from .options import ConfigOption, ForceOption, Format, FormatOption, OutputOption, SheetOption, YearOption

EPILOG = "Beispiel: sozialraum locate angebote.csv --lat lat --lon lon --category art --scheme sozialraeume"

def locate(
    punkte: Annotated[Path, typer.Argument(help="Liste der Orte (.csv, .xlsx, .xls, .ods), eine Zeile je Ort.", metavar="PUNKTE", show_default=False)],
    scheme: Annotated[
        Optional[str],
        typer.Option("--scheme", "-s", help="Schema, nach dem gezählt wird (Standard: das erste Schema der Zuordnung).", metavar="SCHEMA", show_default=False),
    ] = None,
    lat: Annotated[Optional[str], typer.Option("--lat", help="Spalte mit der geografischen Breite (WGS84).", metavar="SPALTE", show_default=False)] = None,
    lon: Annotated[Optional[str], typer.Option("--lon", help="Spalte mit der geografischen Länge (WGS84).", metavar="SPALTE", show_default=False)] = None,
    x: Annotated[Optional[str], typer.Option("--x", help="Spalte mit dem Rechtswert (projizierte Koordinaten).", metavar="SPALTE", show_default=False)] = None,
    y: Annotated[Optional[str], typer.Option("--y", help="Spalte mit dem Hochwert (projizierte Koordinaten).", metavar="SPALTE", show_default=False)] = None,
    crs: Annotated[str, typer.Option("--crs", help="Koordinatensystem von --x/--y, z. B. EPSG:25832 (UTM 32N) oder EPSG:31468.", metavar="EPSG")] = "EPSG:25832",
    category: Annotated[Optional[str], typer.Option("--category", help="Spalte mit der Kategorie (Zählung je Kategorie).", metavar="SPALTE", show_default=False)] = None,
    population: Annotated[
        Optional[Path], typer.Option("--population", help="Bezirksstatistik mit Einwohnern: Orte je 1.000 Einwohner.", metavar="DATEI", show_default=False)
    ] = None,
    population_value: Annotated[str, typer.Option("--population-value", help="Merkmal der Einwohner in --population.", metavar="MERKMAL")] = "einwohner",
    year: YearOption = None,
    points_output: Annotated[
        Optional[Path],
        typer.Option("--points-output", help="Die Orte mit bezirk_nr, bezirk_name und Raum je Schema als CSV schreiben.", metavar="DATEI", show_default=False),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
    sheet: SheetOption = None,
    geometry: GeometryOption = None,
    code_property: CodePropertyOption = "id",
) -> None:
    """Orte Bezirken zuordnen und je Raum (und Kategorie) zählen, auch je 1.000 Einwohner."""
    from ..aggregate import aggregate
    from ..errors import AufrufError
    from ..geo import locate_file
    from ..mapping import load_mapping
    from ..orte import count_places
    from ..render import standorte as darstellung
    from .schemes import resolve_schemes

    fmt = resolve_format(fmt, output)
    if points_output is not None and output is not None and points_output.resolve() == output.resolve():
        raise AufrufError("--points-output und --output nennen dieselbe Datei.")
    if fmt is Format.xlsx:
        raise AufrufError("locate schreibt kein xlsx; bitte csv, json, markdown oder table.")
    zuordnung = load_mapping(config)
    (schema,) = resolve_schemes(zuordnung, scheme or next(iter(zuordnung.schemata)), nur_eines=True)
    geo = load_geo(zuordnung, geometry, code_property)
    orte = locate_file(geo, punkte, lat=lat, lon=lon, x=x, y=y, crs=crs, category=category, sheet=sheet)
    einwohner = None
    if population is not None:
        daten = load_data(zuordnung, Eingabe([population], config=config, jahr=year))
        t = aggregate(zuordnung, schema, daten, jahr=year, merkmale=[population_value])
        m = t.anzahlen[0].name
        einwohner = {z.raum: (z.wert(m) if z.werte[m].vollstaendig else None) for z in t.zeilen}
    from ..output import check_target

    for option, path in (("--points-output", points_output), ("--output", output)):
        if path is not None:  # before any result is shown
            check_target(path, force=force, inputs=[punkte, zuordnung.datei], option=option)
    ergebnis = count_places(schema, orte, einwohner, (zuordnung.einzahl, zuordnung.mehrzahl))
    if points_output is not None:
        from ..output import write_atomic

        write_atomic(points_output, darstellung.punkte_csv(zuordnung, orte), force=force,
                     inputs=[punkte, zuordnung.datei], option="--points-output")
        say(f"Geschrieben: {points_output}")
    if fmt is not Format.table:
        for line in darstellung.meldungen(ergebnis):
            say(line)
    write_result(
        fmt, output, force=force, inputs=[punkte, zuordnung.datei],
        tabellen=lambda: darstellung.tabellen(ergebnis),
        records=lambda: darstellung.records(ergebnis),
        json_doc=lambda: darstellung.json_doc(ergebnis),
    )
