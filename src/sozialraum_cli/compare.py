"""Compare two schemes: crosswalk matrix, districts that change Raum, both schemes side by side.

Knows nothing of rendering. A district split over several Räume contributes to a cell with
the product of its shares in both schemes (its shares are taken as independent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .aggregate import aggregate, columns_of_year, merkmal_info, select_year
from .reste import reste_des_jahres
from .raumtabelle import Raumtabelle, Wert
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
    wert: float | None  # its (allocated) value, None without data, when unknown or hidden
    geheim: str | None = None  # "primaer"/"sekundaer" when disclosure control hid the value
    code: int | str = ""  # its key for outputs (text with leading zeros, a number for numeric mappings)

    @property
    def schluessel(self) -> str:
        return str(self.code) if self.code != "" else str(self.bezirk_nr)


@dataclass(frozen=True)
class Seite:
    """One Raum in one scheme of the side-by-side view: its values (as published) and ranks."""

    werte: dict[str, Wert]  # the count, then the rates
    raenge: dict[str, int | None]


@dataclass(frozen=True)
class Paarzeile:
    """A Raum name and what it is in scheme A and in scheme B (None: no such Raum there)."""

    raum: str
    a: Seite | None
    b: Seite | None


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
    # both schemes side by side, one row per Raum; None without a data file
    nebeneinander: list[Paarzeile] | None = None
    kennzahlen: list[Merkmal] = field(default_factory=list)
    geheim: set = field(default_factory=set)  # crosswalk cells (raum_a, raum_b) suppressed
    einheit: tuple[str, str] = ("Bezirk", "Bezirke")  # the units' own name, singular and plural
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
        if self.vollstaendig is not None:  # a share of an incomplete (or unknown) row total is unknown
            totals = totals.where(self.vollstaendig["Gesamt"])
        return m.div(totals, axis=0) * 100

    def unvollstaendig(self, raum_a: str) -> list[str]:
        """The cells (Räume of B, and "Gesamt") of row `raum_a` whose sum lacks a district's value."""
        ok = self.vollstaendig
        return [] if ok is None else [b for b in ok.columns if not bool(ok.at[raum_a, b])]


def check_same_districts(a: Zuordnung, b: Zuordnung) -> None:
    only_a = sorted(set(a.bezirke) - set(b.bezirke))
    only_b = sorted(set(b.bezirke) - set(a.bezirke))
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append(f"nur in {a.datei}: {', '.join(a.code(nr) for nr in only_a)}")
        if only_b:
            parts.append(f"nur in {b.datei}: {', '.join(b.code(nr) for nr in only_b)}")
        raise MappingError(
            f"Die beiden Zuordnungen haben nicht dieselben {a.mehrzahl} ({'; '.join(parts)}).",
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
) -> Vergleich:
    """Crosswalk of scheme A against scheme B, by district counts or by the values in `daten`."""
    if schema_a.name == schema_b.name and not geaendert:
        raise AufrufError(
            f"Zweimal dasselbe Schema „{schema_a.name}“: bitte zwei verschiedene Schemata angeben "
            f"(oder Schema B ändern: {zuordnung.mehrzahl} versetzen oder eine zweite Zuordnung nehmen).", parameter="schema",
            siehe=("verschiebungen", "zuordnung_b"),
        )
    if daten is None and (merkmal is not None or jahr is not None):
        raise AufrufError("Merkmal und Jahr brauchen eine Datendatei.", parameter=("merkmal", "jahr"))
    pairs = [
        (nr, ra, sa, rb, sb)
        for ra, nr, sa in schema_a.mitglieder()
        for rb, nr_b, sb in schema_b.mitglieder()
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
            f"Aufgeteilte {zuordnung.mehrzahl} werden nach ihren Anteilen verteilt (Anteil in A × Anteil in B); "
            f"die Zahl der {zuordnung.mehrzahl} kann daher Bruchteile haben."
        )

    werte = vollstaendig = nebeneinander = None
    kennzahlen: list[Merkmal] = []
    info = None
    tabelle_a = tabelle_b = None
    wert_je_bezirk: dict[int, float | None] = {}
    if daten is not None:
        df, jahr, notes = select_year(daten, jahr)
        hinweise += list(daten.hinweise) + notes
        warnungen += daten.warnungen
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
        if not known.any():
            raise InputError(_no_unit_values(zuordnung, daten, df, info.titel, counts, merkmal), datei=daten.datei)
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
            warnungen.append(f"{info.titel}: {zuordnung.einzahl} {zuordnung.einheit_name(nr)} {reason}.")
        nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
        if nz in sel.index and sel.at[nz, "status"] in BEKANNT and sel.at[nz, "wert"]:
            hinweise.append(
                f"Die Zeile „nicht zugeordnet“ ({sel.at[nz, 'wert']:g}) gehört zu keinem Raum und fehlt in der Überleitung."
            )
        reste = reste_des_jahres(daten, jahr)
        if reste is not None and (reste["merkmal"] == merkmal).any():
            listed = ", ".join(f"„{r}“" for r in dict.fromkeys(reste.loc[reste["merkmal"] == merkmal, "rest"]))
            hinweise.append(f"Reste ohne {zuordnung.einzahl} ({listed}) fehlen in der Überleitung; in der Gegenüberstellung "
                            "zählen sie zu ihrem Raum, wo ihr Schema es vorsieht.")
        wert_je_bezirk = {nr: (sel.at[nr, "wert"] if nr in sel.index and sel.at[nr, "status"] in BEKANNT else None)
                          for nr in zuordnung.bezirke}
        tabelle_a = aggregate(zuordnung, schema_a, daten, jahr=jahr)
        tabelle_b = aggregate(zuordnung, schema_b, daten, jahr=jahr)
        kennzahlen = [info] + [q for q in tabelle_a.quoten]
        nebeneinander = side_by_side(tabelle_a, tabelle_b, info, tabelle_a.quoten)

    basis = bezirke
    if werte is not None:
        # a Raum whose values are incomplete gets its main counterpart by its districts, not by a partial sum
        lacking = [a for a in rows if not vollstaendig.at[a, "Gesamt"]]
        basis = werte.copy()
        basis.loc[lacking] = bezirke.loc[lacking]
        if lacking:
            hinweise.append(
                f"Hauptpartner von {', '.join(f'„{a}“' for a in lacking)} nach der Zahl der {zuordnung.mehrzahl} "
                f"bestimmt, weil dort Werte fehlen."
            )
    hauptpartner, wechsel = changes(zuordnung, schema_a, schema_b, basis, wert_je_bezirk)
    return Vergleich(
        einheit=(zuordnung.einzahl, zuordnung.mehrzahl),
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
        warnungen=warnungen,
        hinweise=hinweise,
    )


