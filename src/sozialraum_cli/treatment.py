"""How each column of a data file is treated: summed, recomputed, or left out with a reason.

A column is summed only when it is a declared count, or, undeclared, when it is evidently one:
non-negative whole numbers under a header that does not look like a share, rate, ratio, mean,
price, index, class, key or flow. Everything else is left out, with the reason and the line of
YAML that would declare it. Knows nothing of files, pandas or the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .mapping import (
    ANTEIL,
    ANZAHL,
    BEWEGUNG,
    MITTELWERT,
    NICHT_AGGREGIERBAR,
    VERHAELTNIS,
    Merkmal,
)

# (pattern on the casefolded header, the kind it suggests, why it is not summed)
_HEADER_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"zuz[uü]g|fortz[uü]g|wegz[uü]g|wanderung|saldo|umz[uü]g"), BEWEGUNG,
     "die Überschrift deutet auf Wanderungen (Bewegungen zwischen Gebieten); sie lassen sich nicht über Ebenen addieren"),
    (re.compile(r"median"), NICHT_AGGREGIERBAR, "die Überschrift deutet auf einen Median; er lässt sich nicht aus Teilen berechnen"),
    (re.compile(r"index|z-wert|z wert|zwert|\bklasse|\brang\b|\bstufe"), NICHT_AGGREGIERBAR,
     "die Überschrift deutet auf einen Index, z-Wert, Rang oder eine Klasse; sie lassen sich nicht summieren"),
    (re.compile(r"\beur\b|€|preis|richtwert|miete\b|kosten|\beinkommen\b|kaufkraft|betrag|\blohn|gehalt"), NICHT_AGGREGIERBAR,
     "die Überschrift deutet auf einen Geldbetrag, Preis oder ein Einkommen; Beträge je Einheit lassen sich nicht summieren"),
    (re.compile(r"baujahr|erwartung|\bscore|punktzahl|bewertung|\bnote\b"), NICHT_AGGREGIERBAR,
     "die Überschrift deutet auf ein Jahr, eine Erwartung oder eine Bewertung; sie lassen sich nicht summieren"),
    (re.compile(r"%|anteil|quote|prozent|\brate\b|rate\b|beteiligung"), ANTEIL, "die Überschrift deutet auf einen Anteil oder eine Quote"),
    (re.compile(r"durchschnitt|ø|⌀|\bmittel|mittlere|\bmean\b|gr[oö](ß|ss)e\b|dauer\b"), MITTELWERT,
     "die Überschrift deutet auf einen Mittelwert"),
    (re.compile(r"\bje\b|\bpro\b|dichte|verh[aä]ltnis|relation|quotient|\w/\w"), VERHAELTNIS,
     "die Überschrift deutet auf ein Verhältnis (Angabe je Einheit)"),
]
_KEY_HEADER = re.compile(
    r"^(nr\.?|nummer|code|schl[uü]ssel|kennziffer|id|kennung|plz|postleitzahl|jahr|stichtag)($|[\s_.-])|[\s_-](nr\.?|id|code)$"
)


@dataclass(frozen=True)
class Einordnung:
    """What a column is, as far as the tool can tell."""

    art: str  # one of mapping.ARTEN
    grund: str = ""  # why it is not summed (empty for counts)
    vorschlag: str = ""  # a line of YAML that would declare it


def header_kind(header: str) -> tuple[str, str] | None:
    """(kind, reason) suggested by a header, or None when it may name a count."""
    text = header.casefold()
    if _KEY_HEADER.search(text.strip()):
        return NICHT_AGGREGIERBAR, "die Spalte enthält Schlüssel oder Nummern, keine Anzahlen"
    for pattern, art, grund in _HEADER_PATTERNS:
        if pattern.search(text):
            return art, grund
    return None


def classify(merkmal: str, titel: str, values: list[float], declared: Merkmal | None, own_titel: str = "") -> Einordnung:
    """The kind of one column: declared in the mapping, or by the default rule.

    `own_titel` is the column's header without group titles over it; it is asked first, so that a
    group title that spans the column only by position does not decide alone.
    """
    if declared is not None:
        return Einordnung(declared.art, declared.grund if declared.art == NICHT_AGGREGIERBAR else "")
    guess = (header_kind(own_titel) if own_titel else None) or header_kind(titel)
    if guess is not None:
        art, grund = guess
        return Einordnung(art, grund, suggestion(merkmal, own_titel or titel, art))
    if any(v < 0 for v in values):
        return Einordnung(NICHT_AGGREGIERBAR, "die Spalte enthält negative Werte; eine Anzahl ist nie negativ",
                          suggestion(merkmal, own_titel or titel, NICHT_AGGREGIERBAR))
    if any(not float(v).is_integer() for v in values):
        return Einordnung(NICHT_AGGREGIERBAR, "die Spalte enthält Werte mit Nachkommastellen; eine Anzahl ist ganzzahlig",
                          suggestion(merkmal, own_titel or titel, ANZAHL, ganzzahlig=False))
    return Einordnung(ANZAHL)


def suggestion(merkmal: str, titel: str, art: str, *, ganzzahlig: bool = True) -> str:
    """The YAML line for `merkmale:` that would declare this column."""
    head = f'{merkmal}: {{titel: "{titel}", art: {art}'
    if art == ANTEIL:
        return head + ", basis: <Merkmal der Bezugsgröße>, faktor: 100}"
    if art == VERHAELTNIS:
        return head + ", zaehler: <Merkmal>, nenner: <Merkmal>}"
    if art == MITTELWERT:
        return head + ", gewicht: <Merkmal, z. B. Einwohner>}"
    if art == ANZAHL and not ganzzahlig:
        return head + ", ganzzahlig: false}"
    return head + "}"
