"""Sum districts to Räume: counts summed, rates, shares, ratios and means recomputed from summed
parts, areas ranked, published totals and subtotals reconciled.

Only counts are summed. Every column of the file gets a treatment (`Behandlung`) saying what was
done with it: summed, recomputed from which parts, weighted with what, or left out and why.
Knows nothing of where the data came from or how it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import AufrufError, InputError
from .mapping import (
    ABGELEITET,
    ANZAHL,
    BEWEGUNG,
    GESAMT,
    MITTELWERT,
    NICHT_AGGREGIERBAR,
    NICHT_ZUGEORDNET,
    Merkmal,
    Schema,
    Zuordnung,
    name_key,
)
from .reading import BEKANNT, FEHLT, LAYOUT_STICHTAGE, STATUS_TEXT, Bezirksdaten
from .treatment import suggestion

ART_RAUM = "raum"
ART_GESAMT = "gesamt"
ART_NICHT_ZUGEORDNET = "nicht_zugeordnet"
ART_DIFFERENZ = "differenz"
DIFFERENZ_ZEILE = "Differenz zur Gesamtzeile"

STIMMT = "stimmt"
ABWEICHUNG = "abweichung"
NICHT_PRUEFBAR = "nicht_pruefbar"

# how a column was treated (Behandlung.verfahren)
SUMMIERT = "summiert"
NEU_BERECHNET = "neu_berechnet"
GEWICHTET = "gewichtet"
REKONSTRUIERT = "rekonstruiert"
UEBERNOMMEN = "uebernommen"
AUSGELASSEN = "ausgelassen"

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Abgleich:
    """Reconciliation of one count with a published figure of the file: its total row or a subtotal row."""

    merkmal: str
    summe: float | None  # computed: districts (plus the not-assignable row for the total)
    gesamtzeile: float | None  # the published figure
    status: str  # STIMMT, ABWEICHUNG or NICHT_PRUEFBAR
    grund: str = ""
    titel: str = ""
    raum: str = "Gesamt"  # "Gesamt" for the total row, else the Raum of a published subtotal

    @property
    def differenz(self) -> float | None:
        if self.summe is None or self.gesamtzeile is None:
            return None
        return self.summe - self.gesamtzeile

    @property
    def differenz_prozent(self) -> float | None:
        d = self.differenz
        return None if d is None or not self.gesamtzeile else 100.0 * d / self.gesamtzeile


@dataclass(frozen=True)
class Behandlung:
    """What was done with one indicator: summed, recomputed from parts, weighted, or left out (why)."""

    merkmal: str
    titel: str
    art: str  # kind (mapping.ARTEN)
    verfahren: str  # SUMMIERT, NEU_BERECHNET, REKONSTRUIERT, GEWICHTET, UEBERNOMMEN or AUSGELASSEN
    text: str  # German, for people: "summiert", "neu berechnet aus … und …", "ausgelassen: …"
    stichtag: str | None = None
    vorschlag: str = ""  # the YAML line that would declare an undeclared column
    ausgegeben: bool = True  # shown in this output


@dataclass
class Raumtabelle:
    """One scheme's areas with their sums, shares, rates and ranks, plus what the reader must know."""

    schema: Schema
    datei: str  # file name(s) for titles
    sha256: str  # of the first input file
    jahr: int | None
    anzahlen: list[Merkmal]
    quoten: list[Merkmal]  # recomputed indicators (quote, anteil, verhaeltnis, mittelwert) and flows
    sortierung: str
    aufsteigend: bool
    # one row per Raum in rank order, then "Gesamt", (if present) "nicht zugeordnet" and the
    # "Differenz zur Gesamtzeile"; columns: art, rang, raum, anzahl_bezirke, <c>, <c>_anteil,
    # <c>_vollstaendig, <q>, status, fehlend
    zeilen: pd.DataFrame
    abgleich: list[Abgleich]
    fehlende_bezirke: list[int]
    aufgeteilte_bezirke: list[int]
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    quellen: list[tuple[str, str]] = field(default_factory=list)  # (path, SHA-256) of every input file
    geheim: set = field(default_factory=set)  # (raum, column) suppressed by disclosure control
    geheimhaltung: object | None = None  # disclosure.Geheimhaltung when applied
    behandlung: list[Behandlung] = field(default_factory=list)  # every indicator of the file and mapping
    nullzeichen: dict[str, int] = field(default_factory=dict)  # symbol -> cells read as 0
    veroeffentlicht: dict[tuple[str, str], float | None] = field(default_factory=dict)  # (raum, merkmal) -> published
    stichtage: dict[str, str] = field(default_factory=dict)  # merkmal -> reference date of its column

    @property
    def raeume(self) -> pd.DataFrame:
        return self.zeilen[self.zeilen["art"] == ART_RAUM]

    def zeile(self, raum: str) -> pd.Series:
        return self.zeilen.set_index("raum").loc[raum]