NZ_HINWEIS = "Die Zeile „nicht zugeordnet“ ("


def _no_unit_values(zuordnung: Zuordnung, daten: Bezirksdaten, df: pd.DataFrame, titel: str, counts: list[str],
                    merkmal: str) -> str:
    """Why a crosswalk by values is impossible: no district of the mapping has a known value of `merkmal`."""
    known = df[df["status"].isin(BEKANNT) & df["bezirk_nr"].isin(list(zuordnung.bezirke))]
    others = [m for m in counts if m != merkmal and (known["merkmal"] == m).any()]
    return (
        f"„{titel}“: Die Datei enthält für keine Einheit der Zuordnung einen bekannten Wert "
        f"(alle {len(zuordnung.bezirke)} {zuordnung.mehrzahl} fehlen oder sind unbekannt) – vermutlich stehen darin "
        f"größere Räume statt {zuordnung.mehrzahl}. Eine Überleitung nach Werten ist so nicht möglich; sie würde "
        f"nur Lücken zeigen."
        + (f" Anzahlen mit Werten: {', '.join(others)} (--value)." if others else
           " Ohne Datendatei vergleicht compare die Räume nach der Zahl ihrer "
           f"{zuordnung.mehrzahl}.")
    )


def _crosswalk(links: pd.DataFrame, column: str, rows: list[str], cols: list[str]) -> pd.DataFrame:
    """Sum of `column` per cell, row and column, and in all. A cell without any district is a true
    0; a cell (or total) whose districts all lack a value is NaN (unknown, never 0); one where only
    some lack it is the sum of the known ones (marked incomplete by the caller)."""

    def total(by: list[str]) -> pd.Series:
        return links.groupby(by)[column].sum(min_count=1)

    m = total(["raum_a", "raum_b"]).unstack().reindex(index=rows, columns=cols).astype(float)
    has = links.groupby(["raum_a", "raum_b"]).size().unstack().reindex(index=rows, columns=cols).notna()
    m = m.where(has, 0.0)
    m.index.name, m.columns.name = None, None
    row_total = total(["raum_a"]).reindex(rows).astype(float)
    col_total = total(["raum_b"]).reindex(cols).astype(float)
    m["Gesamt"] = row_total.where(has.any(axis=1), 0.0)
    m.loc["Gesamt"] = pd.concat([col_total.where(has.any(axis=0), 0.0),
                                 pd.Series({"Gesamt": links[column].sum(min_count=1)})])
    if links.empty:
        m.loc["Gesamt", "Gesamt"] = 0.0
    return m


def side_by_side(ta: Raumtabelle, tb: Raumtabelle, count: Merkmal, rates: list[Merkmal]) -> list[Paarzeile]:
    """Each Raum of A, then those only in B: its values in both schemes and its rank there."""
    names = [z.raum for z in ta.raeume] + [z.raum for z in tb.raeume if not ta.hat(z.raum)]
    keys = [count.name, *(q.name for q in rates)]
    sides = []
    for t in (ta, tb):
        raenge = {k: t.raenge(k) for k in keys}
        sides.append({z.raum: Seite({k: z.werte[k] for k in keys}, {k: raenge[k][z.raum] for k in keys})
                      for z in t.raeume})
    return [Paarzeile(r, sides[0].get(r), sides[1].get(r)) for r in names]


def changes(zuordnung: Zuordnung, schema_a: Schema, schema_b: Schema, basis: pd.DataFrame,
            wert_je_bezirk: dict) -> tuple[dict[str, str], list[Wechsel]]:
    """The main counterpart in B of each Raum of A (largest cell of `basis`), and every district (or
    part of a split one) that lies elsewhere, with its allocated value (None: unknown or hidden)."""
    cols = schema_b.raum_namen
    hauptpartner = {a: str(basis.loc[a, cols].astype(float).idxmax()) for a in schema_a.raum_namen}
    wechsel = []
    for raum_a, nr, anteil_a in schema_a.mitglieder():
        for raum_b, nr_b, anteil_b in schema_b.mitglieder():
            if nr_b != nr or raum_b == hauptpartner[raum_a]:
                continue
            gewicht = anteil_a * anteil_b
            value = wert_je_bezirk.get(nr)
            wechsel.append(Wechsel(bezirk_nr=int(nr), name=zuordnung.bezirke[nr].name, von=raum_a, nach=raum_b,
                                   hauptpartner=hauptpartner[raum_a], anteil=float(gewicht),
                                   wert=None if value is None else float(value) * float(gewicht),
                                   code=zuordnung.code_json(nr)))
    return hauptpartner, wechsel
