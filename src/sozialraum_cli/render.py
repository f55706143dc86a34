"""Render results: German tables for people (rich), csv/json/markdown for scripts.

Computes nothing: every figure comes from the result objects. People get German number
formats (108.141, 6,2 %); scripts get plain numbers (dot decimal, no thousands separator).
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import __version__

FEHLT_ZEICHEN = "."  # Zeichenerklärung: value unknown / not published
GEHEIM_ZEICHEN = "*"  # suppressed by disclosure control
UNVOLLSTAENDIG_ZEICHEN = "≥"
LEGENDE = f"„{UNVOLLSTAENDIG_ZEICHEN}“ = Summe unvollständig (mindestens), „{FEHLT_ZEICHEN}“ = Wert unbekannt oder nicht veröffentlicht."
_MACHINE_DIGITS = 4


# ----------------------------------------------------------------------------- numbers


def _missing(x: Any) -> bool:
    """None, NaN or pandas.NA (checked by type name, so that pandas is not imported here)."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or type(x).__name__ == "NAType"


def zahl(x: float | None, stellen: int = 0) -> str:
    """German number: 108141 -> '108.141', 6.25 with 1 place -> '6,3'."""
    if _missing(x):
        return FEHLT_ZEICHEN
    text = f"{x:,.{stellen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def anzahl(x: float | None, vollstaendig: bool = True) -> str:
    """A count; fractional (allocated) counts get one decimal; incomplete sums get '≥'."""
    if _missing(x):
        return FEHLT_ZEICHEN
    text = zahl(x, 0 if float(x).is_integer() else 1)
    return text if vollstaendig else f"{UNVOLLSTAENDIG_ZEICHEN} {text}"


def prozent(x: float | None, stellen: int = 1) -> str:
    if _missing(x):
        return FEHLT_ZEICHEN
    return f"{zahl(x, stellen)} %"


def maschinenzahl(x: Any) -> Any:
    """Plain number for csv/json: ints stay ints, floats are rounded, missing becomes None."""
    if _missing(x):
        return None
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    if f.is_integer():
        return int(f)
    return round(f, _MACHINE_DIGITS)


# ----------------------------------------------------------------------------- tables


@dataclass
class Spalte:
    titel: str
    rechts: bool = True


@dataclass
class Tabelle:
    """A table for people: every cell already formatted as German text."""

    titel: str
    spalten: list[Spalte]
    zeilen: list[list[str]]
    summenzeilen: list[list[str]] = field(default_factory=list)  # shown below a rule, in bold
    fussnoten: list[str] = field(default_factory=list)


