"""Rendering of `sozialraum mapping check`: a summary of a valid mapping (units, schemes with their
Räume, which scheme nests in which, indicator kinds, symbols)."""

from __future__ import annotations

from typing import Any

from .formats import Spalte, Tabelle, meta


def zusammenfassung(zuordnung) -> dict[str, Any]:
    from ..mapping.nesting import verschachtelung

    arten: dict[str, int] = {}
    for m in zuordnung.merkmale.values():
        arten[m.art] = arten.get(m.art, 0) + 1
    return {
        "einheiten": {"einzahl": zuordnung.einzahl, "mehrzahl": zuordnung.mehrzahl, "anzahl": len(zuordnung.bezirke),
                      "mit_schluessel": all(nr >= 0 for nr in zuordnung.bezirke)},
        "sondercodes": [{"nr": zuordnung.code_json(c.nr), "art": c.art, "name": c.name} for c in zuordnung.sondercodes.values()],
        "schemata": [{"schema": s.name, "titel": s.titel, "raeume": len(s.raeume),
                      "aufgeteilt": [zuordnung.code_json(nr) for nr in s.aufgeteilt]}
                     for s in zuordnung.schemata.values()],
        "verschachtelung": [{"fein": a, "grob": b} for a, b in verschachtelung(zuordnung)],
        "merkmale": arten,
        "symbole": dict(zuordnung.symbole),
        "indizes": list(zuordnung.indizes),
        "spalten": {k: v for k, v in vars(zuordnung.spalten).items() if v},
    }


def tabellen(zuordnung) -> list[Tabelle]:
    doc = zusammenfassung(zuordnung)
    e = doc["einheiten"]
    zeilen = [[e["mehrzahl"], f"{e['anzahl']}" + ("" if e["mit_schluessel"] else " (ohne Schlüssel: der Name ist der Schlüssel)")]]
    if doc["sondercodes"]:
        zeilen.append(["Sondercodes", "; ".join(f"{c['nr']} {c['name']} ({c['art']})" for c in doc["sondercodes"])])
    for s in doc["schemata"]:
        split = f", {len(s['aufgeteilt'])} aufgeteilt" if s["aufgeteilt"] else ""
        zeilen.append([f"Schema {s['schema']}", f"{s['titel']}: {s['raeume']} Räume{split}"])
    if doc["verschachtelung"]:
        zeilen.append(["Verschachtelung", "; ".join(f"{v['fein']} liegt in {v['grob']}" for v in doc["verschachtelung"])])
    else:
        zeilen.append(["Verschachtelung", "keine: kein Schema liegt ganz in einem anderen"])
    zeilen.append(["Merkmale", ", ".join(f"{n} {art}" for art, n in doc["merkmale"].items()) or "keine"])
    if doc["symbole"]:
        zeilen.append(["Symbole", "; ".join(f"{k} = {v}" for k, v in doc["symbole"].items())])
    if doc["indizes"]:
        zeilen.append(["Indizes", ", ".join(doc["indizes"])])
    if doc["spalten"]:
        zeilen.append(["Spalten der Daten", "; ".join(
            f"{k} = {', '.join(v) if isinstance(v, tuple) else v}" for k, v in doc["spalten"].items())])
    return [Tabelle(
        titel=f"Zuordnung {zuordnung.datei.name}: gültig",
        spalten=[Spalte("Teil", False), Spalte("Inhalt", False)],
        zeilen=zeilen,
        fussnoten=[f"SHA-256 {zuordnung.sha256}"],
    )]


def records(zuordnung) -> list[dict[str, Any]]:
    return [{"teil": t, "inhalt": i} for t, i in tabellen(zuordnung)[0].zeilen]


def json_doc(zuordnung) -> dict[str, Any]:
    return {**meta(), "zuordnung": str(zuordnung.datei), "sha256": zuordnung.sha256, **zusammenfassung(zuordnung)}
