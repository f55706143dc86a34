"""The area result: one scheme's Räume with, per indicator, value, completeness, share and what
disclosure control hid; the rank, the treatment of every column and the reconciliation with the file.

Produced once by `aggregate`, protected once by `disclosure`, then read by every renderer (table,
CSV, JSON, Markdown, xlsx, map, profile) and by `trend`/`compare`/`export` without recomputing
anything. Plain Python: no pandas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Iterator

from .mapping import Merkmal, Schema

ART_RAUM = "raum"
ART_GESAMT = "gesamt"
ART_NICHT_ZUGEORDNET = "nicht_zugeordnet"
ART_DIFFERENZ = "differenz"
ART_REST = "rest"  # an area's remainder row (hierarchical codes), directly below its Raum
DIFFERENZ_ZEILE = "Differenz zur Gesamtzeile"
NICHT_ZUGEORDNET_ZEILE = "nicht zugeordnet"

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

# why a value is hidden (Wert.geheim)
PRIMAER = "primaer"  # a small count itself
SEKUNDAER = "sekundaer"  # hidden so that a small count cannot be worked out from the others

VOLLSTAENDIG = "vollständig"
UNVOLLSTAENDIG = "unvollständig"


def rest_zeile(rest: str) -> str:
    """The label of a remainder's line: `davon Rest „01990000 Bezirk (Mi) - nicht zuzuordnen“`."""
    return f"davon Rest „{rest}“"


def rest_name(zeile: "Raumzeile") -> str:
    """The remainder (code and name as in the file) a remainder line shows."""
    return zeile.raum.removeprefix("davon Rest „").removesuffix("“")


def mit_resten(zeilen: list["Raumzeile"]) -> list["Raumzeile"]:
    """The rows in their order with every remainder line moved directly below its Raum."""
    reste: dict[str, list[Raumzeile]] = {}
    for z in zeilen:
        if z.art == ART_REST:
            reste.setdefault(z.zu, []).append(z)
    out = []
    for z in zeilen:
        if z.art != ART_REST:
            out.append(z)
            if z.art == ART_RAUM:
                out += reste.pop(z.raum, [])
    return out + [z for rs in reste.values() for z in rs]


