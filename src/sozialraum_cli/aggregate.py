"""Sum districts to Räume: counts summed, rates, shares, ratios and means recomputed from summed
parts, areas ranked, published totals and subtotals reconciled.

Only counts are summed. Every column of the file gets a treatment (`Behandlung`, see
treatment.plan) saying what was done with it. `aggregate` runs the named steps below and returns
a typed `Raumtabelle` (raumtabelle.py). Knows nothing of where the data came from or how it is shown.

Just over 400 lines because the year selection (`select_year`, `columns_of_year`) that every
command shares lives here beside the steps that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .errors import AufrufError, InputError
from .mapping import ANZAHL, BEWEGUNG, Merkmal, Schema, Zuordnung
from .raumtabelle import (  # noqa: F401  (re-exported: the result's vocabulary)
    ABWEICHUNG,
    ART_DIFFERENZ,
    ART_GESAMT,
    ART_NICHT_ZUGEORDNET,
    ART_RAUM,
    ART_REST,
    AUSGELASSEN,
    DIFFERENZ_ZEILE,
    GEWICHTET,
    NEU_BERECHNET,
    NICHT_PRUEFBAR,
    NICHT_ZUGEORDNET_ZEILE,
    REKONSTRUIERT,
    STIMMT,
    SUMMIERT,
    UEBERNOMMEN,
    UNVOLLSTAENDIG,
    VOLLSTAENDIG,
    Abgleich,
    Behandlung,
    Raumtabelle,
    Raumzeile,
    Wert,
    mit_resten,
    value_or_none,
)
from .reading import BEKANNT, FEHLT, LAYOUT_STICHTAGE, Bezirksdaten
from .reste import Reste, reste_des_jahres
from .reste import eigene as eigene_reste
from .reste import hinweise as rest_hinweise
from .reste import quote as rest_quote
from .reste import status as rest_status
from .reste import wert as rest_wert
from .summen import (
    TOLERANCE,
    Summen,
    Teil,
    derived,
    published_subtotals,
    reconcile,
    share,
    status_text,
    subtotal_scheme,
)
from .treatment import left_out_text, plan, resolve_name, shown, unknown_merkmal


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
        mit_werten = daten.jahre_mit_werten() or years
        raise AufrufError(
            f"Das Jahr {jahr} gibt es in der Datei nicht (mit Werten: {_spanne(mit_werten)}).",
            datei=daten.datei, parameter="jahr",
        )
    series = daten.reihen
    keep = (df["jahr"] == jahr).fillna(False) | ~df["merkmal"].isin(series)
    df = df[keep]
    chosen = df[df["merkmal"].isin(series)] if series else df[df["jahr"].notna()]
    if not chosen["status"].isin(BEKANNT).any():
        raise AufrufError(f"Für {jahr} enthält die Datei keine Werte (Spalte leer; mit Werten: "
                          f"{_spanne(daten.jahre_mit_werten())}).", datei=daten.datei, parameter="jahr")
    return df, jahr, notes


def columns_of_year(daten: Bezirksdaten, jahr: int | None) -> dict:
    """The file's columns used for `jahr` (see select_year), by indicator."""
    series = daten.reihen
    return {s.merkmal: s for s in daten.spalten if s.merkmal not in series or s.jahr == jahr}


@dataclass
class _Auswahl:
    """What one output shows: the counts and recomputed indicators, the sort key, every treatment."""

    counts: list[str]  # every summable count of the file
    shown_counts: list[str]
    shown_derived: list[Merkmal]
    sort_key: str
    behandlung: list[Behandlung]

    @property
    def names(self) -> list[str]:
        return self.shown_counts + [q.name for q in self.shown_derived]


