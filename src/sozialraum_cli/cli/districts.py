"""`sozialraum districts`: every district with its Raum in each scheme (or those in given Räume)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import resolve_format, write_result
from .options import ConfigOption, ForceOption, FormatOption, OutputOption

EPILOG = ("Beispiele: sozialraum districts --format markdown; welche Einheiten des Raums Lobeda zugleich im "
          "Sozialraum Lobeda liegen: sozialraum districts --area planungsraeume=Lobeda --area sozialraeume=Lobeda")


def districts(
    area: Annotated[Optional[list[str]], typer.Option(
        "--area", help="Nur die Einheiten in diesem Raum; mehrfach: die in allen genannten Räumen zugleich.",
        metavar="SCHEMA=RAUM", show_default=False)] = None,
    config: ConfigOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Alle Einheiten (Bezirke) mit ihrem Raum in jedem Schema auflisten."""
    from ..mapping import load_mapping
    from ..mapping.importer import parse_pairs
    from ..mapping.nesting import einheiten_in
    from ..render import zuordnung as darstellung

    fmt = resolve_format(fmt, output)
    zuordnung = load_mapping(config)
    raeume = parse_pairs(area, "--area") if area else []
    nrs, raeume = einheiten_in(zuordnung, raeume) if raeume else (None, [])
    text = (" in " + " und ".join(f"„{r}“ ({s})" for s, r in raeume)) if raeume else ""
    write_result(
        fmt, output, force=force, inputs=[zuordnung.datei],
        tabellen=lambda: darstellung.bezirke_tabellen(zuordnung, nrs, text),
        records=lambda: darstellung.bezirke_records(zuordnung, nrs),
        json_doc=lambda: darstellung.bezirke_json(zuordnung, nrs),
        xlsx=lambda: darstellung.bezirke_xlsx(zuordnung, nrs, text),
    )
