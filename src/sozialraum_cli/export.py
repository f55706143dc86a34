"""The Excel summary for committees: one sheet per scheme, Bezirke, Vergleich, Metadaten.

Builds the sheets from the core results (aggregate, compare); xlsx.py lays them out.
Missing, suppressed and incomplete values are empty cells, explained in Metadaten, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from . import __version__
from .aggregate import Raumtabelle, aggregate
from .compare import Vergleich, compare
from .errors import AufrufError, InputError
from .mapping import ANZAHL, Schema, Zuordnung
from .render import entwicklung as darstellung_entwicklung
from .render import raumtabelle as darstellung_raum
from .render import vergleich as darstellung_vergleich
from .render.formats import zellwert
from .render.raumtabelle import nullzeichen_text
from .reading import BEKANNT, LAYOUT_STICHTAGE, STATUS_TEXT, Bezirksdaten
from .xlsx import ANZAHL_FORMAT, FIXED_TIME, Blatt, XSpalte, workbook_bytes


@dataclass
class Export:
    blaetter: list[Blatt]
    titel: str
    thema: str
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)
    stichtag: datetime | None = None  # the data's reference date: the document date (same input, same file)

    def to_bytes(self, zeitpunkt: datetime | None = None) -> bytes:
        return workbook_bytes(self.blaetter, titel=self.titel, thema=self.thema, zeitpunkt=zeitpunkt or self.stichtag)


def reference_date(daten: Bezirksdaten | None, jahre: list[int | None]) -> datetime | None:
    """31 December of the last year shown (the files' reference dates are year ends), else the written date."""
    import re

    real = [j for j in jahre if j is not None]
    if real:
        return datetime(real[-1], 12, 31)
    for s in (daten.spalten if daten is not None else []):
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", str(s.stichtag or "").strip())
        if m:
            return datetime(int(m[3]), int(m[2]), int(m[1]))
    return None


def shown_path(path) -> str:
    """A file name for people: relative to the working folder when inside it, the bundled mapping by name."""
    import os
    from pathlib import Path

    p = Path(path)
    from .mapping import default_mapping_path

    if p == default_mapping_path():
        return f"{p.name} (mitgeliefert)"
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive
        return p.name
    return p.name if rel.startswith("..") else rel


def label_sheets(blaetter: list[Blatt], *, inhalt: str, stand: str, quelle: str) -> None:
    """Title row (sheet, content, reference date) and source row of every sheet."""
    for b in blaetter:
        if not b.titel:
            b.titel = " – ".join(x for x in (b.name, inhalt, f"Stand {stand}" if stand else "") if x)
        if not b.quelle:
            b.quelle = quelle


def export_years(daten: Bezirksdaten, jahr: int | None, jahre: list[int] | None) -> tuple[list[int | None], list[str]]:
    """The years to export, and a note when the default year was chosen."""
    if jahr is not None and jahre:
        raise AufrufError("Bitte nur eines von beiden angeben: ein Jahr oder eine Jahresfolge.", parameter=("jahr", "jahre"))
    if daten.layout != LAYOUT_STICHTAGE:
        if jahr is not None or jahre:
            raise AufrufError(
                "Jahre gelten nur für Dateien mit einer Spalte je Stichtag.", datei=daten.datei,
                parameter=("jahr", "jahre"),
            )
        return [None], []
    if jahre:
        missing = [j for j in jahre if j not in daten.jahre]
        if missing:
            raise InputError(
                f"Die Jahre {', '.join(map(str, missing))} gibt es in der Datei nicht "
                f"(vorhanden: {daten.jahre[0]}–{daten.jahre[-1]}).",
                datei=daten.datei,
            )
        return list(jahre), []
    if jahr is not None:
        return [jahr], []
    default = daten.standard_jahr()
    return [default], [f"Kein --year angegeben: verwendet wird {default}, das letzte Jahr mit Werten."]


def _suffix(jahr: int | None, several: bool) -> str:
    return f" {jahr}" if several and jahr is not None else ""


def _jahr(x) -> int | None:
    return None if zellwert(x) is None else int(x)




def district_cells(zuordnung: Zuordnung, daten: Bezirksdaten, jahre: list[int | None]):
    """The single district counts the district sheet publishes (for disclosure control)."""
    from .publication import Bezirksliste

    codes = [*zuordnung.bezirke, *(c.nr for c in zuordnung.sondercodes.values() if c.nr in daten.zeilen)]
    counts = [s for s in daten.spalten if s.jahr in jahre and s.art == ANZAHL]
    return Bezirksliste([(nr, s.merkmal, s.jahr) for nr in codes for s in counts])


def district_sheet(zuordnung: Zuordnung, schemata: list[Schema], daten: Bezirksdaten, jahre: list[int | None],
                   geheim: dict | None = None) -> Blatt:
    """Every district with its Räume and its own values; `geheim`: (code, indicator, year) hidden."""
    geheim = geheim or {}
    several = len(jahre) > 1
    spalten_in = [s for s in daten.spalten if s.jahr in jahre]
    ortsteil = any(b.ortsteil for b in zuordnung.bezirke.values())  # Jena's field: a column only when present
    spalten = [XSpalte("Nr.", None if zuordnung.text_codes else "0"), XSpalte(zuordnung.einzahl),
               *([XSpalte("Ortsteil")] if ortsteil else [])]
    spalten += [XSpalte(s.titel) for s in schemata]
    spalten += [
        XSpalte(f"{zuordnung.merkmale[s.merkmal].titel if s.merkmal in zuordnung.merkmale else s.titel}"
                f"{_suffix(s.jahr, several or daten.layout == LAYOUT_STICHTAGE)}",
                ANZAHL_FORMAT if s.art == ANZAHL else "#,##0.0##")
        for s in spalten_in
    ]
    df = daten.daten
    known = df[df["status"].isin(BEKANNT)]
    values = {(r.bezirk_nr, r.merkmal, _jahr(r.jahr)): r.wert for r in known.itertuples()}

    def cells(nr: int) -> list:
        return [None if (nr, s.merkmal, s.jahr) in geheim else zellwert(values.get((nr, s.merkmal, s.jahr)))
                for s in spalten_in]

    def raum(schema: Schema, nr: int) -> str:
        return "; ".join(r if a == 1 else f"{r} ({a:.0%})" for r, a in schema.raeume_von(nr))

    rows = [
        [zuordnung.code_json(b.nr), b.name, *([b.ortsteil] if ortsteil else []), *(raum(s, b.nr) for s in schemata), *cells(b.nr)]
        for b in zuordnung.bezirke.values()
    ]
    sums = [
        [zuordnung.code_json(c.nr), c.name, *([""] if ortsteil else []), *("" for _ in schemata), *cells(c.nr)]
        for c in zuordnung.sondercodes.values()
        if c.nr in daten.zeilen
    ]
    return Blatt(name=zuordnung.mehrzahl, spalten=spalten, zeilen=rows, summenzeilen=sums)


def build_export(
    zuordnung: Zuordnung,
    schemata: list[Schema],
    daten: Bezirksdaten,
    *,
    jahre: list[int | None],
    merkmale: list[str] | None = None,
    optionen: str = "",
    zeitstempel: bool = False,
    hinweise: list[str] | None = None,
    unvollstaendige_zulassen: bool = False,
    min_count: int | None = None,
) -> Export:
    """All sheets of the yearly summary workbook; with min_count, disclosure control on every sheet."""
    tabellen = {
        s.name: [
            aggregate(zuordnung, s, daten, jahr=j, merkmale=merkmale, unvollstaendige_zulassen=unvollstaendige_zulassen)
            for j in jahre
        ]
        for s in schemata
    }
    geheimhaltung = None
    vergleich = None
    if len(schemata) >= 2:
        first = tabellen[schemata[0].name][-1]
        wert = first.anzahlen[0].name if first.anzahlen else None
        vergleich = compare(zuordnung, schemata[0], schemata[1], daten, merkmal=wert, jahr=jahre[-1])
    bezirke_geheim: dict = {}
    if min_count is not None:  # every sheet together: all schemes and years, the district sheet, the crosswalk
        from .publication import Ueberleitung, protect

        alle = [t for s in schemata for t in tabellen[s.name]]
        extra = [district_cells(zuordnung, daten, jahre), *([Ueberleitung(vergleich)] if vergleich is not None else [])]
        geschuetzt = protect(zuordnung, daten, alle + extra, min_count)
        it = iter(geschuetzt.ergebnisse)
        tabellen = {s.name: [next(it) for _ in tabellen[s.name]] for s in schemata}
        bezirke_geheim = next(it).geheim
        vergleich = next(it, vergleich)
        geheimhaltung = geschuetzt.geheimhaltung  # every sheet: tables, districts, crosswalk
    bezirke_blatt = district_sheet(zuordnung, schemata, daten, jahre, bezirke_geheim)
    blaetter = [darstellung_raum.blatt(tabellen[s.name]) for s in schemata]
    blaetter.append(bezirke_blatt)
    if vergleich is not None:
        blaetter.append(darstellung_vergleich.blatt(vergleich))
    if len([j for j in jahre if j is not None]) >= 2:
        from .trend import entwicklung

        # from the (protected) tables of every year: nothing recomputed, hidden values stay hidden
        entwicklungen = [entwicklung(tabellen[s.name], tabellen[s.name][-1].anzahlen[0].name) for s in schemata]
        blaetter.append(darstellung_entwicklung.blatt(entwicklungen))
        if geheimhaltung is not None:  # the note counts these cells too
            from .disclosure import Geheimhaltung

            kinds = [k for e in entwicklungen for k in e.geheim.values()]
            geheimhaltung = Geheimhaltung(geheimhaltung.min_count, geheimhaltung.primaer + kinds.count("primaer"),
                                          geheimhaltung.sekundaer + kinds.count("sekundaer"), schutz=geheimhaltung.schutz)
    warnungen = list(dict.fromkeys(w for ts in tabellen.values() for t in ts for w in t.warnungen))
    hinweise = list(dict.fromkeys([*(hinweise or []), *(h for ts in tabellen.values() for t in ts for h in t.hinweise)]))
    if geheimhaltung is not None:
        hinweise.append(geheimhaltung.regel + " (alle Blätter zusammen)")
    abgleich = darstellung_raum.abgleich_blatt(tabellen)
    if abgleich is not None:
        blaetter.append(abgleich)
    stichtag = reference_date(daten, jahre)
    meta = metadata_rows(
        zuordnung, schemata, daten, tabellen, vergleich, jahre=jahre, optionen=optionen,
        warnungen=warnungen, hinweise=hinweise, zeitstempel=zeitstempel, stichtag=stichtag,
    )
    blaetter.append(Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False))
    jahr_text = _years_text(jahre)
    label_sheets(blaetter, inhalt=daten.bezeichnung, stand=jahr_text, quelle=_source_row(zuordnung, daten))
    return Export(
        blaetter=blaetter,
        titel=f"Sozialräumliche Übersicht {jahr_text}".strip(),
        thema=f"{', '.join(s.titel for s in schemata)} – {daten.bezeichnung}",
        warnungen=warnungen,
        hinweise=hinweise,
        stichtag=stichtag,
    )


