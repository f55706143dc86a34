"""`sozialraum map --index NAME`: the districts coloured by the class of an index of the mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import Eingabe, load_data, say_notes


def index_map(
    zuordnung: Any, schema: Any, geo: Any, dateien: list[Path] | None, index_name: str, *, year: int | None,
    value: str | None, rate: str | None, compare: bool, sheet: str | None, symbol: list[str] | None,
    title: str | None, labels: bool, width: int, height: int, fmt: str,
) -> bytes:
    from ..errors import AufrufError
    from ..index import compute_index
    from ..index_karte import draw_index_map

    if value or rate or compare:
        raise AufrufError("--index passt nicht zu --value, --rate oder --compare.")
    if not dateien:
        raise AufrufError("--index braucht eine Datendatei.")
    if index_name not in zuordnung.indizes:
        known = ", ".join(zuordnung.indizes) or "keine"
        raise AufrufError(f"Den Index „{index_name}“ gibt es nicht in {zuordnung.datei}. Vorhanden: {known}.")
    definition = zuordnung.indizes[index_name]
    if definition.klassen is None:
        raise AufrufError(f"Der Index „{index_name}“ hat keine Klassen („klassen“ in der Zuordnung); die Karte färbt nach Klassen.")
    daten = load_data(zuordnung, Eingabe(dateien, sheet=sheet, symbole=symbol, jahr=year))
    ergebnis = compute_index(zuordnung, daten, definition, jahr=year, sheet=sheet)
    say_notes(warnungen=ergebnis.warnungen)
    return draw_index_map(geo, schema, ergebnis, titel=title, labels=labels, breite=width, hoehe=height, format=fmt)
