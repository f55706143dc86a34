"""Sums of district values over the Räume of one scheme: counts, the numerators and denominators
of recomputed indicators, the not-assignable row, the file's total row and published subtotals,
and their reconciliation. Missing stays missing: a Raum with an unknown member is incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .mapping import BEWEGUNG, GESAMT, MITTELWERT, NICHT_ZUGEORDNET, Merkmal, Schema, Zuordnung, name_key
from .raumtabelle import ABWEICHUNG, NICHT_PRUEFBAR, STIMMT, Abgleich
from .reading import BEKANNT, FEHLT, STATUS_TEXT, Bezirksdaten

TOLERANCE = 1e-6


@dataclass
class Teil:
    """A summable quantity (a count, or a product built per district) summed to areas and the city."""

    area: pd.Series  # by Raum
    area_ok: pd.Series  # by Raum: every member district known
    total: float  # districts plus the not-assignable row
    total_ok: bool
    nz: float | None  # the not-assignable row (None: the file has none)
    nz_ok: bool
    published: float | None  # the file's total row (None: none, or not a known value)
    gaps: dict[str, list[str]]  # Raum / "Gesamt" / "nz" -> what is missing
    published_empty: bool = False  # the total row's cell is empty: nothing published, nothing to reconcile


class Summen:
    """Sums of per-district quantities over the areas of one scheme."""

    def __init__(self, zuordnung: Zuordnung, schema: Schema, werte: pd.DataFrame, status: pd.DataFrame,
                 fehlende: list[int], reste: pd.DataFrame | None = None) -> None:
        self.zuordnung, self.schema = zuordnung, schema
        self.reste = reste if reste is not None and not reste.empty else None
        self.werte, self.status, self.fehlende = werte, status, fehlende
        self.bezirke = list(zuordnung.bezirke)
        self.members = pd.DataFrame(schema.mitglieder(), columns=["raum", "bezirk_nr", "anteil"])
        self.nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
        self.gesamt = zuordnung.code_fuer(GESAMT)
        self.has_nz = self.nz is not None and self.nz in werte.index
        self.has_total = self.gesamt is not None and self.gesamt in werte.index
        self.cache: dict[str, Teil] = {}

    def column(self, c: str) -> tuple[pd.Series, pd.Series]:
        """Values and known-mask of one indicator over every row of the file (districts and special rows)."""
        index = self.werte.index
        v = self.werte[c] if c in self.werte else pd.Series(index=index, dtype=float)
        known = (self.status[c] if c in self.status else pd.Series(FEHLT, index=index)).isin(BEKANNT)
        return v.where(known), known

    def teil(self, key: str, label: str, v: pd.Series, known: pd.Series) -> Teil:
        if key in self.cache:
            return self.cache[key]
        names = self.schema.raum_namen
        vb = v.reindex(self.bezirke)
        kb = known.reindex(self.bezirke).fillna(False).astype(bool)
        alloc = self.members["bezirk_nr"].map(vb).fillna(0.0) * self.members["anteil"]
        ok = self.members["bezirk_nr"].map(kb)
        area = alloc.groupby(self.members["raum"], sort=False).sum().reindex(names)
        area_ok = ok.groupby(self.members["raum"], sort=False).all().reindex(names).astype(bool)
        area_any = ok.groupby(self.members["raum"], sort=False).any().reindex(names).astype(bool)
        area = area.where(area_any)  # no known district at all: unknown, not 0
        gaps: dict[str, list[str]] = {n: [] for n in [*names, "Gesamt", "nz"]}
        for nr in kb.index[~kb]:
            status = self._status(key, label, nr)
            reason = ("fehlt in der Datei" if nr in self.fehlende
                      else "Wert eines anderen Teils fehlt" if status in BEKANNT else status_text(status))
            text = f"{label}: {self.zuordnung.einzahl} {self.zuordnung.einheit_name(nr)} {reason}"
            for raum, _ in self.schema.raeume_von(nr):
                gaps[raum].append(text)
            gaps["Gesamt"].append(text)
        nz_value, nz_ok = 0.0, True
        if self.has_nz:
            nz_ok = bool(known.get(self.nz, False))
            nz_value = float(v[self.nz]) if nz_ok else 0.0
            if not nz_ok:
                status = self._status(key, label, self.nz)
                text = (f"{label}: Zeile nicht zugeordnet "
                        f"{'Wert eines anderen Teils fehlt' if status in BEKANNT else status_text(status)}")
                gaps["nz"].append(text)
                gaps["Gesamt"].append(text)
        published = None
        if self.has_total and bool(known.get(self.gesamt, False)):
            published = float(v[self.gesamt])
        empty = self.has_total and self._status(key, label, self.gesamt) == FEHLT
        teil = Teil(area, area_ok, float(vb[kb].sum()) + nz_value, bool(kb.all()) and nz_ok,
                     nz_value if self.has_nz else None, nz_ok, published, gaps, empty)
        self.cache[key] = teil
        return teil

    def _status(self, key: str, label: str, nr: int) -> str:
        col = key if key in self.status else label
        if col in self.status and nr in self.status.index:
            return self.status.at[nr, col]
        return FEHLT

    def count(self, c: str, label: str) -> Teil:
        v, known = self.column(c)
        return self._mit_resten(c, label, self.teil(c, label, v, known))

    def _mit_resten(self, c: str, label: str, teil: Teil) -> Teil:
        """A count with the remainders of Räume (hierarchical codes): in its Raum at the Raum's own level,
        and in the total at every level (where no Raum of the scheme takes it, like the not-assignable row)."""
        v, known, status = self.rest_spalte(c)
        return self.plus_reste(f"{c}\x00reste", label, teil, v, known, status)

    def rest_spalte(self, c: str) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Values, known-mask and status of one indicator over the remainder rows, by (schema, raum, rest)."""
        if self.reste is None:
            empty = pd.Series(dtype=float)
            return empty, empty.astype(bool), empty.astype(object)
        rows = self.reste[self.reste["merkmal"] == c]
        index = pd.MultiIndex.from_frame(self.reste[["schema", "raum", "rest"]].drop_duplicates())
        by = rows.set_index(["schema", "raum", "rest"])
        by = by[~by.index.duplicated(keep="last")]
        status = by["status"].reindex(index).fillna(FEHLT)
        known = status.isin(BEKANNT)
        return by["wert"].reindex(index).astype(float).where(known), known, status

    def plus_reste(self, key: str, label: str, teil: Teil, v: pd.Series, known: pd.Series, status: pd.Series) -> Teil:
        """`teil` with the remainder rows' values `v` added: to their Raum at its own level, to the total always.
        A remainder that is not known makes its Raum and the total incomplete (missing is not zero)."""
        if self.reste is None or v.empty:
            return teil
        if key in self.cache:
            return self.cache[key]
        area, area_ok = teil.area.copy(), teil.area_ok.copy()
        total, total_ok = teil.total, teil.total_ok
        gaps = {k: list(x) for k, x in teil.gaps.items()}
        for (schema, raum, rest), x, ok, st in zip(v.index, v.values, known.values, status.values):
            own = schema == self.schema.name and raum in area.index
            if not ok:
                text = f"{label}: Rest „{rest}“ {status_text(st)}"
                if own:
                    area_ok[raum] = False
                    gaps[raum].append(text)
                total_ok = False
                gaps["Gesamt"].append(text)
                continue
            if own and not pd.isna(area[raum]):
                area[raum] += float(x)
            total += float(x)
        new = replace(teil, area=area, area_ok=area_ok, total=total, total_ok=total_ok, gaps=gaps)
        self.cache[key] = new
        return new

    def product(self, key: str, label: str, a: str, b: str, factor: float = 1.0) -> Teil:
        """Σ (a × b × factor) per area: the numerator of a weighted mean or a reconstructed share."""
        va, ka = self.column(a)
        vb, kb = self.column(b)
        return self.teil(key, label, va * vb * factor, ka & kb)


