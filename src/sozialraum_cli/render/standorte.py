"""Rendering of places per Raum (`Ortszaehlung`, from `locate`) in every format, and the per-point
CSV of --points-output."""

from __future__ import annotations

import csv
import io
from typing import Any

from .formats import Spalte, Tabelle, anzahl, csv_value, maschinenzahl, meta, zahl


def records(o) -> list[dict[str, Any]]:
    return [
        {"schema": o.schema.name, "raum": r["raum"], "anzahl": maschinenzahl(r["anzahl"]),
         **{c: maschinenzahl(r[c]) for c in o.kategorien},
         **({"je_1000_einwohner": maschinenzahl(r["je_1000_einwohner"])} if o.mit_einwohnern else {})}
        for _, r in o.tabelle.iterrows()
    ]


def _note(n: str) -> str:
    return f"Nicht zugeordnet: {n}" if n.startswith("Zeile") else f"Hinweis: {n}"


def meldungen(o) -> list[str]:
    """The lines people read on stderr with machine formats (in a table's footer otherwise)."""
    return [o.zusammenfassung, *(_note(n) for n in o.notizen())]


def tabellen(o) -> list[Tabelle]:
    spalten = [Spalte("Raum", False), Spalte("Orte"), *(Spalte(c) for c in o.kategorien)]
    if o.mit_einwohnern:
        spalten.append(Spalte("je 1.000 Einwohner"))
    zeilen = []
    for _, r in o.tabelle.iterrows():
        row = [r["raum"], anzahl(r["anzahl"]), *(anzahl(r[c]) for c in o.kategorien)]
        if o.mit_einwohnern:
            row.append(zahl(r["je_1000_einwohner"], 2))
        zeilen.append(row)
    return [Tabelle(titel=f"Orte je Raum – {o.schema.titel}, {o.datei.name}", spalten=spalten, zeilen=zeilen[:-1],
                    summenzeilen=zeilen[-1:], fussnoten=meldungen(o))]


def json_doc(o) -> dict[str, Any]:
    return {**meta(), "datei": str(o.datei), "schema": o.schema.name, "zeilen": records(o),
            "nicht_zugeordnet": [{"zeile": l.zeile, "grund": l.grund} for l in o.ohne_bezirk]}


def punkte_csv(zuordnung, orte) -> str:
    """Every point of the file with its district and its Raum in each scheme (--points-output)."""
    header = orte.header
    schemata = list(zuordnung.schemata.values())
    out = [header + ["bezirk_nr", "bezirk_name", *(s.name for s in schemata), "hinweis"]]
    for (_, c), lage in zip(orte.rows, orte.lagen):
        nr = lage.bezirk_nr
        areas = ["; ".join(r for r, _ in s.raeume_von(nr)) if nr else "" for s in schemata]
        out.append([*(csv_value(v) for v in c[: len(header)]), *([""] * (len(header) - len(c))),
                    nr or "", zuordnung.bezirke[nr].name if nr in zuordnung.bezirke else "", *areas, lage.grund])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(out)
    return buf.getvalue()