def merkmal_info(zuordnung: Zuordnung, name: str, titel: str | None = None) -> Merkmal:
    if name in zuordnung.merkmale:
        return zuordnung.merkmale[name]
    return Merkmal(name=name, titel=titel or name, art=ANZAHL)


def select_year(daten: Bezirksdaten, jahr: int | None) -> tuple[pd.DataFrame, int | None, list[str]]:
    """Rows of the tidy table for one year.

    Only indicators with columns for several dates (time series) are cut to the year; a column
    with a date of its own, or none, is used as it is and keeps its reference date.
    """
    notes: list[str] = []
    df = daten.daten
    if daten.layout != LAYOUT_STICHTAGE:
        if jahr is not None:
            raise AufrufError(
                f"{jahr} passt nicht: Die Datei hat eine Spalte je Merkmal, nicht je Stichtag.",
                datei=daten.datei, parameter="jahr",
                hilfe="Bitte ohne Jahresangabe aufrufen.",
            )
        return df, None, notes
    years = daten.jahre
    if jahr is None:
        jahr = daten.standard_jahr()
        if jahr is None:
            raise InputError("Die Datei enthält für keinen Stichtag Werte.", datei=daten.datei)
        if daten.reihen:
            notes.append(f"Kein --year angegeben: verwendet wird {jahr}, das letzte Jahr mit Werten.")
    if jahr not in years:
        raise AufrufError(
            f"Das Jahr {jahr} gibt es in der Datei nicht (vorhanden: {years[0]}–{years[-1]}).",
            datei=daten.datei, parameter="jahr",
        )
    series = daten.reihen
    keep = (df["jahr"] == jahr).fillna(False) | ~df["merkmal"].isin(series)
    df = df[keep]
    chosen = df[df["merkmal"].isin(series)] if series else df[df["jahr"].notna()]
    if not chosen["status"].isin(BEKANNT).any():
        raise InputError(f"Für {jahr} enthält die Datei keine Werte (Spalte leer).", datei=daten.datei)
    return df, jahr, notes


def columns_of_year(daten: Bezirksdaten, jahr: int | None) -> dict:
    """The file's columns used for `jahr` (see select_year), by indicator."""
    series = daten.reihen
    return {s.merkmal: s for s in daten.spalten if s.merkmal not in series or s.jahr == jahr}


@dataclass
class _Teil:
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


