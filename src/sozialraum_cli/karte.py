"""Maps of the Räume (matplotlib, drawn in UTM 32N so proportions are true).

Without data: every Raum in its own colour (Okabe–Ito, colour-blind safe), names as labels.
With data: a classed choropleth (ColorBrewer YlGnBu, colour-blind safe) with a legend of the
class breaks and the unit, values as labels in German format, a note line with the source.
Incomplete or suppressed Räume are hatched grey, never coloured as if complete. The same input
gives the same file: no timestamps, fixed SVG ids.

Longer than 400 lines because one figure's parts belong together: the layout (map panel, legend
column), classing, proportional symbols, scale bar, north arrow and the checks that no legend
covers a Raum.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from .geo import Geometrie, raum_formen
from .mapping import Schema
from .render import zahl

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
# when a neighbourhood needs more than Okabe–Ito's eight: further colours, light enough for black labels
MEHR_FARBEN = ["#A6CEE3", "#B2DF8A", "#FB9A99", "#FDBF6F", "#CAB2D6", "#FFFF99", "#B15928", "#8DD3C7"]
NACHBAR_ABSTAND_M = 1.0  # Räume closer than this (gaps and overlaps of real borders) are neighbours
YLGNBU = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
FORMATE = ("png", "svg", "pdf")


@dataclass
class Kartenwerte:
    """Values to map per Raum (None = unknown), with what the legend and note must say."""

    titel: str  # e.g. "Privathaushalte" or "SGB-II-Quote"
    einheit: str  # "" or "%"
    werte: dict[str, float | None]
    unvollstaendig: set[str] = field(default_factory=set)
    quelle: str = ""
    stellen: int = 0
    anzahl: bool = False  # a count: proportional symbols; otherwise (rates, shares, means) a choropleth
    stand: str = ""  # reference date or year of the values


METHODEN = ("quantile", "equal", "jenks", "manual")


@dataclass(frozen=True)
class Klassierung:
    """How the choropleth's classes are formed: `--classes N`, `--method`, `--breaks`."""

    anzahl: int | None = None  # None: by the number of known values (few areas, few classes)
    methode: str = "quantile"
    grenzen: tuple[float, ...] = ()  # manual: the inner breaks


def default_classes(n: int) -> int:
    """Few areas, few classes: 3 up to 8 known values, 4 up to 15, else 5."""
    return 3 if n <= 8 else 4 if n <= 15 else 5


def class_breaks(values: list[float], k: int = 4, methode: str = "quantile", grenzen: tuple[float, ...] = ()) -> list[float]:
    """k classes of the known values; k+1 ascending breaks from min to max, no duplicates.

    quantile: equal numbers of values per class; equal: equal widths; jenks: natural breaks
    (Fisher's exact optimisation: least squared deviation within the classes); manual: the
    given inner breaks between min and max.
    """
    v = sorted(values)
    if not v:
        return []
    if methode == "manual":
        inner = [b for b in sorted(set(grenzen)) if v[0] < b < v[-1]]
        return _ascending([v[0], *inner, v[-1]])
    k = max(1, min(k, len(set(v))))
    if methode == "equal":
        step = (v[-1] - v[0]) / k
        return _ascending([v[0] + i * step for i in range(k)] + [v[-1]])
    if methode == "jenks":
        return _ascending(_jenks(v, k))
    breaks = [v[0]]
    for i in range(1, k):
        q = _quantile(v, i / k)
        if q > breaks[-1]:
            breaks.append(q)
    if v[-1] > breaks[-1] or len(breaks) == 1:
        breaks.append(v[-1])
    return breaks


def _ascending(breaks: list[float]) -> list[float]:
    out = [breaks[0]]
    for b in breaks[1:]:
        if b > out[-1]:
            out.append(b)
    if len(out) == 1:
        out.append(out[0])
    return out


