"""Rendering of an area result (`Raumtabelle`, from `aggregate`) in every format: the German
table with its footer, machine rows for CSV, the JSON document and Markdown. Reads the typed rows;
computes nothing.
"""

from __future__ import annotations

from typing import Any

from ..raumtabelle import ART_RAUM, ART_REST
from .formats import (
    FEHLT_ZEICHEN,
    GEHEIM_ZEICHEN,
    LEGENDE,
    UNVOLLSTAENDIG_ZEICHEN,
    Spalte,
    Tabelle,
    missing,
    anzahl,
    maschinenzahl,
    zellwert,
    meta,
    prozent,
    render_markdown,
    zahl,
)

_KOERPER = (ART_RAUM, ART_REST)  # rows of a table's body: the Räume, each with its remainder lines below it


def records(t, mit_schema: bool = True) -> list[dict[str, Any]]:
    """Machine rows of a Raumtabelle: rang, raum, anzahl_bezirke, <c>, <c>_anteil, <q>, status, fehlend,
    (under disclosure control) geheim, art.

    art (last, so that the columns before it keep their places): raum, rest (a remainder, part of the Raum row above it), gesamt, nicht_zugeordnet or differenz."""
    counts = {m.name for m in t.anzahlen}
    out = []
    for z in t.zeilen:
        rec: dict[str, Any] = {"schema": t.schema.name} if mit_schema else {}
        rec["rang"] = z.rang
        rec["raum"] = z.raum
        rec["anzahl_bezirke"] = z.anzahl_bezirke
        for m, w in z.werte.items():
            rec[m] = maschinenzahl(w.wert)
            if m in counts:
                rec[f"{m}_anteil"] = maschinenzahl(w.anteil)
        rec["status"] = z.status
        rec["fehlend"] = z.fehlend
        if t.geheimhaltung is not None:
            rec["geheim"] = ", ".join(t.geheim_spalten(z.raum))
        rec["art"] = z.art
        out.append(rec)
    return out


def _published(t, raum: str, merkmal: str) -> Any:
    """A published figure of the file, unless disclosure control hides the computed one."""
    if t.ist_geheim(raum, merkmal):
        return GEHEIM_ZEICHEN
    return maschinenzahl(t.veroeffentlicht.get((raum, merkmal)))


def behandlung_records(t) -> list[dict[str, Any]]:
    """How every indicator was treated, for scripts."""
    return [
        {"merkmal": b.merkmal, "titel": b.titel, "art": b.art, "verfahren": b.verfahren, "text": b.text,
         "stichtag": b.stichtag, "ausgegeben": b.ausgegeben, **({"vorschlag": b.vorschlag} if b.vorschlag else {})}
        for b in t.behandlung
    ]


def _json_rows(t) -> list[dict[str, Any]]:
    rows = records(t, mit_schema=False)
    names = [m.name for m in [*t.anzahlen, *t.quoten]]
    if t.veroeffentlicht:
        for rec in rows:
            rec["veroeffentlicht"] = {m: _published(t, rec["raum"], m) for m in names
                                      if (rec["raum"], m) in t.veroeffentlicht}
    return rows