class _Summen:
    """Sums of per-district quantities over the areas of one scheme."""

    def __init__(self, zuordnung: Zuordnung, schema: Schema, werte: pd.DataFrame, status: pd.DataFrame,
                 fehlende: list[int]) -> None:
        self.zuordnung, self.schema = zuordnung, schema
        self.werte, self.status, self.fehlende = werte, status, fehlende
        self.bezirke = list(zuordnung.bezirke)
        self.members = pd.DataFrame(schema.zuordnung(), columns=["raum", "bezirk_nr", "anteil"])
        self.nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
        self.gesamt = zuordnung.code_fuer(GESAMT)
        self.has_nz = self.nz is not None and self.nz in werte.index
        self.has_total = self.gesamt is not None and self.gesamt in werte.index
        self.cache: dict[str, _Teil] = {}

    def column(self, c: str) -> tuple[pd.Series, pd.Series]:
        """Values and known-mask of one indicator over every row of the file (districts and special rows)."""
        index = self.werte.index
        v = self.werte[c] if c in self.werte else pd.Series(index=index, dtype=float)
        known = (self.status[c] if c in self.status else pd.Series(FEHLT, index=index)).isin(BEKANNT)
        return v.where(known), known

    def teil(self, key: str, label: str, v: pd.Series, known: pd.Series) -> _Teil:
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
                      else "Wert eines anderen Teils fehlt" if status in BEKANNT else _status_text(status))
            text = f"{label}: Bezirk {nr} ({self.zuordnung.bezirke[nr].name}) {reason}"
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
                        f"{'Wert eines anderen Teils fehlt' if status in BEKANNT else _status_text(status)}")
                gaps["nz"].append(text)
                gaps["Gesamt"].append(text)
        published = None
        if self.has_total and bool(known.get(self.gesamt, False)):
            published = float(v[self.gesamt])
        empty = self.has_total and self._status(key, label, self.gesamt) == FEHLT
        teil = _Teil(area, area_ok, float(vb[kb].sum()) + nz_value, bool(kb.all()) and nz_ok,
                     nz_value if self.has_nz else None, nz_ok, published, gaps, empty)
        self.cache[key] = teil
        return teil

    def _status(self, key: str, label: str, nr: int) -> str:
        col = key if key in self.status else label
        if col in self.status and nr in self.status.index:
            return self.status.at[nr, col]
        return FEHLT

    def count(self, c: str, label: str) -> _Teil:
        v, known = self.column(c)
        return self.teil(c, label, v, known)

    def product(self, key: str, label: str, a: str, b: str, factor: float = 1.0) -> _Teil:
        """Σ (a × b × factor) per area: the numerator of a weighted mean or a reconstructed share."""
        va, ka = self.column(a)
        vb, kb = self.column(b)
        return self.teil(key, label, va * vb * factor, ka & kb)


