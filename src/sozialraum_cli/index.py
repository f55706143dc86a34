"""A composite social index per district (Bezirk) and per Raum, reproducible step by step.

Longer than 400 lines because the method below is one chain of numbered steps, each a function
here; splitting it would scatter one formula over several files.

Method (the README shows the formulas):

1. Units are the districts of the mapping. A unit is excluded (no index, listed with the
   reason) if it is missing in the file, if its population is missing or below the minimum, or
   if any indicator value is missing (suppressed, secret, empty): missing is never zero, and
   all indicators are standardised over the same units (listwise exclusion).
2. Each indicator is z-standardised over the included units: z = (x - mean) / sd with the
   population standard deviation (divisor n). Without standardisation the values are taken
   as z-values as they are.
3. sum = Σ direction × weight × z (with `mittelwert`: divided by Σ weight).
4. index = (sum - mean(sum)) / sd(sum), again over the included units.
5. class from the class rule, applied to the index rounded to 9 decimals (float noise such as
   -0.9999999999999998 must not move a unit across a bound).
6. Per Raum: population-weighted share of its units in each class and population-weighted mean
   index (split districts count with their share); units without index are not in these figures.

The dynamic variant uses, per indicator, the change x(to) - x(from) between two years.
Plain Python on top of the tidy district table; no CLI wording, no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import AufrufError, InputError
from .indexdef import IndexDefinition, Klassen
from .mapping.model import dativ_plural
from .mapping import ANZAHL, QUOTE, Merkmal, Schema, Zuordnung

KLASSEN_STELLEN = 9  # the index is rounded to this many decimals before it is classified


@dataclass(frozen=True)
class Kennwerte:
    """Mean and population standard deviation used to standardise one series."""

    name: str
    mittelwert: float
    standardabweichung: float
    anzahl: int


@dataclass
class IndexEinheit:
    """One district: its values, z-values, sum, index and class, or the reason it has none."""

    nr: int
    name: str
    werte: dict[str, float | None]  # indicator -> value (the change in the dynamic variant)
    z: dict[str, float | None]  # indicator -> z-value (None if excluded)
    summe: float | None
    index: float | None
    klasse: str | None
    einwohner: float | None
    ausschluss: list[str] = field(default_factory=list)  # reasons (German), empty if included
    code: str = ""  # the code as written in the file (leading zeros kept), else the mapping's number

    def __post_init__(self) -> None:
        if not self.code:
            self.code = str(self.nr)

    @property
    def eingeschlossen(self) -> bool:
        return not self.ausschluss


@dataclass
class RaumIndex:
    """One Raum: population-weighted class shares and mean index of its units."""

    raum: str
    bezirke: int
    bezirke_mit_index: int
    gewicht: float  # weight of the units with index
    gewicht_ohne_index: float  # weight of the units without index (known weight only)
    anteile: dict[str, float | None]  # class -> percent of `gewicht`
    mittlerer_index: float | None


@dataclass
class IndexErgebnis:
    definition: IndexDefinition
    indikator_titel: dict[str, str]
    einheiten: list[IndexEinheit]
    kennwerte: list[Kennwerte]  # per indicator; empty without standardisation
    summe_kennwerte: Kennwerte
    datei: str
    quellen: list[tuple[str, str]]
    jahr: int | None = None
    von: int | None = None
    bis: int | None = None
    schema: Schema | None = None
    raeume: list[RaumIndex] = field(default_factory=list)
    gewichtsspalte: str | None = None
    gewicht_titel: str = ""  # the title of the population column, for people
    hinweise: list[str] = field(default_factory=list)
    warnungen: list[str] = field(default_factory=list)
    einheit: tuple[str, str] = ("Bezirk", "Bezirke")  # the units' own name (mapping `einheit:`)

    @property
    def ausgeschlossen(self) -> list[IndexEinheit]:
        return [e for e in self.einheiten if not e.eingeschlossen]

    @property
    def dynamisch(self) -> bool:
        return self.von is not None


def pmean(xs: list[float]) -> float:
    return math.fsum(xs) / len(xs)


def pstdev(xs: list[float]) -> float:
    """Population standard deviation (divisor n)."""
    m = pmean(xs)
    return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / len(xs))


# ----------------------------------------------------------------------------- values


def _status_text(status: str) -> str:
    from .symbole import STATUS_TEXT

    return STATUS_TEXT.get(status, status)


class _Quelle:
    """Values of one column (or of a mapping rate computed per district) for one year."""

    def __init__(self, zuordnung: Zuordnung, daten: Any, name: str) -> None:
        self.daten = daten
        self.zuordnung = zuordnung
        self.merkmal, self.titel, self.quote = _resolve(zuordnung, daten, name)

    def werte(self, jahr: int | None) -> dict[int, tuple[float | None, str]]:
        if self.quote is not None:
            q = self.quote
            num = _column(self.daten, q.zaehler, jahr)
            den = _column(self.daten, q.nenner, jahr)
            out: dict[int, tuple[float | None, str]] = {}
            for nr in set(num) | set(den):
                (a, sa), (b, sb) = num.get(nr, (None, "fehlt")), den.get(nr, (None, "fehlt"))
                if a is None or b is None:
                    out[nr] = (None, sa if a is None else sb)
                elif b == 0:
                    out[nr] = (None, "nenner_null")
                else:
                    out[nr] = (q.faktor * a / b, "vorhanden")
            return out
        return _column(self.daten, self.merkmal, jahr)


def _column(daten: Any, merkmal: str, jahr: int | None) -> dict[int, tuple[float | None, str]]:
    """District -> (value or None, status) of one indicator in one year (rows without year always fit)."""
    from .symbole import BEKANNT

    df = daten.daten
    rows = df[df["merkmal"] == merkmal]
    if jahr is not None:
        rows = rows[(rows["jahr"] == jahr).fillna(False) | rows["jahr"].isna()]
    out: dict[int, tuple[float | None, str]] = {}
    for r in rows.itertuples():
        known = r.status in BEKANNT and r.wert == r.wert
        out[int(r.bezirk_nr)] = (float(r.wert) if known else None, str(r.status))
    return out


def _resolve(zuordnung: Zuordnung, daten: Any, name: str) -> tuple[str, str, Merkmal | None]:
    """(merkmal, title, mapping rate or None) for a name as the user wrote it."""
    from .mapping import name_key

    spalten = {s.merkmal: s for s in daten.spalten}
    if name in spalten:
        m = zuordnung.merkmale.get(name)
        return name, (m.titel if m else spalten[name].titel) or name, None
    key = name_key(name)
    for s in daten.spalten:
        if name_key(s.merkmal) == key or name_key(s.titel) == key:
            m = zuordnung.merkmale.get(s.merkmal)
            return s.merkmal, (m.titel if m else s.titel) or s.merkmal, None
    for m in zuordnung.merkmale.values():
        if any(name_key(x) == key for x in m.schreibweisen):
            if m.name in spalten:
                return m.name, m.titel, None
            if m.art == QUOTE and m.zaehler in spalten and m.nenner in spalten:
                return m.name, m.titel, m
    vorhanden = list(spalten) + [
        q.name for q in zuordnung.quoten() if q.zaehler in spalten and q.nenner in spalten and q.name not in spalten
    ]
    raise AufrufError(
        f"Das Merkmal „{name}“ gibt es nicht. Vorhanden: {', '.join(vorhanden) or 'keine'}.",
        datei=daten.datei, parameter="indikatoren",
    )


def _years(daten: Any, jahr: int | None, von: int | None, bis: int | None) -> tuple[int | None, list[str]]:
    """The year of a static index (None for files without years) and notes."""
    from .reading import LAYOUT_STICHTAGE

    if (von is None) != (bis is None):
        raise AufrufError("Für den dynamischen Index bitte beide Jahre angeben.", parameter=("aenderung_von", "aenderung_bis"))
    if von is not None:
        if jahr is not None:
            raise AufrufError("Ein Stichjahr passt nicht zum dynamischen Index.", parameter=("jahr", "aenderung_von", "aenderung_bis"))
        if daten.layout != LAYOUT_STICHTAGE:
            raise InputError(
                "Der dynamische Index braucht eine Datei mit Jahren (eine Spalte je Stichtag oder Jahresspalte).",
                datei=daten.datei,
            )
        if von >= bis:
            raise AufrufError(f"{von} muss vor {bis} liegen.", parameter=("aenderung_von", "aenderung_bis"))
        for j in (von, bis):
            if j not in daten.jahre:
                raise InputError(
                    f"Das Jahr {j} gibt es in der Datei nicht (vorhanden: {', '.join(map(str, daten.jahre))}).",
                    datei=daten.datei,
                )
        return bis, []
    from .aggregate import select_year

    _, jahr, notes = select_year(daten, jahr)
    return jahr, notes


def code_texte(daten: Any, sheet: str | None = None) -> dict[int, str]:
    """District -> its code as written in the (first) file, e.g. 1 -> '01'; empty if unknown."""
    from .reading import read_table

    out: dict[int, str] = {}
    try:
        _, rows = read_table(daten.datei, sheet=sheet)
    except Exception:  # the codes are a nicety; the file was read before
        return out
    by_line = dict(rows)
    for nr, line in daten.zeilen.items():
        for cell in by_line.get(line, []):
            text = str(cell).strip()
            if text.isdigit() and int(text) == nr:
                out[nr] = text
                break
    return out


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


# ----------------------------------------------------------------------------- the index


def compute_index(
    zuordnung: Zuordnung,
    daten: Any,
    definition: IndexDefinition,
    *,
    jahr: int | None = None,
    von: int | None = None,
    bis: int | None = None,
    schema: Schema | str | None = None,
    sheet: str | None = None,
) -> IndexErgebnis:
    """The index of every district of the mapping (and of the Räume of `schema`, if given)."""
    if isinstance(schema, str):
        schema = zuordnung.schema(schema)
    stichjahr, hinweise = _years(daten, jahr, von, bis)
    warnungen: list[str] = []
    d = definition
    if not d.indikatoren:
        raise AufrufError("Bitte mindestens einen Indikator angeben.", parameter="indikatoren")
    for col in list(d.gewichte) + list(d.richtungen):
        if col not in d.indikatoren:
            raise AufrufError(f"„{col}“ hat ein Gewicht oder eine Richtung, ist aber kein Indikator.", parameter="indikatoren")

    quellen = {i: _Quelle(zuordnung, daten, i) for i in d.indikatoren}
    titel = {i: q.titel for i, q in quellen.items()}
    for i, q in quellen.items():
        spalte = next((s for s in daten.spalten if s.merkmal == q.merkmal), None)
        if q.quote is not None:
            hinweise.append(
                f"Indikator „{q.titel}“ wird je {zuordnung.einzahl} aus der Zuordnung berechnet: "
                f"{q.quote.faktor:g} × {q.quote.zaehler} / {q.quote.nenner}."
            )
        elif spalte is not None and spalte.art == ANZAHL:
            hinweise.append(
                f"Indikator „{q.titel}“ ist eine Anzahl; ein Index vergleicht in der Regel Quoten oder Anteile, "
                f"denn Anzahlen hängen von der Größe der {zuordnung.mehrzahl} ab."
            )
    if von is not None:
        werte: dict[str, dict[int, tuple[float | None, str]]] = {}
        for i, q in quellen.items():
            a, b = q.werte(von), q.werte(bis)
            werte[i] = {}
            for nr in set(a) | set(b):
                (x0, s0), (x1, s1) = a.get(nr, (None, "fehlt")), b.get(nr, (None, "fehlt"))
                if x0 is None or x1 is None:
                    werte[i][nr] = (None, f"{von}: {_status_text(s0)}" if x0 is None else f"{bis}: {_status_text(s1)}")
                else:
                    werte[i][nr] = (x1 - x0, "vorhanden")
    else:
        werte = {i: {nr: (x, s if x is not None else _status_text(s)) for nr, (x, s) in q.werte(stichjahr).items()}
                 for i, q in quellen.items()}

    gewichtsspalte = d.gewichtsspalte
    einwohner: dict[int, tuple[float | None, str]] = {}
    einwohner_titel = ""
    if gewichtsspalte is not None:
        eq = _Quelle(zuordnung, daten, gewichtsspalte)
        einwohner = eq.werte(stichjahr)
        einwohner_titel = eq.titel
    mindest_werte: dict[int, tuple[float | None, str]] = {}
    if d.mindest_einwohner is not None:
        mq = _Quelle(zuordnung, daten, d.mindest_einwohner[0])
        mindest_werte = mq.werte(stichjahr)

    present = set(daten.daten["bezirk_nr"].astype(int))
    codes = code_texte(daten, sheet)
    einheiten: list[IndexEinheit] = []
    for nr, bezirk in zuordnung.bezirke.items():
        reasons: list[str] = []
        values = {i: werte[i].get(nr, (None, "fehlt"))[0] for i in d.indikatoren}
        pop = einwohner.get(nr, (None, "fehlt"))[0] if gewichtsspalte else None
        if nr not in present:
            reasons.append("fehlt in der Datei")
        else:
            if d.mindest_einwohner is not None:
                col, minimum = d.mindest_einwohner
                m_value, m_status = mindest_werte.get(nr, (None, "fehlt"))
                if m_value is None:
                    reasons.append(f"{col} fehlt ({_status_text(m_status)})")
                elif m_value < minimum:
                    reasons.append(f"{col} {_fmt(m_value)} unter der Mindestzahl {_fmt(minimum)}")
            for i in d.indikatoren:
                x, status = werte[i].get(nr, (None, "fehlt"))
                if x is None:
                    why = "Nenner 0" if status == "nenner_null" else _status_text(status)
                    reasons.append(f"Wert fehlt: {i} ({why})")
        einheiten.append(
            IndexEinheit(nr=nr, name=bezirk.name, werte=values, z={i: None for i in d.indikatoren}, summe=None,
                         index=None, klasse=None, einwohner=pop, ausschluss=reasons, code=codes.get(nr, "") or zuordnung.code(nr))
        )

    drin = [e for e in einheiten if e.eingeschlossen]
    if len(drin) < 2:
        raise InputError(
            f"Nur {len(drin)} {zuordnung.mehrzahl if len(drin) != 1 else zuordnung.einzahl} haben alle Werte; für einen Index braucht es mindestens zwei.",
            datei=daten.datei,
        )
    kennwerte: list[Kennwerte] = []
    for i in d.indikatoren:
        xs = [e.werte[i] for e in drin]
        if d.standardisieren:
            m, s = pmean(xs), pstdev(xs)
            if s == 0:
                raise InputError(
                    f"Der Indikator „{i}“ hat in allen eingeschlossenen {dativ_plural(zuordnung.mehrzahl)} denselben Wert ({_fmt(m)}); "
                    "er kann nicht standardisiert werden.",
                    datei=daten.datei,
                )
            kennwerte.append(Kennwerte(i, m, s, len(xs)))
            for e in drin:
                e.z[i] = (e.werte[i] - m) / s
        else:
            for e in drin:
                e.z[i] = e.werte[i]
    gewicht_summe = math.fsum(d.gewicht(i) for i in d.indikatoren)
    for e in drin:
        total = math.fsum(d.richtung(i) * d.gewicht(i) * e.z[i] for i in d.indikatoren)
        e.summe = total / gewicht_summe if d.mittelwert else total
    sums = [e.summe for e in drin]
    sm, ss = pmean(sums), pstdev(sums)
    if ss == 0:
        raise InputError(f"Die Summe der Indikatoren ist in allen {dativ_plural(zuordnung.mehrzahl)} gleich; es gibt keinen Index.", datei=daten.datei)
    summe_kennwerte = Kennwerte("summe", sm, ss, len(sums))
    for e in drin:
        e.index = (e.summe - sm) / ss
        if d.klassen is not None:
            e.klasse = d.klassen.klasse(round(e.index, KLASSEN_STELLEN))

    ergebnis = IndexErgebnis(
        einheit=(zuordnung.einzahl, zuordnung.mehrzahl),
        definition=d,
        indikator_titel=titel,
        einheiten=einheiten,
        kennwerte=kennwerte,
        summe_kennwerte=summe_kennwerte,
        datei=daten.bezeichnung,
        quellen=[(str(p), h) for p, h in daten.quellen],
        jahr=stichjahr if von is None else None,
        von=von,
        bis=bis,
        schema=schema,
        gewichtsspalte=gewichtsspalte,
        gewicht_titel=einwohner_titel,
        hinweise=list(daten.hinweise) + hinweise,
        warnungen=[*daten.warnungen, *warnungen],
    )
    if ergebnis.ausgeschlossen:
        ergebnis.hinweise.append(
            f"{len(ergebnis.ausgeschlossen)} {zuordnung.einzahl if len(ergebnis.ausgeschlossen) == 1 else zuordnung.mehrzahl} "
            "ohne Index (Gründe in der Liste); was keinen Index hat, geht in keinen "
            "Mittelwert und keine Standardabweichung ein. Fehlende Werte werden nie als 0 gezählt."
        )
    if schema is not None:
        ergebnis.raeume = _areas(schema, einheiten, d.klassen, gewichtsspalte is not None)
        if gewichtsspalte is None:
            ergebnis.hinweise.append(
                "Keine Einwohnerspalte (--population oder --min-population): die Räume sind nach der Zahl "
                f"ihrer {zuordnung.mehrzahl} gewichtet, nicht nach Einwohnern."
            )
        else:
            unknown = [e for e in drin if e.einwohner is None]
            if unknown:
                listed = ", ".join(f"{e.code} ({e.name})" for e in unknown)
                ergebnis.warnungen.append(
                    f"{einwohner_titel or gewichtsspalte} fehlt für {listed}: diese {zuordnung.mehrzahl} fehlen in den Werten der Räume."
                )
    return ergebnis


def _areas(schema: Schema, einheiten: list[IndexEinheit], klassen: Klassen | None, weighted: bool) -> list[RaumIndex]:
    by_nr = {e.nr: e for e in einheiten}
    out = []
    for raum in schema.raeume:
        w_in: list[tuple[float, IndexEinheit]] = []
        w_out = 0.0
        for nr, anteil in raum.anteile.items():
            e = by_nr[nr]
            w = anteil * (e.einwohner if weighted else 1.0) if (e.einwohner is not None or not weighted) else None
            if w is None:
                continue
            if e.index is None:
                w_out += w
            else:
                w_in.append((w, e))
        total = math.fsum(w for w, _ in w_in)
        anteile: dict[str, float | None] = {}
        if klassen is not None:
            for k in klassen.namen:
                anteile[k] = 100 * math.fsum(w for w, e in w_in if e.klasse == k) / total if total > 0 else None
        mean = math.fsum(w * e.index for w, e in w_in) / total if total > 0 else None
        out.append(
            RaumIndex(
                raum=raum.name,
                bezirke=len(raum.anteile),
                bezirke_mit_index=len(w_in),
                gewicht=total,
                gewicht_ohne_index=w_out,
                anteile=anteile,
                mittlerer_index=mean,
            )
        )
    return out