def json_doc(tabellen: list, zuordnung_datei: str) -> dict[str, Any]:
    first = tabellen[0]
    return {
        **meta(),
        "datei": first.datei,
        "sha256": first.sha256,
        "quellen": [{"datei": p, "sha256": h} for p, h in first.quellen],
        "zuordnung": zuordnung_datei,
        "jahr": first.jahr,
        "tabellen": [
            {
                "schema": t.schema.name,
                "titel": t.schema.titel,
                "sortierung": t.sortierung,
                "aufsteigend": t.aufsteigend,
                "zeilen": _json_rows(t),
                "merkmale": behandlung_records(t),
                "abgleich": [
                    {
                        "raum": a.raum,
                        "merkmal": a.merkmal,
                        "summe_bezirke": maschinenzahl(a.summe),
                        "gesamtzeile" if a.raum == "Gesamt" else "teilsumme": maschinenzahl(a.gesamtzeile),
                        "differenz": maschinenzahl(a.differenz),
                        "differenz_prozent": maschinenzahl(a.differenz_prozent),
                        "status": a.status,
                        "grund": a.grund,
                    }
                    for a in t.abgleich
                    if t.abgleich_sichtbar(a)
                ],
                "nullzeichen": t.nullzeichen,
                "fehlende_bezirke": t.fehlende_bezirke,
                "aufgeteilte_bezirke": t.aufgeteilte_bezirke,
                "warnungen": t.warnungen,
                "hinweise": hinweise(t),
            }
            for t in tabellen
        ],
    }


def quote_text(x: Any, q) -> str:
    if missing(x):
        return FEHLT_ZEICHEN
    return f"{zahl(x, q.nachkommastellen)} {q.einheit}".rstrip()


def _header(t, m) -> str:
    """A column title with its reference date when that is not the table's year."""
    tag = t.stichtage.get(m.name)
    return f"{m.titel} ({tag})" if tag else m.titel


def tabelle(t) -> Tabelle:
    """The German table for people of a Raumtabelle."""
    from pathlib import Path

    spalten = [Spalte("Rang"), Spalte("Raum", rechts=False), Spalte(t.einheiten)]
    for m in t.anzahlen:
        spalten += [Spalte(_header(t, m)), Spalte("Anteil")]
    spalten += [Spalte(_header(t, q)) for q in t.quoten]
    zeilen, summen = [], []
    counts = {m.name for m in t.anzahlen}
    quoten = {q.name: q for q in t.quoten}
    for z in t.zeilen:
        cells = ["" if z.rang is None else str(z.rang), z.raum, str(z.anzahl_bezirke) if z.anzahl_bezirke else ""]
        for m, w in z.werte.items():
            if m in counts:
                cells += [GEHEIM_ZEICHEN if w.geheim else anzahl(w.wert, w.vollstaendig),
                          GEHEIM_ZEICHEN if w.anteil_geheim else prozent(w.anteil)]
            else:
                cells.append(GEHEIM_ZEICHEN if w.geheim else quote_text(w.wert, quoten[m]))
        (zeilen if z.art in _KOERPER else summen).append(cells)
    titel = f"{t.schema.titel} – {Path(t.datei).name}"
    if t.jahr is not None:
        titel += f", {t.jahr}"
    sort_titel = next((m.titel for m in [*t.anzahlen, *t.quoten] if m.name == t.sortierung), t.sortierung)
    notes = [f"Rang nach {sort_titel} ({'aufsteigend' if t.aufsteigend else 'absteigend'})."]
    totals = [a for a in t.abgleich if a.raum == "Gesamt"]
    notes += [_abgleich_text(a, t.einheiten) for a in totals] or ["Die Datei hat keine Gesamtzeile; kein Abgleich."]
    notes += _teilsummen_texte(t)
    notes += behandlung_texte(t)
    if t.nullzeichen:
        notes.append(nullzeichen_text(t.nullzeichen))
    notes += [f"Warnung: {w}" for w in t.warnungen]
    notes += [f"Hinweis: {h}" for h in hinweise(t)]
    if any(FEHLT_ZEICHEN == c or c.startswith(UNVOLLSTAENDIG_ZEICHEN) for r in zeilen + summen for c in r):
        notes.append(LEGENDE)
    if t.geheime_zellen():
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    return Tabelle(titel=titel, spalten=spalten, zeilen=zeilen, summenzeilen=summen, fussnoten=notes)


def hinweise(t) -> list[str]:
    """The notes of a table, the rule of disclosure control (with its count) last."""
    return [*t.hinweise, *([t.geheimhaltung.regel] if t.geheimhaltung is not None else [])]