def aggregate(
    zuordnung: Zuordnung,
    schema: Schema | str,
    daten: Bezirksdaten,
    *,
    jahr: int | None = None,
    merkmale: list[str] | None = None,
    sortierung: str | None = None,
    aufsteigend: bool = False,
    strict: bool = False,
    unvollstaendige_zulassen: bool = False,
) -> Raumtabelle:
    """Sum the districts of `daten` to the Räume of `schema`.

    With strict=True a district of the mapping that is missing in the file is an error;
    otherwise it is reported and its Räume are marked incomplete. Shares, rates and ranks of
    incomplete sums are not published unless unvollstaendige_zulassen=True (then they are
    computed from the known districts and the rows stay marked incomplete). When the file has a
    total row, "Gesamt" is the published total and the difference to the computed sum is its own row.
    """
    lenient = unvollstaendige_zulassen
    if isinstance(schema, str):
        schema = zuordnung.schema(schema)
    df, jahr, hinweise = select_year(daten, jahr)
    hinweise = list(daten.hinweise) + hinweise
    warnungen: list[str] = []
    spalten = columns_of_year(daten, jahr)
    plan = _plan(zuordnung, spalten)
    counts = [b.merkmal for b in plan if b.verfahren == SUMMIERT]
    derived = [zuordnung.merkmale[b.merkmal] for b in plan
               if b.verfahren in (NEU_BERECHNET, REKONSTRUIERT, GEWICHTET, UEBERNOMMEN)]
    shown_counts, shown_derived = counts, derived
    if merkmale:
        merkmale = [_resolve_name(n, plan, zuordnung, daten) for n in merkmale]
    if sortierung:
        sortierung = _resolve_name(sortierung, plan, zuordnung, daten)
    if merkmale:
        for name in merkmale:
            if name not in counts and name not in [q.name for q in derived]:
                known = any(b.merkmal == name for b in plan)  # known but left out: the data's matter (exit 1)
                raise (InputError if known else AufrufError)(
                    _unknown_merkmal(name, plan, counts + [q.name for q in derived]), datei=daten.datei,
                    **({} if known else {"parameter": "merkmale"}))
        shown_counts = [c for c in merkmale if c in counts]
        shown_derived = [q for q in derived if q.name in merkmale]
    if not shown_counts and not shown_derived:
        raise InputError("Die Datei enthält keine summierbaren Anzahlen.", datei=daten.datei,
                         hilfe=_left_out_text(plan))
    shown_names = shown_counts + [q.name for q in shown_derived]
    sort_key = sortierung or shown_names[0]
    if sort_key not in shown_names:
        raise AufrufError(
            f"Nach „{sort_key}“ kann nicht sortiert werden: die Spalte wird nicht ausgegeben "
            f"(ausgegeben: {', '.join(shown_names)}).",
            datei=daten.datei, parameter="sortierung",
        )
    behandlung = [_shown(b, shown_names) for b in plan]

    werte = df.pivot(index="bezirk_nr", columns="merkmal", values="wert")
    status = df.pivot(index="bezirk_nr", columns="merkmal", values="status").fillna(FEHLT)
    bezirke = list(zuordnung.bezirke)
    fehlende = [nr for nr in bezirke if nr not in werte.index]
    if fehlende and strict:
        listed = ", ".join(f"{nr} ({zuordnung.bezirke[nr].name})" for nr in fehlende)
        raise InputError(
            f"{len(fehlende)} Bezirk(e) der Zuordnung fehlen in der Datei: {listed}.",
            datei=daten.datei,
            hilfe="Ohne --strict werden sie gemeldet und die betroffenen Räume als unvollständig markiert.",
        )
    for nr in fehlende:
        warnungen.append(f"Bezirk {nr} ({zuordnung.bezirke[nr].name}) fehlt in der Datei.")
    summen = _Summen(zuordnung, schema, werte, status, fehlende)
    owner, owner_note = subtotal_scheme(zuordnung, daten)
    if owner_note:
        hinweise.append(owner_note)
    published = _published_subtotals(daten, spalten, schema, owner)

    area_names = schema.raum_namen
    members = summen.members
    result = pd.DataFrame({"raum": area_names})
    result["anzahl_bezirke"] = members.groupby("raum", sort=False)["bezirk_nr"].nunique().reindex(area_names).values
    gesamt_row: dict = {"raum": "Gesamt", "anzahl_bezirke": len(bezirke)}
    nz_row: dict = {"raum": "nicht zugeordnet", "anzahl_bezirke": 0}
    diff_row: dict = {"raum": DIFFERENZ_ZEILE, "anzahl_bezirke": 0}
    gaps: dict[str, list[str]] = {n: [] for n in [*area_names, "Gesamt", "nz"]}
    abgleich: list[Abgleich] = []
    differs = False

    def note_gaps(t: _Teil) -> None:
        for k, texts in t.gaps.items():
            gaps[k] += [x for x in texts if x not in gaps[k]]

    for c in shown_counts:
        t = summen.count(c, c)
        note_gaps(t)
        info = merkmal_info(zuordnung, c, spalten[c].titel)
        if summen.has_total and not t.published_empty:
            abgleich.append(_reconcile(info, t.total, t.total_ok, t.published, "Gesamt"))
        for raum in area_names:
            if (raum, c) in published:
                abgleich.append(_reconcile(info, float(t.area[raum]), bool(t.area_ok[raum]), published[(raum, c)], raum))
        gesamt = t.published if t.published is not None else t.total
        gesamt_ok = t.published is not None or t.total_ok
        denominator = gesamt if gesamt_ok or lenient else None
        if t.published is not None and not (t.total_ok and abs(t.total - t.published) <= _TOLERANCE * max(1.0, t.published)):
            hinweise.append(f"„{info.titel}“: Gesamt ist die Gesamtzeile der Datei; Anteile beziehen sich auf sie.")
        result[c] = t.area.values
        result[f"{c}_anteil"] = _share(t.area.values, t.area_ok.values | lenient, denominator)
        result[f"{c}_vollstaendig"] = t.area_ok.values.astype(bool)
        gesamt_row[c] = gesamt
        gesamt_row[f"{c}_anteil"] = 100.0 * gesamt / denominator if denominator and gesamt_ok else float("nan")
        gesamt_row[f"{c}_vollstaendig"] = gesamt_ok
        nz_row[c] = t.nz if t.nz is not None and t.nz_ok else float("nan")
        nz_row[f"{c}_anteil"] = _share([t.nz], [t.nz_ok or lenient], denominator)[0] if t.nz is not None else float("nan")
        nz_row[f"{c}_vollstaendig"] = t.nz_ok
        diff = t.published - t.total if t.published is not None and t.total_ok else float("nan")
        differs |= diff != 0
        diff_row[c] = diff
        diff_row[f"{c}_anteil"] = _share([diff], [True], denominator)[0] if diff == diff else float("nan")
        diff_row[f"{c}_vollstaendig"] = diff == diff

    for q in shown_derived:
        values, g, nzv, parts_gaps = _derived(q, summen, published, lenient)
        v, known = summen.column(q.name)
        if q.art != BEWEGUNG and summen.has_total and bool(known.get(summen.gesamt, False)):
            stated = float(v[summen.gesamt])
            published[("Gesamt", q.name)] = stated
            if g == g and abs(stated - g) > max(0.051 * 10 ** -(q.nachkommastellen - 1), 0.01 * abs(g)):
                hinweise.append(f"„{q.titel}“: die Gesamtzeile der Datei nennt {_de(stated)}, neu berechnet aus den "
                                f"Bezirken ergibt sich {_de(g)}; ausgegeben wird der neu berechnete Wert.")
        for t in parts_gaps:
            note_gaps(t)
        result[q.name] = values
        gesamt_row[q.name] = g
        nz_row[q.name] = nzv
        diff_row[q.name] = float("nan")

    parts = {p for q in shown_derived for p in q.teile if p in counts and p not in shown_counts}
    for p in [c for c in counts if c in parts]:  # in file order
        t = summen.count(p, p)  # the parts of a recomputed indicator are reconciled too
        info = merkmal_info(zuordnung, p, spalten[p].titel)
        if summen.has_total and not t.published_empty:
            abgleich.append(_reconcile(info, t.total, t.total_ok, t.published, "Gesamt"))

    sort_values = result[sort_key].where(
        result.get(f"{sort_key}_vollstaendig", pd.Series(True, index=result.index)).astype(bool) | lenient
    )
    result["rang"] = sort_values.rank(ascending=aufsteigend, method="min").astype("Int64")
    result["_order"] = range(len(result))
    result = result.sort_values(["rang", "_order"], na_position="last").drop(columns="_order")
    result["art"] = ART_RAUM
    result["status"] = ["vollständig" if not gaps[r] else "unvollständig" for r in result["raum"]]
    result["fehlend"] = ["; ".join(gaps[r]) for r in result["raum"]]
    gesamt_row.update(art=ART_GESAMT, status="vollständig" if not gaps["Gesamt"] else "unvollständig")
    gesamt_row["fehlend"] = "; ".join(gaps["Gesamt"])
    rows = [result, pd.DataFrame([gesamt_row])]
    if summen.has_nz and any(summen.count(c, c).nz or not summen.count(c, c).nz_ok for c in shown_counts):
        nz_row.update(art=ART_NICHT_ZUGEORDNET, status="vollständig" if not gaps["nz"] else "unvollständig")
        nz_row["fehlend"] = "; ".join(gaps["nz"])
        rows.append(pd.DataFrame([nz_row]))
    if summen.has_total and differs and shown_counts:
        diff_row.update(art=ART_DIFFERENZ, status="vollständig", fehlend="")
        rows.append(pd.DataFrame([diff_row]))
    table = pd.concat(rows, ignore_index=True)
    table["rang"] = table["rang"].astype("Int64")
    ordered = ["art", "rang", "raum", "anzahl_bezirke"]
    for c in shown_counts:
        ordered += [c, f"{c}_anteil", f"{c}_vollstaendig"]
    ordered += [q.name for q in shown_derived] + ["status", "fehlend"]
    table = table[ordered]

    for raum in area_names:
        if gaps[raum]:
            warnungen.append(f"Raum „{raum}“ ist unvollständig ({'; '.join(gaps[raum])}).")
    if lenient and any(gaps[r] for r in area_names):
        hinweise.append(
            "--allow-incomplete: Anteile, Quoten und Ränge unvollständiger Räume beruhen nur auf den bekannten Bezirken."
        )
    warnungen += [abgleich_warnung(a) for a in abgleich if a.status == ABWEICHUNG]
    if schema.aufgeteilt:
        hinweise.append(
            "Aufgeteilte Bezirke: "
            + ", ".join(f"{nr} ({zuordnung.bezirke[nr].name})" for nr in schema.aufgeteilt)
            + "; ihre Anzahlen werden nach den Anteilen der Zuordnung verteilt."
        )
    used = set(shown_counts) | {p for q in shown_derived for p in (q.name, *q.teile)}
    nullzeichen: dict[str, int] = {}
    for (m, j), symbols in daten.nullzeichen.items():
        if m in used and spalten.get(m) is not None and spalten[m].jahr == j:
            for sym, n in symbols.items():
                nullzeichen[sym] = nullzeichen.get(sym, 0) + n
    return Raumtabelle(
        schema=schema,
        datei=daten.bezeichnung,
        sha256=daten.sha256,
        quellen=[(str(p), h) for p, h in daten.quellen],
        jahr=jahr,
        anzahlen=[merkmal_info(zuordnung, c, spalten[c].titel) for c in shown_counts],
        quoten=list(shown_derived),
        sortierung=sort_key,
        aufsteigend=aufsteigend,
        zeilen=table,
        abgleich=abgleich,
        fehlende_bezirke=fehlende,
        aufgeteilte_bezirke=schema.aufgeteilt,
        warnungen=warnungen,
        hinweise=list(dict.fromkeys(hinweise)),
        behandlung=behandlung,
        nullzeichen=nullzeichen,
        veroeffentlicht={k: v for k, v in published.items() if k[1] in shown_names},
        stichtage={m: s.stichtag for m, s in spalten.items() if s.stichtag and m in shown_names and s.jahr != jahr},
    )


