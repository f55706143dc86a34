"""Rendering of a comparison of two schemes (`Vergleich`, from `compare`): crosswalk, districts
that change Raum and the side-by-side view, as German tables, CSV rows, JSON and Markdown.
"""

from __future__ import annotations

from typing import Any

from ..mapping.model import dativ_plural

from .formats import (
    FEHLT_ZEICHEN,
    GEHEIM_ZEICHEN,
    LEGENDE,
    Spalte,
    Tabelle,
    missing,
    anzahl,
    maschinenzahl,
    zellwert,
    meta,
    prozent,
    render_markdown,
)

from .raumtabelle import quote_text


def _what(v) -> str:
    return v.merkmal.titel if v.merkmal is not None else f"Zahl der {v.einheit[1]}"


def _source(v) -> str:
    from pathlib import Path

    if v.datei is None:
        return ""
    return f", {Path(v.datei).name}" + (f", {v.jahr}" if v.jahr is not None else "")


def tabellen(v) -> list[Tabelle]:
    """The three tables for people: crosswalk, districts that change Raum, side by side."""
    m, shares = v.matrix, v.zeilenanteile()
    complete = v.vollstaendig
    cols = list(m.columns)

    def cell(a: str, b: str) -> str:
        if (a, b) in v.geheim:
            return GEHEIM_ZEICHEN
        value = m.at[a, b]
        if missing(value):  # no district of the cell has a known value
            return FEHLT_ZEICHEN
        if value == 0 and (complete is None or complete.at[a, b]):
            return ""
        text = anzahl(value, True if complete is None else bool(complete.at[a, b]))
        return f"{text} ({prozent(shares.at[a, b])})" if b != "Gesamt" and not missing(shares.at[a, b]) else text

    rows = [[a, *(cell(a, b) for b in cols)] for a in m.index if a != "Gesamt"]
    notes = [
        f"Zeilen: A = {v.schema_a.titel}; Spalten: B = {v.schema_b.titel}. In Klammern: Anteil an der Zeile.",
        (f"Hauptpartner (Raum in B mit den meisten {dativ_plural(v.einheit[1])} – unter Geheimhaltung nicht nach den Werten bestimmt, "
         "die sonst Unterdrücktes verraten könnten): " if v.geheimhaltung is not None
         else "Hauptpartner (Raum in B mit dem größten Anteil): ")
        + "; ".join(f"{a} → {b}" for a, b in v.hauptpartner.items())
        + ".",
    ]
    notes += [f"Warnung: {w}" for w in v.warnungen] + [f"Hinweis: {h}" for h in v.hinweise]
    if v.geheim:
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    if complete is not None and not complete.values.all():
        notes.append(LEGENDE + " Anteile an unvollständigen Zeilen entfallen.")
    kreuz = Tabelle(
        titel=f"Überleitung {v.schema_a.titel} → {v.schema_b.titel} – {_what(v)}{_source(v)}",
        spalten=[Spalte(v.schema_a.titel, False), *(Spalte(c) for c in cols)],
        zeilen=rows,
        summenzeilen=[["Gesamt", *(cell("Gesamt", b) for b in cols)]],
        fussnoten=notes,
    )
    split = any(w.anteil != 1 for w in v.wechsel)
    wechsel = Tabelle(
        titel=f"{v.einheit[1]}, die nicht beim Hauptpartner ihres Raums liegen ({len(v.wechsel)})",
        spalten=[
            Spalte("Nr."),
            Spalte(v.einheit[0], False),
            Spalte("von (A)", False),
            Spalte("nach (B)", False),
            Spalte("Hauptpartner", False),
            *([Spalte("Anteil")] if split else []),
            *([Spalte(_what(v))] if v.merkmal is not None else []),
        ],
        zeilen=[
            [
                w.schluessel,
                w.name,
                w.von,
                w.nach,
                w.hauptpartner,
                *([prozent(100 * w.anteil)] if split else []),
                *([anzahl(w.wert) if w.wert is not None or v.geheimhaltung is None else GEHEIM_ZEICHEN]
                  if v.merkmal is not None else []),
            ]
            for w in v.wechsel
        ],
        fussnoten=[] if v.wechsel else [f"Jeder {v.einheit[0]} gehört zum Hauptpartner seines Raums."],
    )
    out = [kreuz, wechsel]
    if v.nebeneinander is not None:
        out.append(_nebeneinander(v))
    return out


