"""How each column of a data file is treated: summed, recomputed, or left out with a reason.

A column is summed only when it is a declared count, or, undeclared, when it is evidently one:
non-negative whole numbers under a header that does not look like a share, rate, ratio, mean,
price, index, class, key or flow. Everything else is left out, with the reason and the line of
YAML that would declare it (`classify`), and the plan for one file: every indicator's `Behandlung`
(`plan`) and the names a user may give them (`resolve_name`). Knows nothing of pandas or the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

from .errors import AufrufError
from .mapping import (
    ABGELEITET,
    ANTEIL,
    ANZAHL,
    BEWEGUNG,
    MITTELWERT,
    NICHT_AGGREGIERBAR,
    VERHAELTNIS,
    Merkmal,
    Zuordnung,
    name_key,
)
from .mapping.model import dativ_plural
from .raumtabelle import AUSGELASSEN, GEWICHTET, NEU_BERECHNET, REKONSTRUIERT, SUMMIERT, UEBERNOMMEN, Behandlung

if TYPE_CHECKING:
    from .reading import Bezirksdaten

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
    # short names of Berlin's LOR levels and of Jena's Ortsteile, alone or with a key word (BEZ, PLR_ID, OT-Nr)
    r"|^(bez|bzr|plr|pgr|lor|ot)($|[\s_.-]*(nr\.?|id|code|nummer|schl[uü]ssel)$)"
)
KEY_GRUND = "die Spalte enthält Schlüssel oder Nummern, keine Anzahlen"


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
        return NICHT_AGGREGIERBAR, KEY_GRUND
    for pattern, art, grund in _HEADER_PATTERNS:
        if pattern.search(text):
            return art, grund
    return None


def classify(
    merkmal: str, titel: str, values: list[float], declared: Merkmal | None, own_titel: str = "", display: str = "",
    *, codes: bool = False,
) -> Einordnung:
    """The kind of one column: declared in the mapping, or by the default rule.

    `own_titel` is the column's header without group titles over it; it is asked first, so that a
    group title that spans the column only by position does not decide alone. `display` names the
    column in the suggested YAML line. `codes`: its values are written with leading zeros (text
    like „01“ or „011001“), so they are keys, never counts.
    """
    name = display or own_titel or titel
    if declared is not None:
        return Einordnung(declared.art, declared.grund if declared.art == NICHT_AGGREGIERBAR else "")
    if codes:  # sind es doch Anzahlen (fixed-width exports write 00180), the mapping says so: art anzahl
        return Einordnung(NICHT_AGGREGIERBAR, KEY_GRUND + " (Werte mit führender Null wie „01“)",
                          suggestion(merkmal, name, ANZAHL))
    guess = (header_kind(own_titel) if own_titel else None) or header_kind(titel)
    if guess is not None:
        art, grund = guess
        return Einordnung(art, grund, suggestion(merkmal, name, art))
    if any(v < 0 for v in values):
        return Einordnung(NICHT_AGGREGIERBAR, "die Spalte enthält negative Werte; eine Anzahl ist nie negativ",
                          suggestion(merkmal, name, NICHT_AGGREGIERBAR))
    if any(not float(v).is_integer() for v in values):
        return Einordnung(NICHT_AGGREGIERBAR, "die Spalte enthält Werte mit Nachkommastellen; eine Anzahl ist ganzzahlig",
                          suggestion(merkmal, name, ANZAHL, ganzzahlig=False))
    return Einordnung(ANZAHL)


def suggestion(merkmal: str, titel: str, art: str, *, ganzzahlig: bool = True, teile: bool = True) -> str:
    """The YAML line for `merkmale:` that would declare this column.

    The parts of a share, ratio or mean are placeholders in capitals (BEZUGSGROESSE, ZAEHLER,
    NENNER, GEWICHT) to be replaced by counts of the file; a placeholder left in place is a mapping
    error, never a wrong number. Without counts to refer to (`teile=False`), the column can only be
    declared not aggregable.
    """
    head = f'{merkmal}: {{titel: "{titel}", art: '
    if art in (ANTEIL, VERHAELTNIS, MITTELWERT) and not teile:
        return head + f"{NICHT_AGGREGIERBAR}}}"
    if art == ANTEIL:
        return head + "anteil, basis: BEZUGSGROESSE, faktor: 100}"
    if art == VERHAELTNIS:
        return head + "verhaeltnis, zaehler: ZAEHLER, nenner: NENNER}"
    if art == MITTELWERT:
        return head + "mittelwert, gewicht: GEWICHT}"
    if art == ANZAHL and not ganzzahlig:
        return head + "anzahl, ganzzahlig: false}"
    return head + f"{art}}}"


# ----------------------------------------------------------------------------- the plan for one file

def _flow_text(zuordnung: Zuordnung) -> str:
    return (f"nur übernommen, wo die Datei die Ebene schon enthält (Raum aus genau {zuordnung.einem}, veröffentlichte "
            f"Teilsumme, Gesamtzeile); Wanderungen zwischen {dativ_plural(zuordnung.mehrzahl)} eines Raums würden sonst doppelt gezählt")


def plan(zuordnung: Zuordnung, spalten: dict) -> list[Behandlung]:
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
            out.append(Behandlung(m, titel, BEWEGUNG, UEBERNOMMEN, _flow_text(zuordnung), s.stichtag))
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
                          f"neu berechnet: Zähler je {zuordnung.einzahl} rekonstruiert (Wert × „{b}“{f' / {q.faktor:g}' if q.faktor != 1 else ''}), "
                          f"summiert und durch die Summe von „{b}“ geteilt{faktor}", stichtag)
    return Behandlung(q.name, q.titel, q.art, NEU_BERECHNET,
                      f"neu berechnet aus „{titel(q.zaehler)}“ und „{titel(q.nenner)}“{faktor} (Summen je Raum)", stichtag)


def shown(b: Behandlung, names: list[str]) -> Behandlung:
    """The treatment with `ausgegeben` saying whether this output shows the indicator."""
    from dataclasses import replace

    return b if b.verfahren == AUSGELASSEN else replace(b, ausgegeben=b.merkmal in names)


def resolve_name(name: str, plan: list[Behandlung], zuordnung: Zuordnung, daten: Bezirksdaten) -> str:
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


def unknown_merkmal(name: str, plan: list[Behandlung], available: list[str]) -> str:
    b = next((b for b in plan if b.merkmal == name), None)
    if b is not None and b.verfahren == AUSGELASSEN:
        text = f"„{b.titel}“ wird nicht ausgegeben: {b.text.removeprefix('ausgelassen: ')}."
        if b.vorschlag:
            text += f" Zum Erklären in der Zuordnung unter „merkmale:“ eintragen: {b.vorschlag}"
        return text
    return f"Das Merkmal „{name}“ gibt es nicht. Vorhanden: {', '.join(available) or 'keine'}."


def left_out_text(plan: list[Behandlung]) -> str | None:
    left = [f"„{b.titel}“ ({b.text.removeprefix('ausgelassen: ')})" for b in plan if b.verfahren == AUSGELASSEN]
    return ("Ausgelassen: " + "; ".join(left) + ".") if left else None
