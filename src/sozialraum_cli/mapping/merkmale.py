"""The `merkmale:` section of a mapping: each indicator's kind and parts, checked against each other."""

from __future__ import annotations

import math
from typing import Any

from .model import (
    ANTEIL,
    ANZAHL,
    ARTEN,
    GEOMETRIE,
    MITTELWERT,
    QUOTE,
    VERHAELTNIS,
    Merkmal,
    is_int,
)


def build_merkmale(raw: Any, fail) -> dict[str, Merkmal]:
    if not isinstance(raw, dict):
        raise fail("„merkmale“ muss eine Zuordnung Name → Angaben sein.", "merkmale")
    merkmale: dict[str, Merkmal] = {}
    for name, entry in raw.items():
        path = ("merkmale", name)
        if not isinstance(entry, dict):
            raise fail(f"Merkmal „{name}“: Angaben fehlen (z. B. {{titel: ..., art: anzahl}}).", *path)
        art = entry.get("art", ANZAHL)
        if art not in ARTEN:
            raise fail(f"Merkmal „{name}“: „art“ muss eine von {', '.join(ARTEN)} sein, nicht „{art}“.", *path, "art")
        faktor = entry.get("faktor", 1)
        if not isinstance(faktor, (int, float)) or isinstance(faktor, bool) or not (faktor > 0 and math.isfinite(faktor)):
            raise fail(f"Merkmal „{name}“: „faktor“ muss eine positive Zahl sein.", *path, "faktor")
        stellen = entry.get("stellen")
        if stellen is not None and (not is_int(stellen) or not 0 <= stellen <= 6):
            raise fail(f"Merkmal „{name}“: „stellen“ muss eine ganze Zahl von 0 bis 6 sein.", *path, "stellen")
        ganzzahlig = entry.get("ganzzahlig", True)
        if not isinstance(ganzzahlig, bool):
            raise fail(f"Merkmal „{name}“: „ganzzahlig“ muss true oder false sein.", *path, "ganzzahlig")
        quelle = entry.get("quelle") or ""
        if quelle not in ("", GEOMETRIE) or (quelle and art != ANZAHL):
            raise fail(f"Merkmal „{name}“: „quelle“ kann nur „{GEOMETRIE}“ sein, für ein Merkmal der Art anzahl "
                       "(die Fläche in km² aus den Bezirksgrenzen).", *path, "quelle")
        aus = _parse_aus(entry.get("aus"), art, name, path, fail)
        refs = {k: entry.get(k) for k in ("zaehler", "nenner", "basis", "gewicht")}
        for k, v in refs.items():
            if v is not None and not isinstance(v, str):
                raise fail(f"Merkmal „{name}“: „{k}“ muss der Name eines Merkmals sein.", *path, k)
        merkmale[str(name)] = Merkmal(
            name=str(name),
            titel=str(entry.get("titel") or name),
            art=art,
            faktor=float(faktor),
            einheit=str(entry.get("einheit") or ""),
            definition=str(entry.get("definition") or ""),
            aliase=tuple(str(a) for a in entry.get("aliase") or ()),
            ganzzahlig=ganzzahlig and not quelle,
            grund=str(entry.get("grund") or ""),
            quelle=quelle,
            stellen=stellen,
            aus=aus,
            **refs,
        )
    for m in merkmale.values():
        _check_parts(m, merkmale, fail)
    return merkmale


def _parse_aus(raw: Any, art: str, name: Any, path: tuple, fail) -> tuple[str, tuple[str, ...]] | None:
    """`aus: {spalte: VERSUCH, werte: [Ja]}`: a count of the records whose column holds one of the values."""
    if raw is None:
        return None
    werte = raw.get("werte") if isinstance(raw, dict) else None
    if (art != ANZAHL or not isinstance(raw, dict) or not isinstance(raw.get("spalte"), str) or not raw["spalte"].strip()
            or not isinstance(werte, list) or not werte
            or any(isinstance(w, bool) or not isinstance(w, (str, int, float)) for w in werte)):
        raise fail(f"Merkmal „{name}“: „aus“ braucht die Art anzahl und die Form {{spalte: NAME, werte: [WERT, …]}} "
                   "(Werte als Text, z. B. \"Ja\").", *path, "aus")
    return raw["spalte"].strip(), tuple(str(w).strip() for w in werte)


# the parts each kind needs: (required sets, allowed keys)
_PARTS = {
    QUOTE: ((("zaehler", "nenner"), ("basis",)), {"zaehler", "nenner", "basis"}),
    ANTEIL: ((("zaehler", "nenner"), ("basis",)), {"zaehler", "nenner", "basis"}),
    VERHAELTNIS: ((("zaehler", "nenner"),), {"zaehler", "nenner"}),
    MITTELWERT: ((("gewicht",),), {"gewicht"}),
}


def _check_parts(m: Merkmal, merkmale: dict[str, Merkmal], fail) -> None:
    given = {k for k in ("zaehler", "nenner", "basis", "gewicht") if getattr(m, k)}
    required, allowed = _PARTS.get(m.art, ((), set()))
    stray = sorted(given - allowed)
    if stray:
        raise fail(f"Merkmal „{m.name}“ der Art {m.art}: „{stray[0]}“ gehört nicht dazu.", "merkmale", m.name, stray[0])
    if required and not any(set(r) == given for r in required):
        forms = " oder ".join(" und ".join(f"„{k}“" for k in r) for r in required)
        raise fail(f"Merkmal „{m.name}“ der Art {m.art} braucht {forms} (Merkmale der Art anzahl).", "merkmale", m.name)
    for rolle in [k for k in ("zaehler", "nenner", "basis", "gewicht") if k in given]:
        ref = getattr(m, rolle)
        if ref not in merkmale or merkmale[ref].art != ANZAHL:
            raise fail(
                f"Merkmal „{m.name}“: {rolle} „{ref}“ ist kein Merkmal der Art anzahl in „merkmale“.",
                "merkmale",
                m.name,
                rolle,
            )