def render_rich(tabellen: Iterable[Tabelle], width: int | None = None, color: bool = False) -> str:
    """Tables for the terminal as text (rich boxes, no colours unless asked)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buf = io.StringIO()
    width = width or 200
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
    )
    for i, t in enumerate(tabellen):
        if i:
            console.print()
        table = Table(title=Text(t.titel, style="bold"), title_justify="left", show_lines=False)
        for s in t.spalten:
            # long headers break at spaces; cells never break
            titel = textwrap.fill(s.titel, width=max(12, *(len(w) for w in s.titel.split())))
            table.add_column(Text(titel), justify="right" if s.rechts else "left", no_wrap=True)
        for k, row in enumerate(t.zeilen):
            last = k == len(t.zeilen) - 1
            table.add_row(*(Text(c) for c in row), end_section=last and bool(t.summenzeilen))
        for row in t.summenzeilen:
            table.add_row(*(Text(c, style="bold") for c in row))
        # wider than the terminal: the terminal wraps the lines, rich never squeezes a number
        console.width = max(width, console.measure(table, options=console.options.update(max_width=10_000)).maximum)
        console.print(table)
        for note in t.fussnoten:
            console.print(Text(note), soft_wrap=False, overflow="fold")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def _fields(records: list[dict[str, Any]]) -> list[str]:
    """Every key of the records, in order of first appearance."""
    fields = list(records[0])
    for r in records[1:]:
        fields += [k for k in r if k not in fields]
    return fields


def render_csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    buf = io.StringIO()
    fields = _fields(records)
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: csv_value(v) for k, v in r.items()})
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv_de(records: list[dict[str, Any]]) -> str:
    """CSV for a German spreadsheet: semicolons, decimal comma, UTF-8 with BOM.

    A text field that a spreadsheet would take for a formula (starting with = + - @, tab or CR)
    gets a leading apostrophe, so that opening the file never runs anything a data file chose.
    """
    if not records:
        return ""
    buf = io.StringIO()
    fields = _fields(records)
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([_excel_text(f) for f in fields])
    for r in records:
        writer.writerow([_excel_cell(r.get(f)) for f in fields])
    return "\ufeff" + buf.getvalue()


def _excel_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _excel_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "wahr" if v else "falsch"
    if isinstance(v, (int, float)):
        return str(v).replace(".", ",")
    return _excel_text(str(v))


def csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def render_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def render_markdown(records: list[dict[str, Any]], titel: str | None = None) -> str:
    if not records:
        return ""
    fields = list(records[0])
    lines = []
    if titel:
        lines += [f"## {titel}", ""]
    lines.append("| " + " | ".join(fields) + " |")
    lines.append("|" + "|".join("---:" if _numeric_column(records, f) else "---" for f in fields) + "|")
    for r in records:
        lines.append("| " + " | ".join(_md_cell(r.get(f)) for f in fields) + " |")
    return "\n".join(lines) + "\n"


def _numeric_column(records: list[dict[str, Any]], f: str) -> bool:
    values = [r.get(f) for r in records if r.get(f) is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _md_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).replace("|", "\\|").replace("\n", " ")


def meta() -> dict[str, Any]:
    return {"programm": "sozialraum", "version": __version__}


# ----------------------------------------------------------------------------- area tables


def raum_records(t, mit_schema: bool = True) -> list[dict[str, Any]]:
    """Machine rows of a Raumtabelle: rang, raum, anzahl_bezirke, <c>, <c>_anteil, <q>, status, fehlend."""
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
    rows = raum_records(t, mit_schema=False)
    names = [m.name for m in [*t.anzahlen, *t.quoten]]
    if t.veroeffentlicht:
        for rec in rows:
            rec["veroeffentlicht"] = {m: _published(t, rec["raum"], m) for m in names
                                      if (rec["raum"], m) in t.veroeffentlicht}
    return rows


def raum_json(tabellen: list, zuordnung_datei: str) -> dict[str, Any]:
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
                "hinweise": t.hinweise,
            }
            for t in tabellen
        ],
    }


def quote_text(x: Any, q) -> str:
    if _missing(x):
        return FEHLT_ZEICHEN
    return f"{zahl(x, q.nachkommastellen)} {q.einheit}".rstrip()


def _header(t, m) -> str:
    """A column title with its reference date when that is not the table's year."""
    tag = t.stichtage.get(m.name)
    return f"{m.titel} ({tag})" if tag else m.titel


def raum_tabelle(t) -> Tabelle:
    """The German table for people of a Raumtabelle."""
    from pathlib import Path

    spalten = [Spalte("Rang"), Spalte("Raum", rechts=False), Spalte("Bezirke")]
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
        (zeilen if z.art == "raum" else summen).append(cells)
    titel = f"{t.schema.titel} – {Path(t.datei).name}"
    if t.jahr is not None:
        titel += f", {t.jahr}"
    sort_titel = next((m.titel for m in [*t.anzahlen, *t.quoten] if m.name == t.sortierung), t.sortierung)
    notes = [f"Rang nach {sort_titel} ({'aufsteigend' if t.aufsteigend else 'absteigend'})."]
    totals = [a for a in t.abgleich if a.raum == "Gesamt"]
    notes += [_abgleich_text(a) for a in totals] or ["Die Datei hat keine Gesamtzeile; kein Abgleich."]
    notes += _teilsummen_texte(t)
    notes += behandlung_texte(t)
    if t.nullzeichen:
        notes.append(nullzeichen_text(t.nullzeichen))
    notes += [f"Warnung: {w}" for w in t.warnungen]
    notes += [f"Hinweis: {h}" for h in t.hinweise]
    if any(FEHLT_ZEICHEN == c or c.startswith(UNVOLLSTAENDIG_ZEICHEN) for r in zeilen + summen for c in r):
        notes.append(LEGENDE)
    if t.geheime_zellen():
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    return Tabelle(titel=titel, spalten=spalten, zeilen=zeilen, summenzeilen=summen, fussnoten=notes)


def behandlung_texte(t) -> list[str]:
    """One line per treatment: what was summed, recomputed from what, left out and why."""
    summed = [b for b in t.behandlung if b.verfahren == "summiert" and b.ausgegeben]
    out = [f"Summiert: {', '.join(b.titel for b in summed)}."] if summed else []
    defs = {q.name: q.definition for q in t.quoten}
    for b in t.behandlung:
        if b.verfahren in ("summiert",) or (not b.ausgegeben and b.verfahren != "ausgelassen"):
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
                    f"{a.raum} weicht ab – Summe der Bezirke {anzahl(a.summe)}, Teilsumme {zahl(a.gesamtzeile)}, "
                    f"Differenz {'+' if a.differenz > 0 else ''}{diff} ({prozent(a.differenz_prozent, 2).replace('-', '−')})"
                )
            else:
                texts.append(f"{a.raum} nicht prüfbar ({a.grund})")
        if texts:
            lines.append(f"Abgleich mit veröffentlichten Teilsummen, {m.titel}: {'; '.join(texts)}.")
    return lines


