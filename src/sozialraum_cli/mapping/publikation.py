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


def build_text(raw: Any, fail: Callable[..., Exception], key: str, was: str, beispiel: str) -> str:
    """A top-level text entry (`stadt:` the city's name for people, `quelle:` the office named in the source
    line of maps and profiles); "" when absent."""
    if raw is None:
        return ""
    if not isinstance(raw, str) or not raw.strip():
        raise fail(f"„{key}“ muss {was} sein, z. B. {beispiel}.", key)
    return raw.strip()


def build_profil(raw: Any, fail: Callable[..., Exception], merkmale: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`profil: {abschnitte: [{titel: …, merkmale: [...]}, …]}`: the sections of a profile page, in order."""
    if raw is None:
        return ()
    beispiel = "z. B. profil: {abschnitte: [{titel: Bevölkerung, merkmale: [einwohner]}]}"
    if not isinstance(raw, dict) or not isinstance(raw.get("abschnitte"), list):
        raise fail(f"„profil“ braucht eine Liste „abschnitte“, {beispiel}.", "profil")
    out = []
    for i, a in enumerate(raw["abschnitte"]):
        if not isinstance(a, dict) or not isinstance(a.get("titel"), str) or not isinstance(a.get("merkmale"), list):
            raise fail(f"Jeder Abschnitt braucht „titel“ und eine Liste „merkmale“, {beispiel}.", "profil", "abschnitte", i)
        unknown = [str(m) for m in a["merkmale"] if str(m) not in merkmale]
        if unknown:
            raise fail(f"Abschnitt „{a['titel']}“: das Merkmal „{unknown[0]}“ steht nicht in „merkmale“.",
                       "profil", "abschnitte", i)
        out.append((a["titel"].strip(), tuple(str(m) for m in a["merkmale"])))
    return tuple(out)


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
