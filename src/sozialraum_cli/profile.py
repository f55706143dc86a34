"""Sozialraum profiles: one self-contained HTML document per Raum, and an index page.

Everything is inline (CSS, SVG maps and charts): the files work offline and print on A4.
Figures come from aggregate, trend and locate; missing, incomplete and suppressed values are
shown as such, never as 0. PDF is printed from the same HTML by headless Chromium.

Longer than 400 lines because a page is one document: its sections, their inline SVG and the
PDF step belong together; the figures themselves come typed from the results.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .aggregate import Raumtabelle, aggregate
from .errors import AufrufError, OutputError, SozialraumError
from .geo import Geometrie, Ortsliste, count_points
from .render.index import OHNE_INDEX
from .karte import area_map_svg, series_svg
from .mapping import Schema, Zuordnung, name_key
from .reading import BEKANNT, LAYOUT_STICHTAGE, STATUS_TEXT, Bezirksdaten
from .render import FEHLT_ZEICHEN, GEHEIM_ZEICHEN, UNVOLLSTAENDIG_ZEICHEN, anzahl, prozent, zahl
from .render.raumtabelle import nullzeichen_text, quote_text

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "Sozialraumprofil"; font-size: 8pt; color: #555; }
  @bottom-right { content: "Seite " counter(page) " von " counter(pages); font-size: 8pt; color: #555; } }
@media print { section { break-before: auto; } h2 { break-after: avoid; } .neu { break-before: page; } a { color: inherit; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 20pt; margin: 0 0 2mm 0; color: #003d66; }
h2 { font-size: 13pt; margin: 7mm 0 2mm 0; border-bottom: 1.5px solid #0072B2; color: #003d66; }
p.sub { color: #555; margin: 0 0 4mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border-bottom: 1px solid #ccc; padding: 1.2mm 2mm; text-align: right; }
th { background: #eef4f9; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; }
td { white-space: nowrap; } td.text { white-space: normal; } table.kennzahlen td.text { white-space: nowrap; } th { font-size: 9pt; }
td.text { text-align: left; }
section { break-inside: avoid; page-break-inside: avoid; }
.karte svg { width: 110mm; height: auto; display: block; margin: 0 auto; }
.chart svg { width: 160mm; height: auto; display: block; }
.klein { font-size: 8.5pt; color: #444; }
.balken svg { width: 36mm; height: auto; display: block; }
td.balken { padding: 0.5mm 1mm; }
dl.kopf { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 4mm 0; }
dl.kopf dt { font-weight: bold; color: #003d66; } dl.kopf dd { margin: 0; }
code { font-size: 8pt; word-break: break-all; }
a { color: #0072B2; }
"""


@dataclass
class Profil:
    raum: str
    dateiname: str
    html: str


@dataclass
class Profile:
    schema: Schema
    index_html: str
    profile: list[Profil] = field(default_factory=list)
    tabelle: Raumtabelle | None = None  # the area table as the pages show it (protected with them)


def slug(text: str) -> str:
    s = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return re.sub(r"[^0-9a-z]+", "-", s).strip("-") or "raum"


def _e(text: object) -> str:
    return html.escape(str(text))


