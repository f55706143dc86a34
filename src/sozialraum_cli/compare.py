"""Compare two schemes: crosswalk matrix, districts that change Raum, both schemes side by side.

Knows nothing of rendering. A district split over several Räume contributes to a cell with
the product of its shares in both schemes (its shares are taken as independent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .aggregate import Raumtabelle, aggregate, columns_of_year, merkmal_info, select_year
from .errors import AufrufError, InputError, MappingError
from .mapping import ANZAHL, NICHT_ZUGEORDNET, Merkmal, Schema, Zuordnung
from .reading import BEKANNT, FEHLT, STATUS_TEXT, Bezirksdaten


@dataclass(frozen=True)
class Wechsel:
    """A district (or the part of a split district) whose B Raum is not the main counterpart of its A Raum."""

    bezirk_nr: int
    name: str
    von: str  # Raum in scheme A
    nach: str  # Raum in scheme B
    hauptpartner: str  # the B counterpart of `von`
    anteil: float  # share of the district that moves this way (1 unless split)
    wert: float | None  # its (allocated) value, None without data or when unknown


@dataclass
class Vergleich:
    schema_a: Schema
    schema_b: Schema
    # crosswalk: rows = Räume of A, columns = Räume of B, both with a "Gesamt"
    bezirke: pd.DataFrame  # number of districts (split districts count with their share)
    werte: pd.DataFrame | None  # summed value of `merkmal`; None without a data file
    vollstaendig: pd.DataFrame | None  # False where a cell lacks a district value
    hauptpartner: dict[str, str]
    wechsel: list[Wechsel]
    merkmal: Merkmal | None = None
    jahr: int | None = None
    datei: str | None = None
    sha256: str | None = None
    tabelle_a: Raumtabelle | None = None
    tabelle_b: Raumtabelle | None = None
    # both schemes side by side: raum, then per indicator k: k_a, k_rang_a, k_b, k_rang_b
    # (counts also k_anteil_a, k_anteil_b); None without a data file
    nebeneinander: pd.DataFrame | None = None
    kennzahlen: list[Merkmal] = field(default_factory=list)
    geheim: set = field(default_factory=set)  # crosswalk cells (raum_a, raum_b) suppressed
    geheimhaltung: object | None = None  # disclosure.Geheimhaltung when applied
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)

    @property
    def matrix(self) -> pd.DataFrame:
        """The crosswalk that is reported: values with a data file, district counts without."""
        return self.werte if self.werte is not None else self.bezirke

    def zeilenanteile(self) -> pd.DataFrame:
        """Per row, the share (percent) of the row total that goes to each B Raum."""
        m = self.matrix
        totals = m["Gesamt"].where(m["Gesamt"] != 0)
        return m.div(totals, axis=0) * 100


def check_same_districts(a: Zuordnung, b: Zuordnung) -> None:
    only_a = sorted(set(a.bezirke) - set(b.bezirke))
    only_b = sorted(set(b.bezirke) - set(a.bezirke))
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append(f"nur in {a.datei}: {', '.join(map(str, only_a))}")
        if only_b:
            parts.append(f"nur in {b.datei}: {', '.join(map(str, only_b))}")
        raise MappingError(
            f"Die beiden Zuordnungen haben nicht dieselben Bezirke ({'; '.join(parts)}).",
            datei=b.datei,
        )


def compare(
    zuordnung: Zuordnung,
    schema_a: Schema,
    schema_b: Schema,
    daten: Bezirksdaten | None = None,
    *,
    merkmal: str | None = None,
    jahr: int | None = None,
    geaendert: bool = False,
    min_count: int | None = None,
) -> Vergleich:
    """Crosswalk of scheme A against scheme B, by district counts or by the values in `daten`."""
    if schema_a.name == schema_b.name and not geaendert:
        raise AufrufError(
            f"Zweimal dasselbe Schema „{schema_a.name}“: bitte zwei verschiedene Schemata angeben "
            f"(oder Schema B ändern: Bezirke versetzen oder eine zweite Zuordnung nehmen).", parameter="schema",
            siehe=("verschiebungen", "zuordnung_b"),
        )
    if daten is None and (merkmal is not None or jahr is not None):
        raise AufrufError("Merkmal und Jahr brauchen eine Datendatei.", parameter=("merkmal", "jahr"))
    pairs = [
        (nr, ra, sa, rb, sb)
        for ra, nr, sa in schema_a.zuordnung()
        for rb, nr_b, sb in schema_b.zuordnung()
        if nr == nr_b
    ]
    links = pd.DataFrame(pairs, columns=["bezirk_nr", "raum_a", "anteil_a", "raum_b", "anteil_b"])
    links["gewicht"] = links["anteil_a"] * links["anteil_b"]
    rows, cols = schema_a.raum_namen, schema_b.raum_namen
    bezirke = _crosswalk(links, "gewicht", rows, cols)
    hinweise: list[str] = []
    warnungen: list[str] = []
    if schema_a.aufgeteilt or schema_b.aufgeteilt:
        hinweise.append(
            "Aufgeteilte Bezirke werden nach ihren Anteilen verteilt (Anteil in A × Anteil in B); "
            "Bezirkszahlen können daher Bruchteile haben."
        )

    werte = vollstaendig = nebeneinander = geheimhaltung = roh = None
    kennzahlen: list[Merkmal] = []
    info = None
    tabelle_a = tabelle_b = None
    wert_je_bezirk: dict[int, float | None] = {}
    if daten is not None:
        df, jahr, notes = select_year(daten, jahr)
        hinweise += list(daten.hinweise) + notes
        counts = [m for m, s in columns_of_year(daten, jahr).items() if s.art == ANZAHL]
        if not counts:
            raise InputError("Die Datei enthält keine summierbaren Anzahlen.", datei=daten.datei)
        merkmal = merkmal or counts[0]
        if merkmal not in counts:
            raise AufrufError(
                f"„{merkmal}“ ist keine Anzahl der Datei. Vorhanden: {', '.join(counts)}.", datei=daten.datei,
                parameter="merkmal",
            )
        spalte = columns_of_year(daten, jahr)[merkmal]
        info = merkmal_info(zuordnung, merkmal, spalte.titel)
        sel = df[df["merkmal"] == merkmal].set_index("bezirk_nr")
        status = links["bezirk_nr"].map(sel["status"]).fillna(FEHLT)
        known = status.isin(BEKANNT)
        links["wert"] = links["bezirk_nr"].map(sel["wert"]).where(known) * links["gewicht"]
        links["bekannt"] = known
        werte = _crosswalk(links, "wert", rows, cols)
        vollstaendig = (
            links.pivot_table(index="raum_a", columns="raum_b", values="bekannt", aggfunc="all", fill_value=True)
            .reindex(index=rows, columns=cols, fill_value=True)
            .astype(bool)
        )
        vollstaendig["Gesamt"] = vollstaendig.all(axis=1)
        vollstaendig.loc["Gesamt"] = vollstaendig.all(axis=0)
        for nr in sorted(set(links.loc[~known, "bezirk_nr"])):
            reason = "fehlt in der Datei" if nr not in sel.index else STATUS_TEXT[sel.at[nr, "status"]]
            warnungen.append(f"{info.titel}: Bezirk {nr} ({zuordnung.bezirke[nr].name}) {reason}.")
        nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
        if nz in sel.index and sel.at[nz, "status"] in BEKANNT and sel.at[nz, "wert"]:
            hinweise.append(
                f"Die Zeile „nicht zugeordnet“ ({sel.at[nz, 'wert']:g}) gehört zu keinem Raum und fehlt in der Überleitung."
            )
        wert_je_bezirk = {nr: (sel.at[nr, "wert"] if nr in sel.index and sel.at[nr, "status"] in BEKANNT else None)
                          for nr in zuordnung.bezirke}
        tabelle_a = aggregate(zuordnung, schema_a, daten, jahr=jahr)
        tabelle_b = aggregate(zuordnung, schema_b, daten, jahr=jahr)
        if min_count is not None:
            roh = werte
            partner = {a: str(bezirke.loc[a, cols].astype(float).idxmax()) for a in rows}
            listed = [(int(r.bezirk_nr), float(r.gewicht)) for r in links.itertuples() if r.raum_b != partner[r.raum_a]]
            werte, tabelle_a, tabelle_b, geheimhaltung, nz_geheim = protect_comparison(
                zuordnung, daten, schema_a, schema_b, info.name, jahr, werte, tabelle_a, tabelle_b, listed,
                min_count,
            )
            hinweise = [_nz_hinweis(h, nz_geheim) for h in hinweise]
            hinweise.append(geheimhaltung.regel)
        kennzahlen = [info] + [q for q in tabelle_a.quoten]
        nebeneinander = _side_by_side(tabelle_a, tabelle_b, info, tabelle_a.quoten)

    # under disclosure control the main counterpart follows the number of districts, which tells nothing hidden
    basis = bezirke if geheimhaltung is not None else werte if werte is not None else bezirke
    hauptpartner = {a: str(basis.loc[a, cols].astype(float).idxmax()) for a in rows}
    wechsel = []
    for _, link in links.iterrows():
        partner = hauptpartner[link["raum_a"]]
        if link["raum_b"] == partner:
            continue
        nr = int(link["bezirk_nr"])
        value = wert_je_bezirk.get(nr)
        if geheimhaltung is not None and value is not None and (nr, float(link["gewicht"])) in geheimhaltung.bezirke:
            value = None  # suppressed with the linked tables (see protect_comparison)
        wechsel.append(
            Wechsel(
                bezirk_nr=nr,
                name=zuordnung.bezirke[nr].name,
                von=link["raum_a"],
                nach=link["raum_b"],
                hauptpartner=partner,
                anteil=float(link["gewicht"]),
                wert=None if value is None else float(value) * float(link["gewicht"]),
            )
        )
    return Vergleich(
        schema_a=schema_a,
        schema_b=schema_b,
        bezirke=bezirke,
        werte=werte,
        vollstaendig=vollstaendig,
        hauptpartner=hauptpartner,
        wechsel=wechsel,
        merkmal=info,
        jahr=jahr,
        datei=daten.bezeichnung if daten is not None else None,
        sha256=daten.sha256 if daten is not None else None,
        tabelle_a=tabelle_a,
        tabelle_b=tabelle_b,
        nebeneinander=nebeneinander,
        kennzahlen=kennzahlen,
        geheim=geheimhaltung.zellen if geheimhaltung is not None else set(),
        geheimhaltung=geheimhaltung,
        warnungen=warnungen,
        hinweise=hinweise,
    )


NZ_HINWEIS = "Die Zeile „nicht zugeordnet“ ("


def _nz_hinweis(h: str, hidden: bool) -> str:
    if hidden and h.startswith(NZ_HINWEIS):
        return NZ_HINWEIS + "*" + h[h.index(")"):]
    return h


def protect_comparison(zuordnung, daten, schema_a, schema_b, merkmal, jahr, werte, tabelle_a, tabelle_b, listed,
                       min_count, extra=None):
    """Linked suppression over everything compare writes: both area tables (side by side), the
    crosswalk with its margins, the district list and the note on the not-assignable row."""
    from .disclosure import Geheimhaltung
    from .linked_tables import NZ, add_bezirk, add_kreuz, protect_tables

    keys: dict = {}
    liste: dict = {}

    def more(pub, bw):
        keys.update(add_kreuz(pub, bw, schema_a, schema_b, merkmal, jahr, werte))
        for nr, g in set(listed):
            k = add_bezirk(pub, bw, nr, merkmal, jahr, g)
            if k is not None:
                liste[(nr, g)] = k
        liste["nz"] = add_bezirk(pub, bw, NZ, merkmal, jahr)
        if extra is not None:
            extra(pub, bw)

    (tabelle_a, tabelle_b), ergebnis, _ = protect_tables(zuordnung, daten, [tabelle_a, tabelle_b], min_count, more)
    out = werte.copy()
    kinds = {}
    for ab, k in keys.items():
        kind = ergebnis.art(k)
        if kind:
            out.at[ab] = float("nan")
            kinds[ab] = kind
    nz_kind = ergebnis.art(liste["nz"]) if liste.get("nz") is not None else None
    bezirke = {nb: ergebnis.art(k) for nb, k in liste.items() if nb != "nz" and ergebnis.art(k)}
    stars = list(kinds.values()) + list(bezirke.values()) + ([nz_kind] if nz_kind else [])
    shown = {merkmal, f"{merkmal}_anteil", *(q.name for q in tabelle_a.quoten)}
    for t in (tabelle_a, tabelle_b):  # the side-by-side part shows counts, shares and rates of both
        stars += [k for (raum, c), k in t.geheim_art.items() if c in shown and raum in set(t.raeume["raum"])]
    g = Geheimhaltung(min_count, stars.count("primaer"), stars.count("sekundaer"), set(kinds), schutz=ergebnis.schutz)
    g.bezirke = set(bezirke)
    g.arten = kinds
    g.ergebnis = ergebnis
    return out, tabelle_a, tabelle_b, g, nz_kind is not None


def _crosswalk(links: pd.DataFrame, column: str, rows: list[str], cols: list[str]) -> pd.DataFrame:
    m = (
        links.pivot_table(index="raum_a", columns="raum_b", values=column, aggfunc="sum", fill_value=0.0)
        .reindex(index=rows, columns=cols, fill_value=0.0)
        .astype(float)
    )
    m.index.name, m.columns.name = None, None
    m["Gesamt"] = m.sum(axis=1)
    m.loc["Gesamt"] = m.sum(axis=0)
    return m


def _side_by_side(ta: Raumtabelle, tb: Raumtabelle, count: Merkmal, rates: list[Merkmal]) -> pd.DataFrame:
    names = list(ta.raeume["raum"]) + [r for r in tb.raeume["raum"] if r not in set(ta.raeume["raum"])]
    out = pd.DataFrame({"raum": names})
    for suffix, t in (("a", ta), ("b", tb)):
        areas = t.raeume.set_index("raum")
        complete = areas[f"{count.name}_vollstaendig"].astype(bool)
        for k in [count.name] + [q.name for q in rates]:
            values = areas[k].astype(float)
            ranked = values.where(complete if k == count.name else values.notna())
            out[f"{k}_{suffix}"] = out["raum"].map(values)
            out[f"{k}_rang_{suffix}"] = out["raum"].map(ranked.rank(ascending=False, method="min")).astype("Int64")
        out[f"{count.name}_anteil_{suffix}"] = out["raum"].map(areas[f"{count.name}_anteil"].astype(float))
        out[f"{count.name}_vollstaendig_{suffix}"] = out["raum"].map(complete)
    return out
