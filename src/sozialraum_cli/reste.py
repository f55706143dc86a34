"""Remainders of Räume (hierarchical codes): a row of the file whose code is no unit but starts
with an area's code (`01990000 Bezirk (Mi) - nicht zuzuordnen` in Bezirk 01).

At the area's own level it counts in its Raum and is shown as its own line below it
(`davon Rest „…“`, raumtabelle.ART_REST); at finer levels it belongs to no Raum and counts in
Gesamt only. The sums are summen.Summen's; this module holds what `aggregate` needs for the
lines and the notes.
"""

from __future__ import annotations

import pandas as pd

from .mapping import BEWEGUNG, MITTELWERT, Merkmal, Schema
from .raumtabelle import rest_zeile, value_or_none
from .reading import BEKANNT, FEHLT, Bezirksdaten

# label of the remainder's line -> (its Raum, the remainder as the file names it, {indicator: (value, status)})
Reste = dict[str, tuple[str, str, dict[str, tuple[float, str]]]]


def reste_des_jahres(daten: Bezirksdaten, jahr: int | None) -> pd.DataFrame | None:
    """The file's remainder rows (schema, raum, rest, merkmal, wert, status, jahr) used for `jahr`."""
    r = daten.reste
    if r is None or r.empty:
        return None
    if jahr is not None:
        r = r[(r["jahr"] == jahr) | r["jahr"].isna()]
    return r


def hinweise(r: pd.DataFrame, schema: Schema, einzahl: str) -> list[str]:
    """One note on what a remainder line is (when this scheme has any); each remainder of another
    scheme named: in Gesamt only."""
    out = []
    for rest, s, raum in dict.fromkeys(zip(r["rest"], r["schema"], r["raum"])):
        if s != schema.name:
            out.append(f"Rest „{rest}“ gehört zu „{raum}“ (Schema „{s}“), aber zu keinem Raum dieses Schemas: "
                       "nur in Gesamt enthalten.")
        elif not any(x.startswith("Zeilen „davon Rest") for x in out):
            out.insert(0, f"Zeilen „davon Rest …“: Zeilen der Datei ohne {einzahl}, deren Schlüssel zum Raum darüber "
                          "gehört; dessen Werte enthalten sie. Sie haben keinen Rang.")
    return out


def eigene(r: pd.DataFrame | None, schema: Schema) -> Reste:
    """This scheme's remainders by the label of their line."""
    out: Reste = {}
    if r is None:
        return out
    areas = set(schema.raum_namen)
    for s, raum, rest, merkmal, wert, status in zip(r["schema"], r["raum"], r["rest"], r["merkmal"], r["wert"], r["status"]):
        if s == schema.name and raum in areas:
            out.setdefault(rest_zeile(rest), (raum, rest, {}))[2][merkmal] = (wert, status)
    return out


def wert(reste: Reste, label: str, merkmal: str) -> float | None:
    """A remainder's own known value of one indicator, else None."""
    w, status = reste[label][2].get(merkmal, (None, FEHLT))
    return value_or_none(w) if status in BEKANNT else None


def status(reste: Reste, label: str, merkmal: str) -> str:
    return reste[label][2].get(merkmal, (None, FEHLT))[1]


def quote(reste: Reste, label: str, q: Merkmal) -> float | None:
    """A remainder's rate from its own numerator and denominator (both known, else none); a mean, a
    share given with its basis or a flow of a single row is its own value."""
    if q.art in (BEWEGUNG, MITTELWERT) or q.basis or not q.zaehler or not q.nenner:
        return wert(reste, label, q.name)
    n, d = wert(reste, label, q.zaehler), wert(reste, label, q.nenner)
    if n is None or d is None or not d:
        return None
    return q.faktor * n / d