def _status_text(status: str) -> str:
    """Why a value of a row that is in the file is not known ("Wert fehlt": the cell is empty)."""
    return "Wert fehlt" if status == FEHLT else STATUS_TEXT[status]


def _de(x: float) -> str:
    """A number in German style for messages: 8810 -> '8.810', -10 -> '−10', 15.873 -> '15,873'."""
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3f}".rstrip("0")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".").replace("-", "−")


def abgleich_warnung(a: Abgleich) -> str:
    what = "der Gesamtzeile" if a.raum == "Gesamt" else f"der veröffentlichten Teilsumme für „{a.raum}“"
    sign = "+" if a.differenz > 0 else ""
    return (f"Abgleich „{a.titel or a.merkmal}“: Summe der Bezirke {_de(a.summe)} weicht von {what} "
            f"{_de(a.gesamtzeile)} ab (Differenz {sign}{_de(a.differenz)}).")


# ----------------------------------------------------------------------------- treatment of each indicator

_FLOW_TEXT = (
    "nur übernommen, wo die Datei die Ebene schon enthält (Raum aus genau einem Bezirk, veröffentlichte "
    "Teilsumme, Gesamtzeile); Wanderungen zwischen Bezirken eines Raums würden sonst doppelt gezählt"
)


def _plan(zuordnung: Zuordnung, spalten: dict) -> list[Behandlung]:
    """How every indicator of the file (and every declared one computable from it) is treated."""
    ordered_counts = [m for m, s in spalten.items() if s.art == ANZAHL]
    counts = set(ordered_counts)
    out: list[Behandlung] = []
    for m, s in spalten.items():
        declared = zuordnung.merkmale.get(m)
        titel = declared.titel if declared else s.titel
        if s.art == ANZAHL:
            out.append(Behandlung(m, titel, ANZAHL, SUMMIERT, "summiert", s.stichtag))
        elif declared is not None and declared.art in ABGELEITET:
            out.append(_dates_note(_derived_plan(zuordnung, declared, counts, set(spalten), s.stichtag), declared, spalten))
        elif declared is not None and declared.art == BEWEGUNG:
            out.append(Behandlung(m, titel, BEWEGUNG, UEBERNOMMEN, _FLOW_TEXT, s.stichtag))
        else:
            if declared is not None:
                reason = declared.grund or "in der Zuordnung als nicht aggregierbar erklärt"
            else:
                reason = s.grund + "; nicht in der Zuordnung erklärt, daher nicht summiert"
            vorschlag = s.vorschlag
            if declared is None and s.art in ABGELEITET:
                vorschlag = suggestion(m, s.titel, s.art, teile=bool(counts))
                if counts:
                    reason += (f"; im Vorschlag die Platzhalter durch Anzahlen der Datei ersetzen ({', '.join(ordered_counts)}) "
                               f"– steht die Bezugsgröße nicht in der Datei: art: {NICHT_AGGREGIERBAR}")
            out.append(Behandlung(m, titel, s.art, AUSGELASSEN, f"ausgelassen: {reason}", s.stichtag, vorschlag, False))
    for q in zuordnung.quoten():
        if q.name not in spalten and q.zaehler and q.nenner and q.zaehler in counts and q.nenner in counts:
            out.append(_dates_note(_derived_plan(zuordnung, q, counts, set(spalten), None), q, spalten))
    return out