def _page(title: str, body: str, meta: dict | None = None) -> str:
    """A whole page; `meta`: what `audit` reads back (scheme, Raum, year) as <meta name="sozialraum-…">."""
    tags = "".join(f"<meta name=\"sozialraum-{_e(k)}\" content=\"{_e(v)}\">\n" for k, v in (meta or {}).items() if v is not None)
    return (
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"{tags}<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


class Roh(str):
    """A table cell that is already HTML (an inline chart): not escaped."""


def _table(head: list[str], rows: list[list[str]], text_cols: int = 1, klasse: str = "") -> str:
    out = [f"<table class=\"{klasse}\">" if klasse else "<table>", "<tr>" + "".join(f"<th scope=\"col\">{_e(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(
            f"<td class=\"balken\">{c}</td>" if isinstance(c, Roh)
            else f"<td class=\"text\">{_e(c)}</td>" if k < text_cols else f"<td>{_e(c)}</td>" for k, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


class _Sterne:
    """Counts the "*" a page shows, by kind, so that its note says exactly that."""

    def __init__(self) -> None:
        self.arten: list[str] = []

    def __call__(self, kind: str) -> str:
        self.arten.append(kind)
        return GEHEIM_ZEICHEN

    def regel(self, t: Raumtabelle) -> str | None:
        g = t.geheimhaltung
        if g is None:
            return None
        from .disclosure import Geheimhaltung

        return Geheimhaltung(g.min_count, self.arten.count("primaer"), self.arten.count("sekundaer"), schutz=g.schutz).regel


def _count_cells(t: Raumtabelle, raum: str, m, stern: _Sterne) -> list[str]:
    """A count and its share as published: hidden ones as "*"."""
    w = t.zeile(raum).werte[m.name]
    return [stern(w.geheim) if w.geheim else anzahl(w.wert, w.vollstaendig),
            stern(w.anteil_geheim) if w.anteil_geheim else prozent(w.anteil)]


def build_profiles(
    zuordnung: Zuordnung,
    schema: Schema,
    daten: Bezirksdaten,
    geo: Geometrie | None,
    *,
    raeume: list[str] | None = None,
    jahr: int | None = None,
    ressourcen: Ortsliste | None = None,
    min_count: int | None = None,
    hinweise: list[str] | None = None,
    kopf: dict | None = None,
) -> Profile:
    """The profiles of the given Räume (all by default) and the index page of the scheme.

    kopf: "titel", "stand" and "quelle" for the header of every page (--title, --stand, --source).
    geo None (another city without --geometry): pages without maps and areas."""
    # a Raum as a user writes it: case, umlauts and punctuation do not count ("lobeda", "west-zentrum")
    by_key = {name_key(r): r for r in schema.raum_namen}
    raeume = [r if r in schema.raum_namen else by_key.get(name_key(r), r) for r in raeume] if raeume else raeume
    unknown = [r for r in raeume or [] if r not in schema.raum_namen]
    if unknown:
        raise AufrufError(
            f"Den Raum „{unknown[0]}“ gibt es im Schema „{schema.name}“ nicht. Vorhanden: {', '.join(schema.raum_namen)}.",
            parameter="raum",
        )
    if daten.layout == LAYOUT_STICHTAGE and jahr is None:
        jahr = daten.standard_jahr()
    tabelle = aggregate(zuordnung, schema, daten, jahr=jahr)
    tabelle.hinweise = [*tabelle.hinweise, *(hinweise or [])]
    bezirke_geheim: dict = {}
    if min_count is not None:  # every page of the run together: area table and the district lists
        from .publication import Bezirksliste, protect

        liste = Bezirksliste([(nr, m.name, tabelle.jahr) for raum in raeume or schema.raum_namen
                              for nr in schema.raum(raum).anteile for m in tabelle.anzahlen])
        serie = _series(zuordnung, schema, daten, tabelle)
        extra = [serie] if serie is not None else []  # the development too: every year of it is published
        tabelle, liste, *geschuetzt = protect(zuordnung, daten, [tabelle, liste, *extra], min_count).ergebnisse
        serie = geschuetzt[0] if geschuetzt else None
        bezirke_geheim = {(nr, m): kind for (nr, m, _), kind in liste.geheim.items()}
    else:
        serie = _series(zuordnung, schema, daten, tabelle)
    # an index is a function of district values: under disclosure control it could give back a
    # suppressed count (fresh-eyes review), so profiles then show no index per district
    klassen = _index_classes(zuordnung, daten, tabelle.jahr) if min_count is None else []
    punkte = None
    if ressourcen is not None:
        einwohner = _population(tabelle)
        punkte = count_points(ressourcen.lagen, schema, ressourcen.kategorien, einwohner)
    profile = []
    for raum in raeume or schema.raum_namen:
        body = _profile_body(zuordnung, schema, daten, geo, tabelle, raum, serie, punkte, ressourcen, min_count,
                             bezirke_geheim, klassen, kopf)
        meta = {"schema": schema.titel, "raum": raum, "jahr": tabelle.jahr}
        profile.append(Profil(raum, f"profil-{slug(raum)}.html", _page(f"Sozialraumprofil {raum}", body, meta)))
    index = _index_body(zuordnung, schema, daten, geo, tabelle, profile, kopf)
    meta = {"schema": schema.titel, "seite": "uebersicht", "jahr": tabelle.jahr}
    return Profile(schema=schema, index_html=_page(f"Sozialraumprofile – {schema.titel}", index, meta), profile=profile,
                   tabelle=tabelle)


def _index_classes(zuordnung: Zuordnung, daten: Bezirksdaten, jahr: int | None) -> list[tuple[str, dict[int, str]]]:
    """(title, district -> class text) of every index of the mapping that this file can compute."""
    from .errors import SozialraumError
    from .index import compute_index
    from .render.index import klassen_je_bezirk

    out = []
    for d in zuordnung.indizes.values():
        try:
            e = compute_index(zuordnung, daten, d, jahr=jahr)
        except SozialraumError:  # the file lacks an indicator: no column for this index
            continue
        out.append((f"{d.titel}: Klasse (Index)" if d.klassen is not None else f"{d.titel}: Index", klassen_je_bezirk(e)))
    return out


def _population(t: Raumtabelle) -> dict[str, float | None] | None:
    if not any(m.name == "einwohner" for m in t.anzahlen):
        return None
    return {z.raum: (z.werte["einwohner"].wert if z.werte["einwohner"].vollstaendig else None) for z in t.zeilen}


def _series(zuordnung: Zuordnung, schema: Schema, daten: Bezirksdaten, t: Raumtabelle):
    if daten.layout != LAYOUT_STICHTAGE or not t.anzahlen or len(daten.jahre) < 2:
        return None
    from .trend import trend

    try:
        return trend(zuordnung, schema, daten, merkmal=t.anzahlen[0].name)
    except SozialraumError:  # fewer than two years with values: no chart
        return None


def kennzahlen_kopf(zuordnung, raum: str) -> list[str]:
    return ["Merkmal", raum, "Anteil an der Stadt", zuordnung.stadt_name, "Rang", "Abweichung von der Stadt", "alle Räume"]


def _key_figures(t: Raumtabelle, raum: str, stern: _Sterne, nur: list[str] | None = None) -> list[list[str]]:
    """Per indicator: the area's value, its share of the city, the city's value, the rank, the deviation
    (index city = 100 for counts per share, percentage points for rates) and a bar chart of all Räume."""
    n = len(t.raeume)
    z, gesamt = t.zeile(raum), t.gesamt
    rows = []
    for m in t.anzahlen:
        if nur is not None and m.name not in nur:
            continue
        g = gesamt.werte[m.name]
        w = z.werte[m.name]
        rows.append([m.titel, *_count_cells(t, raum, m, stern), anzahl(g.wert, g.vollstaendig), _rank(t, raum, m.name, n),
                     "", Roh(_bars(t, raum, m.name, lambda v: anzahl(v), f"{m.titel} je Raum", stern))])
    for q in t.quoten:
        if nur is not None and q.name not in nur:
            continue
        w = z.werte[q.name]
        city = gesamt.wert(q.name)
        rows.append([q.titel, stern(w.geheim) if w.geheim else quote_text(w.wert, q), "",
                     quote_text(city, q), _rank(t, raum, q.name, n), _deviation(w, city, q),
                     Roh(_bars(t, raum, q.name, lambda v, q=q: quote_text(v, q), f"{q.titel} je Raum", stern))])
    return rows


def _deviation(w, city: float | None, q) -> str:
    """Percentage points for rates in %, else the index (city = 100); nothing for hidden or unknown values."""
    if w.geheim or w.wert is None or city is None or not w.vollstaendig:
        return ""
    if q.einheit == "%":
        d = w.wert - city
        sign = "+" if d > 0 else "−" if d < 0 else "±"
        return f"{sign}{zahl(abs(d), 1)} Pp. (Index {zahl(100 * w.wert / city, 0)})" if city else f"{sign}{zahl(abs(d), 1)} Pp."
    return f"Index {zahl(100 * w.wert / city, 0)}" if city else ""


def _bars(t: Raumtabelle, raum: str, merkmal: str, fmt, titel: str, stern: _Sterne) -> str:
    """A small horizontal bar chart of every Raum (this one highlighted), as inline SVG with a text alternative.
    Hidden and unknown values get no bar ("*" or "."); the order is by value, largest first."""
    rows = []
    for z in t.raeume:
        w = z.werte[merkmal]
        rows.append((z.raum, None if (w.geheim or w.wert is None or not w.vollstaendig) else float(w.wert),
                     stern(w.geheim) if w.geheim else FEHLT_ZEICHEN if w.wert is None else UNVOLLSTAENDIG_ZEICHEN))
    rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))
    top = max((v for _, v, _ in rows if v is not None), default=0) or 1
    h, label_w, bar_w = 11, 62, 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + bar_w + 40} {h * len(rows) + 2}" '
             f'role="img" aria-label="{_e(titel)}: ' + _e("; ".join(f"{r}: {fmt(v) if v is not None else s}" for r, v, s in rows)) + '">']
    for i, (name, v, sign) in enumerate(rows):
        y = 1 + i * h
        own = name == raum
        colour = "#0072B2" if own else "#b3b3b3"
        weight = ' font-weight="bold"' if own else ""
        parts.append(f'<text x="{label_w - 2}" y="{y + 8}" font-size="7.5" text-anchor="end"{weight}>{_e(name[:14])}</text>')
        if v is not None:
            width = max(0.5, bar_w * max(v, 0) / top)
            parts.append(f'<rect x="{label_w}" y="{y + 1}" width="{width:.1f}" height="{h - 3}" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + width + 2:.1f}" y="{y + 8}" font-size="7"{weight}>{_e(fmt(v))}</text>')
        else:
            parts.append(f'<text x="{label_w + 2}" y="{y + 8}" font-size="7">{_e(sign)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rank(t: Raumtabelle, raum: str, merkmal: str, n: int) -> str:
    rank = t.raenge(merkmal)[raum]
    return FEHLT_ZEICHEN if rank is None else f"{rank} von {n}"


def _district_rows(zuordnung: Zuordnung, schema: Schema, daten: Bezirksdaten, t: Raumtabelle, raum: str,
                   hidden: dict, stern: _Sterne):
    """One row per district of `raum`: its own values; `hidden`: (nr, count) -> kind under disclosure control."""
    members = schema.raum(raum).anteile
    from .aggregate import select_year

    df = select_year(daten, t.jahr)[0]
    values, status = {}, {}
    for r in df.itertuples():
        values[(r.bezirk_nr, r.merkmal)] = r.wert
        status[(r.bezirk_nr, r.merkmal)] = r.status
    rows = []
    for nr, anteil in members.items():
        name = zuordnung.bezirke[nr].name + (f" (Anteil {prozent(100 * anteil, 0)})" if anteil != 1 else "")
        row = [f"{zuordnung.code(nr)} {name}"]
        for m in t.anzahlen:
            st = status.get((nr, m.name), "fehlt")
            if (nr, m.name) in hidden:
                row.append(stern(hidden[(nr, m.name)]))
            elif st in BEKANNT:
                row.append(anzahl(values[(nr, m.name)]))
            else:
                row.append(f"{FEHLT_ZEICHEN} ({STATUS_TEXT[st]})")
        for q in t.quoten:
            kinds = [hidden[(nr, p)] for p in q.teile if (nr, p) in hidden]
            if kinds:
                row.append(stern("primaer" if "primaer" in kinds else "sekundaer"))
            elif q.zaehler and q.nenner:  # a rate or ratio: from the district's own numerator and denominator
                num, den = (nr, q.zaehler), (nr, q.nenner)
                ok = status.get(num) in BEKANNT and status.get(den) in BEKANNT and values[den]
                row.append(quote_text(q.faktor * values[num] / values[den], q) if ok else FEHLT_ZEICHEN)
            else:  # a share of a basis, a mean or a flow: the district's own value as published
                own = (nr, q.name)
                row.append(quote_text(values[own], q) if status.get(own) in BEKANNT else FEHLT_ZEICHEN)
        rows.append(row)
    return rows


def reference_text(daten: Bezirksdaten, t: Raumtabelle, stand: str | None) -> str:
    """The reference date for people: --stand, else the file's reference date(s) of the year shown."""
    if stand:
        return stand
    dates = sorted({str(s.stichtag) for s in daten.spalten if s.stichtag and (t.jahr is None or s.jahr == t.jahr)})
    if dates:
        return ", ".join(dates)
    if t.jahr is not None:
        return str(t.jahr)
    return "nicht angegeben (mit --stand nennen)"


def _header(zuordnung, schema, daten, t, raum: str | None, kopf: dict) -> str:
    """Title, area, scheme, reference date and source, as a definition list under the heading."""
    items = [("Gliederung", schema.titel)]
    if raum is not None:
        items.insert(0, ("Raum", raum))
    items += [("Stand", reference_text(daten, t, kopf.get("stand"))),
              ("Quelle", kopf.get("quelle") or zuordnung.quelle or f"Datei {daten.bezeichnung}")]
    body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f"<dl class=\"kopf\">{body}</dl>"


def _area_figures(zuordnung, schema, geo, t, raum: str) -> str:
    """Area (km², from the district polygons; a split district by its share) and inhabitants per km²."""
    from .geo import flaechen_km2

    areas = flaechen_km2(geo)
    members = schema.raum(raum).anteile
    if not all(nr in areas for nr in members):
        return ""
    km2 = sum(areas[nr] * a for nr, a in members.items())
    text = f"Fläche: {zahl(km2, 1)} km²"
    if any(m.name == "einwohner" for m in t.anzahlen):
        w = t.zeile(raum).werte["einwohner"]
        if w.geheim or w.wert is None or not w.vollstaendig:
            text += "; Einwohner je km²: nicht veröffentlicht"
        else:
            text += f"; Einwohner je km²: {zahl(w.wert / km2, 0)}"
    return f"<p class=\"flaeche\">{_e(text)} (aus den Grenzen der {_e(zuordnung.mehrzahl)}).</p>"


def _sections(zuordnung, t: Raumtabelle, raum: str, stern: _Sterne) -> list[str]:
    """The indicator sections of the mapping (`profil: abschnitte`); what no section names under "Weitere Kennzahlen"."""
    shown = [m.name for m in t.anzahlen] + [q.name for q in t.quoten]
    sections = [(titel, [m for m in names if m in shown]) for titel, names in zuordnung.profil]
    used = {m for _, names in sections for m in names}
    rest = [m for m in shown if m not in used]
    if rest:
        sections.append(("Weitere Kennzahlen" if sections else "Kennzahlen", rest))
    out = []
    for titel, names in sections:
        if not names:
            continue
        rows = _key_figures(t, raum, stern, nur=names)
        out += [f"<section><h2>{_e(titel)}</h2>",
                _table(kennzahlen_kopf(zuordnung, raum), rows, klasse="kennzahlen"), "</section>"]
    out.append(f"<p class=\"klein\">Rang unter den {len(t.raeume)} Räumen des Schemas, 1 = größter Wert. Abweichung: "
               "bei Quoten in Prozentpunkten (Pp.), dazu der Index (Stadt = 100). Balken: alle Räume, dieser hervorgehoben.</p>")
    return out


def _lage_karte(zuordnung, schema, geo, t, raum: str) -> str:
    """The map of the Raum in the city and its area figures; nothing without geometry."""
    if geo is None:
        return ""
    members = schema.raum(raum).anteile
    return (f"<div class=\"karte\" role=\"img\" aria-label=\"Karte: Lage von {_e(raum)} in der Stadt, seine {_e(zuordnung.mehrzahl)} "
            f"{_e(', '.join(zuordnung.code(nr) for nr in members))}\">{area_map_svg(geo, schema, raum, zuordnung.code)}</div>"
            + _area_figures(zuordnung, schema, geo, t, raum))


def _profile_body(zuordnung, schema, daten, geo, t, raum, serie, punkte, ressourcen, min_count, bezirke_geheim,
                  klassen=(), kopf=None) -> str:
    stern = _Sterne()
    kopf = kopf or {}
    parts = [
        f"<h1>{_e(kopf.get('titel') or 'Sozialraumprofil')} {_e(raum)}</h1>" if not kopf.get("titel")
        else f"<h1>{_e(kopf['titel'])}: {_e(raum)}</h1>",
        _header(zuordnung, schema, daten, t, raum, kopf),
        "<p class=\"sub\"><a href=\"index.html\">alle Räume</a></p>",
        "<section><h2>Lage</h2>",
        _lage_karte(zuordnung, schema, geo, t, raum),
        "<p class=\"klein\">"
        + _e(f"{zuordnung.mehrzahl}: " + ", ".join(f"{zuordnung.code(nr)} {zuordnung.bezirke[nr].name}" for nr in schema.raum(raum).anteile))
        + "</p></section>",
        *_sections(zuordnung, t, raum, stern),
        f"<section class=\"neu\"><h2>{_e(zuordnung.mehrzahl)}</h2>",
        _table([zuordnung.einzahl, *(m.titel for m in t.anzahlen), *(q.titel for q in t.quoten), *(k for k, _ in klassen)],
               [row + [by_nr.get(nr, OHNE_INDEX) for _, by_nr in klassen]
                for nr, row in zip(schema.raum(raum).anteile, _district_rows(zuordnung, schema, daten, t, raum, bezirke_geheim, stern))]),
        "</section>",
    ]
    if serie is not None:
        rows = serie.zeilen.set_index("raum")
        geheim = getattr(serie, "geheim", None) or {}  # (raum, column) -> kind, under disclosure control

        def shown(where: str, col: str, text) -> str:
            kind = geheim.get((where, col))
            return stern(kind) if kind else text(rows.at[where, col])

        def number(where: str, j: int) -> float | None:
            v = rows.at[where, str(j)]
            return None if v != v or (where, str(j)) in geheim else float(v)

        area = [number(raum, j) for j in serie.jahre]
        city = [number("Gesamt", j) for j in serie.jahre]
        if area[0] is not None and city[0] is not None:  # the index needs the first year of both
            chart = series_svg(serie.jahre, {raum: area, zuordnung.stadt_name: city}, f"Entwicklung {serie.merkmal.titel}")
            table_rows = [[str(j), shown(raum, str(j), anzahl), shown("Gesamt", str(j), anzahl)] for j in serie.jahre]
            parts += [
                "<section><h2>Entwicklung</h2>",
                f"<div class=\"chart\" role=\"img\" aria-label=\"Diagramm: Entwicklung {_e(serie.merkmal.titel)} als Index "
                f"({serie.jahre[0]} = 100), {_e(raum)} und {_e(zuordnung.stadt_name)}; die Werte stehen in der Tabelle darunter\">{chart}</div>",
                _table(["Jahr", raum, zuordnung.stadt_name], table_rows),
                f"<p class=\"klein\">Veränderung {serie.jahre[0]}–{serie.jahre[-1]}: "
                f"{_e(shown(raum, 'veraenderung', anzahl))} ({_e(shown(raum, 'veraenderung_prozent', prozent))}); "
                f"Stadt: {_e(shown('Gesamt', 'veraenderung_prozent', prozent))}.</p></section>",
            ]
    if punkte is not None:
        tabelle, cats = punkte
        row = tabelle.set_index("raum").loc[raum]
        per_1000 = "je_1000_einwohner" in tabelle.columns
        rows = [[c, anzahl(row[c])] for c in cats] + [["alle", anzahl(row["anzahl"])]]
        if per_1000:
            rows[-1].append(zahl(row["je_1000_einwohner"], 2))
            rows = [r + ([""] if len(r) == 2 else []) for r in rows]
        parts += [
            "<section><h2>Ressourcen</h2>",
            _table(["Kategorie", "Orte", *(["je 1.000 Einwohner"] if per_1000 else [])], rows),
            f"<p class=\"klein\">Orte aus {_e(ressourcen.datei.name)}, ihren {_e(zuordnung.mehrzahl)} über deren Flächen zugeordnet.</p></section>",
        ]
    parts.append(_sources(zuordnung, schema, daten, t, ressourcen, stern.regel(t)))
    return "\n".join(parts)


def _sources(zuordnung, schema, daten, t, ressourcen, regel: str | None) -> str:
    items = [f"<li>Daten: <code>{_e(p)}</code>, SHA-256 <code>{_e(h)}</code></li>" for p, h in daten.quellen]
    if ressourcen is not None:
        items.append(f"<li>Orte: <code>{_e(ressourcen.datei)}</code>, SHA-256 <code>{_e(ressourcen.sha256)}</code></li>")
    items.append(f"<li>Zuordnung: <code>{_e(zuordnung.datei.name)}</code>, SHA-256 <code>{_e(zuordnung.sha256)}</code></li>")
    items.append(f"<li>Gliederung: {_e(schema.titel)} – {_e(schema.quelle)}. {_e(schema.hinweis)}</li>")
    definitions = {q.name: q.definition for q in t.quoten if q.definition}
    for b in t.behandlung:
        if b.ausgegeben or b.verfahren == "ausgelassen":
            extra = f"; {definitions[b.merkmal]}" if b.merkmal in definitions else ""
            tag = f" (Stichtag {b.stichtag})" if b.stichtag else ""
            items.append(f"<li>{_e(b.titel)}{_e(tag)}: {_e(b.text)}{_e(extra)}.</li>")
    items.append(f"<li>Anteile: Prozent von Gesamt (die Gesamtzeile der Datei, sonst alle {_e(zuordnung.mehrzahl)} und die Zeile „nicht zugeordnet“).</li>")
    if t.nullzeichen:
        items.append(f"<li>{_e(nullzeichen_text(t.nullzeichen))}</li>")
    for a in t.abgleich:
        if a.status == "abweichung" and t.abgleich_sichtbar(a):
            what = "Gesamtzeile" if a.raum == "Gesamt" else f"veröffentlichte Teilsumme {a.raum}"
            items.append(f"<li>Abgleich {_e(a.titel)}: Summe der {_e(t.einheiten)} {_e(zahl(a.summe))}, {_e(what)} "
                         f"{_e(zahl(a.gesamtzeile))}.</li>")
    items.append(
        f"<li>Zeichen: „{FEHLT_ZEICHEN}“ = Wert unbekannt oder geheim (nicht veröffentlicht); "
        f"„{UNVOLLSTAENDIG_ZEICHEN}“ = Summe unvollständig (mindestens); „{GEHEIM_ZEICHEN}“ = aus Gründen der Geheimhaltung unterdrückt.</li>"
    )
    if regel is not None:  # counts the "*" of this page
        items.append(f"<li>{_e(regel)}</li>")
    items += [f"<li>{_e(h)}</li>" for h in t.hinweise if h.startswith("Geheimhaltung ausgeschaltet")]
    items += [f"<li>Warnung: {_e(w)}</li>" for w in t.warnungen]
    items.append(f"<li>Erstellt mit sozialraum {__version__}.</li>")
    return "<section><h2>Quellen und Definitionen</h2><ul class=\"klein\">" + "\n".join(items) + "</ul></section>"


def _index_body(zuordnung, schema, daten, geo, t, profile: list[Profil], kopf=None) -> str:
    """The overview: every Raum ranked by the first indicator, with the key indicators side by side, and the map."""
    kopf = kopf or {}
    stern = _Sterne()
    links = [f"<li><a href=\"{_e(p.dateiname)}\">Sozialraumprofil {_e(p.raum)}</a></li>" for p in profile]
    indicators = [*t.anzahlen, *t.quoten]
    head = ["Rang", "Raum", zuordnung.mehrzahl, *(m.titel for m in indicators)]
    rows = []
    sort = t.sortierung
    ranks = t.raenge(sort) if sort else {}
    linked = {p.raum: p.dateiname for p in profile}
    for z in t.raeume:  # the table's own order: ranked by the sort indicator, hidden values last
        row = [FEHLT_ZEICHEN if ranks.get(z.raum) is None else str(ranks[z.raum]), z.raum, str(len(schema.raum(z.raum).anteile))]
        for m in indicators:
            w = z.werte[m.name]
            if w.geheim:
                row.append(stern(w.geheim))
            elif m in t.anzahlen:
                row.append(anzahl(w.wert, w.vollstaendig))
            else:
                row.append(quote_text(w.wert, m))
        rows.append(row)
    g = t.gesamt
    rows.append(["", zuordnung.stadt_name, str(len(zuordnung.bezirke)),
                 *(anzahl(g.werte[m.name].wert, g.werte[m.name].vollstaendig) if m in t.anzahlen else quote_text(g.wert(m.name), m)
                   for m in indicators)])
    table = _table(head, rows, text_cols=2)
    for raum, name in linked.items():  # the Raum's name links to its profile
        table = table.replace(f"<td class=\"text\">{_e(raum)}</td>",
                              f"<td class=\"text\"><a href=\"{_e(name)}\">{_e(raum)}</a></td>", 1)
    sort_title = next((m.titel for m in indicators if m.name == sort), sort)
    titel = kopf.get("titel") or "Sozialraumprofile"
    return "\n".join([
        f"<h1>{_e(titel)} – {_e(schema.titel)}</h1>",
        _header(zuordnung, schema, daten, t, None, kopf),
        "<section><h2>Räume im Vergleich</h2>", table,
        f"<p class=\"klein\">Rang nach {_e(sort_title)}, 1 = größter Wert.</p></section>",
        *([] if geo is None else [
            "<section><h2>Karte</h2>", f"<div class=\"karte\" role=\"img\" aria-label=\"Karte der Räume: {_e(', '.join(schema.raum_namen))}\">"
            f"{area_map_svg(geo, schema, None)}</div></section>"]),
        "<section><h2>Profile</h2><ul>", *links, "</ul></section>",
        _sources(zuordnung, schema, daten, t, None, stern.regel(t)),
    ])


# ----------------------------------------------------------------------------- PDF


def relative_pdf_links(data: bytes, names: set[str]) -> bytes:
    """Link annotations "file:///…/index.pdf" made relative ("index.pdf") for the pages of this set.

    The new text is padded with spaces after the string, so every byte offset of the file (its
    cross-reference table) stays valid."""
    def fix(m: re.Match) -> bytes:
        name = m.group(2).decode("latin-1")
        if name not in names:
            return m.group(0)
        new = b"/URI (" + m.group(2) + b")"
        return new + b" " * (len(m.group(0)) - len(new))

    return re.sub(rb"/URI \((file://[^()\\]*/)([^/()\\]+\.pdf)\)", fix, data)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


CHROMIUM_TIMEOUT = 120  # seconds for one PDF


def html_to_pdf(html_file: Path, pdf_file: Path, chromium: str | None = None, timeout: float = CHROMIUM_TIMEOUT) -> None:
    """Print an HTML file to PDF with headless Chromium (A4 from the page's CSS).

    Chromium runs in its own process group, which is killed after the timeout (and on Ctrl-C),
    so that no renderer is left behind; what it writes must be a PDF.
    """
    import os
    import signal

    chromium = chromium or find_chromium()
    if chromium is None:
        raise OutputError(
            "Für PDF wird Chromium gebraucht, ist aber nicht installiert.",
            hilfe="Bitte z. B. „apt-get install chromium“ ausführen oder --format html verwenden.",
        )
    with tempfile.TemporaryDirectory() as profile_dir:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile_dir}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
            f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri(),
        ]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"Chromium hat die PDF-Datei nicht innerhalb von {timeout:g} Sekunden erzeugt und wurde beendet.",
                datei=pdf_file,
            ) from None
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # Chromium's helpers too
            except (ProcessLookupError, PermissionError):
                pass
            if proc.returncode is None:
                proc.wait()
    stderr = err.decode("utf-8", "replace") if err else ""
    if proc.returncode != 0 or not pdf_file.exists():
        raise OutputError(f"Chromium konnte die PDF-Datei nicht erzeugen ({stderr.strip()[-300:]}).", datei=pdf_file)
    with open(pdf_file, "rb") as f:
        if f.read(5) != b"%PDF-":
            raise OutputError("Chromium hat keine PDF-Datei erzeugt (der Inhalt beginnt nicht mit %PDF).", datei=pdf_file)
