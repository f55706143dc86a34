"""Maps of the Räume (matplotlib, drawn in UTM 32N so proportions are true).

Without data: every Raum in its own colour (Okabe–Ito, colour-blind safe), names as labels.
With data: a classed choropleth (ColorBrewer YlGnBu, colour-blind safe) with a legend of the
class breaks and the unit, values as labels in German format, a note line with the source.
Incomplete or suppressed Räume are hatched grey, never coloured as if complete. The same input
gives the same file: no timestamps, fixed SVG ids.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

from .geo import Geometrie, raum_formen
from .mapping import Schema
from .render import zahl

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
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


def class_breaks(values: list[float], k: int = 4) -> list[float]:
    """k classes by quantiles of the known values; k+1 breaks from min to max, no duplicates."""
    v = sorted(values)
    if not v:
        return []
    k = max(1, min(k, len(v)))
    breaks = [v[0]]
    for i in range(1, k):
        q = _quantile(v, i / k)
        if q > breaks[-1]:
            breaks.append(q)
    if v[-1] > breaks[-1] or len(breaks) == 1:
        breaks.append(v[-1])
    return breaks


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
) -> bytes:
    """One map, or two side by side (two schemes); returns the file's bytes. zusatz: a note under the map."""
    import shapely
    from matplotlib.patches import Patch

    plt = pyplot("sozialraum")
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # control characters in names
    dpi = 100
    fig, axes = plt.subplots(1, len(schemata), figsize=(breite / dpi, hoehe / dpi), dpi=dpi, squeeze=False)
    werte = werte or [None] * len(schemata)
    districts = shapely.union_all(list(geo.polygone.values()))
    # one colour scale for all panels, so that two schemes side by side can be compared
    all_known = [v for d in werte if d is not None for r, v in d.werte.items() if v is not None and r not in d.unvollstaendig]
    breaks = class_breaks(all_known)
    for ax, schema, data in zip(axes[0], schemata, werte):
        formen = raum_formen(schema, geo)
        legend = []
        if data is None:
            colours = {r: OKABE_ITO[i % len(OKABE_ITO)] for i, r in enumerate(formen)}
            for raum, form in formen.items():
                _fill(ax, form, colours[raum])
                legend.append(Patch(facecolor=colours[raum], edgecolor="black", label=raum))
        else:
            known = {r: v for r, v in data.werte.items() if v is not None and r not in data.unvollstaendig}
            palette = YLGNBU[-(len(breaks) - 1):] if len(breaks) > 1 else [YLGNBU[3]]
            for raum, form in formen.items():
                if raum in known:
                    _fill(ax, form, palette[_class_of(known[raum], breaks)])
                else:
                    _fill(ax, form, "#dddddd", hatch="///")
            for i in range(len(breaks) - 1 if len(breaks) > 1 else len(breaks)):  # no known value: no classes
                lo, hi = (breaks[i], breaks[i + 1]) if len(breaks) > 1 else (breaks[0], breaks[0])
                unit = f" {data.einheit}" if data.einheit else ""
                legend.append(Patch(facecolor=palette[i], edgecolor="black",
                                    label=f"{zahl(lo, data.stellen)} – {zahl(hi, data.stellen)}{unit}"))
            if len(known) < len(formen):
                legend.append(Patch(facecolor="#dddddd", hatch="///", edgecolor="black", label="unvollständig oder unterdrückt"))
        for polygon in geo.polygone.values():
            _outline(ax, polygon, linewidth=0.3, colour="#555555")
        for form in formen.values():
            _outline(ax, form, linewidth=1.8, colour="black")
        _outline(ax, districts, linewidth=2.2, colour="black")
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
        ax.set_aspect("equal")
        ax.set_axis_off()
        head = schema.titel if data is None else f"{schema.titel}: {data.titel}"
        ax.set_title(head, fontsize=12, fontweight="bold")
        ax.legend(handles=legend, loc="lower left", fontsize=8, title="Klassen" if data is not None else "Räume",
                  title_fontsize=8, frameon=True)
    if titel:
        fig.suptitle(titel, fontsize=14, fontweight="bold")
    note = "Karte: statistische Bezirke der Stadt Jena (Open Data), ETRS89 / UTM 32N"
    quellen = [d.quelle for d in werte if d is not None and d.quelle]
    if quellen:
        note = f"Daten: {quellen[0]}. {note}"
    if zusatz:
        note = f"{zusatz}\n{note}"
    return finish(fig, plt, note, format, dpi)


def finish(fig, plt, note: str, format: str, dpi: int) -> bytes:
    """The source line under a map, then the file's bytes without dates or software versions (same input, same file)."""
    fig.text(0.01, 0.01, note, fontsize=7, color="#333333", ha="left", va="bottom")
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


def area_map_svg(geo: Geometrie, schema: Schema, raum: str) -> str:
    """The city with one Raum highlighted and its districts labelled, as inline SVG."""
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
            ax.annotate(str(nr), (p.x, p.y), ha="center", va="center", fontsize=7, color="black",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return _svg_text(fig)


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
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: zahl(y, 0)))
    ax.grid(True, color="#dddddd")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return _svg_text(fig)
