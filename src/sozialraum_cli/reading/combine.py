"""Tidy tables joined: several files per district (`combine_bezirksdaten`), or one more column
computed elsewhere, e.g. areas from the geometry (`add_column`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError
from ..mapping import ANZAHL, Zuordnung
from .model import LAYOUT_MERKMALE, LAYOUT_STICHTAGE, VORHANDEN, Bezirksdaten, Spalte

if TYPE_CHECKING:
    import pandas as pd


def add_column(daten: Bezirksdaten, merkmal: str, titel: str, werte: dict[int, float], quelle: str) -> Bezirksdaten:
    """A copy of `daten` with one more count column from elsewhere (e.g. areas from the geometry).

    Districts without a value stay absent (and so count as missing); nothing is guessed.
    """
    from dataclasses import replace

    import pandas as pd

    codes = sorted(werte)
    rows = pd.DataFrame({
        "bezirk_nr": codes, "jahr": pd.array([pd.NA] * len(codes), dtype="Int64"), "merkmal": merkmal,
        "wert": [werte[nr] for nr in codes], "status": VORHANDEN, "zeile": 0,
    }).astype({"bezirk_nr": "int64", "wert": "float64", "zeile": "int64"})
    spalte = Spalte(merkmal=merkmal, titel=titel, art=ANZAHL, nr=0)
    return replace(daten, daten=pd.concat([daten.daten, rows], ignore_index=True), spalten=[*daten.spalten, spalte],
                   hinweise=[*daten.hinweise, f"„{titel}“ berechnet aus {quelle}."])


def _einheit(zuordnung: Zuordnung | None, nr: int) -> str:
    return f"Bezirk {nr}" if zuordnung is None else f"{zuordnung.einzahl} {zuordnung.einheit_name(nr)}"


def combine_bezirksdaten(teile: list[Bezirksdaten], zuordnung: Zuordnung | None = None) -> Bezirksdaten:
    """Join several files per district. The same value in two files is an error if it differs (named with
    the mapping's unit name when `zuordnung` is given)."""
    if len(teile) == 1:
        return teile[0]
    import pandas as pd

    seen: dict[tuple[str, int | None], Bezirksdaten] = {}
    for t in teile:
        for s in t.spalten:
            key = (s.merkmal, s.jahr)
            if key not in seen:
                seen[key] = t
                continue
            first = seen[key]
            a = first.daten[(first.daten["merkmal"] == s.merkmal) & _same_year(first.daten, s.jahr)]
            b = t.daten[(t.daten["merkmal"] == s.merkmal) & _same_year(t.daten, s.jahr)]
            both = a.merge(b, on="bezirk_nr", suffixes=("_a", "_b"))
            differ = both[
                (both["status_a"] != both["status_b"])
                | ((both["wert_a"] - both["wert_b"]).abs().fillna(0) > 1e-9)
            ]
            if not differ.empty:
                row = differ.iloc[0]
                jahr = f" ({s.jahr})" if s.jahr is not None else ""
                raise InputError(
                    f"„{s.merkmal}“{jahr} steht in {first.datei} (Zeile {row['zeile_a']}) und in {t.datei} "
                    f"(Zeile {row['zeile_b']}) mit verschiedenen Werten für {_einheit(zuordnung, int(row['bezirk_nr']))}.",
                    datei=t.datei,
                    zeile=int(row["zeile_b"]),
                    hilfe="Bitte eine der beiden Angaben entfernen.",
                )
    hinweise = [h for t in teile for h in (f"{t.datei.name}: {x}" for x in t.hinweise)]
    warnungen = [w for t in teile for w in (f"{t.datei.name}: {x}" for x in t.warnungen)]
    frames, subtotals, rests, spalten, keys = [], [], [], [], set()
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = {}
    for t in teile:
        new = [s for s in t.spalten if (s.merkmal, s.jahr) not in keys]
        keys |= {(s.merkmal, s.jahr) for s in new}
        spalten += new
        for part, out in ((t.daten, frames), (t.teilsummen, subtotals), (t.reste, rests)):
            if part is not None:
                wanted = {(s.merkmal, s.jahr) for s in new}
                out.append(part[[(m, None if pd.isna(j) else int(j)) in wanted
                                 for m, j in zip(part["merkmal"], part["jahr"])]])
        nullzeichen.update({(s.merkmal, s.jahr): t.nullzeichen[(s.merkmal, s.jahr)] for s in new
                            if (s.merkmal, s.jahr) in t.nullzeichen})
    all_codes = set().union(*(t.zeilen for t in teile))
    for t in teile:
        missing = sorted(all_codes - set(t.zeilen))
        if missing:
            hinweise.append(f"{t.datei.name}: keine Zeile für {', '.join(map(str, missing))}.")
    zeilen: dict[int, int] = {}
    for t in reversed(teile):
        zeilen.update(t.zeilen)
    return Bezirksdaten(
        datei=teile[0].datei,
        sha256=teile[0].sha256,
        layout=LAYOUT_STICHTAGE if any(t.layout == LAYOUT_STICHTAGE for t in teile) else LAYOUT_MERKMALE,
        daten=pd.concat(frames, ignore_index=True),
        spalten=spalten,
        zeilen=zeilen,
        hinweise=hinweise,
        warnungen=warnungen,
        quellen=[q for t in teile for q in t.quellen],
        details=[f"{t.datei.name}: {d}" for t in teile for d in t.details],
        teilsummen=pd.concat(subtotals, ignore_index=True) if subtotals else None,
        nullzeichen=nullzeichen,
        reste=pd.concat(rests, ignore_index=True) if rests else None,
    )


def _same_year(df: pd.DataFrame, jahr: int | None) -> pd.Series:
    return df["jahr"].isna() if jahr is None else df["jahr"] == jahr
