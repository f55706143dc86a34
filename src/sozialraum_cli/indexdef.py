"""Definition of a composite social index: class rule and the `indizes:` section of the mapping.

Plain Python, no pandas: the mapping loader uses it, the CLI parses --classes with it.

Class rule syntax (ascending): ``hoch<-1<=mittel<=1<niedrig<=1.5<sehr niedrig``.
Every bound stands between two operators and reads like a chained inequality:
``hoch < -1 <= mittel`` means hoch: x < -1 and mittel: x >= -1, so the bound value -1 belongs to
the class on the side of its ``<=``. Exactly one of the two operators at a bound must be ``<=``
(otherwise the bound value would belong to no class or to two).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

_OPS = re.compile(r"(<=|≤|=<|<|>=|≥|>)")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class Klassen:
    """Class names (ascending) and the bounds between them.

    ``links_inklusive[i]`` is True when bound i belongs to the class on its left (``a<=b<c``),
    False when it belongs to the class on its right (``a<b<=c``).
    """

    namen: tuple[str, ...]
    grenzen: tuple[float, ...]
    links_inklusive: tuple[bool, ...]
    text: str = ""

    def klasse(self, x: float | None) -> str | None:
        """The class of a value; None for a missing value."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return None
        for i, b in enumerate(self.grenzen):
            if x < b or (x == b and self.links_inklusive[i]):
                return self.namen[i]
        return self.namen[-1]

    def regeln(self) -> list[tuple[str, str]]:
        """(class, German rule text) for each class, e.g. ('mittel', '-1 ≤ x ≤ 1')."""
        out = []
        n = len(self.namen)
        for k, name in enumerate(self.namen):
            lower = upper = ""
            if k > 0:
                lower = f"{_num(self.grenzen[k - 1])} {'<' if self.links_inklusive[k - 1] else '≤'} x"
            if k < n - 1:
                upper = f"{'≤' if self.links_inklusive[k] else '<'} {_num(self.grenzen[k])}"
            if lower and upper:
                rule = f"{lower} {upper}"
            elif upper:
                rule = f"x {upper}"
            else:  # the last class: the lower bound read from x's side
                rule = f"x {'>' if self.links_inklusive[k - 1] else '≥'} {_num(self.grenzen[k - 1])}"
            out.append((name, rule))
        return out

    def regel_text(self) -> str:
        return "; ".join(f"{name}: {rule}" for name, rule in self.regeln())


def _num(x: float) -> str:
    """A bound in German notation: -1 -> '−1', 1.5 -> '1,5'."""
    text = f"{x:g}".replace(".", ",")
    return text.replace("-", "−")


def parse_klassen(spec: str) -> Klassen:
    """Parse a class rule; ValueError with a German message if it is malformed."""
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("Die Klassenregel ist leer. Beispiel: „hoch<-1<=mittel<=1<niedrig“.")
    text = spec.replace("−", "-").replace("–", "-")
    parts = [p.strip() for p in _OPS.split(text)]
    for op in parts[1::2]:
        if op in (">", ">=", "≥"):
            raise ValueError(
                f"Klassenregel „{spec}“: „{op}“ ist nicht erlaubt; Klassen und Grenzen stehen aufsteigend, "
                "nur mit < und <=."
            )
    if len(parts) < 5 or (len(parts) - 1) % 4:
        raise ValueError(
            f"Klassenregel „{spec}“: erwartet wird NAME<GRENZE<=NAME… (jede Grenze zwischen zwei Zeichen "
            "< oder <=), z. B. „hoch<-1<=mittel<=1<niedrig“."
        )
    namen: list[str] = [parts[0]]
    grenzen: list[float] = []
    links: list[bool] = []
    for i in range(1, len(parts), 4):
        op_left, bound, op_right, name = parts[i], parts[i + 1], parts[i + 2], parts[i + 3]
        if not _NUMBER.match(bound):
            what = f"„{bound}“ ist keine Zahl" if bound else "eine Grenze fehlt"
            raise ValueError(f"Klassenregel „{spec}“: {what} (zwischen „{namen[-1]}“ und „{name}“).")
        value = float(bound.replace(",", "."))
        left_le, right_le = op_left in ("<=", "≤", "=<"), op_right in ("<=", "≤", "=<")
        if left_le == right_le:
            raise ValueError(
                f"Klassenregel „{spec}“: An der Grenze {bound} muss genau eines der beiden Zeichen <= sein "
                f"(z. B. „{namen[-1]}<{bound}<={name}“: {bound} gehört zu „{name}“), sonst gehört der Wert "
                f"{bound} zu {'keiner' if not left_le else 'beiden'} Klasse{'n' if left_le else ''}."
            )
        if grenzen and value <= grenzen[-1]:
            raise ValueError(
                f"Klassenregel „{spec}“: Die Grenzen müssen aufsteigen; {bound} folgt auf {_num(grenzen[-1]).replace('−', '-')}."
            )
        grenzen.append(value)
        links.append(left_le)
        namen.append(name)
    for n in namen:
        if not n:
            raise ValueError(f"Klassenregel „{spec}“: Ein Klassenname fehlt.")
        if _NUMBER.match(n):
            raise ValueError(f"Klassenregel „{spec}“: „{n}“ ist eine Zahl, erwartet wird ein Klassenname.")
    doubles = sorted({n for n in namen if namen.count(n) > 1})
    if doubles:
        raise ValueError(f"Klassenregel „{spec}“: Der Klassenname „{doubles[0]}“ steht zweimal.")
    return Klassen(tuple(namen), tuple(grenzen), tuple(links), text=spec.strip())


