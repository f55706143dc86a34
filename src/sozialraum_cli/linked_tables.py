"""The numbers of area tables, district lists and crosswalks as linear forms (see linked.py):
the vocabulary in which publication.protect describes everything a command writes.
"""

from __future__ import annotations

import math
from typing import Any

from .linked import Ergebnis, Publikation
from .mapping import GESAMT, NICHT_ZUGEORDNET, Zuordnung

NZ = "nz"  # unknown: the not-assignable row
G = "G"  # unknown: the file's total row where it differs from the districts' sum
NZ_ZEILE = "nicht zugeordnet"
REST = "rest"  # unknowns ("rest", schema, raum, remainder): an area's remainder row (hierarchical codes)
_TOL = 1e-6


def rest_key(schema: str, raum: str, rest: str) -> tuple:
    return (REST, schema, raum, rest)


def ist_rest(k: Any) -> bool:
    return isinstance(k, tuple) and len(k) == 4 and k[0] == REST


def _nan(v: Any) -> bool:
    try:
        return v is None or math.isnan(float(v))
    except (TypeError, ValueError):
        return True


class Bezirkswerte:
    """Known district values per (indicator, year) of one data set, read once."""

    def __init__(self, zuordnung: Zuordnung, daten: Any) -> None:
        self.zuordnung, self.daten = zuordnung, daten
        self.nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
        self.gesamt = zuordnung.code_fuer(GESAMT)
        self._cache: dict = {}

    def werte(self, merkmal: str, jahr: int | None) -> dict:
        """{district nr or NZ or rest_key or G: value} for known values; G only when the total row differs
        from the sum of all the others (districts, the not-assignable row and the areas' remainders)."""
        key = (merkmal, jahr)
        if key in self._cache:
            return self._cache[key]
        from .aggregate import select_year
        from .reste import reste_des_jahres
        from .reading import BEKANNT

        df, _, _ = select_year(self.daten, jahr)
        sel = df[(df["merkmal"] == merkmal) & df["status"].isin(BEKANNT)]
        raw = {int(nr): float(w) for nr, w in zip(sel["bezirk_nr"], sel["wert"])}
        out: dict = {nr: v for nr, v in raw.items() if nr in self.zuordnung.bezirke}
        if self.nz is not None and self.nz in raw:
            out[NZ] = raw[self.nz]
        reste = reste_des_jahres(self.daten, jahr)
        if reste is not None:
            r = reste[(reste["merkmal"] == merkmal) & reste["status"].isin(BEKANNT)]
            out.update({rest_key(s, raum, rest): float(w) for s, raum, rest, w in zip(r["schema"], r["raum"], r["rest"], r["wert"])})
        if self.gesamt is not None and self.gesamt in raw:
            total = sum(out.values())
            if abs(raw[self.gesamt] - total) > _TOL * max(1.0, abs(total)):
                out[G] = raw[self.gesamt]
        self._cache[key] = out
        return out

    def spaltenjahr(self, merkmal: str, jahr: int | None) -> int | None:
        """The year of the column `merkmal` used for `jahr` (a column with a date of its own keeps it)."""
        from .aggregate import columns_of_year

        key = ("spaltenjahr", merkmal, jahr)
        if key not in self._cache:
            s = columns_of_year(self.daten, jahr).get(merkmal)
            self._cache[key] = s.jahr if s is not None else jahr
        return self._cache[key]

    def produkt(self, name: str, a: str, b: str, faktor: float, jahr: int | None) -> dict:
        """Per district a × b / faktor (the reconstructed numerator of a share given with its basis)."""
        key = (name, jahr)
        if key not in self._cache:
            wa, wb = self.werte(a, jahr), self.werte(b, jahr)
            self._cache[key] = {k: wa[k] * wb[k] / faktor for k in wa if k in wb and k != G}
        return self._cache[key]


def refuse_unprotected(ergebnis: Ergebnis) -> None:
    """A small value that no further suppression protects: refuse rather than publish it."""
    if ergebnis.ungeschuetzt:
        from .errors import InputError

        names = ", ".join(sorted({f"{k[-2]} ({k[-1]})" if isinstance(k, tuple) and len(k) >= 2 else str(k)
                                  for k in ergebnis.ungeschuetzt})[:5])
        raise InputError(
            f"Geheimhaltung nicht herstellbar: {len(ergebnis.ungeschuetzt)} kleine Werte ließen sich auch mit "
            f"weiterer Unterdrückung nicht schützen (z. B. {names}). Bitte weniger Schemata, Jahre oder Merkmale "
            "zusammen ausgeben."
        )


def area_form(schema: Any, raum: str, werte: dict, reste: bool = False) -> dict:
    """A Raum's districts (with shares); with reste=True also its remainders (a count's Raum value)."""
    r = schema.raum(raum)
    form = {nr: a for nr, a in r.anteile.items() if nr in werte}
    if reste:
        form.update({k: 1.0 for k in werte if ist_rest(k) and k[1] == schema.name and k[2] == raum})
    return form


def gesamt_form(werte: dict) -> dict:
    if G in werte:
        return {G: 1.0}
    return {k: 1.0 for k in werte}


def _value(form: dict, werte: dict) -> float:
    return sum(c * werte[k] for k, c in form.items())


def _sensibel(zuordnung: Zuordnung, name: str) -> bool:
    m = zuordnung.merkmale.get(name)
    return m is None or (m.ganzzahlig and m.quelle != "geometrie")