def _jenks(v: list[float], k: int) -> list[float]:
    """Natural breaks: the partition of the sorted values into k runs with the least within-run squared deviation."""
    n = len(v)

    def ssd(i: int, j: int) -> float:  # values i..j inclusive
        part = v[i:j + 1]
        m = sum(part) / len(part)
        return sum((x - m) ** 2 for x in part)

    inf = float("inf")
    cost = [[inf] * (k + 1) for _ in range(n + 1)]
    cut = [[0] * (k + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for j in range(1, n + 1):
        for c in range(1, min(k, j) + 1):
            for i in range(c - 1, j):  # the last class holds v[i..j-1]
                x = cost[i][c - 1] + ssd(i, j - 1)
                if x < cost[j][c]:
                    cost[j][c], cut[j][c] = x, i
    bounds, j = [], n
    for c in range(k, 0, -1):
        i = cut[j][c]
        bounds.append(v[j - 1])
        j = i
    return [v[0], *reversed(bounds)]


def _quantile(v: list[float], p: float) -> float:
    pos = p * (len(v) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def _class_of(x: float, breaks: list[float]) -> int:
    for i in range(1, len(breaks)):
        if x <= breaks[i]:
            return i - 1
    return len(breaks) - 2


def pyplot(salt: str):
    """matplotlib's pyplot set up for every map: no display, deterministic files, one font, and names
    from data drawn as text (never parsed as $…$ mathtext or TeX)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = salt
    plt.rcParams["svg.fonttype"] = "path"
    plt.rcParams["font.family"] = "DejaVu Sans"
    plt.rcParams["text.parse_math"] = False
    plt.rcParams["text.usetex"] = False
    return plt


KARTENGRUNDLAGE = "Kartengrundlage: statistische Bezirke der Stadt Jena (Open Data), ETRS89 / UTM 32N"


def raum_farben(formen: dict[str, Any]) -> dict[str, str]:
    """A colour for each Raum of a plain map; neighbouring Räume never share one.

    Up to eight Räume each get their own Okabe–Ito colour. More Räume are coloured greedily in their
    order: each takes, of the colours none of its neighbours has, the least used so far (first in the
    palette on a tie), so the colours spread evenly; only when all eight are taken by neighbours does a
    Raum get one of MEHR_FARBEN."""
    import shapely

    namen = list(formen)
    if len(namen) <= len(OKABE_ITO):
        return {r: OKABE_ITO[i] for i, r in enumerate(namen)}
    geoms = [formen[r] for r in namen]
    left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=NACHBAR_ABSTAND_M)
    nachbarn: dict[int, set[int]] = {i: set() for i in range(len(namen))}
    for i, j in zip(left.tolist(), right.tolist()):
        if i != j:
            nachbarn[i].add(j)
            nachbarn[j].add(i)
    palette = OKABE_ITO + MEHR_FARBEN
    farbe: dict[int, str] = {}
    benutzt = dict.fromkeys(palette, 0)
    for i in range(len(namen)):
        belegt = {farbe[j] for j in nachbarn[i] if j in farbe}
        frei = [f for f in OKABE_ITO if f not in belegt] or [f for f in palette if f not in belegt]
        if not frei:  # more than sixteen neighbours around one Raum: a grey of its own
            frei = [f"#{0x60 + 8 * (i % 20):02x}{0x60 + 8 * (i % 20):02x}{0x60 + 8 * (i % 20):02x}"]
        farbe[i] = min(frei, key=lambda f: (benutzt.get(f, 0), palette.index(f) if f in palette else 99))
        benutzt[farbe[i]] = benutzt.get(farbe[i], 0) + 1
    return {namen[i]: farbe[i] for i in range(len(namen))}


def kartengrundlage(geo: Geometrie) -> str:
    """The map's base line: Jena's open data for the bundled polygons, else the user's geometry file.

    geo.load_geometrie projects every file to ETRS89 / UTM 32N (geo.ARBEITS_CRS), so the maps are drawn
    in it. A city outside zone 32 (6° to 12° East, e.g. Berlin in zone 33) is still drawn correctly
    enough (scale off by well under 1 % in Germany), but the line says that 32N is only the drawing's
    projection, not the city's own zone."""
    from .geo import default_geometry_path

    if geo.datei.resolve() == default_geometry_path().resolve():
        return KARTENGRUNDLAGE
    if 6.0 <= _laenge(geo) < 12.0:
        return f"Kartengrundlage: {geo.datei.name}, ETRS89 / UTM 32N"
    return f"Kartengrundlage: {geo.datei.name}, dargestellt in ETRS89 / UTM 32N (Stadt außerhalb der Zone 32)"


def _laenge(geo: Geometrie) -> float:
    """Geographic longitude (degrees East) of the middle of the polygons' extent."""
    import shapely

    from .geo import ARBEITS_CRS, project

    x0, y0, x1, y1 = shapely.union_all(list(geo.polygone.values())).bounds
    mitte = project(shapely.Point((x0 + x1) / 2, (y0 + y1) / 2), ARBEITS_CRS, "EPSG:4326")
    return float(mitte.x)
LEGENDE_LINKS = 0.755  # the legend column starts here (figure fraction); the maps stay left of it


def legend_title(data: Kartenwerte) -> str:
    """The indicator and its unit: "SGB-II-Quote (%)", "Privathaushalte (Anzahl)"."""
    import textwrap

    unit = data.einheit or ("Anzahl" if data.anzahl else "")
    text = f"{data.titel} ({unit})" if unit else data.titel
    return "\n".join(textwrap.wrap(text, 24))  # the legend column is narrow: long titles break at spaces


def draw_map(
    geo: Geometrie,
    schemata: list[Schema],
    *,
    werte: list[Kartenwerte | None] | None = None,
    titel: str | None = None,
    labels: bool = True,
    breite: int = 1600,
    hoehe: int = 1200,
    format: str = "png",
    zusatz: str | None = None,
    klassierung: Klassierung | None = None,
    quelle: str | None = None,
    figur: list | None = None,
) -> bytes:
    """One map, or two side by side (two schemes); returns the file's bytes.

    Counts are drawn as circles whose area is proportional to the value (a big Raum must not look
    important because it is big), rates and shares as a classed choropleth. The legend, scale bar
    and north arrow stand in a column right of the maps, so that they never cover a Raum. zusatz: a
    note under the map; quelle: the source office for the source line; figur: receives the
    matplotlib figure and its axes before saving (tests check the rendered geometry).
    """
    import shapely
    from matplotlib.patches import Circle, Patch

    plt = pyplot("sozialraum")
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # control characters in names
    dpi = 100
    klassierung = klassierung or Klassierung()
    fig = plt.figure(figsize=(breite / dpi, hoehe / dpi), dpi=dpi)
    werte = werte or [None] * len(schemata)
    top = 0.90 if titel else 0.93
    bottom = 0.075 if zusatz else 0.05
    axes = map_axes(fig, geo, len(schemata), top, bottom)
    districts = shapely.union_all(list(geo.polygone.values()))
    px_per_m = _pixels_per_metre(axes[0])
    # one scale for all panels, so that two schemes side by side can be compared
    known_all = [v for d in werte if d is not None for r, v in d.werte.items() if v is not None and r not in d.unvollstaendig]
    data0 = next((d for d in werte if d is not None), None)
    symbols = data0 is not None and data0.anzahl
    breaks: list[float] = []
    if data0 is not None and not symbols:
        k = klassierung.anzahl or default_classes(len(known_all))
        breaks = class_breaks(known_all, k, klassierung.methode, klassierung.grenzen)
    palette = _palette(len(breaks) - 1) if len(breaks) > 1 else [YLGNBU[3]]
    vmax = max((abs(v) for v in known_all), default=0.0)
    rmax_px = 0.075 * min(ax.bbox.width for ax in axes) if symbols else 0.0
    legend: list = []
    hatched = False
    for ax, schema, data in zip(axes, schemata, werte):
        formen = raum_formen(schema, geo)
        if data is None:
            colours = raum_farben(formen)
            for raum, form in formen.items():
                _fill(ax, form, colours[raum])
            if not legend:
                legend = [Patch(facecolor=colours[r], edgecolor="black", label=r) for r in formen]
        else:
            known = {r: v for r, v in data.werte.items() if v is not None and r not in data.unvollstaendig}
            for raum, form in formen.items():
                if raum not in known:
                    _fill(ax, form, "#dddddd", hatch="///")
                    hatched = True
                elif symbols:
                    _fill(ax, form, "#f2f2f2")
                else:
                    _fill(ax, form, palette[_class_of(known[raum], breaks)])
        for polygon in geo.polygone.values():
            _outline(ax, polygon, linewidth=0.3, colour="#555555")
        for form in formen.values():
            _outline(ax, form, linewidth=1.8, colour="black")
        _outline(ax, districts, linewidth=2.2, colour="black")
        if data is not None and symbols and vmax > 0:
            for raum, v in sorted(known.items(), key=lambda x: -x[1]):  # big circles first, small ones on top
                form = formen.get(raum)
                if form is None or form.is_empty or v <= 0:
                    continue
                p = form.representative_point()
                r_m = rmax_px * math.sqrt(v / vmax) / px_per_m
                ax.add_patch(Circle((p.x, p.y), r_m, facecolor="#2c7fb8", edgecolor="white", alpha=0.85,
                                    linewidth=1.2, gid=f"symbol:{raum}"))
        if labels:
            for raum, form in formen.items():
                if form.is_empty:
                    continue
                point = form.representative_point()
                text = raum
                if data is not None:
                    v = data.werte.get(raum)
                    shown = "·" if v is None or raum in data.unvollstaendig else zahl(v, data.stellen) + (f" {data.einheit}" if data.einheit else "")
                    text = f"{raum}\n{shown}"
                ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=9, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75})
        if len(schemata) > 1 or data is not None or titel:  # a plain map's heading is its scheme already
            ax.set_title(schema.titel, fontsize=11, fontweight="bold")
    if data0 is not None and not symbols:
        for i in range(len(breaks) - 1):
            lo, hi = breaks[i], breaks[i + 1]
            unit = f" {data0.einheit}" if data0.einheit else ""
            legend.append(Patch(facecolor=palette[i], edgecolor="black",
                                label=f"{zahl(lo, data0.stellen)} – {zahl(hi, data0.stellen)}{unit}"))
    if hatched:
        legend.append(Patch(facecolor="#dddddd", hatch="///", edgecolor="black", label="unvollständig oder\nunterdrückt"))
    head = "Räume" if data0 is None else legend_title(data0)
    boxes = []
    y_top = top
    if data0 is not None and symbols and vmax > 0:  # nested circles of round values, in the maps' pixel scale
        refs = _reference_values(vmax)
        r_px = [rmax_px * math.sqrt(r / vmax) for r in refs]
        w_px, h_px = 2 * r_px[0] + 110, 2 * r_px[0] + 14
        fig.text(LEGENDE_LINKS + 0.01, y_top, f"{head}\nKreisfläche nach Wert", fontsize=10, ha="left",
                 va="top", gid="legende-titel")
        y_top -= 0.06
        cax = fig.add_axes((LEGENDE_LINKS + 0.01, y_top - h_px / hoehe, w_px / breite, h_px / hoehe))
        cax.set_xlim(0, w_px)
        cax.set_ylim(0, h_px)
        cax.set_axis_off()
        for ref, r in zip(refs, r_px):
            cax.add_patch(Circle((r_px[0] + 5, 5 + r), r, facecolor="#2c7fb8", edgecolor="white", alpha=0.85, linewidth=1.2))
            cax.plot([r_px[0] + 5, 2 * r_px[0] + 15], [5 + 2 * r, 5 + 2 * r], color="#333333", linewidth=0.6)
            cax.text(2 * r_px[0] + 18, 5 + 2 * r, zahl(ref, 0), fontsize=9, va="center", ha="left")
        boxes.append(cax)
        y_top -= h_px / hoehe + 0.02
        head = None
    leg = None
    if legend:
        leg = fig.legend(handles=legend, loc="upper left", bbox_to_anchor=(LEGENDE_LINKS + 0.01, y_top), fontsize=9,
                         title=head, title_fontsize=10, frameon=True, borderpad=0.8, alignment="left")
        boxes.append(leg)
    map_furniture(fig, axes, boxes, breite, hoehe, top, bottom)
    heading = titel or (schemata[0].titel if data0 is None else f"{data0.titel}{f' {data0.stand}' if data0.stand else ''}")
    fig.text(0.005, 0.985, heading, fontsize=14, fontweight="bold", ha="left", va="top")
    note = kartengrundlage(geo)
    if data0 is not None:
        herkunft = quelle or (f"Datei {data0.quelle}" if data0.quelle else "")
        stand = f", Stand {data0.stand}" if data0.stand else ""
        note = f"Quelle: {herkunft}{stand}. {note}" if herkunft else note
    if zusatz:
        note = f"{zusatz}\n{note}"
    if figur is not None:
        figur += [fig, axes, boxes, [b.get_window_extent() for b in boxes]]  # display pixels, while drawn
    return finish(fig, plt, note, format, dpi)


def map_axes(fig, geo: Geometrie, n: int, top: float, bottom: float) -> list:
    """n map panels left of the legend column, each filled by the city: the limits are widened in one
    direction to the panel's shape, so the map is as large as the panel allows (true proportions)."""
    import shapely

    gap = 0.01
    panel = (LEGENDE_LINKS - 0.01 - gap * (n - 1)) / n
    axes = [fig.add_axes((0.005 + i * (panel + gap), bottom, panel, top - bottom)) for i in range(n)]
    minx, miny, maxx, maxy = shapely.union_all(list(geo.polygone.values())).bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    for ax in axes:
        w_px, h_px = ax.bbox.width, ax.bbox.height
        dx, dy = maxx - minx + 2 * pad, maxy - miny + 2 * pad
        scale = min(w_px / dx, h_px / dy)
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        ax.set_xlim(cx - w_px / scale / 2, cx + w_px / scale / 2)
        ax.set_ylim(cy - h_px / scale / 2, cy + h_px / scale / 2)
        ax.set_axis_off()
    return axes


def map_furniture(fig, axes: list, boxes: list, breite: int, hoehe: int, top: float, bottom: float) -> None:
    """North arrow below the legend and the scale bar at the bottom of the legend column."""
    fig.canvas.draw()  # the legend's size is known only once drawn
    lowest = min([b.get_window_extent().transformed(fig.transFigure.inverted()).y0 for b in boxes], default=top)
    _north_arrow(fig, LEGENDE_LINKS + 0.03, min(lowest - 0.12, 0.40), breite, hoehe)
    _scale_bar(fig, LEGENDE_LINKS + 0.015, bottom + 0.04, _pixels_per_metre(axes[0]), breite)


def _palette(k: int) -> list[str]:
    """k colours of YlGnBu spread over the whole ramp (light = low), so that few classes stay distinct."""
    if k <= 1:
        return [YLGNBU[3]]
    return [YLGNBU[round(i * (len(YLGNBU) - 1) / (k - 1))] for i in range(k)]


def _pixels_per_metre(ax) -> float:
    x0, y0 = ax.transData.transform((0, 0))
    x1, _ = ax.transData.transform((1000, 0))
    return (x1 - x0) / 1000


def _reference_values(vmax: float) -> list[float]:
    """Two or three round values for the circle legend: the largest round value ≤ max, and smaller ones."""
    mag = 10 ** math.floor(math.log10(vmax))
    top = max(m * mag for m in (1, 2, 5, 10) if m * mag <= vmax)
    refs = [top, top / 4, top / 16]
    return [r for r in refs if r >= 1 or vmax < 10][:3]


def scale_length(px_per_m: float, max_px: float) -> int:
    """The longest round length (m) whose bar fits max_px: 1, 2 or 5 × 10^n metres."""
    best = 100
    for exp in range(2, 6):
        for m in (1, 2, 5):
            length = m * 10 ** exp
            if length * px_per_m <= max_px:
                best = length
    return best


def _scale_bar(fig, x: float, y: float, px_per_m: float, breite: int) -> None:
    """A scale bar in the legend column, in the maps' scale (figure coordinates, so it never covers a Raum)."""
    from matplotlib.lines import Line2D

    length = scale_length(px_per_m, 0.2 * breite)
    w = length * px_per_m / breite
    fig.add_artist(Line2D([x, x + w], [y, y], transform=fig.transFigure, color="black", linewidth=4,
                          solid_capstyle="butt", gid=f"massstab:{length}"))
    fig.add_artist(Line2D([x, x + w / 2], [y, y], transform=fig.transFigure, color="white", linewidth=2,
                          solid_capstyle="butt"))
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    fig.text(x, y + 0.012, "0", fontsize=8, ha="center", va="bottom")
    fig.text(x + w, y + 0.012, label, fontsize=8, ha="center", va="bottom", gid="massstab-text")


def _north_arrow(fig, x: float, y: float, breite: int, hoehe: int) -> None:
    """North is up (UTM grid north; the convergence in Jena is under 1°)."""
    h = 0.06
    fig.text(x, y + h + 0.005, "N", fontsize=12, fontweight="bold", ha="center", va="bottom", gid="nordpfeil-text")
    fig.patches.append(_arrow(fig, x, y, h))


def _arrow(fig, x: float, y: float, h: float):
    from matplotlib.patches import FancyArrow

    return FancyArrow(x, y, 0, h, width=0.006, head_width=0.02, head_length=0.025, length_includes_head=True,
                      transform=fig.transFigure, figure=fig, color="black", gid="nordpfeil")


def finish(fig, plt, note: str, format: str, dpi: int) -> bytes:
    """The source line under a map, then the file's bytes without dates or software versions (same input, same file)."""
    fig.text(0.005, 0.008, note, fontsize=8, color="#333333", ha="left", va="bottom")
    buf = io.BytesIO()
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}[format]
    fig.savefig(buf, format=format, dpi=dpi, metadata=metadata)
    plt.close(fig)
    return buf.getvalue()