def _source_row(zuordnung: Zuordnung, daten: Bezirksdaten | None) -> str:
    files = ", ".join(p.name for p, _ in daten.quellen) if daten is not None else ""
    herkunft = "; ".join(x for x in (zuordnung.quelle, f"Daten: {files}" if files else "") if x)
    return f"Quelle: {herkunft}. Zuordnung: {zuordnung.datei.name}. Erstellt mit sozialraum {__version__}." if herkunft \
        else f"Zuordnung: {zuordnung.datei.name}. Erstellt mit sozialraum {__version__}."


def _years_text(jahre: list[int | None]) -> str:
    real = [j for j in jahre if j is not None]
    if not real:
        return ""
    return str(real[0]) if len(real) == 1 else f"{real[0]}–{real[-1]}"


def metadata_rows(
    zuordnung: Zuordnung,
    schemata: list[Schema],
    daten: Bezirksdaten | None,
    tabellen: dict[str, list[Raumtabelle]],
    vergleich: Vergleich | None,
    *,
    jahre: list[int | None],
    optionen: str,
    warnungen: list[str],
    hinweise: list[str],
    zeitstempel: bool,
    stichtag: datetime | None = None,
) -> list[list[str]]:
    datum = (f"Dokumentdatum = Stichtag der Daten ({stichtag:%d.%m.%Y})" if stichtag is not None
             else f"Dokumentdatum fest {FIXED_TIME:%d.%m.%Y} (die Daten nennen keinen Stichtag)")
    rows = [
        ["Programm", f"sozialraum {__version__}"],
        [
            "Erstellt",
            datetime.now().strftime("%d.%m.%Y %H:%M") if zeitstempel
            else f"ohne Zeitstempel: {datum}, damit gleiche Eingaben dieselbe Datei ergeben",
        ],
        ["Aufruf", optionen],
        ["Zuordnung", shown_path(zuordnung.datei)],
        ["Zuordnung SHA-256", zuordnung.sha256],
    ]
    for i, (path, sha) in enumerate(daten.quellen if daten is not None else [], start=1):
        rows += [[f"Eingabedatei {i}", shown_path(path)], [f"Eingabedatei {i} SHA-256", sha]]
    rows.append(["Schemata", "; ".join(f"{s.name} = {s.titel}" for s in schemata)])
    for s in schemata:
        rows.append([f"Quelle {s.titel}", s.quelle])
        if s.hinweis:
            rows.append([f"Hinweis {s.titel}", s.hinweis])
    if _years_text(jahre):
        rows.append(["Jahr(e)", _years_text(jahre)])
    first = next(iter(tabellen.values()), [])
    if first:
        rows.append(["Merkmale", "; ".join(f"{m.name} = {m.titel}" for m in [*first[-1].anzahlen, *first[-1].quoten])])
        for b in first[-1].behandlung:
            text = b.text + (f" (Stichtag {b.stichtag})" if b.stichtag else "")
            rows.append([f"Merkmal {b.titel}", text + (f"; in der Zuordnung erklären mit: {b.vorschlag}" if b.vorschlag else "")])
        for q in first[-1].quoten:
            if q.definition:
                rows.append([f"Definition {q.titel}", q.definition])
        rows.append(["Anteile", "Prozent von Gesamt: die Gesamtzeile der Datei, wenn sie einen Wert hat; sonst die Summe "
                     f"aller {zuordnung.mehrzahl} und der Zeile „nicht zugeordnet“"])
        for t in first:
            for a in t.abgleich:
                if a.raum == "Gesamt" and t.abgleich_sichtbar(a):
                    rows.append([f"Abgleich {a.titel}{f' {t.jahr}' if t.jahr is not None else ''}", _abgleich(a, t.einheiten)])
            if t.nullzeichen:
                rows.append([f"Als 0 gelesen{f' {t.jahr}' if t.jahr is not None else ''}", nullzeichen_text(t.nullzeichen)])
        if not any(a.raum == "Gesamt" for a in first[-1].abgleich):
            rows.append(["Abgleich", "Die Datei hat keine Gesamtzeile; kein Abgleich."])
    if vergleich is not None:
        rows.append(["Vergleich", f"Zeilen: {vergleich.schema_a.titel}; Spalten: {vergleich.schema_b.titel}; "
                     f"Wert: {vergleich.merkmal.titel if vergleich.merkmal else f'Zahl der {zuordnung.mehrzahl}'}"
                     f"{f' {vergleich.jahr}' if vergleich.jahr else ''}"])
    rows.append(["Leere Zellen", "Wert fehlt, ist gesperrt oder unterdrückt, oder die Summe des Raums ist "
                 "unvollständig (siehe unten); eine leere Zelle ist nie 0."])
    if daten is not None:
        df = daten.daten
        gaps = df[~df["status"].isin(BEKANNT) & (df["jahr"].isin([j for j in jahre if j is not None]) | df["jahr"].isna())]
        for r in gaps.itertuples():
            name = zuordnung.bezirke[r.bezirk_nr].name if r.bezirk_nr in zuordnung.bezirke else zuordnung.sondercodes[r.bezirk_nr].name
            jahr = "" if _jahr(r.jahr) is None else f" {_jahr(r.jahr)}"
            rows.append(["Fehlender Wert", f"{zuordnung.einzahl} {zuordnung.code(r.bezirk_nr)} ({name}), {r.merkmal}{jahr}: {STATUS_TEXT[r.status]}"])
    rows += [["Warnung", w] for w in warnungen]
    rows += [["Hinweis", h] for h in hinweise]
    return rows


