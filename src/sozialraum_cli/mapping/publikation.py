"""The mapping's publication rules (`geheimhaltung:`): the disclosure threshold every published
output applies by default, and where that value comes from. No file access, no CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .model import is_int


@dataclass(frozen=True)
class Publikationsregel:
    """`geheimhaltung: {min_count: N, quelle: …}`: counts from 1 to N−1 are suppressed by default."""

    min_count: int
    quelle: str = ""


def build_quelle(raw: Any, fail: Callable[..., Exception]) -> str:
    """`quelle:` at the top: the office named in the source line of maps and profiles ("" when absent)."""
    if raw is None:
        return ""
    if not isinstance(raw, str) or not raw.strip():
        raise fail("„quelle“ muss ein Text sein, z. B. quelle: \"Stadt Jena, Statistik\".", "quelle")
    return raw.strip()


def build_geheimhaltung(raw: Any, fail: Callable[..., Exception]) -> Publikationsregel | None:
    """The section `geheimhaltung:` checked; None when the mapping has none (no default rule)."""
    if raw is None:
        return None
    beispiel = "z. B. geheimhaltung: {min_count: 3, quelle: \"…\"}"
    if not isinstance(raw, dict):
        raise fail(f"„geheimhaltung“ muss eine Zuordnung sein, {beispiel}.", "geheimhaltung")
    unknown = sorted(set(raw) - {"min_count", "quelle"})
    if unknown:
        raise fail(f"„geheimhaltung“ kennt „{unknown[0]}“ nicht (erlaubt: min_count, quelle).", "geheimhaltung", unknown[0])
    n = raw.get("min_count")
    if not is_int(n) or n < 2:
        raise fail(f"„geheimhaltung: min_count“ muss eine ganze Zahl ab 2 sein, {beispiel}.", "geheimhaltung", "min_count")
    quelle = raw.get("quelle", "")
    if not isinstance(quelle, str):
        raise fail("„geheimhaltung: quelle“ muss ein Text sein.", "geheimhaltung", "quelle")
    return Publikationsregel(int(n), quelle.strip())