@dataclass
class _Zeilen:
    """The rows being built: per row name the values, and what is missing where."""

    areas: list[str]
    reste: Reste = field(default_factory=dict)  # this scheme's remainders, by the label of their line
    werte: dict[str, dict[str, Wert]] = field(default_factory=dict)  # row name -> indicator -> value
    gaps: dict[str, list[str]] = field(default_factory=dict)  # row name ("nz" for not assigned) -> texts
    differs: bool = False  # some count differs from the file's total row

    def __post_init__(self) -> None:
        for n in [*self.areas, *self.reste, "Gesamt", "nz", DIFFERENZ_ZEILE]:
            self.werte[n] = {}
            self.gaps[n] = []

    def note_gaps(self, t: Teil) -> None:
        for k, texts in t.gaps.items():
            self.gaps[k] += [x for x in texts if x not in self.gaps[k]]


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
    spalten = columns_of_year(daten, jahr)
    auswahl = _choose(zuordnung, daten, spalten, merkmale, sortierung)
    werte = df.pivot(index="bezirk_nr", columns="merkmal", values="wert")
    status = df.pivot(index="bezirk_nr", columns="merkmal", values="status").fillna(FEHLT)
    fehlende = _missing_districts(zuordnung, daten, werte, strict)
    warnungen = [*daten.warnungen, *(f"{zuordnung.einzahl} {zuordnung.einheit_name(nr)} fehlt in der Datei." for nr in fehlende)]
    reste = reste_des_jahres(daten, jahr)
    if reste is not None:
        hinweise += rest_hinweise(reste, schema, zuordnung.einzahl)
    summen = Summen(zuordnung, schema, werte, status, fehlende, reste)
    owner, owner_note = subtotal_scheme(zuordnung, daten)
    if owner_note:
        hinweise.append(owner_note)
    published = published_subtotals(daten, spalten, schema, owner)
    rows = _Zeilen(schema.raum_namen, eigene_reste(reste, schema))
    abgleich = _sum_counts(zuordnung, spalten, summen, auswahl.shown_counts, published, rows, hinweise, lenient)
    _recompute(summen, auswahl.shown_derived, published, rows, hinweise, lenient)
    abgleich += _reconcile_parts(zuordnung, spalten, summen, auswahl)
    zeilen = _assemble(zuordnung, schema, summen, auswahl, rows, aufsteigend, lenient)

    for raum in rows.areas:
        if rows.gaps[raum]:
            warnungen.append(f"Raum „{raum}“ ist unvollständig ({'; '.join(rows.gaps[raum])}).")
    if lenient and any(rows.gaps[r] for r in rows.areas):
        hinweise.append(
            "--allow-incomplete: Anteile, Quoten und Ränge unvollständiger Räume beruhen nur auf den bekannten Bezirken."
        )
    warnungen += [abgleich_warnung(a, zuordnung.mehrzahl) for a in abgleich if a.status == ABWEICHUNG]
    if schema.aufgeteilt:
        hinweise.append(
            f"Aufgeteilte {zuordnung.mehrzahl}: "
            + ", ".join(zuordnung.einheit_name(nr) for nr in schema.aufgeteilt)
            + "; ihre Anzahlen werden nach den Anteilen der Zuordnung verteilt."
        )
    names = auswahl.names
    return Raumtabelle(
        schema=schema,
        datei=daten.bezeichnung,
        sha256=daten.sha256,
        quellen=[(str(p), h) for p, h in daten.quellen],
        jahr=jahr,
        anzahlen=[merkmal_info(zuordnung, c, spalten[c].titel) for c in auswahl.shown_counts],
        quoten=list(auswahl.shown_derived),
        sortierung=auswahl.sort_key,
        aufsteigend=aufsteigend,
        zeilen=zeilen,
        abgleich=abgleich,
        fehlende_bezirke=fehlende,
        aufgeteilte_bezirke=schema.aufgeteilt,
        warnungen=warnungen,
        hinweise=list(dict.fromkeys(hinweise)),
        behandlung=auswahl.behandlung,
        nullzeichen=_zero_symbols(daten, spalten, auswahl),
        veroeffentlicht={k: v for k, v in published.items() if k[1] in names},
        stichtage={m: s.stichtag for m, s in spalten.items() if s.stichtag and m in names and s.jahr != jahr},
        einheiten=zuordnung.mehrzahl,
    )