def behandlung_texte(t, nur_ausgelassen: bool = False) -> list[str]:
    """One line per treatment: what was summed, recomputed from what, left out and why."""
    summed = [b for b in t.behandlung if b.verfahren == "summiert" and b.ausgegeben]
    out = [f"Summiert: {', '.join(b.titel for b in summed)}."] if summed and not nur_ausgelassen else []
    defs = {q.name: q.definition for q in t.quoten}
    for b in t.behandlung:
        if b.verfahren in ("summiert",) or (not b.ausgegeben and b.verfahren != "ausgelassen"):
            continue
        if nur_ausgelassen and b.verfahren != "ausgelassen":
            continue
        text = f"{b.titel}: {b.text}"
        if defs.get(b.merkmal):
            text += f"; {defs[b.merkmal]}"
        if b.vorschlag:
            text += f". In der Zuordnung erklären mit: {b.vorschlag}"
        out.append(text + ("" if text.endswith("}") else "."))
    return out


def nullzeichen_text(nullzeichen: dict[str, int]) -> str:
    parts = [f"{zahl(n)} {'Zelle' if n == 1 else 'Zellen'} mit „{sym}“" for sym, n in nullzeichen.items()]
    return f"{', '.join(parts)} als 0 gelesen (Zeichen für „nichts vorhanden“)."


def _teilsummen_texte(t) -> list[str]:
    lines = []
    for m in [*t.anzahlen, *(q for q in t.quoten if q.art == "bewegung")]:
        items = [a for a in t.abgleich if a.raum != "Gesamt" and a.merkmal == m.name and t.abgleich_sichtbar(a)]
        texts = []
        for a in items:
            if a.status == "stimmt":
                texts.append(f"{a.raum} stimmt ({zahl(a.gesamtzeile)})")
            elif a.status == "abweichung":
                diff = zahl(a.differenz).replace("-", "−")
                texts.append(
                    f"{a.raum} weicht ab – Summe der {t.einheiten} {anzahl(a.summe)}, Teilsumme {zahl(a.gesamtzeile)}, "
                    f"Differenz {'+' if a.differenz > 0 else ''}{diff} ({prozent(a.differenz_prozent, 2).replace('-', '−')})"
                )
            else:
                texts.append(f"{a.raum} nicht prüfbar ({a.grund})")
        if texts:
            lines.append(f"Abgleich mit veröffentlichten Teilsummen, {m.titel}: {'; '.join(texts)}.")
    return lines


def _abgleich_text(a, einheiten: str = "Bezirke") -> str:
    titel = a.titel or a.merkmal
    if a.status == "stimmt":
        return f"Abgleich mit der Gesamtzeile: {titel} stimmt ({zahl(a.gesamtzeile)})."
    if a.status == "abweichung":
        diff = zahl(a.differenz).replace("-", "−")
        return (
            f"Abgleich mit der Gesamtzeile: {titel} weicht ab – Summe der {einheiten} {zahl(a.summe)}, "
            f"Gesamtzeile {zahl(a.gesamtzeile)}, Differenz {'+' if a.differenz > 0 else ''}{diff}."
        )
    return f"Abgleich mit der Gesamtzeile: {titel} nicht prüfbar ({a.grund})."




def markdown(tabellen: list) -> str:
    return "\n".join(render_markdown(records(t, mit_schema=False), t.schema.titel) for t in tabellen)


# ----------------------------------------------------------------------------- map


def kartenwerte(t, m):
    """The values of one indicator per Raum for a choropleth map; incomplete and hidden ones are hatched."""
    from ..karte import Kartenwerte

    rate = m.name not in {a.name for a in t.anzahlen}
    return Kartenwerte(
        titel=m.titel,
        einheit=m.einheit if rate else "",
        werte={z.raum: z.wert(m.name) for z in t.raeume},
        unvollstaendig={z.raum for z in t.raeume if not z.werte[m.name].vollstaendig or z.werte[m.name].geheim},
        quelle=str(t.datei),
        stellen=1 if rate else 0,
        anzahl=not rate,
        stand=str(t.jahr) if t.jahr is not None else "",
    )


