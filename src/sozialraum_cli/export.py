"""The Excel summary for committees: one sheet per scheme, Bezirke, Vergleich, Metadaten.

Builds the sheets from the core results (aggregate, compare); xlsx.py lays them out.
Missing, suppressed and incomplete values are empty cells, explained in Metadaten, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from . import __version__
from .aggregate import ART_RAUM, Raumtabelle, aggregate
from .compare import Vergleich, compare
from .errors import AufrufError, InputError
from .mapping import ANZAHL, Schema, Zuordnung
from .render import nullzeichen_text
from .reading import BEKANNT, LAYOUT_STICHTAGE, STATUS_TEXT, Bezirksdaten
from .xlsx import ANZAHL_FORMAT, FIXED_TIME, PROZENT_FORMAT, Blatt, XSpalte, workbook_bytes


@dataclass
class Export:
    blaetter: list[Blatt]
    titel: str
    thema: str
    warnungen: list[str] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)

    def to_bytes(self, zeitpunkt: datetime | None = None) -> bytes:
        return workbook_bytes(self.blaetter, titel=self.titel, thema=self.thema, zeitpunkt=zeitpunkt)


def parse_years(text: str) -> list[int]:
    """'2010-2016' -> [2010, ..., 2016]; '2016' -> [2016]."""
    parts = text.replace("–", "-").split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise AufrufError(f"„{text}“: erwartet wird z. B. 2010-2016.", parameter="jahre") from None
    if len(numbers) == 1:
        return numbers
    if len(numbers) != 2 or numbers[0] > numbers[1]:
        raise AufrufError(f"„{text}“: erwartet wird VON-BIS mit VON ≤ BIS, z. B. 2010-2016.", parameter="jahre")
    return list(range(numbers[0], numbers[1] + 1))


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


def scheme_sheet(tabellen: list[Raumtabelle]) -> Blatt:
    """One sheet for one scheme, one column block per year; rows in the rank order of the last year."""
    several = len(tabellen) > 1
    last = tabellen[-1]
    spalten = [XSpalte("Raum"), XSpalte("Bezirke", ANZAHL_FORMAT)]
    for t in tabellen:
        s = _suffix(t.jahr, several)
        for m in t.anzahlen:
            spalten += [XSpalte(f"{m.titel}{s}", ANZAHL_FORMAT), XSpalte(f"Anteil {m.titel}{s} (%)", PROZENT_FORMAT)]
        for q in t.quoten:
            einheit = f" ({q.einheit})" if q.einheit else ""
            spalten.append(XSpalte(f"{q.titel}{s}{einheit}", "0." + "0" * q.nachkommastellen if q.nachkommastellen else "0"))
        spalten.append(XSpalte(f"Rang{s}", ANZAHL_FORMAT))
    spalten.append(XSpalte("Status"))
    by_year = [t.zeilen.set_index("raum") for t in tabellen]
    rows, sums = [], []
    for _, base in last.zeilen.iterrows():
        raum = base["raum"]
        row: list = [raum, int(base["anzahl_bezirke"]) if base["art"] in (ART_RAUM, "gesamt") else None]
        for t, z in zip(tabellen, by_year):
            if raum not in z.index:  # e.g. a difference to the total row in another year only
                row += [None] * (2 * len(t.anzahlen) + len(t.quoten) + 1)
                continue
            r = z.loc[raum]
            for m in t.anzahlen:
                complete = bool(r[f"{m.name}_vollstaendig"])
                row += [_num(r[m.name]) if complete else None, _num(r[f"{m.name}_anteil"])]
            row += [_num(r[q.name]) for q in t.quoten]
            row.append(_num(r["rang"]))
        row.append(base["status"])
        (rows if base["art"] == ART_RAUM else sums).append(row)
    return Blatt(name=last.schema.titel, spalten=spalten, zeilen=rows, summenzeilen=sums)


def _jahr(x) -> int | None:
    return None if _num(x) is None else int(x)


def _num(x) -> float | int | None:
    if x is None or type(x).__name__ == "NAType" or x != x:
        return None
    f = float(x)
    return int(f) if f.is_integer() else f


def district_sheet(zuordnung: Zuordnung, schemata: list[Schema], daten: Bezirksdaten, jahre: list[int | None]) -> Blatt:
    several = len(jahre) > 1
    spalten_in = [s for s in daten.spalten if s.jahr in jahre]
    spalten = [XSpalte("Nr.", "0"), XSpalte("Bezirk"), XSpalte("Ortsteil")]
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
        return [_num(values.get((nr, s.merkmal, s.jahr))) for s in spalten_in]

    def raum(schema: Schema, nr: int) -> str:
        return "; ".join(r if a == 1 else f"{r} ({a:.0%})" for r, a in schema.raeume_von(nr))

    rows = [
        [b.nr, b.name, b.ortsteil, *(raum(s, b.nr) for s in schemata), *cells(b.nr)]
        for b in zuordnung.bezirke.values()
    ]
    sums = [
        [c.nr, c.name, "", *("" for _ in schemata), *cells(c.nr)]
        for c in zuordnung.sondercodes.values()
        if c.nr in daten.zeilen
    ]
    return Blatt(name="Bezirke", spalten=spalten, zeilen=rows, summenzeilen=sums)


def comparison_sheet(v: Vergleich) -> Blatt:
    m = v.matrix
    cols = list(m.columns)
    header = f"{v.schema_a.titel} \\ {v.schema_b.titel}"
    spalten = [XSpalte(header)] + [XSpalte(c, ANZAHL_FORMAT) for c in cols]

    def row(a: str) -> list:
        ok = v.vollstaendig
        return [a] + [
            _num(m.at[a, b]) if (ok is None or bool(ok.at[a, b])) and (a, b) not in v.geheim else None for b in cols
        ]

    return Blatt(
        name="Vergleich",
        spalten=spalten,
        zeilen=[row(a) for a in m.index if a != "Gesamt"],
        summenzeilen=[row("Gesamt")],
    )


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
    bezirke_blatt = district_sheet(zuordnung, schemata, daten, jahre)
    vergleich = None
    if len(schemata) >= 2:
        first = tabellen[schemata[0].name][-1]
        wert = first.anzahlen[0].name if first.anzahlen else None
        vergleich = compare(zuordnung, schemata[0], schemata[1], daten, merkmal=wert, jahr=jahre[-1])
    if min_count is not None:
        tabellen, vergleich, geheimhaltung = _protect_export(
            zuordnung, schemata, daten, tabellen, bezirke_blatt, vergleich, jahre, min_count
        )
    blaetter = [scheme_sheet(tabellen[s.name]) for s in schemata]
    blaetter.append(bezirke_blatt)
    if vergleich is not None:
        blaetter.append(comparison_sheet(vergleich))
    if len([j for j in jahre if j is not None]) >= 2:
        blaetter.append(development_sheet(zuordnung, schemata, daten, tabellen, jahre))
    warnungen = list(dict.fromkeys(w for ts in tabellen.values() for t in ts for w in t.warnungen))
    hinweise = list(dict.fromkeys([*(hinweise or []), *(h for ts in tabellen.values() for t in ts for h in t.hinweise)]))
    hinweise = [h for h in hinweise if not h.startswith("Geheimhaltung:")]
    if geheimhaltung is not None:
        hinweise.append(geheimhaltung.regel + " (alle Blätter zusammen)")
    abgleich = reconciliation_sheet(tabellen)
    if abgleich is not None:
        blaetter.append(abgleich)
    meta = metadata_rows(
        zuordnung, schemata, daten, tabellen, vergleich, jahre=jahre, optionen=optionen,
        warnungen=warnungen, hinweise=hinweise, zeitstempel=zeitstempel,
    )
    blaetter.append(Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False))
    jahr_text = _years_text(jahre)
    return Export(
        blaetter=blaetter,
        titel=f"Sozialräumliche Übersicht {jahr_text}".strip(),
        thema=f"{', '.join(s.titel for s in schemata)} – {daten.bezeichnung}",
        warnungen=warnungen,
        hinweise=hinweise,
    )


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
) -> list[list[str]]:
    rows = [
        ["Programm", f"sozialraum {__version__}"],
        [
            "Erstellt",
            datetime.now().strftime("%d.%m.%Y %H:%M") if zeitstempel
            else f"ohne Zeitstempel (Dokumentdatum fest {FIXED_TIME:%d.%m.%Y}), damit gleiche Eingaben dieselbe Datei ergeben",
        ],
        ["Aufruf", optionen],
        ["Zuordnung", str(zuordnung.datei)],
        ["Zuordnung SHA-256", zuordnung.sha256],
    ]
    for i, (path, sha) in enumerate(daten.quellen if daten is not None else [], start=1):
        rows += [[f"Eingabedatei {i}", str(path)], [f"Eingabedatei {i} SHA-256", sha]]
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
                     "aller Bezirke und der Zeile „nicht zugeordnet“"])
        for t in first:
            for a in t.abgleich:
                if a.raum == "Gesamt" and (a.raum, a.merkmal) not in t.geheim:
                    rows.append([f"Abgleich {a.titel}{f' {t.jahr}' if t.jahr is not None else ''}", _abgleich(a)])
            if t.nullzeichen:
                rows.append([f"Als 0 gelesen{f' {t.jahr}' if t.jahr is not None else ''}", nullzeichen_text(t.nullzeichen)])
        if not any(a.raum == "Gesamt" for a in first[-1].abgleich):
            rows.append(["Abgleich", "Die Datei hat keine Gesamtzeile; kein Abgleich."])
    if vergleich is not None:
        rows.append(["Vergleich", f"Zeilen: {vergleich.schema_a.titel}; Spalten: {vergleich.schema_b.titel}; "
                     f"Wert: {vergleich.merkmal.titel if vergleich.merkmal else 'Zahl der Bezirke'}"
                     f"{f' {vergleich.jahr}' if vergleich.jahr else ''}"])
    rows.append(["Leere Zellen", "Wert fehlt, ist gesperrt oder unterdrückt, oder die Summe des Raums ist "
                 "unvollständig (siehe unten); eine leere Zelle ist nie 0."])
    if daten is not None:
        df = daten.daten
        gaps = df[~df["status"].isin(BEKANNT) & (df["jahr"].isin([j for j in jahre if j is not None]) | df["jahr"].isna())]
        for r in gaps.itertuples():
            name = zuordnung.bezirke[r.bezirk_nr].name if r.bezirk_nr in zuordnung.bezirke else zuordnung.sondercodes[r.bezirk_nr].name
            jahr = "" if _jahr(r.jahr) is None else f" {_jahr(r.jahr)}"
            rows.append(["Fehlender Wert", f"Bezirk {r.bezirk_nr} ({name}), {r.merkmal}{jahr}: {STATUS_TEXT[r.status]}"])
    rows += [["Warnung", w] for w in warnungen]
    rows += [["Hinweis", h] for h in hinweise]
    return rows


def reconciliation_sheet(tabellen: dict[str, list[Raumtabelle]]) -> Blatt | None:
    """Every comparison of a computed sum with a figure the file publishes (total row, subtotal rows)."""
    zeilen = []
    for ts in tabellen.values():
        for t in ts:
            for a in t.abgleich:
                if (a.raum, a.merkmal) in t.geheim:
                    continue
                zeilen.append([t.schema.titel, t.jahr, a.raum, a.titel or a.merkmal, _num(a.summe), _num(a.gesamtzeile),
                               _num(a.differenz), _num(a.differenz_prozent), STATUS_ABGLEICH[a.status], a.grund or None])
    if not zeilen:
        return None
    spalten = [XSpalte("Schema"), XSpalte("Jahr", "0"), XSpalte("Raum"), XSpalte("Merkmal"),
               XSpalte("Summe der Bezirke", ANZAHL_FORMAT), XSpalte("Veröffentlicht", ANZAHL_FORMAT),
               XSpalte("Differenz", ANZAHL_FORMAT), XSpalte("Differenz (%)", "0.00"), XSpalte("Ergebnis"), XSpalte("Grund")]
    return Blatt(name="Abgleich", spalten=spalten, zeilen=zeilen)


STATUS_ABGLEICH = {"stimmt": "stimmt", "abweichung": "weicht ab", "nicht_pruefbar": "nicht prüfbar"}


def _abgleich(a) -> str:
    if a.status == "stimmt":
        return f"stimmt ({a.gesamtzeile:g})"
    if a.status == "abweichung":
        return f"weicht ab: Summe der Bezirke {a.summe:g}, Gesamtzeile {a.gesamtzeile:g}, Differenz {a.differenz:+g}"
    return f"nicht prüfbar ({a.grund})"


def tables_workbook(
    zuordnung: Zuordnung, tabellen: list[Raumtabelle], daten: Bezirksdaten, *, optionen: str
) -> Export:
    """The single-table workbook of `aggregate --format xlsx`: one sheet per scheme plus Metadaten."""
    jahre = [tabellen[0].jahr]
    meta = metadata_rows(
        zuordnung, [t.schema for t in tabellen], daten, {t.schema.name: [t] for t in tabellen}, None,
        jahre=jahre, optionen=optionen,
        warnungen=list(dict.fromkeys(w for t in tabellen for w in t.warnungen)),
        hinweise=list(dict.fromkeys(h for t in tabellen for h in t.hinweise)), zeitstempel=False,
    )
    blaetter = [scheme_sheet([t]) for t in tabellen]
    abgleich = reconciliation_sheet({t.schema.name: [t] for t in tabellen})
    if abgleich is not None:
        blaetter.append(abgleich)
    blaetter.append(Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False))
    return Export(blaetter, titel=f"Räume {_years_text(jahre)}".strip(), thema=daten.bezeichnung)


def comparison_workbook(zuordnung: Zuordnung, v: Vergleich, daten: Bezirksdaten | None, *, optionen: str) -> Export:
    """The single-table workbook of `compare --format xlsx`: the crosswalk plus Metadaten."""
    tabellen = {} if v.tabelle_a is None else {v.schema_a.name: [v.tabelle_a], v.schema_b.name: [v.tabelle_b]}
    meta = metadata_rows(
        zuordnung, [v.schema_a, v.schema_b], daten, tabellen, v, jahre=[v.jahr], optionen=optionen,
        warnungen=v.warnungen, hinweise=v.hinweise, zeitstempel=False,
    )
    blaetter = [comparison_sheet(v), Blatt(name="Metadaten", spalten=[XSpalte("Angabe"), XSpalte("Wert")], zeilen=meta, filter=False)]
    return Export(blaetter, titel=f"Vergleich {v.schema_a.titel} – {v.schema_b.titel}", thema=v.datei or "Zuordnung")


def _protect_export(zuordnung, schemata, daten, tabellen, blatt, vergleich, jahre, min_count):
    """Linked suppression over every sheet: all schemes and years, the district sheet, the crosswalk."""
    from .disclosure import Geheimhaltung
    from .linked_tables import NZ, add_bezirk, add_count, add_kreuz, protect_tables

    alle = [t for s in schemata for t in tabellen[s.name]]
    spalten_in = [s for s in daten.spalten if s.jahr in jahre]
    first_value = 3 + len(schemata)
    rows = blatt.zeilen + blatt.summenzeilen
    codes = {zuordnung.code_fuer("nicht_zugeordnet"): NZ}
    gesamt = zuordnung.code_fuer("gesamt")
    district_keys: dict = {}
    kreuz_keys: dict = {}

    def more(pub, bw):
        for col, s in enumerate(spalten_in, start=first_value):
            if blatt.spalten[col].format != ANZAHL_FORMAT:
                continue
            for k, r in enumerate(rows):
                if r[col] is None:
                    continue
                if r[0] == gesamt:
                    key = add_count(pub, bw, schemata[0], s.jahr, "Gesamt", s.merkmal, bw.werte(s.merkmal, s.jahr),
                                    True)
                else:
                    key = add_bezirk(pub, bw, codes.get(r[0], r[0]), s.merkmal, s.jahr)
                if key is not None:
                    district_keys[(k, col)] = key
        if vergleich is not None and vergleich.werte is not None:
            kreuz_keys.update(add_kreuz(pub, bw, vergleich.schema_a, vergleich.schema_b, vergleich.merkmal.name,
                                        vergleich.jahr, vergleich.werte))

    geschuetzt, ergebnis, _ = protect_tables(zuordnung, daten, alle, min_count, more)
    stars = [k for t in geschuetzt for k in t.geheim_art.values()]
    for (k, col), key in district_keys.items():
        kind = ergebnis.art(key)
        if kind:
            rows[k][col] = None
            stars.append(kind)
    if vergleich is not None and vergleich.werte is not None:
        from dataclasses import replace

        werte = vergleich.werte.copy()
        kinds = {}
        for ab, key in kreuz_keys.items():
            kind = ergebnis.art(key)
            if kind:
                werte.at[ab] = float("nan")
                kinds[ab] = kind
        stars += list(kinds.values())
        vergleich = replace(vergleich, werte=werte, geheim=set(kinds))
    it = iter(geschuetzt)
    tabellen = {s.name: [next(it) for _ in tabellen[s.name]] for s in schemata}
    report = Geheimhaltung(min_count, stars.count("primaer"), stars.count("sekundaer"), schutz=ergebnis.schutz)
    return tabellen, vergleich, report


def development_sheet(
    zuordnung: Zuordnung,
    schemata: list[Schema],
    daten: Bezirksdaten,
    tabellen: dict[str, list[Raumtabelle]],
    jahre: list[int],
) -> Blatt:
    """Per scheme and Raum the series of the first count with its changes (export --years)."""
    from .trend import trend

    rows, spalten = [], []
    for s in schemata:
        ts = tabellen[s.name]
        merkmal = ts[-1].anzahlen[0]
        e = trend(zuordnung, s, daten, merkmal=merkmal.name, von=jahre[0], bis=jahre[-1])
        spalten = [XSpalte("Schema"), XSpalte("Raum"), *(XSpalte(f"{merkmal.titel} {j}", ANZAHL_FORMAT) for j in e.jahre)]
        spalten += [
            XSpalte(f"Veränderung {e.jahre[0]}–{e.jahre[-1]}", ANZAHL_FORMAT),
            XSpalte("Veränderung (%)", PROZENT_FORMAT),
            XSpalte("Mittel je Jahr", "#,##0.0"),
            XSpalte("Mittel je Jahr (%)", "0.00"),
        ]
        hidden = {(r, j) for t in ts for (r, c) in t.geheim if c == merkmal.name for j in [t.jahr]}
        for _, r in e.zeilen.iterrows():
            series = [None if (r["raum"], j) in hidden else _num(r[str(j)]) for j in e.jahre]
            ends_hidden = series[0] is None or series[-1] is None
            changes = [None if ends_hidden else _num(r[k]) for k in ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent")]
            rows.append([s.titel, r["raum"], *series, *changes])
    return Blatt(name="Entwicklung", spalten=spalten, zeilen=rows)