def _choose(zuordnung: Zuordnung, daten: Bezirksdaten, spalten: dict, merkmale: list[str] | None,
            sortierung: str | None) -> _Auswahl:
    """Step 1: the treatment of every column, and which indicators this output shows, sorted by what."""
    steps = plan(zuordnung, spalten)
    counts = [b.merkmal for b in steps if b.verfahren == SUMMIERT]
    derived_all = [zuordnung.merkmale[b.merkmal] for b in steps
                   if b.verfahren in (NEU_BERECHNET, REKONSTRUIERT, GEWICHTET, UEBERNOMMEN)]
    shown_counts, shown_derived = counts, derived_all
    if merkmale:
        merkmale = [resolve_name(n, steps, zuordnung, daten) for n in merkmale]
    if sortierung:
        sortierung = resolve_name(sortierung, steps, zuordnung, daten)
    if merkmale:
        for name in merkmale:
            if name not in counts and name not in [q.name for q in derived_all]:
                known = any(b.merkmal == name for b in steps)  # known but left out: the data's matter (exit 1)
                raise (InputError if known else AufrufError)(
                    unknown_merkmal(name, steps, counts + [q.name for q in derived_all]), datei=daten.datei,
                    **({} if known else {"parameter": "merkmale"}))
        shown_counts = [c for c in merkmale if c in counts]
        shown_derived = [q for q in derived_all if q.name in merkmale]
    if not shown_counts and not shown_derived:
        raise InputError("Die Datei enthält keine summierbaren Anzahlen.", datei=daten.datei,
                         hilfe=left_out_text(steps))
    names = shown_counts + [q.name for q in shown_derived]
    sort_key = sortierung or names[0]
    if sort_key not in names:
        raise AufrufError(
            f"Nach „{sort_key}“ kann nicht sortiert werden: die Spalte wird nicht ausgegeben "
            f"(ausgegeben: {', '.join(names)}).",
            datei=daten.datei, parameter="sortierung",
        )
    return _Auswahl(counts, shown_counts, shown_derived, sort_key, [shown(b, names) for b in steps])


def _anzahl_wort(zuordnung: Zuordnung, n: int) -> str:
    """„Bezirk(e)“, or the unit's own name in singular or plural."""
    if zuordnung.einzahl == "Bezirk":
        return "Bezirk(e)"
    return zuordnung.einzahl if n == 1 else zuordnung.mehrzahl


def _missing_districts(zuordnung: Zuordnung, daten: Bezirksdaten, werte: pd.DataFrame, strict: bool) -> list[int]:
    """Step 2: districts of the mapping that the file lacks (an error with strict)."""
    fehlende = [nr for nr in zuordnung.bezirke if nr not in werte.index]
    if fehlende and strict:
        listed = ", ".join(zuordnung.einheit_name(nr) for nr in fehlende)
        raise InputError(
            f"{len(fehlende)} {_anzahl_wort(zuordnung, len(fehlende))} der Zuordnung fehlen in der Datei: {listed}.",
            datei=daten.datei,
            hilfe="Ohne --strict werden sie gemeldet und die betroffenen Räume als unvollständig markiert.",
        )
    return fehlende


def _nan_none(x: float | None) -> float | None:
    return value_or_none(x)


