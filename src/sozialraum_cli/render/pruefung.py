"""Rendering of an audit of published outputs (`audit`): per hidden cell its feasible interval."""

from __future__ import annotations

from .formats import Spalte, Tabelle, zahl


def tabelle(result, *, mit_daten: bool, dateien: int, dauer: float) -> Tabelle:
    """The table for people; without the true values (mit_daten=False) only cells at risk and published ones."""
    zeilen = [
        [b.zelle, "" if b.wert is None else zahl(b.wert), zahl(b.unten, 1),
         "unbegrenzt" if b.oben == float("inf") else zahl(b.oben, 1), zahl(b.schutz),
         "geschützt" if b.sicher else "NICHT geschützt"]
        for b in result.befunde
        if mit_daten or b.ausgegeben or not b.sicher  # without data: districts only when at risk
    ]
    unsafe = sum(not b.sicher for b in result.befunde)
    notes = [
        f"Geprüft: {len(result.befunde)} Zellen aus {dateien} Datei(en) zusammen; Schwelle {result.min_count}, "
        f"Schutzabstand {zahl(result.schutz)}; Rechenzeit {zahl(dauer, 1)} s.",
        "Intervall: kleinster und größter Wert, den die veröffentlichten Zahlen zusammen zulassen "
        "(Werte ≥ 0, alle Summen). Geschützt: obere Grenze ≥ Wert + Schutzabstand und untere Grenze ≤ Wert − "
        "Schutzabstand (oder 0).",
    ]
    if not mit_daten:
        notes.append("Ohne --data sind die wahren Werte unbekannt: markiert wird jede Zelle, die eine kleine Anzahl "
                     "sein kann und enger als der Schutzabstand eingegrenzt ist.")
    notes.append(f"Ergebnis: {unsafe} Zelle(n) nicht geschützt." if unsafe else "Ergebnis: alle Zellen geschützt.")
    return Tabelle(
        titel="Prüfung der Geheimhaltung",
        spalten=[Spalte("Zelle", False), Spalte("Wert"), Spalte("untere Grenze"),
                 Spalte("obere Grenze"), Spalte("Schutzabstand"), Spalte("Ergebnis", False)],
        zeilen=zeilen,
        fussnoten=notes,
    )