def status_text(status: str) -> str:
    """Why a value of a row that is in the file is not known ("Wert fehlt": the cell is empty)."""
    return "Wert fehlt" if status == FEHLT else STATUS_TEXT[status]


def derived(q: Merkmal, summen: Summen, published: dict, lenient: bool) -> tuple[list[float], float, float, list[Teil]]:
    """Values of one recomputed indicator (or flow) per Raum, for Gesamt and the not-assignable row."""
    nan = float("nan")
    if q.art == BEWEGUNG:
        v, known = summen.column(q.name)
        values = []
        for r in summen.schema.raeume:
            only = next(iter(r.anteile)) if len(r.anteile) == 1 and next(iter(r.anteile.values())) == 1 else None
            if published.get((r.name, q.name)) is not None:
                values.append(published[(r.name, q.name)])
            elif only is not None and bool(known.get(only, False)):
                values.append(float(v[only]))
            else:
                values.append(nan)
        g = float(v[summen.gesamt]) if summen.has_total and bool(known.get(summen.gesamt, False)) else nan
        nzv = float(v[summen.nz]) if summen.has_nz and bool(known.get(summen.nz, False)) else nan
        return values, g, nzv, []
    parts = []
    for column in (summen.column, summen.rest_spalte):  # the file's rows, then the areas' remainder rows
        if q.art == MITTELWERT or q.basis:
            part = q.gewicht or q.basis
            faktor = 1.0 if q.art == MITTELWERT else q.faktor
            va, ka, *sa = column(q.name)
            vd, kd, *sd = column(part)
            vn, kn, label_n, label_d = va * vd / faktor, ka & kd, q.name, part
            if q.art == MITTELWERT:
                vn = va * vd
        else:
            vn, kn, *sa = column(q.zaehler)
            vd, kd, *sd = column(q.nenner)
            ka, faktor, label_n, label_d = kn, q.faktor, q.zaehler, q.nenner
        # why a remainder's part is unknown: the first part's status, else the second's
        parts.append((vn, kn, vd, kd, sa[0].where(~ka, sd[0]) if sa else None))
    (vn, kn, vd, kd, _), (rn, rkn, rd, rkd, rstatus) = parts
    # numerator and denominator over the same districts: a unit missing one part is missing both
    # (with --allow-incomplete the known units of a Raum then still give a consistent value)
    joint, rjoint = kn & kd, rkn & rkd
    num = summen.plus_reste(f"{q.name}|zaehler\x00reste", label_n,
                            summen.teil(f"{q.name}|zaehler", label_n, vn.where(joint), joint), rn.where(rjoint), rjoint, rstatus)
    den = summen.plus_reste(f"{q.name}|nenner\x00reste", label_d,
                            summen.teil(f"{q.name}|nenner", label_d, vd.where(joint), joint), rd.where(rjoint), rjoint, rstatus)
    values = rate(num.area.values, num.area_ok.values | lenient, den.area.values, den.area_ok.values | lenient, faktor)
    if num.published is not None and den.published is not None and not (q.art == MITTELWERT or q.basis):
        # a rate of two published totals: consistent with the counts' Gesamt
        g = rate([num.published], [True], [den.published], [True], faktor)[0]
    else:  # a mean or a reconstructed share is recomputed from the districts, never copied from the total row
        g = rate([num.total], [num.total_ok or lenient], [den.total], [den.total_ok or lenient], faktor)[0]
    nzv = rate([num.nz], [num.nz_ok or lenient], [den.nz], [den.nz_ok or lenient], faktor)[0] if summen.has_nz else nan
    return values, g, nzv, [num, den]


