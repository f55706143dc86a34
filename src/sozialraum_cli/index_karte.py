"""A map of the districts coloured by the class of a composite index, the Räume outlined.

Colours: ColorBrewer RdYlBu (colour-blind safe), from blue for the lowest index class to red for
the highest; districts without index are hatched grey. The same input gives the same file.
"""

from __future__ import annotations

from typing import Any

from .geo import Geometrie, raum_formen
from .karte import _fill, _outline
from .mapping import Schema

RDYLBU = ["#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090", "#fc8d59", "#d73027"]


def class_colours(n: int) -> list[str]:
    """n colours spread over the palette, lowest class first."""
    if n == 1:
        return [RDYLBU[3]]
    return [RDYLBU[round(i * (len(RDYLBU) - 1) / (n - 1))] for i in range(n)]


def draw_index_map(
    geo: Geometrie,
    schema: Schema,
    ergebnis: Any,
    *,
    titel: str | None = None,
    labels: bool = True,
    breite: int = 1600,
    hoehe: int = 1200,
    format: str = "png",
) -> bytes:
    import shapely
    from matplotlib.patches import Patch

    from .karte import LEGENDE_LINKS, kartengrundlage, finish, map_axes, map_furniture, pyplot

    klassen = ergebnis.definition.klassen
    plt = pyplot("sozialraum")
    dpi = 100
    fig = plt.figure(figsize=(breite / dpi, hoehe / dpi), dpi=dpi)
    top, bottom = (0.90 if titel else 0.93), 0.05
    (ax,) = map_axes(fig, geo, 1, top, bottom)
    colours = dict(zip(klassen.namen, class_colours(len(klassen.namen))))
    by_nr = {u.nr: u for u in ergebnis.einheiten}
    missing = False
    for nr, polygon in geo.polygone.items():
        u = by_nr.get(nr)
        if u is None or u.klasse is None:
            _fill(ax, polygon, "#dddddd", hatch="///")
            missing = True
        else:
            _fill(ax, polygon, colours[u.klasse])
        _outline(ax, polygon, linewidth=0.3, colour="#555555")
    formen = raum_formen(schema, geo)
    for form in formen.values():
        _outline(ax, form, linewidth=1.8, colour="black")
    _outline(ax, shapely.union_all(list(geo.polygone.values())), linewidth=2.2, colour="black")
    if labels:
        for raum, form in formen.items():
            if form.is_empty:
                continue
            point = form.representative_point()
            ax.annotate(raum, (point.x, point.y), ha="center", va="center", fontsize=9, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75})
    legend = [Patch(facecolor=colours[k], edgecolor="black", label=f"{k}: {rule}") for k, rule in klassen.regeln()]
    if missing:
        legend.append(Patch(facecolor="#dddddd", hatch="///", edgecolor="black", label="ohne Index"))
    # beside the map, never over a district: legend, north arrow and scale bar in the right column
    leg = fig.legend(handles=legend, loc="upper left", bbox_to_anchor=(LEGENDE_LINKS + 0.01, top), fontsize=9,
                     title=f"{ergebnis.definition.titel}\n(Klasse, x = Index)", title_fontsize=10, frameon=True,
                     alignment="left")
    ax.set_title(schema.titel, fontsize=11, fontweight="bold")
    fig.text(0.005, 0.985, titel or ergebnis.definition.titel, fontsize=14, fontweight="bold", ha="left", va="top")
    map_furniture(fig, [ax], [leg], breite, hoehe, top, bottom)
    when = f"Veränderung {ergebnis.von}–{ergebnis.bis}" if ergebnis.dynamisch else (str(ergebnis.jahr) if ergebnis.jahr else "")
    note = f"Quelle: Datei {ergebnis.datei}{f', Stand {when}' if when else ''}. {kartengrundlage(geo)}"
    return finish(fig, plt, note, format, dpi)
