"""`sozialraum map`: a map of the Räume, plain or as a choropleth of a count or rate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, check_output, emit, load_data, load_geo
from .geheimhaltung import schutz
from .options import (
    CodeColumnOption,
    ConfigOption,
    ForceOption,
    GanzeZahl,
    MinCountOption,
    NameColumnOption,
    NoDisclosureOption,
    SheetOption,
    SourceOption,
    SymbolOption,
    YearOption,
)

EPILOG = "Beispiel: sozialraum map --scheme sozialraeume data/raw/beispiel_2021.csv --rate sgb2_quote --output sgb2.png"

GeometryOption = Annotated[
    Optional[Path],
    typer.Option("--geometry", help="GeoJSON-Datei mit den Flächen der Einheiten (Standard: die mitgelieferte, nur zur mitgelieferten Zuordnung).", metavar="DATEI", show_default=False),
]
CodePropertyOption = Annotated[
    str, typer.Option("--code-property", help="Eigenschaft der GeoJSON-Objekte mit dem Schlüssel der Einheit (z. B. PLR_ID).", metavar="NAME")
]


def map(  # noqa: A001 - the command's name
    dateien: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Datei(en) mit Bezirksstatistik; ohne Datei zeigt die Karte nur die Räume.", metavar="DATEI...", show_default=False),
    ] = None,
    scheme: Annotated[
        Optional[str],
        typer.Option("--scheme", "-s", help="Schema der Karte (Standard: das erste Schema der Zuordnung).", metavar="SCHEMA", show_default=False),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Bilddatei: .png, .svg oder .pdf (Pflicht).", metavar="DATEI", show_default=False)
    ] = None,
    value: Annotated[Optional[str], typer.Option("--value", help="Anzahl, als Kreise mit wertproportionaler Fläche gezeigt.", metavar="MERKMAL", show_default=False)] = None,
    rate: Annotated[Optional[str], typer.Option("--rate", help="Quote oder Anteil, als Flächenkarte in Klassen eingefärbt (z. B. sgb2_quote).", metavar="NAME", show_default=False)] = None,
    classes: Annotated[
        Optional[int],
        typer.Option("--classes", help="Zahl der Klassen bei --rate (Standard: 3 bis 8 Räume, 4 bis 15, sonst 5).", metavar="N",
                     click_type=GanzeZahl(2, 7), show_default=False),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="Klassenbildung: quantile (gleich viele Räume je Klasse), equal (gleich breite Klassen), jenks (natürliche Brüche) oder manual (mit --breaks).", metavar="VERFAHREN")
    ] = "quantile",
    breaks: Annotated[
        Optional[list[str]],
        typer.Option("--breaks", help="Klassengrenzen für --method manual, z. B. --breaks 3 --breaks 7,5 (mehrfach).", metavar="ZAHL", show_default=False),
    ] = None,
    source: SourceOption = None,
    index_name: Annotated[
        Optional[str],
        typer.Option("--index", help="Bezirke nach der Klasse dieses Index der Zuordnung einfärben.", metavar="NAME", show_default=False),
    ] = None,
    year: YearOption = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Überschrift der Karte.", metavar="TEXT", show_default=False)] = None,
    labels: Annotated[bool, typer.Option("--labels/--no-labels", help="Raumnamen (und Werte) beschriften.")] = True,
    compare: Annotated[bool, typer.Option("--compare", help="Beide Schemata nebeneinander zeigen.")] = False,
    width: Annotated[int, typer.Option("--width", help="Breite in Pixeln (bei PNG).", metavar="PX", click_type=GanzeZahl(200, 10000))] = 1600,
    height: Annotated[int, typer.Option("--height", help="Höhe in Pixeln (bei PNG).", metavar="PX", click_type=GanzeZahl(200, 10000))] = 1200,
    geometry: GeometryOption = None,
    code_property: CodePropertyOption = "id",
    config: ConfigOption = None,
    force: ForceOption = False,
    sheet: SheetOption = None,
    code_column: CodeColumnOption = None,
    name_column: NameColumnOption = None,
    symbol: SymbolOption = None,
    min_count: MinCountOption = None,
    no_disclosure: NoDisclosureOption = False,
) -> None:
    """Karte der Räume zeichnen, ohne Daten oder als Flächenkarte einer Anzahl oder Quote."""
    from ..aggregate import aggregate
    from ..errors import AufrufError
    from ..karte import FORMATE, draw_map
    from ..render import raumtabelle as darstellung
    from ..mapping import load_mapping
    from .schemes import resolve_schemes

    if output is None:
        raise AufrufError("map braucht eine Bilddatei: bitte --output DATEI.png (oder .svg, .pdf) angeben.",
                          hilfe="Beispiel: sozialraum map --scheme sozialraeume --output karte.png")
    from ..karte import METHODEN, Klassierung

    if method not in METHODEN:
        raise AufrufError(f"--method „{method}“: erwartet wird quantile, equal, jenks oder manual.")
    grenzen = tuple(_number(b) for b in breaks or [])
    if method == "manual" and not grenzen:
        raise AufrufError("--method manual braucht Klassengrenzen, z. B. --breaks 3 --breaks 6.")
    if grenzen and method not in ("manual", "quantile"):
        raise AufrufError("--breaks gilt nur mit --method manual.")
    if grenzen:
        method = "manual"
    if (classes or grenzen) and not rate:
        raise AufrufError("--classes, --method und --breaks gelten für Flächenkarten einer Quote (--rate).")
    klassierung = Klassierung(classes, method, grenzen)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATE:
        raise AufrufError(f"--output „{output}“: erwartet wird eine Datei .png, .svg oder .pdf.")
    if value and rate:
        raise AufrufError("Bitte entweder --value oder --rate angeben, nicht beides.")
    if (value or rate or year) and not dateien:
        raise AufrufError("--value, --rate und --year brauchen eine Datendatei.")
    zuordnung = load_mapping(config)
    check_output(output, force=force, inputs=[*(dateien or []), zuordnung.datei])
    (schema,) = resolve_schemes(zuordnung, scheme or next(iter(zuordnung.schemata)), nur_eines=True)
    schemata = [schema]
    if compare:
        other = next((s for s in zuordnung.schemata.values() if s.name != schema.name), None)
        if other is None:
            raise AufrufError("--compare braucht ein zweites Schema in der Zuordnung.")
        schemata.append(other)
    geo = load_geo(zuordnung, geometry, code_property)
    if index_name is not None:
        from .index_map import index_map

        data = index_map(zuordnung, schema, geo, dateien, index_name, year=year, value=value, rate=rate, compare=compare,
                         sheet=sheet, symbol=symbol, title=title, labels=labels, width=width, height=height, fmt=fmt)
        emit(data, output, force=force, inputs=[*(dateien or []), zuordnung.datei, geo.datei])
        return
    werte = None
    regel = schutz(zuordnung, min_count, no_disclosure)
    if dateien:
        daten = load_data(zuordnung, Eingabe(dateien, config=config, sheet=sheet, code_spalte=code_column, name_spalte=name_column, symbole=symbol, geometrie=geometry,
                                             jahr=year))
        werte = []
        tabellen = [aggregate(zuordnung, s, daten, jahr=year, merkmale=[rate] if rate else ([value] if value else None))
                    for s in schemata]
        if regel.min_count is not None:  # all maps of one call together; a hidden value is hatched, never coloured
            from ..publication import protect

            tabellen = protect(zuordnung, daten, tabellen, regel.min_count).ergebnisse
        for t in tabellen:
            if value and not t.anzahlen:  # a rate, share or mean given to --value
                raise AufrufError(f"„{value}“ ist keine Anzahl; Quoten, Anteile und Mittelwerte bitte mit --rate zeigen.")
            if rate and not t.quoten:
                raise AufrufError(f"„{rate}“ ist keine Quote; Anzahlen bitte mit --value zeigen.")
            m = t.quoten[0] if rate else t.anzahlen[0]
            werte.append(darstellung.kartenwerte(t, m))
    data = draw_map(geo, schemata, werte=werte, titel=title, labels=labels, breite=width, hoehe=height, format=fmt,
                    zusatz=regel.hinweis if werte else None, klassierung=klassierung,
                    quelle=source or zuordnung.quelle or None)
    emit(data, output, force=force, inputs=[*(dateien or []), zuordnung.datei, geo.datei])


def _number(text: str) -> float:
    """A class break as written: 7,5 or 7.5 or 1.234 (a thousands point only with three digits after it)."""
    import re

    from ..errors import AufrufError

    t = text.strip()
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t):
        t = t.replace(".", "")
    try:
        return float(t.replace(",", "."))
    except ValueError:
        raise AufrufError(f"--breaks „{text}“: erwartet wird eine Zahl, z. B. 7,5.") from None