def _nebeneinander(v) -> Tabelle:
    count, rates = v.kennzahlen[0], v.kennzahlen[1:]

    def rang(x) -> str:
        return "" if x is None else str(x)

    spalten = [Spalte("Raum", False)]
    for label in ("A", "B"):
        spalten += [Spalte(f"{count.titel} {label}"), Spalte(f"Anteil {label}"), Spalte(f"Rang {label}")]
    for q in rates:
        spalten += [Spalte(f"{q.titel} A"), Spalte("Rang A"), Spalte(f"{q.titel} B"), Spalte("Rang B")]
    zeilen = []
    for p in v.nebeneinander:
        row = [p.raum]
        for seite in (p.a, p.b):
            w = seite.werte[count.name] if seite is not None else None
            if w is None:
                row += ["", "", ""]
            elif w.geheim:
                row += [GEHEIM_ZEICHEN, GEHEIM_ZEICHEN, ""]
            else:
                row += [anzahl(w.wert, w.vollstaendig) if w.wert is not None else "",
                        prozent(w.anteil) if w.wert is not None else "", rang(seite.raenge[count.name])]
        for q in rates:
            for seite in (p.a, p.b):
                w = seite.werte[q.name] if seite is not None else None
                if w is None:
                    row += ["", ""]
                elif w.geheim:
                    row += [GEHEIM_ZEICHEN, ""]
                else:
                    row += ["" if w.wert is None else quote_text(w.wert, q), rang(seite.raenge[q.name])]
        zeilen.append(row)
    return Tabelle(
        titel=f"Nebeneinander: A = {v.schema_a.titel}, B = {v.schema_b.titel}{_source(v)}",
        spalten=spalten,
        zeilen=zeilen,
        fussnoten=["Leer: Raum gibt es in diesem Schema nicht. Rang 1 = größter Wert."]
        + ([f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt; ohne Rang."] if v.geheimhaltung is not None else []),
    )


def nebeneinander_records(v) -> list[dict[str, Any]]:
    """The side-by-side view for scripts: raum, then per indicator k and scheme s in (a, b): k_s,
    k_rang_s; for the count also its share and completeness. A Raum missing in a scheme: None."""
    count = v.kennzahlen[0]
    out = []
    for p in v.nebeneinander:
        rec: dict[str, Any] = {"raum": p.raum}
        for s, seite in (("a", p.a), ("b", p.b)):
            for k in (m.name for m in v.kennzahlen):
                w = seite.werte[k] if seite is not None else None
                rec[f"{k}_{s}"] = None if w is None else maschinenzahl(w.wert)
                rec[f"{k}_rang_{s}"] = None if seite is None else seite.raenge[k]
            w = seite.werte[count.name] if seite is not None else None
            rec[f"{count.name}_anteil_{s}"] = None if w is None else maschinenzahl(w.anteil)
            rec[f"{count.name}_vollstaendig_{s}"] = None if w is None else w.vollstaendig
        if v.geheimhaltung is not None:
            rec["geheim"] = ", ".join(
                f"{k}_{s}" for s, seite in (("a", p.a), ("b", p.b)) if seite is not None
                for k, w in [*seite.werte.items(), *((f"{count.name}_anteil", seite.werte[count.name]),)]
                if (w.anteil_geheim if k.endswith("_anteil") else w.geheim))
        out.append(rec)
    return out


def records(v) -> list[dict[str, Any]]:
    """The crosswalk matrix for csv: one row per Raum of A, one column per Raum of B, zeros as 0, an
    unknown sum empty; when any sum lacks a value, `unvollstaendig` names the row's cells that do."""
    m = v.matrix
    flag = v.vollstaendig is not None and not v.vollstaendig.values.all()
    return [
        {"raum_a": a, **{b: maschinenzahl(m.at[a, b]) for b in m.columns},
         **({"unvollstaendig": ", ".join(v.unvollstaendig(a))} if flag else {}),
         **({"geheim": ", ".join(b for b in m.columns if (a, b) in v.geheim)} if v.geheimhaltung is not None else {})}
        for a in m.index
    ]


def json_doc(v, zuordnung_datei: str) -> dict[str, Any]:
    m, shares = v.matrix, v.zeilenanteile()
    return {
        **meta(),
        "zuordnung": zuordnung_datei,
        "datei": v.datei,
        "sha256": v.sha256,
        "jahr": v.jahr,
        "schema_a": {"name": v.schema_a.name, "titel": v.schema_a.titel},
        "schema_b": {"name": v.schema_b.name, "titel": v.schema_b.titel},
        "merkmal": v.merkmal.name if v.merkmal is not None else "anzahl_bezirke",
        "ueberleitung": [
            {
                "raum_a": a,
                "raum_b": b,
                "wert": maschinenzahl(m.at[a, b]),
                "anzahl_bezirke": maschinenzahl(v.bezirke.at[a, b]),
                "anteil_zeile": maschinenzahl(shares.at[a, b]),
                "vollstaendig": True if v.vollstaendig is None else bool(v.vollstaendig.at[a, b]),
                **({"geheim": (a, b) in v.geheim} if v.geheimhaltung is not None else {}),
            }
            for a in m.index
            for b in m.columns
        ],
        "hauptpartner": v.hauptpartner,
        "wechsel": [
            {
                "bezirk_nr": w.code if w.code != "" else w.bezirk_nr,
                "bezirk_name": w.name,
                "von": w.von,
                "nach": w.nach,
                "hauptpartner": w.hauptpartner,
                "anteil": maschinenzahl(w.anteil),
                "wert": maschinenzahl(w.wert),
                **({"geheim": w.geheim is not None} if v.geheimhaltung is not None else {}),
            }
            for w in v.wechsel
        ],
        "nebeneinander": None if v.nebeneinander is None else nebeneinander_records(v),
        "warnungen": v.warnungen,
        "hinweise": v.hinweise,
    }


def markdown(v) -> str:
    doc = json_doc(v, "")
    parts = [render_markdown(records(v), f"Überleitung {v.schema_a.titel} → {v.schema_b.titel} – {_what(v)}")]
    if doc["wechsel"]:
        parts.append(render_markdown(doc["wechsel"], f"{v.einheit[1]}, die nicht beim Hauptpartner ihres Raums liegen"))
    if doc["nebeneinander"]:
        parts.append(render_markdown(doc["nebeneinander"], "Nebeneinander"))
    return "\n".join(parts)


def blatt(v):
    from ..xlsx import ANZAHL_FORMAT, Blatt, XSpalte

    m = v.matrix
    cols = list(m.columns)
    header = f"{v.schema_a.titel} \\ {v.schema_b.titel}"
    ok = v.vollstaendig
    spalten = [XSpalte(header)] + [XSpalte(c, ANZAHL_FORMAT) for c in cols]

    def row(a: str) -> list:  # an incomplete or unknown sum stays empty (the warnings say which units lack)
        return [a] + [
            zellwert(m.at[a, b]) if (ok is None or bool(ok.at[a, b])) and (a, b) not in v.geheim else None for b in cols
        ]

    return Blatt(
        name="Vergleich",
        spalten=spalten,
        zeilen=[row(a) for a in m.index if a != "Gesamt"],
        summenzeilen=[row("Gesamt")],
    )
