"""Which scheme nests in which: every Raum of the finer scheme lies wholly in one Raum of the coarser."""

from __future__ import annotations

from ..errors import AufrufError
from .model import Schema, Zuordnung, name_key


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


def einheiten_in(zuordnung: Zuordnung, raeume: list[tuple[str, str]]) -> tuple[list[int], list[tuple[str, str]]]:
    """The units (in mapping order) that lie in every given (scheme, Raum), e.g. which Planungsräume of
    the Bezirk Mitte lie in the Bezirksregion Heideweg; a unit split over Räume counts where it has a share.
    Scheme and Raum names are matched as everywhere (case, umlauts, spaces do not count); returns the units
    and the (scheme, Raum) names as the mapping writes them."""
    wanted, names = [], []
    for sname, rname in raeume:
        schema = zuordnung.schemata.get(sname) or next(
            (s for s in zuordnung.schemata.values() if name_key(s.name) == name_key(sname)), None)
        if schema is None:
            raise AufrufError(f"Ein Schema „{sname}“ gibt es nicht (vorhanden: {', '.join(zuordnung.schemata)}).",
                              parameter="raum")
        raum = next((r for r in schema.raeume if r.name == rname), None) or next(
            (r for r in schema.raeume if name_key(r.name) == name_key(rname)), None)
        if raum is None:
            raise AufrufError(f"Den Raum „{rname}“ gibt es im Schema „{schema.name}“ nicht. "
                              f"Vorhanden: {', '.join(schema.raum_namen)}.", parameter="raum")
        wanted.append(set(raum.anteile))
        names.append((schema.name, raum.name))
    return [nr for nr in zuordnung.bezirke if all(nr in w for w in wanted)], names
