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
    from .. import render
    from ..aggregate import aggregate
    from ..errors import AufrufError
    from ..geo import count_points, locate_file
    from ..mapping import load_mapping
    from .schemes import resolve_schemes

    fmt = resolve_format(fmt, output)
    if points_output is not None and output is not None and points_output.resolve() == output.resolve():
        raise AufrufError("--points-output und --output nennen dieselbe Datei.")
    if fmt is Format.xlsx:
        raise AufrufError("locate schreibt kein xlsx; bitte csv, json, markdown oder table.")
    zuordnung = load_mapping(config)
    (schema,) = resolve_schemes(zuordnung, scheme or next(iter(zuordnung.schemata)))
    geo = load_geo(zuordnung, geometry, code_property)
    orte = locate_file(geo, punkte, lat=lat, lon=lon, x=x, y=y, crs=crs, category=category, sheet=sheet)
    header, lagen, kategorien = orte.header, orte.lagen, orte.kategorien  # orte.rows: read only for --points-output
    einwohner = None
    if population is not None:
        daten = load_data(zuordnung, Eingabe([population], config=config, jahr=year))
        t = aggregate(zuordnung, schema, daten, jahr=year, merkmale=[population_value])
        einwohner = {z.raum: (z.wert(m) if z.werte[m].vollstaendig else None)
                     for z in t.zeilen for m in [t.anzahlen[0].name]}
    from ..output import check_target

    for option, path in (("--points-output", points_output), ("--output", output)):
        if path is not None:  # before any result is shown
            check_target(path, force=force, inputs=[punkte, zuordnung.datei], option=option)
    tabelle, cats = count_points(lagen, schema, kategorien, einwohner)
    problems = lagen.ohne_bezirk()
    notes = [f"Zeile {l.zeile}: {l.grund}" for l in problems[:11]]  # _shorten counts the rest
    summary = f"{len(lagen)} Orte, {len(lagen) - len(problems)} einem Bezirk zugeordnet, {len(problems)} nicht zugeordnet."
    if schema.aufgeteilt:
        notes.append("Orte in aufgeteilten Bezirken zählen mit dem Anteil des Bezirks.")
    if points_output is not None:
        from ..output import write_atomic

        schemata = list(zuordnung.schemata.values())
        out_rows = [header + ["bezirk_nr", "bezirk_name", *(s.name for s in schemata), "hinweis"]]
        for (line, c), lage in zip(orte.rows, lagen):
            nr = lage.bezirk_nr
            areas = ["; ".join(r for r, _ in s.raeume_von(nr)) if nr else "" for s in schemata]
            out_rows.append([*(render.csv_value(v) for v in c[: len(header)]), *([""] * (len(header) - len(c))),
                             nr or "", zuordnung.bezirke[nr].name if nr in zuordnung.bezirke else "", *areas, lage.grund])
        import csv
        import io

        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(out_rows)
        write_atomic(points_output, buf.getvalue(), force=force, inputs=[punkte, zuordnung.datei], option="--points-output")
        say(f"Geschrieben: {points_output}")

    records = [
        {"schema": schema.name, "raum": r["raum"], "anzahl": render.maschinenzahl(r["anzahl"]),
         **{c: render.maschinenzahl(r[c]) for c in cats},
         **({"je_1000_einwohner": render.maschinenzahl(r["je_1000_einwohner"])} if einwohner is not None else {})}
        for _, r in tabelle.iterrows()
    ]
    notes = _shorten(notes, total=problems.grund_liste())
    if fmt is not Format.table:
        say(summary)
        for n in notes:
            say(f"Nicht zugeordnet: {n}" if n.startswith("Zeile") else f"Hinweis: {n}")

    def tabellen() -> list:
        spalten = [render.Spalte("Raum", False), render.Spalte("Orte"), *(render.Spalte(c) for c in cats)]
        if einwohner is not None:
            spalten.append(render.Spalte("je 1.000 Einwohner"))
        zeilen = []
        for _, r in tabelle.iterrows():
            row = [r["raum"], render.anzahl(r["anzahl"]), *(render.anzahl(r[c]) for c in cats)]
            if einwohner is not None:
                row.append(render.zahl(r["je_1000_einwohner"], 2))
            zeilen.append(row)
        return [render.Tabelle(
            titel=f"Orte je Raum – {schema.titel}, {punkte.name}",
            spalten=spalten, zeilen=zeilen[:-1], summenzeilen=zeilen[-1:],
            fussnoten=[summary, *(f"Nicht zugeordnet: {n}" if n.startswith("Zeile") else f"Hinweis: {n}" for n in notes)],
        )]

    write_result(
        fmt, output, force=force, inputs=[punkte, zuordnung.datei],
        tabellen=tabellen, records=lambda: records,
        json_doc=lambda: {**render.meta(), "datei": str(punkte), "schema": schema.name, "zeilen": records,
                          "nicht_zugeordnet": [{"zeile": l.zeile, "grund": l.grund} for l in problems]},
    )


def _shorten(notes: list[str], limit: int = 10, total: list[str] | None = None) -> list[str]:
    """Many unlocated points: counts per reason and the first lines (all of them in JSON and --points-output).
    `notes` holds at least the first limit + 1 lines; `total` the reason of every unlocated point."""
    lines = [n for n in notes if n.startswith("Zeile")]
    n_lines = len(total) if total is not None else len(lines)
    if n_lines <= limit:
        return notes
    from collections import Counter

    reasons = Counter(total if total is not None else (n.split(": ", 1)[-1] for n in lines))
    out = [n for n in notes if not n.startswith("Zeile")]
    out += [f"{count:,} Orte nicht zugeordnet: {reason}.".replace(",", ".") for reason, count in reasons.most_common()]
    out += lines[:limit]
    out.append(f"… und {n_lines - limit:,} weitere Zeilen (alle in --points-output und im JSON).".replace(",", "."))
    return out
