"""Disclosure control over everything one command publishes (linked tables).

Every published number is a linear form over the unknowns of one block (indicator, year): the
district values (by district number), the not-assignable row ("nz") and, where the file's total
row differs from the sum of its districts, that total ("G"). An attacker knows every published
number of the block, that every unknown is ≥ 0, and nothing else. For a suppressed cell with
value v the feasible interval [lo; hi] is what linear programming over these equations gives;
the cell is protected when hi ≥ v + p and lo ≤ max(0, v − p) (protection range p, by default the
threshold N itself, like sdcTable's protectionLevel or τ-ARGUS' safety range).

Secondary suppression is chosen over the whole publication at once: for each primary cell that
is not protected, a published equation that limits its interval (a non-zero dual value of the
attacker's LP) is suppressed, the smallest value first, zeros last, until the cell is protected.
Suppressing more only widens intervals, so a protected cell stays protected.

Solver: scipy.optimize.linprog with HiGHS (imported only when a check runs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable, Iterable

Key = Hashable
_EPS = 1e-6


@dataclass
class Zelle:
    """One published number: a linear form over the unknowns of its block and its true value."""

    block: Hashable
    form: dict[Hashable, float]
    wert: float
    sensibel: bool = True  # a count of people: primary when 0 < wert < N
    intern: bool = False  # never published (a single district's value): protected, never an equation

    @property
    def form_key(self) -> tuple:
        return (self.block, tuple(sorted(((str(k), round(c, 12)) for k, c in self.form.items() if c), key=str)))


@dataclass
class Publikation:
    """Every number of one publication that discloses something about the district values."""

    zellen: dict[Key, Zelle] = field(default_factory=dict)

    def add(self, key: Key, block: Hashable, form: dict[Hashable, float], wert: float, sensibel: bool = True,
            intern: bool = False) -> None:
        if wert is None or (isinstance(wert, float) and math.isnan(wert)):
            return
        form = {k: float(c) for k, c in form.items() if c}
        if key not in self.zellen:
            self.zellen[key] = Zelle(block, form, float(wert), sensibel, intern)
        elif not intern:
            self.zellen[key].intern = False

    def add_bezirke(self, block: Hashable, werte: dict, jahr_key: Hashable, sensibel: bool = True) -> None:
        """Every single unknown of a block as an unpublished cell: small district values are protected
        even where only differences of published sums (two schemes, a crosswalk) would reveal them."""
        for u, v in werte.items():
            self.add(("bezirk", jahr_key, u, block[0] if isinstance(block, tuple) else block), block, {u: 1.0}, v,
                     sensibel, intern=True)

    def __contains__(self, key: Key) -> bool:
        return key in self.zellen


@dataclass
class Ergebnis:
    primaer: set = field(default_factory=set)
    sekundaer: set = field(default_factory=set)
    ungeschuetzt: set = field(default_factory=set)  # primary cells that could not be protected
    intern: set = field(default_factory=set)  # never published (single districts' values)
    schutz: float = 0.0
    lp_anzahl: int = 0
    publikation: "Publikation | None" = None

    @property
    def verborgen(self) -> set:
        """Everything not published: suppressed cells and the never published ones."""
        return self.primaer | self.sekundaer | self.intern

    def art(self, key: Key) -> str | None:
        return "primaer" if key in self.primaer else "sekundaer" if key in self.sekundaer else None


def primaere(pub: Publikation, min_count: int) -> set:
    return {k for k, z in pub.zellen.items() if z.sensibel and _EPS < z.wert < min_count - _EPS}


def schuetzen(pub: Publikation, min_count: int, schutz: float | None = None, vorgegeben: Iterable[Key] = ()) -> Ergebnis:
    """Primary and secondary suppression over the whole publication (see the module text)."""
    p = float(min_count if schutz is None else schutz)
    primary = primaere(pub, min_count)
    intern = {k for k, z in pub.zellen.items() if z.intern}
    hidden = _with_twins(pub, (set(primary) | set(vorgegeben)) - intern) | intern
    result = Ergebnis(schutz=p)
    by_block: dict[Hashable, list[Key]] = {}
    for k, z in pub.zellen.items():
        by_block.setdefault(z.block, []).append(k)
    for block, keys in by_block.items():
        todo = sorted((k for k in keys if k in primary), key=lambda k: (pub.zellen[k].wert, str(k)))
        for target in todo:
            for _ in range(len(keys) + 1):
                lo, hi, limits = _interval(pub, keys, hidden, target, result)
                v = pub.zellen[target].wert
                need_up, need_down = hi < v + p - _EPS, lo > max(0.0, v - p) + _EPS
                if not (need_up or need_down):
                    break
                blocking = limits["up"] if need_up else limits["down"]
                choice = _choose(pub, blocking, hidden)
                if choice is None:  # no equation names itself: widen to any published cell sharing an unknown
                    form = pub.zellen[target].form
                    near = [k for k in keys if k not in hidden and set(pub.zellen[k].form) & set(form)]
                    choice = _choose(pub, near, hidden)
                if choice is None:
                    result.ungeschuetzt.add(target)
                    break
                hidden |= _with_twins(pub, {choice})
    result.primaer = primary
    result.sekundaer = hidden - primary - intern
    result.intern = intern
    result.publikation = pub
    return result


def _with_twins(pub: Publikation, keys: set) -> set:
    """The cells plus every cell with the same form (publishing a twin publishes the cell)."""
    forms = {pub.zellen[k].form_key for k in keys if k in pub.zellen}
    return set(keys) | {k for k, z in pub.zellen.items() if not z.intern and z.form_key in forms}


def _choose(pub: Publikation, candidates: Iterable[Key], hidden: set) -> Key | None:
    cands = [k for k in candidates if k not in hidden]
    if not cands:
        return None
    return min(cands, key=lambda k: (pub.zellen[k].wert == 0, not pub.zellen[k].sensibel, abs(pub.zellen[k].wert),
                                     len(pub.zellen[k].form), str(k)))


def _interval(pub: Publikation, keys: list[Key], hidden: set, target: Key, result: Ergebnis | None = None):
    """Feasible interval of `target` given the published cells of its block, and the limiting equations."""
    import numpy as np
    from scipy.optimize import linprog

    published = [k for k in keys if k not in hidden]
    unknowns = sorted({u for k in [*published, target] for u in pub.zellen[k].form}, key=str)
    index = {u: i for i, u in enumerate(unknowns)}
    n = len(unknowns)
    c = np.zeros(n)
    for u, coef in pub.zellen[target].form.items():
        c[index[u]] = coef
    a_eq = np.zeros((len(published), n))
    b_eq = np.zeros(len(published))
    for row, k in enumerate(published):
        for u, coef in pub.zellen[k].form.items():
            a_eq[row, index[u]] = coef
        b_eq[row] = pub.zellen[k].wert
    kwargs = dict(bounds=(0, None), method="highs")
    if published:
        kwargs.update(A_eq=a_eq, b_eq=b_eq)
    limits: dict[str, list[Key]] = {"up": [], "down": []}
    bounds = []
    for sign, side in ((1.0, "down"), (-1.0, "up")):
        res = linprog(sign * c, **kwargs)
        if result is not None:
            result.lp_anzahl += 1
        if res.status == 3:  # unbounded
            bounds.append(math.inf if side == "up" else -math.inf)
            continue
        if res.status != 0:  # numerically troubled: treat the cell as pinned, so that more is suppressed
            v = pub.zellen[target].wert
            bounds.append(v)
            limits[side] = list(published)
            continue
        bounds.append(sign * res.fun)
        if published:
            marg = res.eqlin.marginals
            limits[side] = [k for k, m in zip(published, marg) if abs(m) > 1e-9]
    lo, hi = bounds
    return lo, hi, limits


def intervalle(pub: Publikation, hidden: set, ziele: Iterable[Key]) -> dict[Key, tuple[float, float]]:
    """Feasible interval of each target given every published cell (hidden ones not published)."""
    by_block: dict[Hashable, list[Key]] = {}
    for k, z in pub.zellen.items():
        by_block.setdefault(z.block, []).append(k)
    out = {}
    for t in ziele:
        lo, hi, _ = _interval(pub, by_block[pub.zellen[t].block], hidden, t)
        out[t] = (lo, hi)
    return out


def geschuetzt(wert: float, lo: float, hi: float, schutz: float) -> bool:
    return hi >= wert + schutz - _EPS and lo <= max(0.0, wert - schutz) + _EPS
