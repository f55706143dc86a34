"""Rendering of the mapping itself (`Zuordnung`): its schemes with their Räume and districts
(`sozialraum schemes`) and every district with its Raum in each scheme (`sozialraum districts`),
in every format.
"""

from __future__ import annotations

from typing import Any

from .formats import Spalte, Tabelle, maschinenzahl, meta, prozent

# ----------------------------------------------------------------------------- schemes


def schemata_records(zuordnung) -> list[dict[str, Any]]:
    return [
        {"schema": s.name, "raum": raum.name, "bezirk_nr": zuordnung.code_json(nr), "bezirk_name": zuordnung.bezirke[nr].name,
         "anteil": maschinenzahl(anteil)}
        for s in zuordnung.schemata.values()
        for raum in s.raeume
        for nr, anteil in raum.anteile.items()
    ]


def _liegt_in(zuordnung) -> dict[str, list[str]]:
    from ..mapping.nesting import verschachtelung

    out: dict[str, list[str]] = {}
    for fein, grob in verschachtelung(zuordnung):
        out.setdefault(fein, []).append(grob)
    return out


def schemata_tabellen(zuordnung) -> list[Tabelle]:
    out = []
    nested = _liegt_in(zuordnung)
    for s in zuordnung.schemata.values():
        zeilen = []
        for raum in s.raeume:
            names = ", ".join(
                f"{zuordnung.code(nr)} {zuordnung.bezirke[nr].name}" + (f" ({prozent(100 * a)})" if a != 1 else "")
                for nr, a in raum.anteile.items()
            )
            zeilen.append([raum.name, str(len(raum.anteile)), names])
        out.append(Tabelle(
            titel=f"{s.titel} (Schema „{s.name}“)",
            spalten=[Spalte("Raum", False), Spalte(zuordnung.mehrzahl), Spalte("Nummer und Name", False)],
            zeilen=zeilen,
            fussnoten=[f"Quelle: {s.quelle}"] + ([f"Hinweis: {s.hinweis}"] if s.hinweis else [])
            + ([f"Liegt in: {', '.join(nested[s.name])} (jeder Raum ganz in einem Raum dort)"] if s.name in nested else []),
        ))
    return out


def schemata_json(zuordnung) -> dict[str, Any]:
    nested = _liegt_in(zuordnung)
    return {
        **meta(),
        "zuordnung": str(zuordnung.datei),
        "schemata": [
            {
                "schema": s.name, "titel": s.titel, "quelle": s.quelle, "hinweis": s.hinweis,
                "liegt_in": nested.get(s.name, []),
                "raeume": [{"raum": r.name, "bezirke": [{"bezirk_nr": zuordnung.code_json(nr), "anteil": a} for nr, a in r.anteile.items()]}
                           for r in s.raeume],
            }
            for s in zuordnung.schemata.values()
        ],
    }


# ----------------------------------------------------------------------------- districts


def _raum_text(s, nr: int, machine: bool) -> str:
    places = s.raeume_von(nr)
    if len(places) == 1:
        return places[0][0]
    if machine:
        return "; ".join(f"{r}={maschinenzahl(a)}" for r, a in places)
    return ", ".join(f"{r} ({prozent(100 * a)})" for r, a in places)


def _optional(zuordnung) -> tuple[bool, bool]:
    """Whether any unit has an Ortsteil and a Beleg (Jena's fields): their columns appear only then."""
    units = zuordnung.bezirke.values()
    return any(b.ortsteil for b in units), any(b.beleg for b in units)


def _auswahl(zuordnung, nrs: list[int] | None) -> list:
    return list(zuordnung.bezirke.values()) if nrs is None else [zuordnung.bezirke[nr] for nr in nrs]


def bezirke_records(zuordnung, nrs: list[int] | None = None) -> list[dict[str, Any]]:
    schemata = list(zuordnung.schemata.values())
    ortsteil, beleg = _optional(zuordnung)
    return [
        {"bezirk_nr": zuordnung.code_json(b.nr), "bezirk_name": b.name, **({"ortsteil": b.ortsteil} if ortsteil else {}),
         **{s.name: _raum_text(s, b.nr, True) for s in schemata}, "aliase": "; ".join(b.aliase),
         **({"beleg": b.beleg} if beleg else {})}
        for b in _auswahl(zuordnung, nrs)
    ]