def subtotal_scheme(zuordnung: Zuordnung, daten: Bezirksdaten) -> tuple[str | None, str]:
    """The scheme the file's published subtotal rows belong to, and a note saying how it was decided.

    The rows name Räume; the scheme whose Räume are exactly those names wins, else the only scheme
    that has all of them. Names that fit several schemes equally are not used (nothing is guessed).
    """
    ts = daten.teilsummen
    if ts is None or ts.empty:
        return None, ""
    labels = {name_key(r): r for r in ts["raum"]}
    areas = {s.name: {name_key(r) for r in s.raum_namen} for s in zuordnung.schemata.values()}
    exact = [n for n, a in areas.items() if a == set(labels)]
    covering = [n for n, a in areas.items() if set(labels) <= a]
    listed = ", ".join(f"„{r}“" for r in labels.values())
    if len(exact) == 1:
        return exact[0], f"Teilsummen {listed} gelesen als die Räume des Schemas „{exact[0]}“ (genau dessen Räume)."
    if len(covering) == 1:
        return covering[0], f"Teilsummen {listed} gelesen als Räume des Schemas „{covering[0]}“ (nur dort gibt es alle)."
    levels = _levels(areas, set(labels))
    if levels:
        return "|".join(levels), (f"Teilsummen {listed} gelesen als die Räume der Schemata "
                                  f"{', '.join(f'„{n}“' for n in levels)} (mehrere Ebenen in einer Datei).")
    if covering:
        return None, (f"Teilsummen {listed} passen zu mehreren Schemata ({', '.join(covering)}); "
                      "sie werden weder abgeglichen noch verwendet.")
    return None, f"Teilsummen {listed} passen zu keinem Schema als Ganzes; sie werden weder abgeglichen noch verwendet."


