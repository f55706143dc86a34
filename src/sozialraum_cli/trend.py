"""Development over the years: per Raum the series of one count, its change and average annual change."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .aggregate import aggregate
from .raumtabelle import ART_DIFFERENZ, ART_RAUM, Raumtabelle
from .errors import AufrufError, InputError
from .mapping import ANZAHL, Merkmal, Schema, Zuordnung
from .reading import BEKANNT, LAYOUT_STICHTAGE, Bezirksdaten


_CHANGES = ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent")


@dataclass
class Entwicklung:
    schema: Schema
    merkmal: Merkmal
    jahre: list[int]
    # one row per Raum (then Gesamt, nicht zugeordnet): raum, art, one column per year, then
    # veraenderung (last - first), veraenderung_prozent, mittel_jahr (per year), mittel_jahr_prozent (compound)
    zeilen: pd.DataFrame
    datei: str = ""
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    geheim: dict = field(default_factory=dict)  # (raum, year or change column) -> kind, under disclosure control
    geheimhaltung: object | None = None  # disclosure.Geheimhaltung when applied


def trend(
    zuordnung: Zuordnung,
    schema: Schema,
    daten: Bezirksdaten,
    *,
    merkmal: str | None = None,
    von: int | None = None,
    bis: int | None = None,
) -> Entwicklung:
    """The series of `merkmal` per Raum from `von` to `bis` (all years with values by default)."""
    if daten.layout != LAYOUT_STICHTAGE:
        raise InputError(
            "Für eine Entwicklung braucht die Datei mehrere Jahre (eine Spalte je Stichtag oder eine Jahresspalte).",
            datei=daten.datei,
        )
    counts = list(dict.fromkeys(s.merkmal for s in daten.spalten if s.art == ANZAHL))
    if not counts:
        raise InputError("Die Datei enthält keine summierbaren Anzahlen für eine Entwicklung.", datei=daten.datei)
    merkmal = merkmal or counts[0]
    if merkmal not in counts:
        raise AufrufError(f"„{merkmal}“ ist keine Anzahl der Datei. Vorhanden: {', '.join(counts)}.", datei=daten.datei,
                          parameter="merkmal")
    known = daten.daten[(daten.daten["merkmal"] == merkmal) & daten.daten["status"].isin(BEKANNT)]
    with_values = sorted(int(j) for j in known["jahr"].dropna().unique())
    jahre = [j for j in with_values if (von is None or j >= von) and (bis is None or j <= bis)]
    for grenze, name in ((von, "von"), (bis, "bis")):
        if grenze is not None and grenze not in with_values:
            raise AufrufError(
                f"{grenze}: Für dieses Jahr enthält die Datei keine Werte "
                f"(vorhanden: {with_values[0]}–{with_values[-1]}).",
                datei=daten.datei, parameter=name,
            )
    if len(jahre) < 2:
        raise InputError("Für eine Entwicklung braucht es mindestens zwei Jahre mit Werten.", datei=daten.datei)
    tabellen = [aggregate(zuordnung, schema, daten, jahr=j, merkmale=[merkmal]) for j in jahre]
    return entwicklung(tabellen, merkmal, datei=daten.bezeichnung)


def entwicklung(tabellen: list[Raumtabelle], merkmal: str, *, datei: str = "") -> Entwicklung:
    """The series of one count over area results of several years (one scheme, one result per year).

    Values hidden by disclosure control stay hidden, and a change is hidden with either of its ends.
    """
    jahre = [t.jahr for t in tabellen]
    # the rows of every year (a difference to the total row may exist in some years only)
    rows: dict[str, str] = {}
    for t in tabellen:
        rows.update({z.raum: z.art for z in t.zeilen if z.raum not in rows})
    out = pd.DataFrame({"raum": list(rows), "art": list(rows.values())})
    geheim: dict = {}
    for j, t in zip(jahre, tabellen):
        by_name = {z.raum: z.werte[merkmal] for z in t.zeilen}
        agrees = any(a.raum == "Gesamt" and a.merkmal == merkmal and a.status == "stimmt" for a in t.abgleich)
        values = []
        for raum, art in rows.items():
            w = by_name.get(raum)
            if w is not None and w.geheim:
                geheim[(raum, str(j))] = w.geheim
            if w is None and art == ART_DIFFERENZ and agrees:
                values.append(0.0)  # this year the total row agrees: the difference is 0
            elif w is None or not w.vollstaendig or w.wert is None:
                values.append(float("nan"))
            else:
                values.append(w.wert)
        out[str(j)] = values
    a, b = out[str(jahre[0])], out[str(jahre[-1])]
    span = jahre[-1] - jahre[0]
    out["veraenderung"] = b - a
    out["veraenderung_prozent"] = 100 * (b - a) / a.where(a != 0)
    out["mittel_jahr"] = (b - a) / span
    out["mittel_jahr_prozent"] = [
        100 * ((y / x) ** (1 / span) - 1) if x and x > 0 and not math.isnan(x) and not math.isnan(y) else float("nan")
        for x, y in zip(a, b)
    ]
    for raum in rows:  # a change is hidden with either of its ends
        ends = [geheim.get((raum, str(j))) for j in (jahre[0], jahre[-1])]
        if any(ends):
            out.loc[out["raum"] == raum, list(_CHANGES)] = float("nan")
            geheim.update({(raum, c): "primaer" if "primaer" in ends else "sekundaer" for c in _CHANGES})
    warnungen = list(dict.fromkeys(w for t in tabellen for w in t.warnungen))
    info = next(m for m in tabellen[0].anzahlen if m.name == merkmal)
    return Entwicklung(
        schema=tabellen[0].schema,
        merkmal=info,
        jahre=jahre,
        zeilen=out[out["art"].isin([ART_RAUM, "gesamt", "nicht_zugeordnet", "differenz"])].reset_index(drop=True),
        datei=datei,
        geheim=geheim,
        warnungen=warnungen,
        hinweise=[
            f"Veränderung {jahre[0]}–{jahre[-1]}; Mittel je Jahr = Veränderung / {span} Jahre; "
            f"Mittel je Jahr in % = durchschnittliche jährliche Wachstumsrate ((Endwert/Anfangswert)^(1/{span}) − 1)."
        ],
    )