def _sum_counts(zuordnung: Zuordnung, spalten: dict, summen: Summen, counts: list[str], published: dict,
                rows: _Zeilen, hinweise: list[str], lenient: bool) -> list[Abgleich]:
    """Step 3: each count summed per Raum with its share; Gesamt, not assigned, difference; reconciled."""
    abgleich: list[Abgleich] = []
    for c in counts:
        t = summen.count(c, c)
        rows.note_gaps(t)
        info = merkmal_info(zuordnung, c, spalten[c].titel)
        if summen.has_total and not t.published_empty:
            abgleich.append(reconcile(info, t.total, t.total_ok, t.published, "Gesamt"))
        for raum in rows.areas:
            if (raum, c) in published:
                abgleich.append(reconcile(info, float(t.area[raum]), bool(t.area_ok[raum]), published[(raum, c)], raum))
        gesamt = t.published if t.published is not None else t.total
        gesamt_ok = t.published is not None or t.total_ok
        denominator = gesamt if gesamt_ok or lenient else None
        if t.published is not None and not (t.total_ok and abs(t.total - t.published) <= TOLERANCE * max(1.0, t.published)):
            hinweise.append(f"„{info.titel}“: Gesamt ist die Gesamtzeile der Datei; Anteile beziehen sich auf sie.")
        shares = share(t.area.values, t.area_ok.values | lenient, denominator)
        for raum, v, ok, sh in zip(rows.areas, t.area.values, t.area_ok.values, shares):
            rows.werte[raum][c] = Wert(_nan_none(v), bool(ok), _nan_none(sh))
        g_share = 100.0 * gesamt / denominator if denominator and gesamt_ok else None
        rows.werte["Gesamt"][c] = Wert(_nan_none(gesamt), gesamt_ok, _nan_none(g_share))
        nz_share = share([t.nz], [t.nz_ok or lenient], denominator)[0] if t.nz is not None else None
        rows.werte["nz"][c] = Wert(t.nz if t.nz is not None and t.nz_ok else None, t.nz_ok, _nan_none(nz_share))
        for label in rows.reste:
            v = rest_wert(rows.reste, label, c)
            if v is None:  # missing stays missing, shown as such
                rows.gaps[label].append(f"{info.titel}: {status_text(rest_status(rows.reste, label, c))}")
            rows.werte[label][c] = Wert(v, v is not None, None if v is None else _nan_none(share([v], [True], denominator)[0]))
        diff = t.published - t.total if t.published is not None and t.total_ok else None
        rows.differs |= diff is None or diff != 0  # an unknown difference is shown as unknown
        d_share = share([diff], [True], denominator)[0] if diff is not None else None
        rows.werte[DIFFERENZ_ZEILE][c] = Wert(diff, diff is not None, _nan_none(d_share))
    return abgleich


def _recompute(summen: Summen, quoten: list[Merkmal], published: dict, rows: _Zeilen, hinweise: list[str],
               lenient: bool) -> None:
    """Step 4: rates, shares, ratios and means recomputed from summed parts; flows taken where the level exists."""
    for q in quoten:
        values, g, nzv, parts = derived(q, summen, published, lenient)
        v, known = summen.column(q.name)
        if q.art != BEWEGUNG and summen.has_total and bool(known.get(summen.gesamt, False)):
            stated = float(v[summen.gesamt])
            published[("Gesamt", q.name)] = stated
            if g == g and abs(stated - g) > max(0.051 * 10 ** -(q.nachkommastellen - 1), 0.01 * abs(g)):
                hinweise.append(f"„{q.titel}“: die Gesamtzeile der Datei nennt {_de(stated)}, neu berechnet aus den "
                                f"Bezirken ergibt sich {_de(g)}; ausgegeben wird der neu berechnete Wert.")
        for t in parts:
            rows.note_gaps(t)
        for raum, x in zip(rows.areas, values):
            rows.werte[raum][q.name] = Wert(_nan_none(x))
        rows.werte["Gesamt"][q.name] = Wert(_nan_none(g))
        rows.werte["nz"][q.name] = Wert(_nan_none(nzv))
        for label in rows.reste:
            rows.werte[label][q.name] = Wert(rest_quote(rows.reste, label, q))
        rows.werte[DIFFERENZ_ZEILE][q.name] = Wert(None)


def _reconcile_parts(zuordnung: Zuordnung, spalten: dict, summen: Summen, auswahl: _Auswahl) -> list[Abgleich]:
    """Step 5: the parts of a recomputed indicator are reconciled with the total row too."""
    parts = {p for q in auswahl.shown_derived for p in q.teile if p in auswahl.counts and p not in auswahl.shown_counts}
    out = []
    for p in [c for c in auswahl.counts if c in parts]:  # in file order
        t = summen.count(p, p)
        if summen.has_total and not t.published_empty:
            out.append(reconcile(merkmal_info(zuordnung, p, spalten[p].titel), t.total, t.total_ok, t.published, "Gesamt"))
    return out