def _dates_note(b: Behandlung, q: Merkmal, spalten: dict) -> Behandlung:
    """Say so when a recomputation combines columns of different reference dates."""
    from dataclasses import replace

    if b.verfahren == AUSGELASSEN:
        return b
    used = [n for n in (q.name, *q.teile) if n in spalten]
    dates = {n: spalten[n].stichtag or "ohne Stichtag" for n in used}
    if len(set(dates.values())) <= 1:
        return b
    listed = ", ".join(f"„{spalten[n].titel}“ {d}" for n, d in dates.items())
    return replace(b, text=f"{b.text}; Achtung, verschiedene Stichtage: {listed}")


def _derived_plan(zuordnung: Zuordnung, q: Merkmal, counts: set[str], columns: set[str], stichtag: str | None) -> Behandlung:
    def titel(name: str) -> str:
        return zuordnung.merkmale[name].titel if name in zuordnung.merkmale else name

    needed = [*q.teile, *((q.name,) if q.art == MITTELWERT or q.basis else ())]
    missing = [p for p in needed if p not in (counts | ({q.name} & columns))]
    if missing:
        listed = " und ".join(f"„{titel(p)}“" for p in missing)
        return Behandlung(q.name, q.titel, q.art, AUSGELASSEN,
                          f"ausgelassen: {listed} fehlt in der Datei, daher nicht neu berechenbar", stichtag, "", False)
    faktor = f" × {q.faktor:g}".replace(".", ",") if q.faktor != 1 else ""
    if q.art == MITTELWERT:
        g = titel(q.gewicht)
        return Behandlung(q.name, q.titel, q.art, GEWICHTET,
                          f"gewichtet mit „{g}“: Summe (Wert × {g}) / Summe {g}", stichtag)
    if q.basis:
        b = titel(q.basis)
        return Behandlung(q.name, q.titel, q.art, REKONSTRUIERT,
                          f"neu berechnet: Zähler je Bezirk rekonstruiert (Wert × „{b}“{f' / {q.faktor:g}' if q.faktor != 1 else ''}), "
                          f"summiert und durch die Summe von „{b}“ geteilt{faktor}", stichtag)
    return Behandlung(q.name, q.titel, q.art, NEU_BERECHNET,
                      f"neu berechnet aus „{titel(q.zaehler)}“ und „{titel(q.nenner)}“{faktor} (Summen je Raum)", stichtag)


