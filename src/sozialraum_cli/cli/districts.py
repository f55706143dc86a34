"""`sozialraum districts`: every district with its Raum in each scheme (or those in given Räume)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import write_mapping_result
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
    from ..mapping.importer import parse_pairs
    from ..mapping.nesting import einheiten_in
    from ..render import zuordnung as d

    raeume = parse_pairs(area, "--area") if area else []

    def outputs(z) -> dict:
        nrs, named = einheiten_in(z, raeume) if raeume else (None, [])
        text = (" in " + " und ".join(f"„{r}“ ({s})" for s, r in named)) if named else ""
        return dict(tabellen=lambda: d.bezirke_tabellen(z, nrs, text), records=lambda: d.bezirke_records(z, nrs),
                    json_doc=lambda: d.bezirke_json(z, nrs), xlsx=lambda: d.bezirke_xlsx(z, nrs, text))

    write_mapping_result(config, fmt, output, force, outputs)