def quote_teile(bw: Bezirkswerte, q: Any, jahr: int | None) -> list[tuple[str, dict, bool]]:
    """The summed quantities a published rate, share, ratio or mean gives away with its value."""
    z = bw.zuordnung
    if q.art == "bewegung":
        return []
    if q.art == "mittelwert":
        return [(q.gewicht, bw.werte(q.gewicht, jahr), _sensibel(z, q.gewicht))] if q.gewicht else []
    if q.basis:
        name = f"{q.name} × {q.basis}"
        return [(name, bw.produkt(name, q.name, q.basis, q.faktor, jahr), True),
                (q.basis, bw.werte(q.basis, jahr), _sensibel(z, q.basis))]
    return [(p, bw.werte(p, jahr), _sensibel(z, p)) for p in q.teile]


def cell_key(schema: str, jahr: int | None, raum: str, merkmal: str) -> tuple:
    """Area cells of one scheme; "Gesamt" and the not-assignable row are shared by every scheme."""
    if raum in ("Gesamt", NZ_ZEILE):
        return ("*", jahr, raum, merkmal)
    return (schema, jahr, raum, merkmal)


def add_count(pub: Publikation, bw: Bezirkswerte, schema: Any, jahr: int | None, raum: str, name: str,
              werte: dict, sensibel: bool, wert: float | None = None, rest: Any = None) -> tuple | None:
    """One published sum of `name` for a row of an area table; returns its key. A Raum's sum includes
    its remainders (like its value); `rest`: the unknown (rest_key) of a remainder's own line."""
    from .raumtabelle import DIFFERENZ_ZEILE

    bj = bw.spaltenjahr(name.split(" × ")[0], jahr)
    block = (name, bj)
    pub.add_bezirke(block, {k: v for k, v in werte.items() if k != G}, bj, sensibel)
    if raum == "Gesamt":
        form = gesamt_form(werte)
    elif raum == NZ_ZEILE:
        form = {NZ: 1.0} if NZ in werte else {}
    elif raum == DIFFERENZ_ZEILE:
        if G not in werte:
            return None
        form = {k: (1.0 if k == G else -1.0) for k in werte}  # people in no district: sensitive too
        key = ("*", jahr, raum, name)
        pub.add(key, block, form, _value(form, werte), sensibel)
        return key
    elif rest is not None:
        form = {rest: 1.0} if rest in werte else {}
    else:
        form = area_form(schema, raum, werte, reste=True)
    if not form and (raum == NZ_ZEILE or rest is not None):
        return None
    key = cell_key(schema.name, jahr, raum, name)
    pub.add(key, block, form, _value(form, werte) if wert is None else wert, sensibel)
    return key


def bezirk_key(bw: Bezirkswerte, nr: Any, merkmal: str, jahr: int | None) -> tuple:
    """A district's own value (nr, or NZ for the not-assignable row) as published in a district list."""
    bj = bw.spaltenjahr(merkmal, jahr)
    return ("bezirk", bj, nr, merkmal)


def add_bezirk(pub: Publikation, bw: Bezirkswerte, nr: Any, merkmal: str, jahr: int | None,
               gewicht: float = 1.0) -> tuple | None:
    """A district value published in a list (the district sheet, the districts that change Raum)."""
    werte = bw.werte(merkmal, jahr)
    if nr not in werte:
        return None
    bj = bw.spaltenjahr(merkmal, jahr)
    sensibel = _sensibel(bw.zuordnung, merkmal)
    pub.add_bezirke((merkmal, bj), {k: v for k, v in werte.items() if k != G}, bj, sensibel)
    if gewicht == 1.0:
        key = bezirk_key(bw, nr, merkmal, jahr)
        pub.add(key, (merkmal, bj), {nr: 1.0}, werte[nr], sensibel)
    else:
        key = ("bezirksteil", bj, nr, gewicht, merkmal)
        pub.add(key, (merkmal, bj), {nr: gewicht}, werte[nr] * gewicht, sensibel)
    return key


def add_kreuz(pub: Publikation, bw: Bezirkswerte, schema_a: Any, schema_b: Any, merkmal: str, jahr: int | None,
              werte_matrix: Any) -> dict:
    """The cells of a crosswalk A × B with its margins; returns (a, b) -> key."""
    werte = bw.werte(merkmal, jahr)
    bj = bw.spaltenjahr(merkmal, jahr)
    sensibel = _sensibel(bw.zuordnung, merkmal)
    pub.add_bezirke((merkmal, bj), {k: v for k, v in werte.items() if k != G}, bj, sensibel)
    fa = {r: area_form(schema_a, r, werte) for r in schema_a.raum_namen}
    fb = {r: area_form(schema_b, r, werte) for r in schema_b.raum_namen}
    fa["Gesamt"] = fb["Gesamt"] = {k: 1.0 for k in werte if k in bw.zuordnung.bezirke}
    keys = {}
    for a in werte_matrix.index:
        for b in werte_matrix.columns:
            v = werte_matrix.at[a, b]
            if _nan(v):
                continue
            form = {k: c * fb[b][k] for k, c in fa[a].items() if k in fb[b]}
            if a == "Gesamt" and b == "Gesamt":
                form = fa["Gesamt"]
            elif a == "Gesamt":
                form = fb[b]
            elif b == "Gesamt":
                form = fa[a]
            key = ("kreuz", schema_a.name, schema_b.name, jahr, a, b, merkmal)
            pub.add(key, (merkmal, bj), form, _value(form, werte), sensibel)
            keys[(a, b)] = key
    return keys
