"""`sozialraum schemes`: the schemes of the mapping with their Räume and districts."""

from __future__ import annotations

from .common import resolve_format, write_result
from .options import ConfigOption, ForceOption, FormatOption, OutputOption

EPILOG = "Beispiel: sozialraum schemes --format csv > raeume.csv"


def resolve_schemes(zuordnung, name: str) -> list:
    """The schemes named on the command line ('all' = every scheme of the mapping)."""
    from ..errors import AufrufError

    from ..mapping import name_key

    if name == "all":
        return list(zuordnung.schemata.values())
    if name in zuordnung.schemata:
        return [zuordnung.schemata[name]]
    # case, umlauts and punctuation do not count, and the title works too ("sozialräume", "6 Planungsräume")
    key = name_key(name)
    found = [s for s in zuordnung.schemata.values() if key in (name_key(s.name), name_key(s.titel))]
    if len(found) == 1:
        return found
    raise AufrufError(
        f"Das Schema „{name}“ gibt es in der Zuordnung nicht. Vorhanden: {', '.join(zuordnung.schemata)}, all."
    )


def schemes(
    config: ConfigOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Schemata der Zuordnung mit ihren Räumen und Bezirken auflisten."""
    from .. import render
    from ..mapping import load_mapping

    fmt = resolve_format(fmt, output)
    zuordnung = load_mapping(config)
    records = [
        {
            "schema": s.name,
            "raum": raum.name,
            "bezirk_nr": nr,
            "bezirk_name": zuordnung.bezirke[nr].name,
            "anteil": render.maschinenzahl(anteil),
        }
        for s in zuordnung.schemata.values()
        for raum in s.raeume
        for nr, anteil in raum.anteile.items()
    ]
    def tabellen() -> list:
        out = []
        for s in zuordnung.schemata.values():
            zeilen = []
            for raum in s.raeume:
                names = ", ".join(
                    f"{nr} {zuordnung.bezirke[nr].name}" + (f" ({render.prozent(100 * a)})" if a != 1 else "")
                    for nr, a in raum.anteile.items()
                )
                zeilen.append([raum.name, str(len(raum.anteile)), names])
            out.append(
                render.Tabelle(
                    titel=f"{s.titel} (Schema „{s.name}“)",
                    spalten=[render.Spalte("Raum", False), render.Spalte("Bezirke"), render.Spalte("Nummer und Name", False)],
                    zeilen=zeilen,
                    fussnoten=[f"Quelle: {s.quelle}"] + ([f"Hinweis: {s.hinweis}"] if s.hinweis else []),
                )
            )
        return out

    def json_doc() -> dict:
        return {
            **render.meta(),
            "zuordnung": str(zuordnung.datei),
            "schemata": [
                {
                    "schema": s.name,
                    "titel": s.titel,
                    "quelle": s.quelle,
                    "hinweis": s.hinweis,
                    "raeume": [
                        {"raum": r.name, "bezirke": [{"bezirk_nr": nr, "anteil": a} for nr, a in r.anteile.items()]}
                        for r in s.raeume
                    ],
                }
                for s in zuordnung.schemata.values()
            ],
        }

    write_result(
        fmt, output, force=force, inputs=[zuordnung.datei], tabellen=tabellen, records=lambda: records, json_doc=json_doc
    )
