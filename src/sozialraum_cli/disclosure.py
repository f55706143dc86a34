"""Disclosure control: primary and secondary suppression of small counts.

Rule (stated in every output that applies it): every published count from 1 to N−1 is
suppressed (primary), together with the values derived from it (shares, rates, ranks). Then
further cells are suppressed (secondary) until no suppressed value can be worked out from the
totals and the other published cells of the same table: each suppressed cell must stay
undetermined by the sums of its rows and columns. The check is exact (linear algebra over the
table's sum constraints), not a rule of thumb. Zeros are published: a zero reveals no person,
and structural zeros of a crosswalk are known anyway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable

import numpy as np
import pandas as pd

Cell = Hashable


@dataclass
class Geheimhaltung:
    min_count: int
    primaer: int = 0  # "*" shown for a small count or for a value derived from one
    sekundaer: int = 0  # "*" shown to protect them
    zellen: set = field(default_factory=set)
    schutz: float | None = None  # protection range of the linked check (None: table by table)
    arten: dict = field(default_factory=dict)  # crosswalk cell -> "primaer"/"sekundaer" (compare)

    @property
    def regel(self) -> str:
        if self.schutz is not None:
            weiter = (
                "weitere Zellen sind so unterdrückt, dass sich aus allen Zahlen dieser Ausgabe zusammen (alle "
                "Tabellen, Blätter, Schemata und Jahre) kein unterdrückter Wert genauer als auf "
                f"±{_zahl(self.schutz)} eingrenzen lässt (Schutzabstand)"
            )
        else:
            weiter = (
                "weitere Zellen sind so unterdrückt, dass sich kein unterdrückter Wert aus Summen und "
                "anderen Zellen derselben Tabelle errechnen lässt"
            )
        return (
            f"Geheimhaltung: Anzahlen von 1 bis {self.min_count - 1} und daraus berechnete Werte sind unterdrückt "
            f"(„*“); {weiter}. Unterdrückt: {self.primaer} {'Zelle' if self.primaer == 1 else 'Zellen'} primär, "
            f"{self.sekundaer} sekundär."
        )

    def add(self, other: "Geheimhaltung") -> None:
        self.primaer += other.primaer
        self.sekundaer += other.sekundaer


def _zahl(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".") if float(x).is_integer() else f"{x:g}".replace(".", ",")


def protect(values: dict[Cell, float], lines: list[tuple[list[Cell], Cell | None]], min_count: int) -> tuple[set, set]:
    """Primary and secondary suppressed cells of one table.

    values: every published cell's value (NaN = not published anyway);
    lines: (cells, total cell) for each sum constraint; the total cell may be None.
    """
    primary = {c for c, v in values.items() if _published(v) and 0 < v < min_count}
    suppressed = set(primary)
    totals = {t for _, t in lines if t is not None}
    while True:
        culprit = _first_exposed(values, lines, suppressed)
        if culprit is None:
            break
        candidates = _candidates(values, [line for line in lines if culprit in line[0] or culprit == line[1]], suppressed)
        if not candidates:  # its own lines have nothing left: widen to every line that hides something
            candidates = _candidates(
                values, [line for line in lines if any(c in suppressed for c in [*line[0], line[1]])], suppressed
            )
        if not candidates:  # last resort: a published zero (only a structural zero is known to everyone)
            candidates = _candidates(
                values, [line for line in lines if any(c in suppressed for c in [*line[0], line[1]])], suppressed, zeros=True
            )
        if not candidates:
            break  # every published cell of these lines is hidden already
        # prefer inner cells to totals, then the smallest value
        best = min(candidates, key=lambda c: (c in totals, values[c], str(c)))
        suppressed.add(best)
    return primary, suppressed - primary


def _candidates(
    values: dict[Cell, float], lines: list[tuple[list[Cell], Cell | None]], suppressed: set, zeros: bool = False
) -> list[Cell]:
    """Published cells of these lines that are not hidden yet: positive ones, or with zeros=True also zeros."""
    return [
        c
        for cells, total in lines
        for c in [*cells, total]
        if c is not None and c not in suppressed and _published(values[c]) and (values[c] > 0 or zeros)
    ]


def _published(v: float) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def _first_exposed(values: dict[Cell, float], lines: list[tuple[list[Cell], Cell | None]], suppressed: set) -> Cell | None:
    """A suppressed cell that the published cells and the sum constraints determine, or None."""
    hidden = sorted(suppressed, key=str)
    if not hidden:
        return None
    index = {c: k for k, c in enumerate(hidden)}
    rows = []
    for cells, total in lines:
        row = np.zeros(len(hidden))
        for c in cells:
            if c in index:
                row[index[c]] += 1
        if total is not None and total in index:
            row[index[total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return hidden[0]
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    for c, k in index.items():
        e = np.zeros(len(hidden))
        e[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            return c
    return None


def suppress_column(values: dict[Cell, float], total: Cell | None, min_count: int) -> tuple[set, set]:
    """One column with its total: the cells of a ranked area table or a district list."""
    cells = [c for c in values if c != total]
    return protect(values, [(cells, total)], min_count)


def suppress_matrix(m: pd.DataFrame, min_count: int, total: str = "Gesamt") -> tuple[pd.DataFrame, Geheimhaltung]:
    """A crosswalk with row and column totals; suppressed cells become NaN."""
    values = {(a, b): float(m.at[a, b]) for a in m.index for b in m.columns}
    rows = [a for a in m.index if a != total]
    cols = [b for b in m.columns if b != total]
    lines = [([(a, b) for b in cols], (a, total)) for a in m.index]
    lines += [([(a, b) for a in rows], (total, b)) for b in m.columns]
    primary, secondary = protect(values, lines, min_count)
    out = m.copy()
    for a, b in primary | secondary:
        out.at[a, b] = float("nan")
    return out, Geheimhaltung(min_count, len(primary), len(secondary), primary | secondary)
