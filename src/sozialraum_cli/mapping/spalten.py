"""The mapping's `spalten:` section: the columns of this city's data files, by their header, for when
they are not recognised automatically. What a command's --code-column etc. say wins; the mapping's
value stands in for an option not given. No file access, no CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Spalten:
    """`spalten: {code: PLR-ID, name: Planungsraum, merkmal: [tabelle, zeile], wert: zahl, jahr: jahr}`."""

    code: str | None = None  # the key column (like --code-column)
    name: str | None = None  # the name column (--name-column)
    merkmal: tuple[str, ...] = ()  # a long file's indicator column(s) (--indicator-column)
    wert: str | None = None  # a long file's value column (--value-column)
    jahr: str | None = None  # a long file's year column (--year-column)

    def herkunft(self, feld: str) -> str:
        """How an error names a column that came from here."""
        return f"„spalten: {feld}“ der Zuordnung"


BEISPIEL = "z. B. spalten: {code: PLR-ID, name: Planungsraum}"


def build_spalten(raw: Any, fail: Callable[..., Exception]) -> Spalten:
    if raw is None:
        return Spalten()
    if not isinstance(raw, dict):
        raise fail(f"„spalten“ muss eine Zuordnung sein, {BEISPIEL}.", "spalten")
    unknown = [k for k in raw if k not in ("code", "name", "merkmal", "wert", "jahr")]
    if unknown:
        raise fail(f"„spalten“ kennt „{unknown[0]}“ nicht (möglich: code, name, merkmal, wert, jahr).", "spalten", unknown[0])

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(f"„spalten: {key}“ muss die Überschrift einer Spalte sein (Text), {BEISPIEL}.", "spalten", key)
        return value.strip()

    merkmal = raw.get("merkmal")
    if isinstance(merkmal, str):
        merkmal = [merkmal]
    if merkmal is not None and (not isinstance(merkmal, list) or not all(isinstance(m, str) and m.strip() for m in merkmal)):
        raise fail("„spalten: merkmal“ muss eine Überschrift oder eine Liste von Überschriften sein, "
                   "z. B. merkmal: [tabelle, zeile].", "spalten", "merkmal")
    return Spalten(code=text("code"), name=text("name"), merkmal=tuple(m.strip() for m in merkmal or []),
                   wert=text("wert"), jahr=text("jahr"))