# ----------------------------------------------------------------------------- workbook sheets


def _year_suffix(jahr, several: bool) -> str:
    return f" {jahr}" if several and jahr is not None else ""


def blatt(tabellen: list):
    """One sheet for one scheme, one column block per year; rows in the rank order of the last year."""
    from ..xlsx import ANZAHL_FORMAT, PROZENT_FORMAT, Blatt, XSpalte

    several = len(tabellen) > 1
    last = tabellen[-1]
    spalten = [XSpalte("Raum"), XSpalte(last.einheiten, ANZAHL_FORMAT)]
    for t in tabellen:
        s = _year_suffix(t.jahr, several)
        for m in t.anzahlen:
            spalten += [XSpalte(f"{m.titel}{s}", ANZAHL_FORMAT), XSpalte(f"Anteil {m.titel}{s} (%)", PROZENT_FORMAT)]
        for q in t.quoten:
            einheit = f" ({q.einheit})" if q.einheit else ""
            spalten.append(XSpalte(f"{q.titel}{s}{einheit}", "0." + "0" * q.nachkommastellen if q.nachkommastellen else "0"))
        spalten.append(XSpalte(f"Rang{s}", ANZAHL_FORMAT))
    spalten.append(XSpalte("Status"))
    rows, sums = [], []
    for base in last.zeilen:
        raum = base.raum
        row: list = [raum, base.anzahl_bezirke if base.art in ("raum", "gesamt") else None]
        for t in tabellen:
            if not t.hat(raum):  # e.g. a difference to the total row in another year only
                row += [None] * (2 * len(t.anzahlen) + len(t.quoten) + 1)
                continue
            z = t.zeile(raum)
            for m in t.anzahlen:
                w = z.werte[m.name]
                row += [zellwert(w.wert) if w.vollstaendig else None, zellwert(w.anteil)]
            row += [zellwert(z.wert(q.name)) for q in t.quoten]
            row.append(z.rang)
        row.append(base.status)
        (rows if base.art in _KOERPER else sums).append(row)
    return Blatt(name=last.schema.titel, spalten=spalten, zeilen=rows, summenzeilen=sums)


def abgleich_blatt(tabellen: dict):
    """Every comparison of a computed sum with a figure the file publishes (total row, subtotal rows)."""
    from ..xlsx import ANZAHL_FORMAT, Blatt, XSpalte

    zeilen = []
    einheiten = next((t.einheiten for ts in tabellen.values() for t in ts), "Bezirke")
    for ts in tabellen.values():
        for t in ts:
            for a in t.abgleich:
                if not t.abgleich_sichtbar(a):
                    continue
                zeilen.append([t.schema.titel, t.jahr, a.raum, a.titel or a.merkmal, zellwert(a.summe), zellwert(a.gesamtzeile),
                               zellwert(a.differenz), zellwert(a.differenz_prozent), STATUS_ABGLEICH[a.status], a.grund or None])
    if not zeilen:
        return None
    spalten = [XSpalte("Schema"), XSpalte("Jahr", "0"), XSpalte("Raum"), XSpalte("Merkmal"),
               XSpalte(f"Summe der {einheiten}", ANZAHL_FORMAT), XSpalte("Veröffentlicht", ANZAHL_FORMAT),
               XSpalte("Differenz", ANZAHL_FORMAT), XSpalte("Differenz (%)", "0.00"), XSpalte("Ergebnis"), XSpalte("Grund")]
    return Blatt(name="Abgleich", spalten=spalten, zeilen=zeilen)


STATUS_ABGLEICH = {"stimmt": "stimmt", "abweichung": "weicht ab", "nicht_pruefbar": "nicht prüfbar"}