def _shown(b: Behandlung, shown: list[str]) -> Behandlung:
    from dataclasses import replace

    return b if b.verfahren == AUSGELASSEN else replace(b, ausgegeben=b.merkmal in shown)


def _derived(q: Merkmal, summen: _Summen, published: dict, lenient: bool) -> tuple[list[float], float, float, list[_Teil]]:
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
    if q.art == MITTELWERT or q.basis:
        part = q.gewicht or q.basis
        faktor = 1.0 if q.art == MITTELWERT else q.faktor
        va, ka = summen.column(q.name)
        vd, kd = summen.column(part)
        vn, kn, label_n, label_d = va * vd / faktor, ka & kd, q.name, part
        if q.art == MITTELWERT:
            vn = va * vd
    else:
        vn, kn = summen.column(q.zaehler)
        vd, kd = summen.column(q.nenner)
        faktor, label_n, label_d = q.faktor, q.zaehler, q.nenner
    # numerator and denominator over the same districts: a unit missing one part is missing both
    # (with --allow-incomplete the known units of a Raum then still give a consistent value)
    joint = kn & kd
    num = summen.teil(f"{q.name}|zaehler", label_n, vn.where(joint), joint)
    den = summen.teil(f"{q.name}|nenner", label_d, vd.where(joint), joint)
    values = _rate(num.area.values, num.area_ok.values | lenient, den.area.values, den.area_ok.values | lenient, faktor)
    if num.published is not None and den.published is not None and not (q.art == MITTELWERT or q.basis):
        # a rate of two published totals: consistent with the counts' Gesamt
        g = _rate([num.published], [True], [den.published], [True], faktor)[0]
    else:  # a mean or a reconstructed share is recomputed from the districts, never copied from the total row
        g = _rate([num.total], [num.total_ok or lenient], [den.total], [den.total_ok or lenient], faktor)[0]
    nzv = _rate([num.nz], [num.nz_ok or lenient], [den.nz], [den.nz_ok or lenient], faktor)[0] if summen.has_nz else nan
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
    if covering:
        return None, (f"Teilsummen {listed} passen zu mehreren Schemata ({', '.join(covering)}); "
                      "sie werden weder abgeglichen noch verwendet.")
    return None, f"Teilsummen {listed} passen zu keinem Schema als Ganzes; sie werden weder abgeglichen noch verwendet."


