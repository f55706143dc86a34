"""Which scheme nests in which: every Raum of the finer scheme lies wholly in one Raum of the coarser."""

from __future__ import annotations

from .model import Schema, Zuordnung


def liegt_in(fein: Schema, grob: Schema) -> dict[str, str] | None:
    """Raum of `fein` -> the Raum of `grob` it lies in, or None when `fein` does not nest in `grob`."""
    if fein.name == grob.name or len(fein.raeume) <= len(grob.raeume):
        return None
    out: dict[str, str] = {}
    for raum in fein.raeume:
        parents = set()
        for nr in raum.anteile:
            places = grob.raeume_von(nr)
            if len(places) != 1 or raum.anteile[nr] != 1:
                return None
            parents.add(places[0][0])
        if len(parents) != 1:
            return None
        out[raum.name] = parents.pop()
    return out


def verschachtelung(zuordnung: Zuordnung) -> list[tuple[str, str]]:
    """(finer, coarser) scheme names for every pair that nests, finest first."""
    schemata = sorted(zuordnung.schemata.values(), key=lambda s: -len(s.raeume))
    return [(a.name, b.name) for a in schemata for b in schemata if liegt_in(a, b) is not None]
