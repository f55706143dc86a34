"""Rendering of a development over the years (`Entwicklung`, from `trend`) in every format."""

from __future__ import annotations

from typing import Any

from .formats import (
    FEHLT_ZEICHEN,
    GEHEIM_ZEICHEN,
    Spalte,
    Tabelle,
    missing,
    anzahl,
    maschinenzahl,
    zellwert,
    render_markdown,
    meta,
    prozent,
    zahl,
)

def records(e, mit_schema: bool = True) -> list[dict[str, Any]]:
    out = []
    for _, r in e.zeilen.iterrows():
        rec: dict[str, Any] = {"schema": e.schema.name} if mit_schema else {}
        rec["raum"] = r["raum"]
        rec["merkmal"] = e.merkmal.name
        for j in e.jahre:
            rec[str(j)] = maschinenzahl(r[str(j)])
        for k in ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent"):
            rec[k] = maschinenzahl(r[k])
        if e.geheimhaltung is not None:
            rec["geheim"] = ", ".join(c for raum, c in e.geheim if raum == r["raum"])
        out.append(rec)
    return out


def hinweise(e) -> list[str]:
    """The notes of a development, the rule of disclosure control (with its count) last."""
    return [*e.hinweise, *([e.geheimhaltung.regel] if e.geheimhaltung is not None else [])]


def tabelle(e) -> Tabelle:
    first, last = e.jahre[0], e.jahre[-1]
    spalten = [Spalte("Raum", False), *(Spalte(str(j)) for j in e.jahre)]
    spalten += [Spalte(f"Veränderung {first}–{last}"), Spalte("in %"), Spalte("Mittel je Jahr"), Spalte("Mittel je Jahr in %")]
    zeilen, summen = [], []
    geheim = e.geheim
    for _, r in e.zeilen.iterrows():

        def shown(col: str, text: str) -> str:
            return GEHEIM_ZEICHEN if (r["raum"], col) in geheim else text

        cells = [r["raum"], *(shown(str(j), anzahl(r[str(j)])) for j in e.jahre)]
        change = r["veraenderung"]
        cells += [
            shown("veraenderung", FEHLT_ZEICHEN if missing(change) else ("+" if change > 0 else "") + anzahl(change)),
            shown("veraenderung_prozent", prozent(r["veraenderung_prozent"])),
            shown("mittel_jahr", FEHLT_ZEICHEN if missing(r["mittel_jahr"]) else zahl(r["mittel_jahr"], 1)),
            shown("mittel_jahr_prozent", prozent(r["mittel_jahr_prozent"], 2)),
        ]
        (zeilen if r["art"] == "raum" else summen).append(cells)
    notes = [f"Warnung: {w}" for w in e.warnungen] + [f"Hinweis: {h}" for h in hinweise(e)]
    if geheim:
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    return Tabelle(
        titel=f"Entwicklung {e.merkmal.titel} {first}–{last} – {e.schema.titel}, {e.datei}",
        spalten=spalten,
        zeilen=zeilen,
        summenzeilen=summen,
        fussnoten=notes,
    )


def json_doc(entwicklungen: list, zuordnung_datei: str) -> dict[str, Any]:
    return {
        **meta(),
        "zuordnung": zuordnung_datei,
        "datei": entwicklungen[0].datei,
        "tabellen": [
            {
                "schema": e.schema.name,
                "merkmal": e.merkmal.name,
                "jahre": e.jahre,
                "zeilen": records(e, mit_schema=False),
                "warnungen": e.warnungen,
                "hinweise": hinweise(e),
            }
            for e in entwicklungen
        ],
    }


def markdown(entwicklungen: list) -> str:
    return "\n".join(render_markdown(records(e, mit_schema=False), tabelle(e).titel) for e in entwicklungen)


def blatt(entwicklungen: list):
    """Per scheme and Raum the series of one count with its changes (export --years)."""
    from ..xlsx import ANZAHL_FORMAT, PROZENT_FORMAT, Blatt, XSpalte

    rows, spalten = [], []
    for e in entwicklungen:
        s, merkmal = e.schema, e.merkmal
        spalten = [XSpalte("Schema"), XSpalte("Raum"), *(XSpalte(f"{merkmal.titel} {j}", ANZAHL_FORMAT) for j in e.jahre)]
        spalten += [
            XSpalte(f"Veränderung {e.jahre[0]}–{e.jahre[-1]}", ANZAHL_FORMAT),
            XSpalte("Veränderung (%)", PROZENT_FORMAT),
            XSpalte("Mittel je Jahr", "#,##0.0"),
            XSpalte("Mittel je Jahr (%)", "0.00"),
        ]
        for _, r in e.zeilen.iterrows():
            series = [zellwert(r[str(j)]) for j in e.jahre]
            ends_hidden = series[0] is None or series[-1] is None
            changes = [None if ends_hidden else zellwert(r[k]) for k in ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent")]
            rows.append([s.titel, r["raum"], *series, *changes])
    return Blatt(name="Entwicklung", spalten=spalten, zeilen=rows)
