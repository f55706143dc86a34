"""The disclosure threshold of one command call: the mapping's rule, `--min-count`, or `--no-disclosure`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import AufrufError

AUS_PREFIX = "Geheimhaltung ausgeschaltet"


@dataclass(frozen=True)
class Schutz:
    """min_count: the threshold to apply (None: none); hinweis: a note every output shows when switched off."""

    min_count: int | None
    hinweis: str | None = None


def schutz(zuordnung: Any, min_count: int | None, no_disclosure: bool) -> Schutz:
    """`--min-count N` over the mapping's `geheimhaltung: {min_count: N}`; `--no-disclosure` switches both off."""
    if no_disclosure:
        if min_count is not None:
            raise AufrufError("Bitte entweder --min-count oder --no-disclosure angeben, nicht beides.")
        regel = getattr(zuordnung, "geheimhaltung", None)
        klein = f"auch Anzahlen von 1 bis {regel.min_count - 1} " if regel is not None else "auch kleine Anzahlen "
        return Schutz(None, f"{AUS_PREFIX} (--no-disclosure): {klein}sind gezeigt. Nur für den internen Gebrauch, "
                            "nicht zur Veröffentlichung.")
    if min_count is not None:
        return Schutz(min_count)
    regel = getattr(zuordnung, "geheimhaltung", None)
    return Schutz(regel.min_count if regel is not None else None)
