"""`sozialraum profile`: a readable profile document per Raum (HTML or PDF) and an index page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, load_data, load_geo, say
from .map import CodePropertyOption, GeometryOption
from .geheimhaltung import schutz
from .options import (
    CodeColumnOption,
    ConfigOption,
    FilesArgument,
    ForceOption,
    MinCountOption,
    NameColumnOption,
    NoDisclosureOption,
    QuietOption,
    SheetOption,
    SourceOption,
    StandOption,
    SymbolOption,
    YearOption,
)

EPILOG = "Beispiel: sozialraum profile data/raw/beispiel_2021.csv --scheme sozialraeume --all --output profile/"


def profile(
    dateien: FilesArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="Ordner für die Profile (wird angelegt).", metavar="ORDNER", show_default=False)],
    scheme: Annotated[
        Optional[str],
        typer.Option("--scheme", "-s", help="Schema der Profile (Standard: das erste Schema der Zuordnung).", metavar="SCHEMA", show_default=False),
    ] = None,
    area: Annotated[Optional[list[str]], typer.Option("--area", help="Nur dieser Raum (mehrfach möglich).", metavar="RAUM", show_default=False)] = None,
    all_areas: Annotated[bool, typer.Option("--all", help="Alle Räume des Schemas (Standard, wenn --area fehlt).")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html oder pdf (PDF über headless Chromium).", metavar="FORMAT")] = "html",
    resources: Annotated[
        Optional[Path], typer.Option("--resources", help="Orte (wie bei locate) für den Abschnitt Ressourcen.", metavar="DATEI", show_default=False)
    ] = None,
    category: Annotated[Optional[str], typer.Option("--category", help="Spalte mit der Kategorie der Orte.", metavar="SPALTE", show_default=False)] = None,
    lat: Annotated[Optional[str], typer.Option("--lat", help="Spalte mit der Breite der Orte.", metavar="SPALTE", show_default=False)] = None,
    lon: Annotated[Optional[str], typer.Option("--lon", help="Spalte mit der Länge der Orte.", metavar="SPALTE", show_default=False)] = None,
    year: YearOption = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Titel der Profile (Standard: Sozialraumprofil).", metavar="TEXT", show_default=False)] = None,
    stand: StandOption = None,
    source: SourceOption = None,
    min_count: MinCountOption = None,
    no_disclosure: NoDisclosureOption = False,
    geometry: GeometryOption = None,
    code_property: CodePropertyOption = "id",
    config: ConfigOption = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
    sheet: SheetOption = None,
    code_column: CodeColumnOption = None,
    name_column: NameColumnOption = None,
    symbol: SymbolOption = None,
) -> None:
    """Sozialraumprofile schreiben: je Raum ein Dokument (HTML oder PDF) und eine Übersicht."""
    import tempfile

    from ..errors import AufrufError
    from ..geo import locate_file
    from ..output import check_folder, write_folder
    from ..profile import build_profiles, html_to_pdf, relative_pdf_links
    from .schemes import resolve_schemes

    if fmt not in ("html", "pdf"):
        raise AufrufError(f"--format „{fmt}“: erwartet wird html oder pdf.")
    if area and all_areas:
        raise AufrufError("Bitte entweder --area oder --all angeben.")
    check_folder(output)  # before any work
    eingabe = Eingabe.aus_optionen(dateien, locals())
    zuordnung = eingabe.zuordnung()
    (schema,) = resolve_schemes(zuordnung, scheme or next(iter(zuordnung.schemata)), nur_eines=True)
    regel = schutz(zuordnung, min_count, no_disclosure)
    daten = load_data(zuordnung, eingabe)
    geo = load_geo(zuordnung, geometry, code_property, quiet=quiet, optional=resources is None)  # places need polygons
    ressourcen = None
    if resources is not None:
        ressourcen = locate_file(geo, resources, lat=lat, lon=lon, category=category)
        if not quiet:
            for lage in ressourcen.lagen:
                if lage.bezirk_nr is None:
                    say(f"Nicht zugeordnet: {resources.name}, Zeile {lage.zeile}: {lage.grund}")
    result = build_profiles(zuordnung, schema, daten, geo, raeume=area, jahr=year, ressourcen=ressourcen,
                            min_count=regel.min_count, hinweise=[regel.hinweis] if regel.hinweis else [],
                            kopf={"titel": title, "stand": stand, "quelle": source})
    documents = [("index.html", result.index_html)] + [(p.dateiname, p.html) for p in result.profile]
    _check_names(result.profile)
    inputs = [*dateien, zuordnung.datei, *([resources] if resources else [])]
    if fmt == "html":
        write_folder(output, dict(documents), force=force, inputs=inputs)
    else:
        # links between the pages point at the PDFs; Chromium writes them absolute (into the temporary
        # folder), relative_pdf_links makes them relative again, so that they work wherever the folder goes
        final = {name: Path(name).stem + ".pdf" for name, _ in documents}
        documents = [(name, _link_pdfs(text, final)) for name, text in documents]
        pdfs = {}
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in documents:
                (Path(tmp) / name).write_text(text, encoding="utf-8")
            for name, _ in documents:
                pdf = Path(tmp) / (Path(name).stem + ".pdf")
                html_to_pdf(Path(tmp) / name, pdf)
                pdfs[pdf.name] = relative_pdf_links(pdf.read_bytes(), set(final.values()))
        write_folder(output, pdfs, force=force, inputs=inputs)
    if not quiet:
        say(f"{len(documents)} Dateien ({fmt.upper()}) geschrieben in {output}/ – Übersicht: {output / ('index.' + fmt)}")


def _check_names(profile: list) -> None:
    """Two Räume whose names give the same file name would overwrite each other: an error before writing."""
    from ..errors import InputError

    seen: dict[str, str] = {"index.html": "(Übersicht)"}
    for p in profile:
        key = p.dateiname.casefold()
        if key in seen:
            raise InputError(
                f"Die Räume „{seen[key]}“ und „{p.raum}“ ergäben dieselbe Datei „{p.dateiname}“.",
                hilfe="Bitte die Räume in der Zuordnung eindeutiger benennen oder mit --area nur einen davon wählen.",
            )
        seen[key] = p.raum


def _link_pdfs(text: str, final: dict[str, str]) -> str:
    import html

    for name, uri in final.items():
        text = text.replace(f'href="{html.escape(name)}"', f'href="{html.escape(uri)}"')
    return text