@dataclass(frozen=True)
class IndexDefinition:
    """A composite index: what the command line says with options, or an entry of `indizes:`."""

    name: str
    titel: str
    indikatoren: tuple[str, ...]
    gewichte: dict[str, float] = field(default_factory=dict)
    richtungen: dict[str, int] = field(default_factory=dict)
    mindest_einwohner: tuple[str, float] | None = None  # (column, minimum)
    einwohner: str | None = None  # population column for area weights (default: the mindest_einwohner column)
    klassen: Klassen | None = None
    mittelwert: bool = False
    standardisieren: bool = True

    def gewicht(self, indikator: str) -> float:
        return self.gewichte.get(indikator, 1.0)

    def richtung(self, indikator: str) -> int:
        return self.richtungen.get(indikator, 1)

    @property
    def gewichtsspalte(self) -> str | None:
        return self.einwohner or (self.mindest_einwohner[0] if self.mindest_einwohner else None)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def build_indizes(raw: Any, fail) -> dict[str, IndexDefinition]:
    """The `indizes:` section of the mapping; `fail(msg, *path)` builds the error with file and line."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail("„indizes“ muss eine Zuordnung Name → Angaben sein.", "indizes")
    out: dict[str, IndexDefinition] = {}
    for name, entry in raw.items():
        path = ("indizes", name)
        if not isinstance(entry, dict):
            raise fail(f"Index „{name}“: Angaben fehlen (z. B. {{titel: ..., indikatoren: [...]}}).", *path)
        known = {"titel", "indikatoren", "gewichte", "richtungen", "mindest_einwohner", "einwohner", "klassen",
                 "mittelwert", "standardisieren"}
        for key in entry:
            if key not in known:
                raise fail(f"Index „{name}“: unbekannte Angabe „{key}“. Möglich: {', '.join(sorted(known))}.", *path, key)
        ind = entry.get("indikatoren")
        if not isinstance(ind, list) or not ind or not all(isinstance(i, str) and i.strip() for i in ind):
            raise fail(f"Index „{name}“: „indikatoren“ muss eine nicht leere Liste von Merkmalen sein.", *path, "indikatoren")
        if len(set(ind)) != len(ind):
            raise fail(f"Index „{name}“: Ein Indikator steht zweimal in „indikatoren“.", *path, "indikatoren")
        gewichte: dict[str, float] = {}
        richtungen: dict[str, int] = {}
        for key, target in (("gewichte", gewichte), ("richtungen", richtungen)):
            value = entry.get(key) or {}
            if not isinstance(value, dict):
                raise fail(f"Index „{name}“: „{key}“ muss eine Zuordnung Indikator → Zahl sein.", *path, key)
            for col, x in value.items():
                if col not in ind:
                    raise fail(f"Index „{name}“: „{col}“ in „{key}“ steht nicht in „indikatoren“.", *path, key, col)
                if key == "gewichte" and not (_is_number(x) and x > 0):
                    raise fail(f"Index „{name}“: Das Gewicht von „{col}“ muss eine positive Zahl sein.", *path, key, col)
                if key == "richtungen" and x not in (1, -1):
                    raise fail(f"Index „{name}“: Die Richtung von „{col}“ muss 1 oder -1 sein.", *path, key, col)
                target[str(col)] = float(x) if key == "gewichte" else int(x)
        mindest = entry.get("mindest_einwohner")
        mindest_t = None
        if mindest is not None:
            if not (isinstance(mindest, dict) and len(mindest) == 1 and _is_number(next(iter(mindest.values())))
                    and next(iter(mindest.values())) >= 0):
                raise fail(
                    f"Index „{name}“: „mindest_einwohner“ braucht genau eine Spalte mit Mindestzahl, z. B. {{einwohner: 300}}.",
                    *path,
                    "mindest_einwohner",
                )
            col, n = next(iter(mindest.items()))
            mindest_t = (str(col), float(n))
        einwohner = entry.get("einwohner")
        if einwohner is not None and not (isinstance(einwohner, str) and einwohner.strip()):
            raise fail(f"Index „{name}“: „einwohner“ muss eine Spalte sein.", *path, "einwohner")
        klassen = None
        if entry.get("klassen") is not None:
            try:
                klassen = parse_klassen(entry["klassen"])
            except ValueError as exc:
                raise fail(f"Index „{name}“: {exc}", *path, "klassen") from None
        flags = {}
        for key, default in (("mittelwert", False), ("standardisieren", True)):
            value = entry.get(key, default)
            if not isinstance(value, bool):
                raise fail(f"Index „{name}“: „{key}“ muss true oder false sein.", *path, key)
            flags[key] = value
        out[str(name)] = IndexDefinition(
            name=str(name),
            titel=str(entry.get("titel") or name),
            indikatoren=tuple(str(i) for i in ind),
            gewichte=gewichte,
            richtungen=richtungen,
            mindest_einwohner=mindest_t,
            einwohner=einwohner,
            klassen=klassen,
            **flags,
        )
    return out