def known(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def value_or_none(x) -> float | None:
    """NaN, None and pandas.NA -> None; anything else a float."""
    if x is None or type(x).__name__ == "NAType":
        return None
    f = float(x)
    return None if math.isnan(f) else f


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


@dataclass(frozen=True)
class Wert:
    """One indicator of one row, as every output publishes it.

    wert: the value (None: unknown, not computable, or hidden); vollstaendig: every member unit was
    known (an incomplete count is a lower bound); anteil: a count's share of Gesamt in %;
    geheim/anteil_geheim: PRIMAER or SEKUNDAER when disclosure control hid the value/the share.
    """

    wert: float | None
    vollstaendig: bool = True
    anteil: float | None = None
    geheim: str | None = None
    anteil_geheim: str | None = None

    def hidden(self, kind: str | None, share_kind: str | None = None) -> "Wert":
        """This value with the value (and with it the share) or only the share suppressed."""
        if kind:
            return replace(self, wert=None, anteil=None, geheim=kind, anteil_geheim=kind)
        if share_kind and self.anteil is not None:
            return replace(self, anteil=None, anteil_geheim=share_kind)
        return self


@dataclass(frozen=True)
class Raumzeile:
    """One row: a Raum, an area's remainder ("davon Rest …", part of the Raum above it), Gesamt,
    the not-assignable row or the difference to the file's total row."""

    art: str  # ART_RAUM, ART_REST, ART_GESAMT, ART_NICHT_ZUGEORDNET or ART_DIFFERENZ
    raum: str
    rang: int | None
    anzahl_bezirke: int
    werte: dict[str, Wert]  # indicator -> value, in output order
    status: str = VOLLSTAENDIG
    fehlend: str = ""  # what is missing, for people
    zu: str = ""  # ART_REST: the Raum whose value includes this remainder

    def wert(self, merkmal: str) -> float | None:
        return self.werte[merkmal].wert


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
    # the Räume in rank order (each followed by its remainder lines), then Gesamt, (if present) nicht zugeordnet and the Differenz zur Gesamtzeile
    zeilen: list[Raumzeile]
    abgleich: list[Abgleich]
    fehlende_bezirke: list[int]
    aufgeteilte_bezirke: list[int]
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    quellen: list[tuple[str, str]] = field(default_factory=list)  # (path, SHA-256) of every input file
    geheimhaltung: object | None = None  # disclosure.Geheimhaltung when disclosure control was applied
    behandlung: list[Behandlung] = field(default_factory=list)  # every indicator of the file and mapping
    nullzeichen: dict[str, int] = field(default_factory=dict)  # symbol -> cells read as 0
    veroeffentlicht: dict[tuple[str, str], float | None] = field(default_factory=dict)  # (raum, merkmal) -> file's figure
    stichtage: dict[str, str] = field(default_factory=dict)  # merkmal -> reference date of its column
    einheiten: str = "Bezirke"  # the units' own name (plural) from the mapping's `einheit:`

    @property
    def merkmale(self) -> list[Merkmal]:
        return [*self.anzahlen, *self.quoten]

    @property
    def raeume(self) -> list[Raumzeile]:
        return [z for z in self.zeilen if z.art == ART_RAUM]

    @property
    def gesamt(self) -> Raumzeile:
        return next(z for z in self.zeilen if z.art == ART_GESAMT)

    def zeile(self, raum: str) -> Raumzeile:
        for z in self.zeilen:
            if z.raum == raum:
                return z
        raise KeyError(raum)

    def hat(self, raum: str) -> bool:
        return any(z.raum == raum for z in self.zeilen)

    def ist_geheim(self, raum: str, merkmal: str) -> bool:
        """The value of `merkmal` in row `raum` is hidden by disclosure control."""
        return any(z.raum == raum and merkmal in z.werte and z.werte[merkmal].geheim for z in self.zeilen)

    def zellen(self) -> Iterator[tuple[Raumzeile, str, Wert]]:
        for z in self.zeilen:
            for m, w in z.werte.items():
                yield z, m, w

    def geheime_zellen(self) -> dict[tuple[str, str], str]:
        """(raum, `<m>` or `<m>_anteil`) -> PRIMAER/SEKUNDAER: every cell an output shows as hidden."""
        counts = {a.name for a in self.anzahlen}
        out = {}
        for z, m, w in self.zellen():
            if w.geheim:
                out[(z.raum, m)] = w.geheim
            if w.anteil_geheim and m in counts:
                out[(z.raum, f"{m}_anteil")] = w.anteil_geheim
        return out

    def geheim_spalten(self, raum: str) -> list[str]:
        """What disclosure control hid in row `raum`: `<m>` and `<m>_anteil`, sorted (for CSV/JSON)."""
        return sorted(c for r, c in self.geheime_zellen() if r == raum)

    def raenge(self, merkmal: str, aufsteigend: bool = False) -> dict[str, int | None]:
        """Rank of each Raum by `merkmal` as published (1 = largest; ties share the smaller rank);
        unknown, hidden and, for counts, incomplete values get none."""
        counts = {a.name for a in self.anzahlen}
        values = {z.raum: (z.werte[merkmal].wert if z.werte[merkmal].vollstaendig or merkmal not in counts else None)
                  for z in self.raeume}
        ordered = sorted((v for v in values.values() if v is not None), reverse=not aufsteigend)
        return {r: (None if v is None else ordered.index(v) + 1) for r, v in values.items()}

    def abgleich_sichtbar(self, a: Abgleich) -> bool:
        """A reconciliation may be published unless it concerns a hidden value."""
        return not self.ist_geheim(a.raum, a.merkmal)
