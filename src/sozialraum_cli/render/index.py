"""Render a composite index (index.IndexErgebnis): German tables, csv/json/markdown, xlsx sheets.

Computes nothing; every figure comes from the result object. Machine formats carry z-values,
sums, index values, means and standard deviations with 6 decimals so that every step can be
recomputed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .formats import FEHLT_ZEICHEN, Spalte, Tabelle, missing, maschinenzahl, meta, render_markdown, zahl

STELLEN = 6  # decimals of z-values, sums, index, mean and sd in csv/json/xlsx
OHNE_INDEX = "ohne Index"


def genau(x: Any) -> float | None:
    """A derived figure for machines: 6 decimals, missing -> None."""
    if missing(x):
        return None
    return round(float(x), STELLEN) + 0.0  # + 0.0 turns -0.0 into 0.0


def _wert(x: Any, stellen: int | None = None) -> str:
    if missing(x):
        return FEHLT_ZEICHEN
    return zahl(x, stellen if stellen is not None else (0 if float(x).is_integer() else 2))


def stellen(values: list[Any], hoechstens: int = 3) -> int:
    """Decimals that show every value of a column exactly (at most `hoechstens`)."""
    need = 0
    for x in values:
        if missing(x):
            continue
        for k in range(need, hoechstens + 1):
            need = k
            if abs(round(float(x), k) - float(x)) < 1e-9:
                break
    return need


def _z(x: Any, stellen: int = 2) -> str:
    if missing(x):
        return FEHLT_ZEICHEN
    text = zahl(x, stellen)
    return "0,00" if text.lstrip("-") == zahl(0, stellen) else text


def _what(e) -> str:
    if e.dynamisch:
        return f"Veränderung {e.von}–{e.bis}"
    return str(e.jahr) if e.jahr is not None else ""


def titel(e) -> str:
    when = _what(e)
    return f"{e.definition.titel}{f' ({when})' if when else ''} – {e.datei}"


def summe_name(e) -> str:
    return "Mittel" if e.definition.mittelwert else "Summe"


def methode_zeilen(e) -> list[str]:
    """The method in German sentences, with the figures used (table footer and xlsx Metadaten)."""
    d = e.definition
    n = e.summe_kennwerte.anzahl
    lines = []
    if e.dynamisch:
        lines.append(f"Dynamischer Index: je Indikator die Veränderung x({e.bis}) − x({e.von}).")
    if d.standardisieren:
        lines.append(f"z = (x − Mittelwert) / Standardabweichung (Divisor n) über die {n} {e.einheit[1]} mit Index:")
        for k in e.kennwerte:
            lines.append(
                f"  {e.indikator_titel[k.name]} ({k.name}): Mittelwert {zahl(k.mittelwert, 4)}, "
                f"Standardabweichung {zahl(k.standardabweichung, 4)}, Richtung {d.richtung(k.name):+d}, "
                f"Gewicht {zahl(d.gewicht(k.name), 2 if not float(d.gewicht(k.name)).is_integer() else 0)}"
            )
    else:
        lines.append("Ohne Standardisierung: die Werte sind bereits z-Werte.")
        for i in d.indikatoren:
            lines.append(f"  {e.indikator_titel[i]} ({i}): Richtung {d.richtung(i):+d}, Gewicht {_wert(d.gewicht(i))}")
    teiler = " / Summe der Gewichte" if d.mittelwert else ""
    lines.append(f"{summe_name(e)} = Σ Richtung × Gewicht × z{teiler}; Mittelwert {zahl(e.summe_kennwerte.mittelwert, 4)}, "
                 f"Standardabweichung {zahl(e.summe_kennwerte.standardabweichung, 4)}.")
    lines.append(f"Index = ({summe_name(e)} − Mittelwert) / Standardabweichung.")
    if d.klassen is not None:
        lines.append(f"Klassen ({d.klassen.text}): {d.klassen.regel_text().replace('-', '−')}.")
    if d.mindest_einwohner is not None:
        col, minimum = d.mindest_einwohner
        lines.append(f"Mindestgröße: {col} ≥ {zahl(minimum, 0)}; kleinere {e.einheit[1]} bekommen keinen Index.")
    return lines


def _ausschluss_zeilen(e) -> list[str]:
    return [f"Ohne Index: {u.code} {u.name} – {'; '.join(u.ausschluss)}" for u in e.ausgeschlossen]


def bezirk_tabelle(e) -> Tabelle:
    d = e.definition
    spalten = [Spalte("Nr.", rechts=False), Spalte(e.einheit[0], rechts=False)]
    for i in d.indikatoren:
        spalten += [Spalte(e.indikator_titel[i]), Spalte(f"z {i}")]
    spalten += [Spalte(summe_name(e)), Spalte("Index")]
    if d.klassen is not None:
        spalten.append(Spalte("Klasse", rechts=False))
    zeilen = []
    places = {i: stellen([u.werte[i] for u in e.einheiten]) for i in d.indikatoren}
    for u in e.einheiten:
        row = [u.code, u.name]
        for i in d.indikatoren:
            row += [_wert(u.werte[i], places[i]), _z(u.z[i])]
        row += [_z(u.summe), _z(u.index)]
        if d.klassen is not None:
            row.append(u.klasse if u.klasse is not None else OHNE_INDEX)
        zeilen.append(row)
    notes = methode_zeilen(e) + _ausschluss_zeilen(e)
    notes += [f"Warnung: {w}" for w in e.warnungen] + [f"Hinweis: {h}" for h in e.hinweise]
    return Tabelle(titel=titel(e), spalten=spalten, zeilen=zeilen, fussnoten=notes)


def gewicht_titel(e) -> str:
    return (e.gewicht_titel or e.gewichtsspalte) if e.gewichtsspalte else f"{e.einheit[1]} (ungewichtet)"


def raum_tabelle(e) -> Tabelle:
    d = e.definition
    spalten = [Spalte("Raum", rechts=False), Spalte(e.einheit[1]), Spalte("mit Index"), Spalte(f"Gewicht: {gewicht_titel(e)}")]
    klassen = d.klassen.namen if d.klassen is not None else ()
    spalten += [Spalte(f"Anteil {k}") for k in klassen]
    spalten.append(Spalte("Mittlerer Index"))
    zeilen = []
    for r in e.raeume:
        row = [r.raum, str(r.bezirke), str(r.bezirke_mit_index), _wert(r.gewicht)]
        row += [FEHLT_ZEICHEN if missing(r.anteile[k]) else f"{zahl(r.anteile[k], 1)} %" for k in klassen]
        row.append(_z(r.mittlerer_index))
        zeilen.append(row)
    notes = [
        f"Anteile und mittlerer Index gewichtet mit {gewicht_titel(e)} der {e.einheit[1]} mit Index "
        f"(geteilte {e.einheit[1]} mit ihrem Anteil); {e.einheit[1]} ohne Index zählen nicht mit."
    ]
    for r in e.raeume:
        if r.gewicht_ohne_index:
            notes.append(f"{r.raum}: {gewicht_titel(e)} ohne Index {_wert(r.gewicht_ohne_index)}.")
    return Tabelle(titel=f"{d.titel} je Raum – {e.schema.titel}", spalten=spalten, zeilen=zeilen, fussnoten=notes)


def tabellen(e) -> list[Tabelle]:
    out = [bezirk_tabelle(e)]
    if e.schema is not None:
        out.append(raum_tabelle(e))
    return out


# ----------------------------------------------------------------------------- machine formats


def bezirk_records(e, mit_ebene: bool = False) -> list[dict[str, Any]]:
    d = e.definition
    out = []
    for u in e.einheiten:
        rec: dict[str, Any] = {"ebene": "bezirk"} if mit_ebene else {}
        rec["code"] = u.code
        rec["bezirk"] = u.name
        for i in d.indikatoren:
            rec[i] = maschinenzahl(u.werte[i])
            rec[f"{i}_z"] = genau(u.z[i])
        rec["summe"] = genau(u.summe)
        rec["index"] = genau(u.index)
        if d.klassen is not None:
            rec["klasse"] = u.klasse
        if e.gewichtsspalte:
            rec["einwohner"] = maschinenzahl(u.einwohner)
        rec["ausschluss"] = "; ".join(u.ausschluss) or None
        out.append(rec)
    return out


def raum_records(e, mit_ebene: bool = False) -> list[dict[str, Any]]:
    d = e.definition
    out = []
    for r in e.raeume:
        rec: dict[str, Any] = {"ebene": "raum"} if mit_ebene else {}
        rec["schema"] = e.schema.name
        rec["raum"] = r.raum
        rec["anzahl_bezirke"] = r.bezirke
        rec["bezirke_mit_index"] = r.bezirke_mit_index
        rec["gewicht"] = maschinenzahl(r.gewicht)
        rec["gewicht_ohne_index"] = maschinenzahl(r.gewicht_ohne_index)
        for k in d.klassen.namen if d.klassen is not None else ():
            rec[f"anteil_{k}"] = genau(r.anteile[k])
        rec["mittlerer_index"] = genau(r.mittlerer_index)
        out.append(rec)
    return out


def records(e) -> list[dict[str, Any]]:
    """CSV rows: one per district, then (with a scheme) one per Raum; `ebene` tells which."""
    return bezirk_records(e, mit_ebene=True) + raum_records(e, mit_ebene=True)


def markdown(e) -> str:
    text = render_markdown(bezirk_records(e), titel(e))
    if e.schema is not None:
        text += "\n" + render_markdown(raum_records(e), raum_tabelle(e).titel)
    return text


def methode_json(e) -> dict[str, Any]:
    d = e.definition
    kennwerte = {k.name: k for k in e.kennwerte}
    return {
        "standardisiert": d.standardisieren,
        "standardabweichung": "Grundgesamtheit (Divisor n)",
        "mittelwert_statt_summe": d.mittelwert,
        "dynamisch": {"von": e.von, "bis": e.bis} if e.dynamisch else None,
        "indikatoren": [
            {
                "name": i,
                "titel": e.indikator_titel[i],
                "richtung": d.richtung(i),
                "gewicht": maschinenzahl(d.gewicht(i)),
                "mittelwert": genau(kennwerte[i].mittelwert) if i in kennwerte else None,
                "standardabweichung": genau(kennwerte[i].standardabweichung) if i in kennwerte else None,
                "anzahl_bezirke": kennwerte[i].anzahl if i in kennwerte else e.summe_kennwerte.anzahl,
            }
            for i in d.indikatoren
        ],
        "summe": {
            "mittelwert": genau(e.summe_kennwerte.mittelwert),
            "standardabweichung": genau(e.summe_kennwerte.standardabweichung),
            "anzahl_bezirke": e.summe_kennwerte.anzahl,
        },
        "klassen": None
        if d.klassen is None
        else {
            "regel": d.klassen.text,
            "klassen": [{"name": k, "bereich": rule} for k, rule in d.klassen.regeln()],
            "grenzen": [
                {"wert": b, "gehoert_zu": d.klassen.namen[k] if left else d.klassen.namen[k + 1]}
                for k, (b, left) in enumerate(zip(d.klassen.grenzen, d.klassen.links_inklusive))
            ],
            "klassifiziert_auf_stellen": 9,
        },
        "mindest_einwohner": None
        if d.mindest_einwohner is None
        else {"spalte": d.mindest_einwohner[0], "mindestens": maschinenzahl(d.mindest_einwohner[1])},
        "gewicht_raeume": e.gewichtsspalte or f"Zahl der {e.einheit[1]}",
    }


def json_doc(e, zuordnung_datei: str) -> dict[str, Any]:
    return {
        **meta(),
        "index": e.definition.name,
        "titel": e.definition.titel,
        "datei": e.datei,
        "quellen": [{"datei": p, "sha256": h} for p, h in e.quellen],
        "zuordnung": zuordnung_datei,
        "jahr": e.jahr,
        "methode": methode_json(e),
        "bezirke": bezirk_records(e),
        "ausgeschlossen": [
            {"code": u.code, "bezirk": u.name, "gruende": u.ausschluss} for u in e.ausgeschlossen
        ],
        "schema": e.schema.name if e.schema is not None else None,
        "raeume": raum_records(e),
        "warnungen": e.warnungen,
        "hinweise": e.hinweise,
    }


def workbook(e, zuordnung: Any, *, optionen: str, zeitpunkt: datetime | None = None) -> bytes:
    """Sheets Bezirke, Räume (with a scheme) and Metadaten; same input, same bytes."""
    from .. import __version__
    from ..xlsx import ANZAHL_FORMAT, FIXED_TIME, PROZENT_FORMAT, Blatt, XSpalte, workbook_bytes

    z_format = "0.00"
    d = e.definition
    spalten = [XSpalte("Nr."), XSpalte(e.einheit[0])]
    for i in d.indikatoren:
        spalten += [XSpalte(e.indikator_titel[i], "#,##0.00"), XSpalte(f"z {i}", z_format)]
    spalten += [XSpalte(summe_name(e), z_format), XSpalte("Index", z_format), XSpalte("Klasse"), XSpalte("Ohne Index, weil")]
    zeilen = []
    for r in bezirk_records(e):
        row = [r["code"], r["bezirk"]]
        for i in d.indikatoren:
            row += [r[i], r[f"{i}_z"]]
        row += [r["summe"], r["index"], r.get("klasse"), r["ausschluss"]]
        zeilen.append(row)
    blaetter = [Blatt(e.einheit[1], spalten, zeilen)]
    if e.schema is not None:
        klassen = d.klassen.namen if d.klassen is not None else ()
        rs = [XSpalte("Raum"), XSpalte(e.einheit[1], ANZAHL_FORMAT), XSpalte("mit Index", ANZAHL_FORMAT),
              XSpalte(f"Gewicht: {gewicht_titel(e)}", ANZAHL_FORMAT)]
        rs += [XSpalte(f"Anteil {k} (%)", PROZENT_FORMAT) for k in klassen] + [XSpalte("Mittlerer Index", z_format)]
        rz = [
            [r["raum"], r["anzahl_bezirke"], r["bezirke_mit_index"], r["gewicht"],
             *(r[f"anteil_{k}"] for k in klassen), r["mittlerer_index"]]
            for r in raum_records(e)
        ]
        blaetter.append(Blatt("Räume", rs, rz))
    meta_rows = [
        ["Programm", f"sozialraum {__version__}"],
        ["Erstellt", f"ohne Zeitstempel (Dokumentdatum fest {FIXED_TIME:%d.%m.%Y}), damit gleiche Eingaben dieselbe Datei ergeben"],
        ["Aufruf", optionen],
        ["Zuordnung", str(zuordnung.datei)],
        ["Zuordnung SHA-256", zuordnung.sha256],
    ]
    for k, (p, h) in enumerate(e.quellen, start=1):
        meta_rows += [[f"Eingabedatei {k}", p], [f"Eingabedatei {k} SHA-256", h]]
    meta_rows.append(["Index", f"{d.name} = {d.titel}"])
    if e.dynamisch:
        meta_rows.append(["Veränderung", f"{e.von}–{e.bis}"])
    elif e.jahr is not None:
        meta_rows.append(["Jahr", str(e.jahr)])
    m = methode_json(e)
    for ind in m["indikatoren"]:
        meta_rows.append([
            f"Indikator {ind['titel']}",
            f"{ind['name']}; Richtung {ind['richtung']:+d}; Gewicht {ind['gewicht']}; Mittelwert {ind['mittelwert']}; "
            f"Standardabweichung {ind['standardabweichung']} (Divisor n, {ind['anzahl_bezirke']} {e.einheit[1]})",
        ])
    meta_rows.append([summe_name(e), f"Mittelwert {m['summe']['mittelwert']}; Standardabweichung {m['summe']['standardabweichung']}"])
    meta_rows += [["Methode", line.strip()] for line in methode_zeilen(e) if not line.startswith("  ")]
    for u in e.ausgeschlossen:
        meta_rows.append(["Ohne Index", f"{u.code} {u.name}: {'; '.join(u.ausschluss)}"])
    meta_rows.append(["Leere Zellen", f"Wert fehlt oder {e.einheit[0]} ohne Index; eine leere Zelle ist nie 0."])
    meta_rows += [["Warnung", w] for w in e.warnungen] + [["Hinweis", h] for h in e.hinweise]
    blaetter.append(Blatt("Metadaten", [XSpalte("Angabe"), XSpalte("Wert")], meta_rows, filter=False))
    return workbook_bytes(blaetter, titel=d.titel, thema=e.datei, zeitpunkt=zeitpunkt)


def klassen_je_bezirk(e) -> dict[int, str]:
    """District -> 'mittel (−0,53)' or 'ohne Index' (for the district table of a profile)."""
    out = {}
    for u in e.einheiten:
        if u.index is None:
            out[u.nr] = OHNE_INDEX
        else:
            shown = _z(u.index).replace("-", "−")
            out[u.nr] = f"{u.klasse} ({shown})" if u.klasse is not None else shown
    return out
