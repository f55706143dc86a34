"""Sum districts to Räume: counts summed, shares and rates recomputed, areas ranked, totals reconciled.

Knows nothing of where the data came from or how it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import InputError
from .mapping import GESAMT, NICHT_ZUGEORDNET, QUOTE, Merkmal, Schema, Zuordnung
from .reading import BEKANNT, FEHLT, LAYOUT_STICHTAGE, STATUS_TEXT, Bezirksdaten

ART_RAUM = "raum"
ART_GESAMT = "gesamt"
ART_NICHT_ZUGEORDNET = "nicht_zugeordnet"

STIMMT = "stimmt"
ABWEICHUNG = "abweichung"
NICHT_PRUEFBAR = "nicht_pruefbar"

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Abgleich:
    """Reconciliation of one count with the file's own total row."""

    merkmal: str
    summe: float | None  # districts plus the not-assignable row
    gesamtzeile: float | None
    status: str  # STIMMT, ABWEICHUNG or NICHT_PRUEFBAR
    grund: str = ""
    titel: str = ""

    @property
    def differenz(self) -> float | None:
        if self.summe is None or self.gesamtzeile is None:
            return None
        return self.summe - self.gesamtzeile


@dataclass
class Raumtabelle:
    """One scheme's areas with their sums, shares, rates and ranks, plus what the reader must know."""

    schema: Schema
    datei: str  # file name(s) for titles
    sha256: str  # of the first input file
    jahr: int | None
    anzahlen: list[Merkmal]
    quoten: list[Merkmal]
    sortierung: str
    aufsteigend: bool
    # one row per Raum in rank order, then "Gesamt" and (if present) "nicht zugeordnet";
    # columns: art, rang, raum, anzahl_bezirke, <c>, <c>_anteil, <c>_vollstaendig, <q>, status, fehlend
    zeilen: pd.DataFrame
    abgleich: list[Abgleich]
    fehlende_bezirke: list[int]
    aufgeteilte_bezirke: list[int]
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    quellen: list[tuple[str, str]] = field(default_factory=list)  # (path, SHA-256) of every input file
    geheim: set = field(default_factory=set)  # (raum, column) suppressed by disclosure control
    geheimhaltung: object | None = None  # disclosure.Geheimhaltung when applied

    @property
    def raeume(self) -> pd.DataFrame:
        return self.zeilen[self.zeilen["art"] == ART_RAUM]

    def zeile(self, raum: str) -> pd.Series:
        return self.zeilen.set_index("raum").loc[raum]


def merkmal_info(zuordnung: Zuordnung, name: str, titel: str | None = None) -> Merkmal:
    if name in zuordnung.merkmale:
        return zuordnung.merkmale[name]
    return Merkmal(name=name, titel=titel or name, art="anzahl")


