"""Places per Raum (`sozialraum locate`): located points counted per Raum and category, per 1.000
inhabitants where a population is given, with every point that could not be located and why.

The result (`Ortszaehlung`) is rendered by render/standorte.py. Locating itself is in geo.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_LINES = 10  # unlocated points listed one by one for people; all of them in JSON and --points-output


@dataclass
class Ortszaehlung:
    schema: Any
    datei: Path
    tabelle: Any  # DataFrame: raum, anzahl, one column per category, je_1000_einwohner; last row Gesamt
    kategorien: list[str]
    mit_einwohnern: bool
    orte: int
    ohne_bezirk: Any  # geo.Lagen of every point not located (zeile, grund), columnar
    hinweise: list[str] = field(default_factory=list)
    einheit: tuple[str, str] = ("Bezirk", "Bezirke")  # the units' own name (mapping `einheit:`)

    @property
    def zusammenfassung(self) -> str:
        n = len(self.ohne_bezirk)
        return f"{self.orte} Orte, {self.orte - n} einem {self.einheit[0]} zugeordnet, {n} nicht zugeordnet."

    def notizen(self) -> list[str]:
        """For people: the notes, then the unlocated points (counted by reason when there are many)."""
        lines = [f"Zeile {l.zeile}: {l.grund}" for l in self.ohne_bezirk[: MAX_LINES + 1]]
        if len(self.ohne_bezirk) <= MAX_LINES:
            return [*self.hinweise, *lines]
        reasons = Counter(self.ohne_bezirk.grund_liste() if hasattr(self.ohne_bezirk, "grund_liste")
                          else [l.grund for l in self.ohne_bezirk])
        out = [*self.hinweise]
        out += [f"{count:,} Orte nicht zugeordnet: {reason}.".replace(",", ".") for reason, count in reasons.most_common()]
        out += lines[:MAX_LINES]
        out.append(f"… und {len(self.ohne_bezirk) - MAX_LINES:,} weitere Zeilen (alle in --points-output und im JSON)."
                   .replace(",", "."))
        return out


def count_places(schema: Any, orte: Any, einwohner: dict[str, float | None] | None,
                 einheit: tuple[str, str] = ("Bezirk", "Bezirke")) -> Ortszaehlung:
    """Count the located points of `orte` (geo.Ortsliste) per Raum of `schema`."""
    from .geo import count_points

    tabelle, cats = count_points(orte.lagen, schema, orte.kategorien, einwohner)
    problems = orte.lagen.ohne_bezirk()
    hinweise = [f"Orte in aufgeteilten {einheit[1]} zählen mit dem Anteil des {einheit[0]}s."] if schema.aufgeteilt else []
    return Ortszaehlung(schema, orte.datei, tabelle, cats, einwohner is not None, len(orte.lagen), problems,
                        hinweise, einheit)