def _assemble(zuordnung: Zuordnung, schema: Schema, summen: Summen, auswahl: _Auswahl, rows: _Zeilen,
              aufsteigend: bool, lenient: bool) -> list[Raumzeile]:
    """Step 6: rank the Räume by the sort key (incomplete ones only with lenient) and order the rows."""
    members = summen.members.groupby("raum", sort=False)["bezirk_nr"].nunique()
    key = auswahl.sort_key
    ordered = {n: {m: rows.werte[n][m] for m in auswahl.names} for n in rows.werte}

    def row(art: str, name: str, label: str, rang: int | None, n: int) -> Raumzeile:
        gaps = rows.gaps[name]
        return Raumzeile(art, label, rang, n, ordered[name], UNVOLLSTAENDIG if gaps else VOLLSTAENDIG, "; ".join(gaps))

    sort_values = pd.Series(
        [ordered[r][key].wert if (ordered[r][key].vollstaendig or lenient) else None for r in rows.areas],
        dtype="float",
    )
    ranks = sort_values.rank(ascending=aufsteigend, method="min")
    order = sorted(range(len(rows.areas)), key=lambda i: (pd.isna(ranks[i]), ranks[i] if not pd.isna(ranks[i]) else 0, i))
    out = [row(ART_RAUM, rows.areas[i], rows.areas[i], None if pd.isna(ranks[i]) else int(ranks[i]),
               int(members.get(rows.areas[i], 0))) for i in order]
    out = mit_resten(out + [replace(row(ART_REST, label, label, None, 0), zu=raum) for label, (raum, _, _) in rows.reste.items()])
    out.append(row(ART_GESAMT, "Gesamt", "Gesamt", None, len(zuordnung.bezirke)))
    nz_counts = [summen.count(c, c) for c in auswahl.shown_counts]
    if summen.has_nz and any(t.nz or not t.nz_ok for t in nz_counts):
        out.append(row(ART_NICHT_ZUGEORDNET, "nz", NICHT_ZUGEORDNET_ZEILE, None, 0))
    if summen.has_total and rows.differs and auswahl.shown_counts:
        out.append(Raumzeile(ART_DIFFERENZ, DIFFERENZ_ZEILE, None, 0, ordered[DIFFERENZ_ZEILE]))
    return out


def _zero_symbols(daten: Bezirksdaten, spalten: dict, auswahl: _Auswahl) -> dict[str, int]:
    """Symbol -> cells read as 0 in the columns this output uses."""
    used = set(auswahl.shown_counts) | {p for q in auswahl.shown_derived for p in (q.name, *q.teile)}
    out: dict[str, int] = {}
    for (m, j), symbols in daten.nullzeichen.items():
        if m in used and spalten.get(m) is not None and spalten[m].jahr == j:
            for sym, n in symbols.items():
                out[sym] = out.get(sym, 0) + n
    return out


def _spanne(jahre: list[int]) -> str:
    """2006–2016, or 2006, 2008, 2010 when years are missing in between."""
    if not jahre:
        return "keine"
    if jahre == list(range(jahre[0], jahre[-1] + 1)):
        return f"{jahre[0]}–{jahre[-1]}" if len(jahre) > 1 else str(jahre[0])
    return ", ".join(map(str, jahre))


def _de(x: float) -> str:
    """A number in German style for messages: 8810 -> '8.810', -10 -> '−10', 15.873 -> '15,873'."""
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.3f}".rstrip("0")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".").replace("-", "−")


def abgleich_warnung(a: Abgleich, einheiten: str = "Bezirke") -> str:
    what = "der Gesamtzeile" if a.raum == "Gesamt" else f"der veröffentlichten Teilsumme für „{a.raum}“"
    sign = "+" if a.differenz > 0 else ""
    return (f"Abgleich „{a.titel or a.merkmal}“: Summe der {einheiten} {_de(a.summe)} weicht von {what} "
            f"{_de(a.gesamtzeile)} ab (Differenz {sign}{_de(a.differenz)}).")


