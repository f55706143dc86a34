"""`sozialraum mapping import|check`: a mapping from a city's crosswalk, and the check of a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import emit, say, write_mapping_result
from .options import ForceOption, FormatOption, OutputOption, SheetOption

EPILOG = ("Beispiel: sozialraum mapping import data/neustadt/zuordnung.csv --code PLR-ID --name Planungsraum "
          "--scheme regionen=Bezirksregion --area-code regionen=BZR-ID --scheme bezirke=Bezirk --output neustadt.yaml")


def mapping_import(
    crosswalk: Annotated[Path, typer.Argument(help="Liste mit einer Zeile je Einheit (.csv, .xlsx, .xls, .ods).",
                                              metavar="LISTE", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Die Zuordnung (YAML) in diese Datei schreiben (atomar).",
                                         metavar="DATEI.yaml", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Spalte mit dem Namen der Einheit.", metavar="SPALTE", show_default=False)],
    scheme: Annotated[list[str], typer.Option("--scheme", help="Schema SCHLÜSSEL aus der Spalte mit den Raumnamen (mehrfach möglich).",
                                              metavar="SCHLÜSSEL=SPALTE", show_default=False)],
    code: Annotated[Optional[str], typer.Option("--code", help="Spalte mit dem Schlüssel der Einheit; ohne Angabe ist der Name der Schlüssel.",
                                                metavar="SPALTE", show_default=False)] = None,
    area_code: Annotated[Optional[list[str]], typer.Option("--area-code", help="Spalte mit den Nummern der Räume eines Schemas: Räume gleichen Namens werden unterscheidbar, z. B. „Heideweg (0102)“.",
                                                           metavar="SCHLÜSSEL=SPALTE", show_default=False)] = None,
    prefix: Annotated[Optional[list[str]], typer.Option("--prefix", help="Die Räume des Schemas sind die ersten N Stellen der Schlüssel der Einheiten.",
                                                        metavar="SCHLÜSSEL=N", show_default=False)] = None,
    title: Annotated[Optional[list[str]], typer.Option("--title", help="Titel eines Schemas (Standard: die Spaltenüberschrift).",
                                                       metavar="SCHLÜSSEL=TEXT", show_default=False)] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Name der Einheiten, z. B. Planungsraum/Planungsräume (Standard: Bezirk/Bezirke).",
                                                metavar="EINZAHL/MEHRZAHL", show_default=False)] = None,
    city: Annotated[Optional[str], typer.Option("--city", help="Name der Stadt: ihre Gesamtzeile in Datendateien wird auch unter diesem Namen erkannt.",
                                                metavar="NAME", show_default=False)] = None,
    sheet: SheetOption = None,
    force: ForceOption = False,
) -> None:
    """Zuordnung aus einer Liste der Einheiten (Schlüssel, Name, Raum je Schema) schreiben."""
    from ..errors import AufrufError
    from ..mapping import load_mapping
    from ..mapping.importer import Importauftrag, mapping_yaml, parse_pairs, read_crosswalk
    from ..mapping.nesting import verschachtelung

    einheit = None
    if unit is not None:
        einzahl, sep, mehrzahl = unit.partition("/")
        if not sep or not einzahl.strip() or not mehrzahl.strip():
            raise AufrufError(f"--unit erwartet EINZAHL/MEHRZAHL, nicht „{unit}“.", hilfe="z. B. --unit Planungsraum/Planungsräume")
        einheit = (einzahl.strip(), mehrzahl.strip())
    praefixe = {}
    for k, n in parse_pairs(prefix, "--prefix"):
        if not n.isdigit() or int(n) < 1:
            raise AufrufError(f"--prefix {k}={n}: N muss eine ganze Zahl ≥ 1 sein.")
        praefixe[k] = int(n)
    auftrag = Importauftrag(
        code=code, name=name, schemata=parse_pairs(scheme, "--scheme"),
        flaechencodes=dict(parse_pairs(area_code, "--area-code")), titel=dict(parse_pairs(title, "--title")),
        einheit=einheit, praefixe=praefixe, sheet=sheet, stadt=city,
    )
    einheiten, labels = read_crosswalk(crosswalk, auftrag)
    text = mapping_yaml(crosswalk, auftrag, einheiten, labels)
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise AufrufError(f"Die Zuordnung wird als YAML geschrieben: bitte --output mit der Endung .yaml, nicht „{output.name}“.")
    emit(text, output, force=force, inputs=[crosswalk], quiet=True)
    zuordnung = load_mapping(output)  # what was written must load: the same checks as every command
    nested = verschachtelung(zuordnung)
    say(f"Geschrieben: {output} – {len(zuordnung.bezirke)} {zuordnung.mehrzahl}, "
        + ", ".join(f"{s.name} ({len(s.raeume)} Räume)" for s in zuordnung.schemata.values())
        + (("; " + "; ".join(f"{a} liegt in {b}" for a, b in nested)) if nested else "") + ".")


def mapping_check(
    datei: Annotated[Path, typer.Argument(help="Zuordnungsdatei (YAML).", metavar="DATEI.yaml", show_default=False)],
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Zuordnung prüfen und zusammenfassen: Einheiten, Schemata, Verschachtelung, Merkmale, Symbole."""
    from ..render import zuordnungspruefung as d

    write_mapping_result(datei, fmt, output, force, lambda z: dict(
        tabellen=lambda: d.tabellen(z), records=lambda: d.records(z), json_doc=lambda: d.json_doc(z)))


def sub_app(settings: dict, command_cls) -> typer.Typer:
    app = typer.Typer(**{**settings, "help": "Zuordnung aus einer Liste erzeugen (import) oder prüfen (check)."})
    app.command(name="import", cls=command_cls, epilog=EPILOG)(mapping_import)
    app.command(name="check", cls=command_cls, epilog="Beispiel: sozialraum mapping check neustadt.yaml")(mapping_check)
    return app
