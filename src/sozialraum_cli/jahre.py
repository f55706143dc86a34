"""Year ranges as users write them: `2010-2016`, `2016`, and for a series also open `2010-` or `-2014`."""

from __future__ import annotations

from .errors import AufrufError


def parse_range(text: str, *, offen: bool = True) -> tuple[int | None, int | None]:
    """'2010-2016' -> (2010, 2016); '2016' -> (2016, 2016); with offen: '2010-' -> (2010, None), '-2014' -> (None, 2014)."""
    parts = text.strip().replace("–", "-").split("-")
    beispiel = "z. B. 2010-2016" + (", 2010- oder -2014" if offen else "")
    if len(parts) > 2 or not any(p.strip() for p in parts):
        raise AufrufError(f"„{text}“: erwartet wird VON-BIS, {beispiel}.", parameter="jahre")
    try:
        numbers = [int(p) if p.strip() else None for p in parts]
    except ValueError:
        raise AufrufError(f"„{text}“: erwartet wird VON-BIS, {beispiel}.", parameter="jahre") from None
    if len(numbers) == 1:
        return numbers[0], numbers[0]
    von, bis = numbers
    if (von is None or bis is None) and not offen:
        raise AufrufError(f"„{text}“: erwartet wird VON-BIS, {beispiel}.", parameter="jahre")
    if von is not None and bis is not None and von > bis:
        raise AufrufError(f"„{text}“: erwartet wird VON-BIS mit VON ≤ BIS, {beispiel}.", parameter="jahre")
    return von, bis


def parse_years(text: str) -> list[int]:
    """'2010-2016' -> [2010, ..., 2016]; '2016' -> [2016]."""
    von, bis = parse_range(text, offen=False)
    return list(range(von, bis + 1))
