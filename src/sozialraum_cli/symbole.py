"""Symbols for missing and secret values (Zeichenerklärung of the German statistical offices).

The status of a value in the tidy district table, the default meaning of each symbol and the
names a user may use to override a meaning. Knows nothing of files or pandas.
"""

from __future__ import annotations

# Status of a single value. Only the first three are known values; the others make a sum incomplete.
VORHANDEN = "vorhanden"
NULL = "null"  # "–": nothing there, a true zero
EINGESCHRAENKT = "eingeschraenkt"  # "(123)": usable, limited reliability
FEHLT = "fehlt"  # empty cell or district missing in the file
GEHEIM = "geheim"  # ".": unknown or secret
GESPERRT = "gesperrt"  # "x": cell blocked
UNSICHER = "unsicher"  # "/": not reliable enough
AUSSTEHEND = "ausstehend"  # "…": not yet available
UNTERDRUECKT = "unterdrueckt"  # "*": suppressed for data protection
BEKANNT = frozenset({VORHANDEN, NULL, EINGESCHRAENKT})

STATUS_TEXT = {
    VORHANDEN: "vorhanden",
    NULL: "nichts vorhanden (0)",
    EINGESCHRAENKT: "Aussagewert eingeschränkt",
    FEHLT: "fehlt",
    GEHEIM: "unbekannt oder geheim",
    GESPERRT: "gesperrt",
    UNSICHER: "nicht sicher genug",
    AUSSTEHEND: "noch nicht verfügbar",
    UNTERDRUECKT: "aus Datenschutzgründen unterdrückt",
}

# Zeichenerklärung of the German statistical offices (and "*" of the Federal Employment Agency).
SYMBOLE = {
    "–": NULL,
    "-": NULL,
    "—": NULL,
    ".": GEHEIM,
    "x": GESPERRT,
    "X": GESPERRT,
    "/": UNSICHER,
    "…": AUSSTEHEND,
    "...": AUSSTEHEND,
    "*": UNTERDRUECKT,
}

# names a user may give a symbol's meaning (--symbol '-=suppressed', `symbole:` in the mapping)
STATUS_NAMEN = {
    NULL: NULL, "zero": NULL, "0": NULL,
    FEHLT: FEHLT, "missing": FEHLT,
    GEHEIM: GEHEIM, "unknown": GEHEIM, "secret": GEHEIM, "unbekannt": GEHEIM,
    GESPERRT: GESPERRT, "blocked": GESPERRT,
    UNSICHER: UNSICHER, "unreliable": UNSICHER,
    AUSSTEHEND: AUSSTEHEND, "pending": AUSSTEHEND,
    UNTERDRUECKT: UNTERDRUECKT, "unterdrückt": UNTERDRUECKT, "suppressed": UNTERDRUECKT,
}


def symbol_table(*overrides: dict[str, str] | None) -> dict[str, str]:
    """The default symbols with the given meanings laid over them (later ones win); ValueError if unknown."""
    table = dict(SYMBOLE)
    for override in overrides:
        for symbol, meaning in (override or {}).items():
            status = STATUS_NAMEN.get(str(meaning).strip().casefold())
            if status is None:
                raise ValueError(
                    f"Unbekannte Bedeutung „{meaning}“ für das Zeichen „{symbol}“. "
                    f"Möglich: {', '.join(sorted(set(STATUS_NAMEN.values())))}."
                )
            table[str(symbol).strip()] = status
    return table


def parse_symbol_option(text: str) -> tuple[str, str]:
    """'-=suppressed' -> ('-', 'suppressed')."""
    symbol, sep, meaning = text.rpartition("=")
    if not sep or not symbol.strip() or not meaning.strip():
        raise ValueError(f"„{text}“: erwartet wird ZEICHEN=BEDEUTUNG, z. B. '-=suppressed'.")
    return symbol.strip(), meaning.strip()