def _levels(areas: dict[str, set[str]], labels: set[str]) -> list[str]:
    """Several levels in one file: schemes whose Räume together are exactly the labels, each label in
    exactly one of them (names shared by two levels would be a guess: then none)."""
    inside = [n for n, a in areas.items() if a <= labels]
    if len(inside) < 2 or set().union(*(areas[n] for n in inside)) != labels:
        return []
    if sum(len(areas[n]) for n in inside) != len(labels):
        return []
    return inside


def published_subtotals(daten: Bezirksdaten, spalten: dict, schema: Schema, owner: str | None) -> dict:
    """(Raum, indicator) -> the file's published subtotal for a Raum of `schema` (None: secret).

    Only when the subtotal rows belong to this scheme (see subtotal_scheme).
    """
    ts = daten.teilsummen
    if ts is None or ts.empty or owner is None or schema.name not in owner.split("|"):
        return {}
    by_key = {name_key(r): r for r in schema.raum_namen}
    out: dict[tuple[str, str], float | None] = {}
    for raum, j, merkmal, wert, status in zip(ts["raum"], ts["jahr"], ts["merkmal"], ts["wert"], ts["status"]):
        s = spalten.get(merkmal)
        if s is None or (None if pd.isna(j) else int(j)) != s.jahr or name_key(raum) not in by_key:
            continue
        if status != FEHLT:  # an empty cell publishes nothing; a secret one is "nicht prüfbar"
            out[(by_key[name_key(raum)], merkmal)] = float(wert) if status in BEKANNT else None
    return out


def share(values, ok, denominator: float | None) -> list[float]:
    nan = float("nan")
    if not denominator:
        return [nan for _ in values]
    return [100.0 * v / denominator if o else nan for v, o in zip(values, ok)]


def rate(num, num_ok, den, den_ok, faktor: float) -> list[float]:
    out = []
    for n, n_ok, d, d_ok in zip(num, num_ok, den, den_ok):
        out.append(faktor * n / d if n_ok and d_ok and d else float("nan"))
    return out


def reconcile(m: Merkmal, total: float, total_ok: bool, published: float | None, raum: str) -> Abgleich:
    row = "Gesamtzeile" if raum == "Gesamt" else "Teilsumme"
    if published is None:
        return Abgleich(m.name, total if total_ok else None, None, NICHT_PRUEFBAR, f"{row} ohne Wert", m.titel, raum)
    if not total_ok:
        return Abgleich(m.name, None, published, NICHT_PRUEFBAR, "Bezirkswerte unvollständig", m.titel, raum)
    same = abs(total - published) <= TOLERANCE * max(1.0, abs(published))
    return Abgleich(m.name, total, published, STIMMT if same else ABWEICHUNG, titel=m.titel, raum=raum)