def _polygons(geometry) -> list:
    return list(getattr(geometry, "geoms", [geometry]))


def _fill(ax: Any, geometry, colour: str, hatch: str | None = None) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    for poly in _polygons(geometry):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        vertices, codes = [], []
        for ring in [poly.exterior, *poly.interiors]:
            coords = list(ring.coords)
            vertices += coords
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(coords) - 2) + [MPath.CLOSEPOLY]
        ax.add_patch(PathPatch(MPath(vertices, codes), facecolor=colour, edgecolor="none", hatch=hatch, linewidth=0))


def _outline(ax: Any, geometry, *, linewidth: float, colour: str) -> None:
    for poly in _polygons(geometry):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            x, y = ring.xy
            ax.plot(x, y, color=colour, linewidth=linewidth, solid_joinstyle="round")


def _simplified(geo: Geometrie, tolerance_m: float) -> Geometrie:
    """District shapes with fewer vertices, for small inline maps (shared borders stay shared enough)."""
    return Geometrie(geo.datei, {nr: g.simplify(tolerance_m, preserve_topology=True) for nr, g in geo.polygone.items()}, geo.namen)


def _svg_text(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # inline: without the XML prolog and doctype


def area_map_svg(geo: Geometrie, schema: Schema, raum: str | None, code: Callable[[int], str] = str) -> str:
    """The city with one Raum highlighted and its districts labelled (`code`: a unit's key as written,
    zuordnung.code), as inline SVG; raum None: every Raum in its own colour with its name (the overview page)."""
    if raum is None:
        return _overview_svg(geo, schema)
    plt = pyplot(f"sozialraum-{raum}")
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # control characters in names
    geo = _simplified(geo, 4.0)
    formen = raum_formen(schema, geo)
    members = schema.raum(raum).anteile
    fig, ax = plt.subplots(figsize=(6.4, 6.4), dpi=100)
    for name, form in formen.items():
        _fill(ax, form, "#0072B2" if name == raum else "#e6e6e6")
    for nr, polygon in geo.polygone.items():
        _outline(ax, polygon, linewidth=0.3 if nr not in members else 0.6, colour="#666666" if nr not in members else "white")
    for form in formen.values():
        _outline(ax, form, linewidth=1.2, colour="black")
    for nr in members:
        if nr in geo.polygone:
            p = geo.polygone[nr].representative_point()
            ax.annotate(code(nr), (p.x, p.y), ha="center", va="center", fontsize=7, color="black",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return _svg_text(fig)


def _overview_svg(geo: Geometrie, schema: Schema) -> str:
    plt = pyplot("sozialraum-uebersicht")
    plt.rcParams["svg.fonttype"] = "none"
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    geo = _simplified(geo, 4.0)
    formen = raum_formen(schema, geo)
    fig, ax = plt.subplots(figsize=(6.4, 6.4), dpi=100)
    colours = raum_farben(formen)
    for name, form in formen.items():
        _fill(ax, form, colours[name])
    for polygon in geo.polygone.values():
        _outline(ax, polygon, linewidth=0.3, colour="#666666")
    for form in formen.values():
        _outline(ax, form, linewidth=1.2, colour="black")
    for name, form in formen.items():
        if not form.is_empty:
            p = form.representative_point()
            ax.annotate(name, (p.x, p.y), ha="center", va="center", fontsize=9, fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return _svg_text(fig)


def tick_decimals(ticks) -> int:
    """Decimals that show every tick exactly (steps of 1, 2 or 5 × 10^n)."""
    ticks = list(ticks)
    if len(ticks) < 2:
        return 0
    step = abs(ticks[1] - ticks[0])
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step else 0


def series_svg(jahre: list[int], reihen: dict[str, list[float | None]], titel: str) -> str:
    """Lines of several series indexed to the first year (= 100), as inline SVG."""
    from matplotlib.ticker import FuncFormatter

    plt = pyplot(f"sozialraum-{titel}")
    plt.rcParams["svg.fonttype"] = "none"
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # control characters in names
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
    for (name, values), colour in zip(reihen.items(), ["#0072B2", "#999999", "#E69F00"]):
        base = values[0]
        index = [100 * v / base if v is not None and base else float("nan") for v in values]
        ax.plot(jahre, index, marker="o", color=colour, label=name, linewidth=2)
    ax.set_title(titel, fontsize=10)
    ax.set_ylabel(f"Index ({jahre[0]} = 100)", fontsize=8)
    ax.set_xticks(jahre)
    ax.set_xticklabels([str(j) for j in jahre], fontsize=7, rotation=45)
    # ticks at 1, 2 or 5 × 10^n apart, labelled with as many decimals as the step needs: never 102 for 102,5
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: zahl(y, tick_decimals(ax.yaxis.get_majorticklocs()))))
    ax.grid(True, color="#dddddd")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return _svg_text(fig)