def select_year(daten: Bezirksdaten, jahr: int | None) -> tuple[pd.DataFrame, int | None, list[str]]:
    """Rows of the tidy table for one year (files by indicator have no year)."""
    notes: list[str] = []
    df = daten.daten
    if daten.layout != LAYOUT_STICHTAGE:
        if jahr is not None:
            raise InputError(
                f"--year {jahr} passt nicht: Die Datei hat eine Spalte je Merkmal, nicht je Stichtag.",
                datei=daten.datei,
                hilfe="Bitte --year weglassen.",
            )
        return df, None, notes
    years = daten.jahre
    if jahr is None:
        jahr = daten.standard_jahr()
        if jahr is None:
            raise InputError("Die Datei enthält für keinen Stichtag Werte.", datei=daten.datei)
        notes.append(f"Kein --year angegeben: verwendet wird {jahr}, das letzte Jahr mit Werten.")
    if jahr not in years:
        raise InputError(
            f"Das Jahr {jahr} gibt es in der Datei nicht (vorhanden: {years[0]}–{years[-1]}).",
            datei=daten.datei,
        )
    df = df[df["jahr"] == jahr]
    if not df["status"].isin(BEKANNT).any():
        raise InputError(f"Für {jahr} enthält die Datei keine Werte (Spalte leer).", datei=daten.datei)
    return df, jahr, notes


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
    computed from the known districts and the rows stay marked incomplete).
    """
    lenient = unvollstaendige_zulassen
    if isinstance(schema, str):
        schema = zuordnung.schema(schema)
    df, jahr, hinweise = select_year(daten, jahr)
    hinweise = list(daten.hinweise) + hinweise
    warnungen: list[str] = []

    werte = df.pivot(index="bezirk_nr", columns="merkmal", values="wert")
    status = df.pivot(index="bezirk_nr", columns="merkmal", values="status").fillna(FEHLT)
    spalten = {s.merkmal: s for s in daten.spalten if s.jahr == jahr}
    counts = [m for m, s in spalten.items() if s.art != QUOTE]
    input_rates = [m for m, s in spalten.items() if s.art == QUOTE]
    rates = [q for q in zuordnung.quoten() if q.zaehler in counts and q.nenner in counts]
    rate_names = [q.name for q in rates]
    for r in input_rates:
        titel = spalten[r].titel
        if r in rate_names:
            hinweise.append(f"Spalte „{titel}“ ist eine Quote: sie wird nicht summiert, sondern je Raum neu berechnet.")
        else:
            hinweise.append(
                f"Spalte „{titel}“ ist eine Quote oder ein Anteil und wird nicht summiert; "
                f"Zähler und Nenner sind nicht bekannt, daher ausgelassen."
            )

    shown_counts, shown_rates = counts, rates
    if merkmale:
        for name in merkmale:
            if name not in counts and name not in rate_names:
                raise InputError(_unknown_merkmal(name, counts, rate_names, input_rates), datei=daten.datei)
        shown_counts = [c for c in merkmale if c in counts]
        shown_rates = [q for q in rates if q.name in merkmale]
    if not shown_counts and not shown_rates:
        raise InputError("Die Datei enthält keine summierbaren Anzahlen.", datei=daten.datei)
    sort_key = sortierung or (shown_counts[0] if shown_counts else shown_rates[0].name)
    if sort_key not in shown_counts and sort_key not in [q.name for q in shown_rates]:
        raise InputError(
            f"Nach „{sort_key}“ kann nicht sortiert werden: die Spalte wird nicht ausgegeben "
            f"(ausgegeben: {', '.join(shown_counts + [q.name for q in shown_rates])}).",
            datei=daten.datei,
        )

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
    nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
    gesamt_code = zuordnung.code_fuer(GESAMT)
    has_nz = nz is not None and nz in werte.index
    has_total = gesamt_code is not None and gesamt_code in werte.index

    members = pd.DataFrame(schema.zuordnung(), columns=["raum", "bezirk_nr", "anteil"])
    area_names = schema.raum_namen
    result = pd.DataFrame({"raum": area_names})
    result["anzahl_bezirke"] = members.groupby("raum", sort=False)["bezirk_nr"].nunique().reindex(area_names).values
    gesamt_row: dict = {"raum": "Gesamt", "anzahl_bezirke": len(bezirke)}
    nz_row: dict = {"raum": "nicht zugeordnet", "anzahl_bezirke": 0}
    gaps: dict[str, list[str]] = {name: [] for name in area_names}
    gaps_total: list[str] = []
    gaps_nz: list[str] = []
    sums: dict[str, tuple[pd.Series, pd.Series, float, bool, float | None, bool]] = {}
    abgleich: list[Abgleich] = []

    for c in counts:
        v = werte[c].reindex(bezirke) if c in werte else pd.Series(index=bezirke, dtype=float)
        st = status[c].reindex(bezirke).fillna(FEHLT)
        known = st.isin(BEKANNT)
        alloc = members["bezirk_nr"].map(v).fillna(0.0) * members["anteil"]
        ok = members["bezirk_nr"].map(known)
        area_sum = alloc.groupby(members["raum"], sort=False).sum().reindex(area_names)
        area_ok = ok.groupby(members["raum"], sort=False).all().reindex(area_names)
        for nr in st.index[~known]:
            reason = "fehlt in der Datei" if nr in fehlende else STATUS_TEXT[st[nr]]
            text = f"{c}: Bezirk {nr} ({zuordnung.bezirke[nr].name}) {reason}"
            for raum, _ in schema.raeume_von(nr):
                gaps[raum].append(text)
            gaps_total.append(text)
        nz_value, nz_ok = 0.0, True
        if has_nz:
            nz_status = status.at[nz, c]
            nz_ok = nz_status in BEKANNT
            nz_value = float(werte.at[nz, c]) if nz_ok else 0.0
            if not nz_ok:
                text = f"{c}: Zeile nicht zugeordnet {STATUS_TEXT[nz_status]}"
                gaps_nz.append(text)
                gaps_total.append(text)
        total = float(v[known].sum()) + nz_value
        total_ok = bool(known.all()) and nz_ok
        total_row = None
        total_row_ok = False
        if has_total:
            total_row_ok = status.at[gesamt_code, c] in BEKANNT
            total_row = float(werte.at[gesamt_code, c]) if total_row_ok else None
            abgleich.append(_reconcile(merkmal_info(zuordnung, c, spalten[c].titel), total, total_ok, total_row))
        sums[c] = (area_sum, area_ok, total, total_ok, nz_value if has_nz else None, nz_ok)
        if c not in shown_counts:
            continue
        denominator = total if total_ok or (lenient and total_row is None) else total_row
        if not total_ok and total_row_ok:
            hinweise.append(f"Anteile an „{c}“ beziehen sich auf die Gesamtzeile der Datei, da Bezirkswerte fehlen.")
        result[c] = area_sum.values
        result[f"{c}_anteil"] = _share(area_sum.values, area_ok.values | lenient, denominator)
        result[f"{c}_vollstaendig"] = area_ok.values.astype(bool)
        gesamt_row[c] = total
        gesamt_row[f"{c}_anteil"] = 100.0 * total / denominator if denominator and (total_ok or lenient) else float("nan")
        gesamt_row[f"{c}_vollstaendig"] = total_ok
        nz_row[c] = nz_value if has_nz else float("nan")
        nz_row[f"{c}_anteil"] = _share([nz_value], [nz_ok or lenient], denominator)[0] if has_nz else float("nan")
        nz_row[f"{c}_vollstaendig"] = nz_ok

    for q in shown_rates:
        num, den = sums[q.zaehler], sums[q.nenner]
        ok_num, ok_den = num[1].values | lenient, den[1].values | lenient
        result[q.name] = _rate(num[0].values, ok_num, den[0].values, ok_den, q.faktor)
        gesamt_row[q.name] = _rate([num[2]], [num[3] or lenient], [den[2]], [den[3] or lenient], q.faktor)[0]
        nz_row[q.name] = (
            _rate([num[4]], [num[5] or lenient], [den[4]], [den[5] or lenient], q.faktor)[0] if has_nz else float("nan")
        )

    sort_values = result[sort_key].where(
        result.get(f"{sort_key}_vollstaendig", pd.Series(True, index=result.index)).astype(bool) | lenient
    )
    result["rang"] = sort_values.rank(ascending=aufsteigend, method="min").astype("Int64")
    result["_order"] = range(len(result))
    result = result.sort_values(["rang", "_order"], na_position="last").drop(columns="_order")
    result["art"] = ART_RAUM
    result["status"] = ["vollständig" if not gaps[r] else "unvollständig" for r in result["raum"]]
    result["fehlend"] = ["; ".join(gaps[r]) for r in result["raum"]]
    gesamt_row.update(art=ART_GESAMT, status="vollständig" if not gaps_total else "unvollständig")
    gesamt_row["fehlend"] = "; ".join(gaps_total)
    rows = [result, pd.DataFrame([gesamt_row])]
    if has_nz and any(sums[c][4] or not sums[c][5] for c in shown_counts):
        nz_row.update(art=ART_NICHT_ZUGEORDNET, status="vollständig" if not gaps_nz else "unvollständig")
        nz_row["fehlend"] = "; ".join(gaps_nz)
        rows.append(pd.DataFrame([nz_row]))
    table = pd.concat(rows, ignore_index=True)
    table["rang"] = table["rang"].astype("Int64")
    ordered = ["art", "rang", "raum", "anzahl_bezirke"]
    for c in shown_counts:
        ordered += [c, f"{c}_anteil", f"{c}_vollstaendig"]
    ordered += [q.name for q in shown_rates] + ["status", "fehlend"]
    table = table[ordered]

    for raum in area_names:
        if gaps[raum]:
            warnungen.append(f"Raum „{raum}“ ist unvollständig ({'; '.join(gaps[raum])}).")
    if lenient and any(gaps.values()):
        hinweise.append(
            "--allow-incomplete: Anteile, Quoten und Ränge unvollständiger Räume beruhen nur auf den bekannten Bezirken."
        )
    for a in abgleich:
        if a.status == ABWEICHUNG:
            warnungen.append(
                f"Abgleich „{a.merkmal}“: Summe der Bezirke {a.summe:g} weicht von der Gesamtzeile "
                f"{a.gesamtzeile:g} ab (Differenz {a.differenz:+g})."
            )
    if schema.aufgeteilt:
        hinweise.append(
            "Aufgeteilte Bezirke: "
            + ", ".join(f"{nr} ({zuordnung.bezirke[nr].name})" for nr in schema.aufgeteilt)
            + "; ihre Anzahlen werden nach den Anteilen der Zuordnung verteilt."
        )
    return Raumtabelle(
        schema=schema,
        datei=daten.bezeichnung,
        sha256=daten.sha256,
        quellen=[(str(p), h) for p, h in daten.quellen],
        jahr=jahr,
        anzahlen=[merkmal_info(zuordnung, c, spalten[c].titel) for c in shown_counts],
        quoten=list(shown_rates),
        sortierung=sort_key,
        aufsteigend=aufsteigend,
        zeilen=table,
        abgleich=abgleich,
        fehlende_bezirke=fehlende,
        aufgeteilte_bezirke=schema.aufgeteilt,
        warnungen=warnungen,
        hinweise=hinweise,
    )


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


def _reconcile(m: Merkmal, total: float, total_ok: bool, total_row: float | None) -> Abgleich:
    if total_row is None:
        return Abgleich(m.name, total if total_ok else None, None, NICHT_PRUEFBAR, "Gesamtzeile ohne Wert", m.titel)
    if not total_ok:
        return Abgleich(m.name, None, total_row, NICHT_PRUEFBAR, "Bezirkswerte unvollständig", m.titel)
    same = abs(total - total_row) <= _TOLERANCE * max(1.0, abs(total_row))
    return Abgleich(m.name, total, total_row, STIMMT if same else ABWEICHUNG, titel=m.titel)


def _unknown_merkmal(name: str, counts: list[str], rates: list[str], input_rates: list[str]) -> str:
    if name in input_rates:
        return (
            f"„{name}“ ist eine Quote aus der Datei; sie kann nicht summiert werden, "
            f"und Zähler und Nenner sind in der Zuordnung nicht festgelegt."
        )
    return f"Das Merkmal „{name}“ gibt es nicht. Vorhanden: {', '.join(counts + rates) or 'keine'}."
