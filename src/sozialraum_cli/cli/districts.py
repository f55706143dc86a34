"""`sozialraum districts`: every district with its Raum in each scheme."""

from __future__ import annotations

from .common import resolve_format, write_result
from .options import ConfigOption, ForceOption, FormatOption, OutputOption

EPILOG = "Beispiel: sozialraum districts --format markdown"


def districts(
    config: ConfigOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Alle Bezirke mit ihrem Raum in jedem Schema auflisten."""
    from .. import render
    from ..mapping import load_mapping

    fmt = resolve_format(fmt, output)
    zuordnung = load_mapping(config)
    schemata = list(zuordnung.schemata.values())

    def raum_text(s, nr: int, machine: bool) -> str:
        places = s.raeume_von(nr)
        if len(places) == 1:
            return places[0][0]
        if machine:
            return "; ".join(f"{r}={render.maschinenzahl(a)}" for r, a in places)
        return ", ".join(f"{r} ({render.prozent(100 * a)})" for r, a in places)

    records = [
        {
            "bezirk_nr": b.nr,
            "bezirk_name": b.name,
            "ortsteil": b.ortsteil,
            **{s.name: raum_text(s, b.nr, True) for s in schemata},
            "aliase": "; ".join(b.aliase),
            "beleg": b.beleg,
        }
        for b in zuordnung.bezirke.values()
    ]
    def tabellen() -> list:
        return [
            render.Tabelle(
                titel=f"Statistische Bezirke ({len(records)}) – {zuordnung.datei.name}",
                spalten=[
                    render.Spalte("Nr."),
                    render.Spalte("Name", False),
                    render.Spalte("Ortsteil", False),
                    *(render.Spalte(s.titel, False) for s in schemata),
                    render.Spalte("Beleg (Sozialraum)", False),
                ],
                zeilen=[
                    [str(b.nr), b.name, b.ortsteil, *(raum_text(s, b.nr, False) for s in schemata), b.beleg]
                    for b in zuordnung.bezirke.values()
                ],
                fussnoten=[
                    "Sondercodes (keine Bezirke): "
                    + "; ".join(f"{c.nr} = {c.name}" for c in zuordnung.sondercodes.values())
                ],
            )
        ]

    write_result(
        fmt,
        output,
        force=force,
        inputs=[zuordnung.datei],
        tabellen=tabellen,
        records=lambda: records,
        json_doc=lambda: {**render.meta(), "zuordnung": str(zuordnung.datei), "bezirke": records},
    )