def bezirke_tabellen(zuordnung, nrs: list[int] | None = None, auswahl_text: str = "") -> list[Tabelle]:
    schemata = list(zuordnung.schemata.values())
    ortsteil, beleg = _optional(zuordnung)
    titel = "Statistische Bezirke" if zuordnung.mehrzahl == "Bezirke" else zuordnung.mehrzahl
    return [Tabelle(
        titel=f"{titel}{auswahl_text} ({len(_auswahl(zuordnung, nrs))}) – {zuordnung.datei.name}",
        spalten=[Spalte("Nr."), Spalte("Name", False), *([Spalte("Ortsteil", False)] if ortsteil else []),
                 *(Spalte(s.titel, False) for s in schemata), *([Spalte("Beleg (Sozialraum)", False)] if beleg else [])],
        zeilen=[[b.schluessel, b.name, *([b.ortsteil] if ortsteil else []), *(_raum_text(s, b.nr, False) for s in schemata),
                 *([b.beleg] if beleg else [])]
                for b in _auswahl(zuordnung, nrs)],
        fussnoten=[f"Sondercodes (keine {zuordnung.mehrzahl}): "
                   + "; ".join(f"{c.schluessel} = {c.name}" for c in zuordnung.sondercodes.values())]
        if zuordnung.sondercodes else [],
    )]


def bezirke_json(zuordnung, nrs: list[int] | None = None) -> dict[str, Any]:
    return {**meta(), "zuordnung": str(zuordnung.datei), "bezirke": bezirke_records(zuordnung, nrs)}


# ----------------------------------------------------------------------------- xlsx


def _nr_spalte(zuordnung):
    from ..xlsx import XSpalte

    return XSpalte("Nr.", None if zuordnung.text_codes else "0")  # codes with leading zeros stay text


def bezirke_xlsx(zuordnung, nrs: list[int] | None = None, auswahl_text: str = "") -> bytes:
    """`districts` as one sheet: every unit with its Raum in each scheme (numbers as numbers, codes as written)."""
    from ..xlsx import Blatt, XSpalte, workbook_bytes

    (t,) = bezirke_tabellen(zuordnung, nrs, auswahl_text)
    schemata = list(zuordnung.schemata.values())
    ortsteil, beleg = _optional(zuordnung)
    spalten = [_nr_spalte(zuordnung), *(XSpalte(s.titel) for s in t.spalten[1:])]
    zeilen = [[zuordnung.code_json(b.nr), b.name, *([b.ortsteil] if ortsteil else []),
               *(_raum_text(s, b.nr, False) for s in schemata), *([b.beleg] if beleg else [])]
              for b in _auswahl(zuordnung, nrs)]
    blatt = Blatt(name=zuordnung.mehrzahl, spalten=spalten, zeilen=zeilen, titel=t.titel,
                  quelle=" ".join([f"Zuordnung: {zuordnung.datei.name}.", *t.fussnoten]))
    return workbook_bytes([blatt], titel=t.titel, thema="sozialraum districts")


def schemata_xlsx(zuordnung) -> bytes:
    """`schemes` as one sheet: one row per scheme, Raum and unit, with the unit's share."""
    from ..xlsx import Blatt, XSpalte, workbook_bytes

    spalten = [XSpalte("Schema"), XSpalte("Raum"), _nr_spalte(zuordnung), XSpalte(zuordnung.einzahl),
               XSpalte("Anteil (%)", "0.0##")]
    zeilen = [[s.titel, raum.name, zuordnung.code_json(nr), zuordnung.bezirke[nr].name, 100 * anteil]
              for s in zuordnung.schemata.values() for raum in s.raeume for nr, anteil in raum.anteile.items()]
    titel = f"Schemata der Zuordnung {zuordnung.datei.name}"
    blatt = Blatt(name="Schemata", spalten=spalten, zeilen=zeilen, titel=titel,
                  quelle=f"Zuordnung: {zuordnung.datei.name}", feste_spalten=2)
    return workbook_bytes([blatt], titel=titel, thema="sozialraum schemes")
