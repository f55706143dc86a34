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
    from ..render import pruefung as darstellung

    for folder in (p for p in ausgaben if p.is_dir()):
        raise InputError("Das ist ein Ordner; audit braucht die Dateien darin, z. B. ORDNER/*.html.", datei=folder)
    eingabe = Eingabe(list(data or []), config=config)
    zuordnung = eingabe.zuordnung()
    daten = load_data(zuordnung, eingabe) if data else None
    start = time.perf_counter()
    result = audit_core(zuordnung, list(ausgaben), daten=daten, min_count=min_count, schutz=protection)
    dauer = time.perf_counter() - start
    tabelle = darstellung.tabelle(result, mit_daten=daten is not None, dateien=len(ausgaben), dauer=dauer)
    unsafe = sum(not b.sicher for b in result.befunde)
    from .common import terminal_width, use_color

    print(render.render_rich([tabelle], width=terminal_width(), color=use_color()), end="")
    if unsafe:
        say(f"Fehler: {unsafe} nicht veröffentlichte Werte lassen sich enger als der Schutzabstand eingrenzen.")
        raise typer.Exit(1)
