"""The static website of the profiles (`sozialraum site`): the overview, one page per Raum, the
sources, and the data behind the pages to download (CSV for German spreadsheets and xlsx), all in
one folder with relative links and no external requests. The pages are the profile pages with a
navigation and a download section; they are built to pass axe-core (WCAG 2.1 AA): language, one
main landmark, labelled navigation, table headers with scope, text alternatives for maps and charts.
"""

from __future__ import annotations

import html
from typing import Any

NAV = (
    '<nav aria-label="Website"><ul class="nav">'
    '<li><a href="index.html">Übersicht</a></li><li><a href="daten.html">Daten und Quellen</a></li></ul></nav>'
)
CSS_EXTRA = "ul.nav { list-style: none; padding: 0; display: flex; gap: 6mm; margin: 0 0 4mm 0; } @media print { nav { display: none; } }"


def build_site(zuordnung: Any, schema: Any, daten: Any, geo: Any, *, jahr: int | None, min_count: int | None,
               kopf: dict) -> dict[str, bytes | str]:
    """file name -> content of every file of the site."""
    from .export import tables_workbook
    from .profile import build_profiles
    from .render import raumtabelle as darstellung
    from .render.formats import render_csv_de

    result = build_profiles(zuordnung, schema, daten, geo, jahr=jahr, min_count=min_count, kopf=kopf)
    t = result.tabelle
    files: dict[str, bytes | str] = {}
    downloads = {
        "raeume.csv": render_csv_de(darstellung.records(t)),
        "raeume.xlsx": tables_workbook(zuordnung, [t], daten, optionen="sozialraum site").to_bytes(),
    }
    for name, page in [("index.html", result.index_html), *((p.dateiname, p.html) for p in result.profile)]:
        files[name] = _with_navigation(page)
    files["daten.html"] = _data_page(zuordnung, schema, daten, t, result.index_html)
    files.update(downloads)
    return files


def _with_navigation(page: str) -> str:
    page = page.replace("</style>", CSS_EXTRA + "</style>", 1)
    page = page.replace("<body>\n<main>", "<body>\n<header>" + NAV + "</header>\n<main>", 1)
    return page.replace("</main>", "<section><h2>Daten zum Herunterladen</h2><ul>"
                        '<li><a href="raeume.csv">Räume als CSV (für Excel, Semikolon, Dezimalkomma)</a></li>'
                        '<li><a href="raeume.xlsx">Räume als Excel-Arbeitsmappe (xlsx)</a></li>'
                        "</ul></section>\n</main>", 1)


def _data_page(zuordnung: Any, schema: Any, daten: Any, t: Any, index_html: str) -> str:
    import re

    sources = re.search(r"<section><h2>Quellen und Definitionen</h2>.*?</section>", index_html, re.S)
    body = (
        "<h1>Daten und Quellen</h1>"
        f"<p>Die Zahlen aller Seiten für {html.escape(schema.titel)} zum Weiterrechnen. Unterdrückte Werte "
        "(Geheimhaltung) sind leer und in der Spalte „geheim“ genannt, nie 0.</p>"
        + (sources.group(0) if sources else "")
    )
    from .profile import _page

    return _with_navigation(_page("Daten und Quellen", body))