def _published_subtotals(daten: Bezirksdaten, spalten: dict, schema: Schema, owner: str | None) -> dict:
    """(Raum, indicator) -> the file's published subtotal for a Raum of `schema` (None: secret).

    Only when the subtotal rows belong to this scheme (see subtotal_scheme).
    """
    ts = daten.teilsummen
    if ts is None or ts.empty or owner != schema.name:
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


def _share(values, ok, denominator: float | None) -> list[float]:
    nan = float("nan")
    if not denominator:
        return [nan for _ in values]
    return [100.0 * v / denominator if o else nan for v, o in zip(values, ok)]


def _rate(num, num_ok, den, den_ok, faktor: float) -> list[float]:
    out = []
    for n, n_ok, d, d_ok in zip(num, num_ok, den, den_ok):
        out.append(faktor * n / d if n_ok and d_ok and d else float("nan"))
    return out


def _reconcile(m: Merkmal, total: float, total_ok: bool, published: float | None, raum: str) -> Abgleich:
    row = "Gesamtzeile" if raum == "Gesamt" else "Teilsumme"
    if published is None:
        return Abgleich(m.name, total if total_ok else None, None, NICHT_PRUEFBAR, f"{row} ohne Wert", m.titel, raum)
    if not total_ok:
        return Abgleich(m.name, None, published, NICHT_PRUEFBAR, "Bezirkswerte unvollständig", m.titel, raum)
    same = abs(total - published) <= _TOLERANCE * max(1.0, abs(published))
    return Abgleich(m.name, total, published, STIMMT if same else ABWEICHUNG, titel=m.titel, raum=raum)


def _resolve_name(name: str, plan: list[Behandlung], zuordnung: Zuordnung, daten: Bezirksdaten) -> str:
    """An indicator as a user writes it: its key, its title, an alias or the file's header; case,
    umlauts and punctuation do not count. Several matches are an error listing them."""
    if any(b.merkmal == name for b in plan):
        return name
    key = name_key(name)
    found: dict[str, None] = {}
    for b in plan:
        spellings = [b.merkmal, b.titel, *(zuordnung.merkmale[b.merkmal].schreibweisen if b.merkmal in zuordnung.merkmale else ())]
        spellings += [s.titel for s in daten.spalten if s.merkmal == b.merkmal]
        if key and key in {name_key(x) for x in spellings}:
            found[b.merkmal] = None
    if len(found) > 1:
        raise AufrufError(f"„{name}“ passt zu mehreren Merkmalen: {', '.join(found)}. Bitte eines davon angeben.",
                          datei=daten.datei)
    return next(iter(found), name)


def _unknown_merkmal(name: str, plan: list[Behandlung], available: list[str]) -> str:
    b = next((b for b in plan if b.merkmal == name), None)
    if b is not None and b.verfahren == AUSGELASSEN:
        text = f"„{b.titel}“ wird nicht ausgegeben: {b.text.removeprefix('ausgelassen: ')}."
        if b.vorschlag:
            text += f" Zum Erklären in der Zuordnung unter „merkmale:“ eintragen: {b.vorschlag}"
        return text
    return f"Das Merkmal „{name}“ gibt es nicht. Vorhanden: {', '.join(available) or 'keine'}."


def _left_out_text(plan: list[Behandlung]) -> str | None:
    left = [f"„{b.titel}“ ({b.text.removeprefix('ausgelassen: ')})" for b in plan if b.verfahren == AUSGELASSEN]
    return ("Ausgelassen: " + "; ".join(left) + ".") if left else None
