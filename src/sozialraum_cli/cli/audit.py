"""`sozialraum audit`: check written outputs together for values an attacker can narrow down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, load_data, say
from .options import ConfigOption, GanzeZahl, Zahl

EPILOG = (
    "Beispiel: sozialraum audit tabelle.json uebersicht.xlsx --data data/raw/beispiel_2021.csv --min-count 5"
)


def audit(
    ausgaben: Annotated[
        list[Path],
        typer.Argument(help="Geschriebene Ausgaben (JSON von aggregate/compare/trend, xlsx von aggregate/export, HTML von profile).",
                       metavar="AUSGABE...", show_default=False),
    ],
    data: Annotated[
        Optional[list[Path]],
        typer.Option("--data", help="Die Datendatei(en) der Ausgaben: dann werden die wahren Werte geprüft.",
                     metavar="DATEI", show_default=False),
    ] = None,
    min_count: Annotated[
        Optional[int],
        typer.Option("--min-count", help="Schwelle N (Standard: aus den Hinweisen der Ausgaben).", metavar="N",
                     click_type=GanzeZahl(min=2), show_default=False),
    ] = None,
    protection: Annotated[
        Optional[float],
        typer.Option("--protection", help="Schutzabstand p (Standard: N).", metavar="P", click_type=Zahl(min=0), show_default=False),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Ausgaben zusammen prüfen: wie genau lässt sich jede unterdrückte Zelle eingrenzen?"""
    import time

    from .. import render
    from ..audit import audit as audit_core
    from ..errors import InputError

    for folder in (p for p in ausgaben if p.is_dir()):
        raise InputError("Das ist ein Ordner; audit braucht die Dateien darin, z. B. ORDNER/*.html.", datei=folder)
    eingabe = Eingabe(list(data or []), config=config)
    zuordnung = eingabe.zuordnung()
    daten = load_data(zuordnung, eingabe) if data else None
    start = time.perf_counter()
    result = audit_core(zuordnung, list(ausgaben), daten=daten, min_count=min_count, schutz=protection)
    dauer = time.perf_counter() - start
    zeilen = [
        [b.zelle, "" if b.wert is None else render.zahl(b.wert), render.zahl(b.unten, 1),
         "unbegrenzt" if b.oben == float("inf") else render.zahl(b.oben, 1), render.zahl(b.schutz),
         "geschützt" if b.sicher else "NICHT geschützt"]
        for b in result.befunde
        if daten is not None or b.ausgegeben or not b.sicher  # without data: districts only when at risk
    ]
    unsafe = sum(not b.sicher for b in result.befunde)
    notes = [
        f"Geprüft: {len(result.befunde)} Zellen aus {len(ausgaben)} Datei(en) zusammen; Schwelle {result.min_count}, "
        f"Schutzabstand {render.zahl(result.schutz)}; Rechenzeit {render.zahl(dauer, 1)} s.",
        "Intervall: kleinster und größter Wert, den die veröffentlichten Zahlen zusammen zulassen "
        "(Werte ≥ 0, alle Summen). Geschützt: obere Grenze ≥ Wert + Schutzabstand und untere Grenze ≤ Wert − "
        "Schutzabstand (oder 0).",
    ]
    if daten is None:
        notes.append("Ohne --data sind die wahren Werte unbekannt: markiert wird jede Zelle, die eine kleine Anzahl "
                     "sein kann und enger als der Schutzabstand eingegrenzt ist.")
    notes.append(f"Ergebnis: {unsafe} Zelle(n) nicht geschützt." if unsafe else "Ergebnis: alle Zellen geschützt.")
    tabelle = render.Tabelle(
        titel="Prüfung der Geheimhaltung",
        spalten=[render.Spalte("Zelle", False), render.Spalte("Wert"), render.Spalte("untere Grenze"),
                 render.Spalte("obere Grenze"), render.Spalte("Schutzabstand"), render.Spalte("Ergebnis", False)],
        zeilen=zeilen,
        fussnoten=notes,
    )
    from .common import terminal_width, use_color

    print(render.render_rich([tabelle], width=terminal_width(), color=use_color()), end="")
    if unsafe:
        say(f"Fehler: {unsafe} nicht veröffentlichte Werte lassen sich enger als der Schutzabstand eingrenzen.")
        raise typer.Exit(1)
