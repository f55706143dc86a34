"""Rendering: `formats` holds the number formats and the writers for every output format; one
module per result type renders that result in all of them (`raumtabelle`, `vergleich`,
`entwicklung`, `index`). The formats are re-exported here.
"""

from .formats import (  # noqa: F401
    FEHLT_ZEICHEN,
    GEHEIM_ZEICHEN,
    LEGENDE,
    UNVOLLSTAENDIG_ZEICHEN,
    Spalte,
    Tabelle,
    anzahl,
    csv_value,
    maschinenzahl,
    meta,
    prozent,
    render_csv,
    render_csv_de,
    render_json,
    render_markdown,
    render_rich,
    zahl,
)