def _abgleich(a, einheiten: str = "Bezirke") -> str:
    from .render.formats import anzahl

    if a.status == "stimmt":
        return f"stimmt ({anzahl(a.gesamtzeile)})"
    if a.status == "abweichung":
        sign = "+" if a.differenz > 0 else "−" if a.differenz < 0 else "±"
        return (f"weicht ab: Summe der {einheiten} {anzahl(a.summe)}, Gesamtzeile {anzahl(a.gesamtzeile)}, "
                f"Differenz {sign}{anzahl(abs(a.differenz))}")
    return f"nicht prüfbar ({a.grund})"


def tables_workbook(
    zuordnung: Zuordnung, tabellen: list[Raumtabelle], daten: Bezirksdaten, *, optionen: str
) -> Export:
    """The single-table workbook of `aggregate --format xlsx`: one sheet per scheme plus Metadaten."""
    jahre = [tabellen[0].jahr]
    stichtag = reference_date(daten, jahre)
    meta = metadata_rows(
        zuordnung, [t.schema for t in tabellen], daten, {t.schema.name: [t] for t in tabellen}, None,
        jahre=jahre, optionen=optionen,
        warnungen=list(dict.fromkeys(w for t in tabellen for w in t.warnungen)),
        hinweise=list(dict.fromkeys(h for t in tabellen for h in darstellung_raum.hinweise(t))), zeitstempel=False,
        stichtag=stichtag,
    )
    blaetter = [darstellung_raum.blatt([t]) for t in tabellen]
    abgleich = darstellung_raum.abgleich_blatt({t.schema.name: [t] for t in tabellen})
    if abgleich is not None:
        blaetter.append(abgleich)
    blaetter.append(Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False))
    label_sheets(blaetter, inhalt=daten.bezeichnung, stand=_years_text(jahre), quelle=_source_row(zuordnung, daten))
    return Export(blaetter, titel=f"Räume {_years_text(jahre)}".strip(), thema=daten.bezeichnung, stichtag=stichtag)


def comparison_workbook(zuordnung: Zuordnung, v: Vergleich, daten: Bezirksdaten | None, *, optionen: str) -> Export:
    """The single-table workbook of `compare --format xlsx`: the crosswalk plus Metadaten."""
    tabellen = {} if v.tabelle_a is None else {v.schema_a.name: [v.tabelle_a], v.schema_b.name: [v.tabelle_b]}
    meta = metadata_rows(
        zuordnung, [v.schema_a, v.schema_b], daten, tabellen, v, jahre=[v.jahr], optionen=optionen,
        warnungen=v.warnungen, hinweise=v.hinweise, zeitstempel=False,
    )
    blaetter = [darstellung_vergleich.blatt(v), Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False)]
    label_sheets(blaetter, inhalt=v.datei or "Zuordnung", stand=str(v.jahr or ""), quelle=_source_row(zuordnung, daten))
    return Export(blaetter, titel=f"Vergleich {v.schema_a.titel} – {v.schema_b.titel}", thema=v.datei or "Zuordnung")
