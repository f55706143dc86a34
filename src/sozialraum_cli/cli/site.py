"""`sozialraum site`: the profiles as a static, accessible website with the data behind them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, load_data, load_geo, say
from .geheimhaltung import schutz
from .map import CodePropertyOption, GeometryOption
from .options import (
    ConfigOption,
    FilesArgument,
    ForceOption,
    MinCountOption,
    QuietOption,
    SheetOption,
    SourceOption,
    StandOption,
    SymbolOption,
    YearOption,
)

EPILOG = "Beispiel: sozialraum site data/raw/beispiel_2021.csv --scheme sozialraeume --stand 31.12.2021 --output website/"


def site(
    dateien: FilesArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="Ordner der Website (wird angelegt).", metavar="ORDNER", show_default=False)],
    scheme: Annotated[
        Optional[str],
        typer.Option("--scheme", "-s", help="Schema (Standard: das erste Schema der Zuordnung).", metavar="SCHEMA", show_default=False),
    ] = None,
    year: YearOption = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Titel der Seiten (Standard: Sozialraumprofil).", metavar="TEXT", show_default=False)] = None,
    stand: StandOption = None,
    source: SourceOption = None,
    min_count: MinCountOption = None,
    geometry: GeometryOption = None,
    code_property: CodePropertyOption = "id",
    config: ConfigOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    sheet: SheetOption = None,
    symbol: SymbolOption = None,
) -> None:
    """Statische Website der Profile schreiben: Übersicht, je Raum eine Seite, Daten zum Herunterladen."""
    from ..output import check_folder, write_folder
    from ..site import build_site
    from .schemes import resolve_schemes

    check_folder(output)
    eingabe = Eingabe(dateien, config=config, sheet=sheet, symbole=symbol, geometrie=geometry, jahr=year)
    zuordnung = eingabe.zuordnung()
    (schema,) = resolve_schemes(zuordnung, scheme or next(iter(zuordnung.schemata)), nur_eines=True)
    regel = schutz(zuordnung, min_count, False)  # a website is a publication: never without disclosure control
    daten = load_data(zuordnung, eingabe)
    geo = load_geo(zuordnung, geometry, code_property, quiet=quiet, optional=True)
    files = build_site(zuordnung, schema, daten, geo, jahr=year, min_count=regel.min_count,
                       kopf={"titel": title, "stand": stand, "quelle": source})
    write_folder(output, files, force=force, inputs=[*dateien, zuordnung.datei])
    if not quiet:
        say(f"{len(files)} Dateien geschrieben in {output}/ – Startseite: {output / 'index.html'}")