def _abgleich_text(a) -> str:
    titel = a.titel or a.merkmal
    if a.status == "stimmt":
        return f"Abgleich mit der Gesamtzeile: {titel} stimmt ({zahl(a.gesamtzeile)})."
    if a.status == "abweichung":
        diff = zahl(a.differenz).replace("-", "−")
        return (
            f"Abgleich mit der Gesamtzeile: {titel} weicht ab – Summe der Bezirke {zahl(a.summe)}, "
            f"Gesamtzeile {zahl(a.gesamtzeile)}, Differenz {'+' if a.differenz > 0 else ''}{diff}."
        )
    return f"Abgleich mit der Gesamtzeile: {titel} nicht prüfbar ({a.grund})."


# ----------------------------------------------------------------------------- comparison


def _what(v) -> str:
    return v.merkmal.titel if v.merkmal is not None else "Zahl der Bezirke"


def _source(v) -> str:
    from pathlib import Path

    if v.datei is None:
        return ""
    return f", {Path(v.datei).name}" + (f", {v.jahr}" if v.jahr is not None else "")


def vergleich_tabellen(v) -> list[Tabelle]:
    """The three tables for people: crosswalk, districts that change Raum, side by side."""
    m, shares = v.matrix, v.zeilenanteile()
    complete = v.vollstaendig
    cols = list(m.columns)

    def cell(a: str, b: str) -> str:
        if (a, b) in v.geheim:
            return GEHEIM_ZEICHEN
        value = m.at[a, b]
        if value == 0 and (complete is None or complete.at[a, b]):
            return ""
        text = anzahl(value, True if complete is None else bool(complete.at[a, b]))
        return f"{text} ({prozent(shares.at[a, b])})" if b != "Gesamt" and not _missing(shares.at[a, b]) else text

    rows = [[a, *(cell(a, b) for b in cols)] for a in m.index if a != "Gesamt"]
    notes = [
        f"Zeilen: A = {v.schema_a.titel}; Spalten: B = {v.schema_b.titel}. In Klammern: Anteil an der Zeile.",
        ("Hauptpartner (Raum in B mit den meisten Bezirken – unter Geheimhaltung nicht nach den Werten bestimmt, "
         "die sonst Unterdrücktes verraten könnten): " if v.geheimhaltung is not None
         else "Hauptpartner (Raum in B mit dem größten Anteil): ")
        + "; ".join(f"{a} → {b}" for a, b in v.hauptpartner.items())
        + ".",
    ]
    notes += [f"Warnung: {w}" for w in v.warnungen] + [f"Hinweis: {h}" for h in v.hinweise]
    if v.geheim:
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    kreuz = Tabelle(
        titel=f"Überleitung {v.schema_a.titel} → {v.schema_b.titel} – {_what(v)}{_source(v)}",
        spalten=[Spalte(v.schema_a.titel, False), *(Spalte(c) for c in cols)],
        zeilen=rows,
        summenzeilen=[["Gesamt", *(cell("Gesamt", b) for b in cols)]],
        fussnoten=notes,
    )
    split = any(w.anteil != 1 for w in v.wechsel)
    wechsel = Tabelle(
        titel=f"Bezirke, die nicht beim Hauptpartner ihres Raums liegen ({len(v.wechsel)})",
        spalten=[
            Spalte("Nr."),
            Spalte("Bezirk", False),
            Spalte("von (A)", False),
            Spalte("nach (B)", False),
            Spalte("Hauptpartner", False),
            *([Spalte("Anteil")] if split else []),
            *([Spalte(_what(v))] if v.merkmal is not None else []),
        ],
        zeilen=[
            [
                str(w.bezirk_nr),
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
        fussnoten=[] if v.wechsel else ["Jeder Bezirk gehört zum Hauptpartner seines Raums."],
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
        out.append(rec)
    return out


def vergleich_records(v) -> list[dict[str, Any]]:
    """The crosswalk matrix for csv: one row per Raum of A, one column per Raum of B, zeros as 0."""
    m = v.matrix
    return [
        {"raum_a": a, **{b: maschinenzahl(m.at[a, b]) for b in m.columns}} for a in m.index
    ]


def vergleich_json(v, zuordnung_datei: str) -> dict[str, Any]:
    m, shares = v.matrix, v.zeilenanteile()
    return {
        **meta(),
        "zuordnung": zuordnung_datei,
        "datei": v.datei,
        "sha256": v.sha256,
        "jahr": v.jahr,
        "schema_a": {"name": v.schema_a.name, "titel": v.schema_a.titel},
        "schema_b": {"name": v.schema_b.name, "titel": v.schema_b.titel},
        "wert": v.merkmal.name if v.merkmal is not None else "anzahl_bezirke",
        "ueberleitung": [
            {
                "raum_a": a,
                "raum_b": b,
                "wert": maschinenzahl(m.at[a, b]),
                "anzahl_bezirke": maschinenzahl(v.bezirke.at[a, b]),
                "anteil_zeile": maschinenzahl(shares.at[a, b]),
                "vollstaendig": True if v.vollstaendig is None else bool(v.vollstaendig.at[a, b]),
            }
            for a in m.index
            for b in m.columns
        ],
        "hauptpartner": v.hauptpartner,
        "wechsel": [
            {
                "bezirk_nr": w.bezirk_nr,
                "bezirk_name": w.name,
                "von": w.von,
                "nach": w.nach,
                "hauptpartner": w.hauptpartner,
                "anteil": maschinenzahl(w.anteil),
                "wert": maschinenzahl(w.wert),
            }
            for w in v.wechsel
        ],
        "nebeneinander": None if v.nebeneinander is None else nebeneinander_records(v),
        "warnungen": v.warnungen,
        "hinweise": v.hinweise,
    }


def vergleich_markdown(v) -> str:
    doc = vergleich_json(v, "")
    parts = [render_markdown(vergleich_records(v), f"Überleitung {v.schema_a.titel} → {v.schema_b.titel} – {_what(v)}")]
    if doc["wechsel"]:
        parts.append(render_markdown(doc["wechsel"], "Bezirke, die nicht beim Hauptpartner ihres Raums liegen"))
    if doc["nebeneinander"]:
        parts.append(render_markdown(doc["nebeneinander"], "Nebeneinander"))
    return "\n".join(parts)


# ----------------------------------------------------------------------------- trend


def trend_records(e, mit_schema: bool = True) -> list[dict[str, Any]]:
    out = []
    for _, r in e.zeilen.iterrows():
        rec: dict[str, Any] = {"schema": e.schema.name} if mit_schema else {}
        rec["raum"] = r["raum"]
        rec["merkmal"] = e.merkmal.name
        for j in e.jahre:
            rec[str(j)] = maschinenzahl(r[str(j)])
        for k in ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent"):
            rec[k] = maschinenzahl(r[k])
        out.append(rec)
    return out


def trend_tabelle(e) -> Tabelle:
    first, last = e.jahre[0], e.jahre[-1]
    spalten = [Spalte("Raum", False), *(Spalte(str(j)) for j in e.jahre)]
    spalten += [Spalte(f"Veränderung {first}–{last}"), Spalte("in %"), Spalte("Mittel je Jahr"), Spalte("Mittel je Jahr in %")]
    zeilen, summen = [], []
    geheim = getattr(e, "geheim", set())
    for _, r in e.zeilen.iterrows():

        def shown(col: str, text: str) -> str:
            return GEHEIM_ZEICHEN if (r["raum"], col) in geheim else text

        cells = [r["raum"], *(shown(str(j), anzahl(r[str(j)])) for j in e.jahre)]
        change = r["veraenderung"]
        cells += [
            shown("veraenderung", FEHLT_ZEICHEN if _missing(change) else ("+" if change > 0 else "") + anzahl(change)),
            shown("veraenderung_prozent", prozent(r["veraenderung_prozent"])),
            shown("mittel_jahr", FEHLT_ZEICHEN if _missing(r["mittel_jahr"]) else zahl(r["mittel_jahr"], 1)),
            shown("mittel_jahr_prozent", prozent(r["mittel_jahr_prozent"], 2)),
        ]
        (zeilen if r["art"] == "raum" else summen).append(cells)
    notes = [f"Warnung: {w}" for w in e.warnungen] + [f"Hinweis: {h}" for h in e.hinweise]
    if geheim:
        notes.append(f"„{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.")
    return Tabelle(
        titel=f"Entwicklung {e.merkmal.titel} {first}–{last} – {e.schema.titel}, {e.datei}",
        spalten=spalten,
        zeilen=zeilen,
        summenzeilen=summen,
        fussnoten=notes,
    )


def trend_json(entwicklungen: list, zuordnung_datei: str) -> dict[str, Any]:
    return {
        **meta(),
        "zuordnung": zuordnung_datei,
        "datei": entwicklungen[0].datei,
        "tabellen": [
            {
                "schema": e.schema.name,
                "merkmal": e.merkmal.name,
                "jahre": e.jahre,
                "zeilen": trend_records(e, mit_schema=False),
                "warnungen": e.warnungen,
                "hinweise": e.hinweise,
            }
            for e in entwicklungen
        ],
    }
