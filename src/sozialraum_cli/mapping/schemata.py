"""The `schemata:` section of a mapping: Räume and their member units with shares, checked for
completeness (every unit once, shares adding up to 1)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..errors import MappingError
from .model import (
    SHARE_TOLERANCE,
    Bezirk,
    Raum,
    Schema,
    format_share,
    parse_key,
)


def build_schemata(
    raw: Any, bezirke: dict[int, Bezirk], fail, lines: Any, datei: Path, einzahl: str = "Bezirk",
    mehrzahl: str = "Bezirke",
) -> dict[str, Schema]:
    if not isinstance(raw, dict) or not raw:
        raise fail("„schemata“ muss mindestens ein Schema enthalten.", "schemata")
    by_name = {b.code: nr for nr, b in bezirke.items() if nr < 0}  # units keyed by their name (no codes)
    schemata: dict[str, Schema] = {}
    for sname, entry in raw.items():
        spath = ("schemata", sname)
        if not isinstance(entry, dict) or not isinstance(entry.get("raeume"), dict) or not entry["raeume"]:
            raise fail(f"Schema „{sname}“ braucht „raeume“: Raumname → Liste der Schlüssel seiner Einheiten.", *spath)
        raeume: list[Raum] = []
        where: dict[int, list[tuple[Any, float, int, bool]]] = {}  # nr -> (Raum, share, index in it, explicit)
        for rname, members in entry["raeume"].items():
            rpath = spath + ("raeume", rname)
            if not members:
                raise fail(f"Raum „{rname}“ im Schema „{sname}“ hat keine {mehrzahl}.", *rpath)
            if not isinstance(members, list):
                raise fail(f"Raum „{rname}“ im Schema „{sname}“: erwartet wird eine Liste von Schlüsseln.", *rpath)
            anteile: dict[int, float] = {}
            for k, item in enumerate(members):
                if type(item) is str and item.isdigit() and item.isascii():  # the common case: a code, whole
                    nr, anteil, explicit = int(item), 1.0, False
                    if nr not in bezirke or nr in anteile:
                        nr = None  # the general way below names the error
                else:
                    nr = None
                if nr is None:
                    explicit = isinstance(item, dict)
                    written, anteil = (item.get("nr"), item.get("anteil")) if explicit else (item, 1.0)
                    nr, anteil = _member(written, anteil, bezirke, by_name, anteile, rname, sname, fail, rpath + (k,), einzahl)
                anteile[nr] = anteil
                place = (rname, anteil, k, explicit)
                places = where.get(nr)
                if places is None:
                    where[nr] = [place]
                else:
                    places.append(place)
            raeume.append(Raum(str(rname), anteile))
        for nr, places in where.items():
            if len(places) == 1:
                if places[0][1] == 1.0:
                    continue
                total = places[0][1]
            else:
                total = sum(p[1] for p in places)
            b = bezirke[nr]
            if len(places) > 1 and not all(p[3] for p in places):
                (r1, _, k1, _), (r2, _, k2, _) = places[:2]
                l1, l2 = lines(*spath, "raeume", r1, k1), lines(*spath, "raeume", r2, k2)
                raise MappingError(
                    f"{einzahl} {b.schluessel} ({b.name}) steht im Schema „{sname}“ in zwei Räumen: „{r1}“ (Zeile {l1}) "
                    f"und „{r2}“ (Zeile {l2}). Soll er aufgeteilt werden, in jedem Raum einen Anteil angeben, "
                    f"z. B. {{nr: {nr if b.schluessel == str(nr) else chr(34) + b.schluessel + chr(34)}, anteil: 0.5}}.",
                    datei=datei,
                    zeile=l2,
                )
            if abs(total - 1) > SHARE_TOLERANCE:
                raise fail(
                    f"Die Anteile von {einzahl} {b.schluessel} ({b.name}) im Schema „{sname}“ ergeben zusammen "
                    f"{format_share(total)} statt 1.",
                    *spath,
                    "raeume",
                    places[0][0],
                )
        missing = [nr for nr in bezirke if nr not in where]
        if missing:
            listed = ", ".join(f"{bezirke[nr].schluessel} ({bezirke[nr].name})" for nr in missing)
            raise fail(f"Im Schema „{sname}“ ist kein Raum für diese {mehrzahl} angegeben: {listed}.", *spath)
        schemata[str(sname)] = Schema(
            name=str(sname),
            titel=str(entry.get("titel") or sname),
            quelle=" ".join(str(entry.get("quelle") or "").split()),
            hinweis=" ".join(str(entry.get("hinweis") or "").split()),
            raeume=tuple(raeume),
            codes=_codes(entry.get("codes"), [r.name for r in raeume], fail, spath),
            praefix=_praefix(entry.get("praefix"), fail, spath),
        )
    return schemata


def _member(
    written: Any, anteil: Any, bezirke: dict[int, Bezirk], by_name: dict[str, int], anteile: dict[int, float],
    rname: Any, sname: Any, fail, ipath: tuple, einzahl: str = "Bezirk",
) -> tuple[int, float]:
    """A Raum's member as written (a code, a name of a mapping without codes, {nr, anteil}), checked:
    (its number, its share)."""
    key = parse_key(written)
    if key is None and isinstance(written, str) and written.strip() in by_name:
        key = (by_name[written.strip()], written.strip())
    if key is None:
        raise fail(f"Raum „{rname}“ im Schema „{sname}“: „{written}“ ist kein Schlüssel.", *ipath)
    nr = key[0]
    if nr not in bezirke:
        raise fail(
            f"Raum „{rname}“ im Schema „{sname}“ nennt {einzahl} {key[1]}, den es unter „bezirke“ nicht gibt.", *ipath
        )
    if not isinstance(anteil, (int, float)) or isinstance(anteil, bool) or not (0 < anteil <= 1 and math.isfinite(anteil)):
        raise fail(
            f"{einzahl} {key[1]} im Raum „{rname}“ (Schema „{sname}“): Der Anteil muss größer als 0 "
            f"und höchstens 1 sein, nicht „{anteil}“.",
            *ipath,
        )
    if nr in anteile:
        raise fail(f"{einzahl} {key[1]} steht zweimal im Raum „{rname}“ (Schema „{sname}“).", *ipath)
    return nr, float(anteil)


def _codes(raw: Any, names: list[str], fail, spath: tuple) -> dict[str, str]:
    """`codes:` of a scheme: Raum -> its own code as text (rows of a data file with that code are its subtotal)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail("„codes“ muss eine Zuordnung Raum → Nummer sein, z. B. {Altstadt: \"0101\"}.", *spath, "codes")
    out: dict[str, str] = {}
    seen: dict[Any, str] = {}  # the code (its number, if digits) -> the first Raum with it
    for raum, code in raw.items():
        if str(raum) not in names:
            raise fail(f"„codes“ nennt den Raum „{raum}“, den es im Schema nicht gibt.", *spath, "codes")
        if isinstance(code, bool) or not isinstance(code, (int, str)) or not str(code).strip():
            raise fail(f"„codes“: die Nummer des Raums „{raum}“ fehlt oder ist keine Zahl/kein Text.", *spath, "codes")
        text = str(code).strip()
        same = int(text) if text.isascii() and text.isdigit() else text
        if same in seen:
            first = seen[same]
            zeros = "" if out[first] == text else " (Nummern, die sich nur in führenden Nullen unterscheiden, sind gleich)"
            raise fail(f"„codes“: die Räume „{first}“ ({out[first]}) und „{raum}“ ({text}) haben dieselbe Nummer{zeros}; "
                       "die Nummer eines Raums muss im Schema eindeutig sein.", *spath, "codes", raum)
        seen[same] = str(raum)
        out[str(raum)] = text
    return out


def _praefix(raw: Any, fail, spath: tuple) -> int | None:
    """`praefix: N`: the first N characters of a unit's code are its Raum's code (rows with such a
    beginning that are no unit are the Raum's remainder)."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise fail("„praefix“ muss eine ganze Zahl ≥ 1 sein (die ersten N Stellen der Schlüssel).", *spath, "praefix")
    return raw
