"""Maps with cartographic basics (issue 16), checked on the rendered figure.

Facts used: the bundled geometry is in metres (ETRS89 / UTM 32N), so a scale bar of L metres is
L × (pixels per metre of the map axes) long; north is up; a legend must not cover any Raum.
"""

from __future__ import annotations


import pytest
from conftest import BEISPIEL, HAUSHALTE

from sozialraum_cli.geo import load_geometrie, raum_formen
from sozialraum_cli.karte import Kartenwerte, class_breaks, default_classes, draw_map, scale_length


@pytest.fixture(scope="module")
def geo():
    return load_geometrie(None)


def _draw(geo, schemata, werte=None, **kw):
    figur: list = []
    data = draw_map(geo, schemata, werte=werte, figur=figur, breite=1000, hoehe=750, format="svg", **kw)
    fig, axes, boxes, extents = figur
    fig.legend_extents = extents
    return data, fig, axes, boxes


def _rate(schema, jena):
    # SGB-II-Quote of the six Planungsräume in beispiel_2021.csv (see the README's aggregate example)
    werte = {"West/Zentrum": 2.8, "Lobeda": 13.7, "Nord": 5.2, "Ost": 2.5, "Winzerla": 10.4, "Ortschaften": 0.8}
    return Kartenwerte("SGB-II-Quote", "%", {r: werte[r] for r in schema.raum_namen}, stellen=1, quelle="x.csv")


def _counts(schema):
    werte = {"Lobeda": 14519, "Winzerla": 9270, "West/Zentrum": 16727, "Nord": 11393, "Ost": 9103}
    return Kartenwerte("Privathaushalte", "", {r: werte[r] for r in schema.raum_namen}, anzahl=True, stand="2016")


def _display_polygons(ax, form):
    import shapely

    out = []
    for poly in getattr(form, "geoms", [form]):
        pts = ax.transData.transform(list(poly.exterior.coords))
        out.append(shapely.Polygon(pts))
    return out


def _legend_boxes(fig, boxes):
    import shapely

    assert len(fig.legend_extents) == len(boxes)
    return [shapely.box(e.x0, e.y0, e.x1, e.y1) for e in fig.legend_extents]


@pytest.mark.parametrize("compare", [False, True])
def test_legend_never_covers_a_raum(jena, geo, compare):
    schemata = [jena.schema("planungsraeume"), *([jena.schema("sozialraeume")] if compare else [])]
    werte = [_rate(s, jena) if s.name == "planungsraeume" else
             Kartenwerte("SGB-II-Quote", "%", {r: 5.0 + i for i, r in enumerate(s.raum_namen)}, stellen=1)
             for s in schemata]
    werte[0].unvollstaendig = {"Ortschaften"}  # the hatched entry has the longest label
    _, fig, axes, boxes = _draw(geo, schemata, werte)
    legend = _legend_boxes(fig, boxes)
    assert legend
    _no_overlap(geo, axes, schemata, legend)
    width, height = fig.get_size_inches() * fig.dpi  # and every legend stays on the canvas, nothing cut off
    assert all(0 <= b.bounds[0] and b.bounds[2] <= width and 0 <= b.bounds[1] and b.bounds[3] <= height for b in legend)


def _no_overlap(geo, axes, schemata, legend):
    for ax, schema in zip(axes, schemata):
        for raum, form in raum_formen(schema, geo).items():
            for poly in _display_polygons(ax, form):
                for box in legend:
                    assert not poly.intersects(box), raum


def test_long_titles_stay_on_the_canvas(geo, jena):
    schema = jena.schema("sozialraeume")
    werte = Kartenwerte("Einwohner unter 65 Jahren mit Leistungen nach dem SGB II", "%",
                        {r: 5.0 + i for i, r in enumerate(schema.raum_namen)}, stellen=1)
    _, fig, axes, boxes = _draw(geo, [schema], [werte])
    width, height = fig.get_size_inches() * fig.dpi
    assert all(b.bounds[2] <= width for b in _legend_boxes(fig, boxes))


def test_circle_legend_never_covers_a_raum(jena, geo):
    schema = jena.schema("sozialraeume")
    werte = _counts(schema)
    werte.unvollstaendig = {"Ost"}  # a hatched Raum adds its legend entry below the circles
    _, fig, axes, boxes = _draw(geo, [schema], [werte])
    assert len(boxes) == 2
    _no_overlap(geo, axes, [schema], _legend_boxes(fig, boxes))


def test_map_fills_its_panel(jena, geo):
    """The city touches two opposite sides of its panel (less the 2 % margin): no wasted frame."""
    schema = jena.schema("sozialraeume")
    _, fig, (ax,), _ = _draw(geo, [schema])
    import shapely

    city = shapely.union_all(list(geo.polygone.values()))
    minx, miny, maxx, maxy = city.bounds
    (x0, y0), (x1, y1) = ax.transData.transform([(minx, miny), (maxx, maxy)])
    box = ax.bbox
    filled = max((x1 - x0) / box.width, (y1 - y0) / box.height)
    assert filled > 0.95
    # and the map takes more than half the canvas area (was about 45 % before issue 16)
    assert (x1 - x0) * (y1 - y0) / (fig.bbox.width * fig.bbox.height) > 0.35
    assert box.height / fig.bbox.height > 0.85


def test_scale_bar_has_the_length_it_says(jena, geo):
    _, fig, (ax,), _ = _draw(geo, [jena.schema("sozialraeume")])
    bar = next(a for a in fig.artists if (a.get_gid() or "").startswith("massstab:"))
    metres = int(bar.get_gid().split(":")[1])
    xs = bar.get_xdata()
    length_px = (xs[1] - xs[0]) * fig.bbox.width
    (a, _), (b, _) = ax.transData.transform([(0, 0), (metres, 0)])
    assert length_px == pytest.approx(b - a, rel=1e-6)
    label = next(t for t in fig.texts if t.get_gid() == "massstab-text").get_text()
    assert label == (f"{metres // 1000} km" if metres >= 1000 else f"{metres} m")
    assert metres in (1000, 2000, 5000)  # Jena is about 15 km across: a bar of a few km


def test_scale_length_is_round():
    assert scale_length(0.05, 120) == 2000  # 2 km = 100 px fit in 120 px, 5 km = 250 px do not
    assert scale_length(0.05, 300) == 5000


def test_north_arrow_points_up(jena, geo):
    _, fig, _, _ = _draw(geo, [jena.schema("sozialraeume")])
    arrow = next(p for p in fig.patches if p.get_gid() == "nordpfeil")
    ys = [y for _, y in arrow.get_xy()]
    xs = [x for x, _ in arrow.get_xy()]
    tip = max(range(len(ys)), key=lambda i: ys[i])
    assert xs[tip] == pytest.approx(sum(xs) / len(xs), abs=0.01)  # the tip is on the axis: straight up
    assert any(t.get_text() == "N" and t.get_gid() == "nordpfeil-text" for t in fig.texts)


def test_legend_is_titled_with_indicator_and_unit(jena, geo):
    schema = jena.schema("planungsraeume")
    _, fig, _, (leg,) = _draw(geo, [schema], [_rate(schema, jena)])
    assert leg.get_title().get_text() == "SGB-II-Quote (%)"
    # six areas: three classes (and nothing hatched)
    assert len(leg.get_texts()) == 3


def test_counts_are_circles_with_area_proportional_to_the_value(jena, geo):
    from matplotlib.patches import Circle

    schema = jena.schema("sozialraeume")
    werte = _counts(schema)
    _, fig, (ax,), boxes = _draw(geo, [schema], [werte])
    circles = {p.get_gid().split(":", 1)[1]: p for p in ax.patches if isinstance(p, Circle) and p.get_gid()}
    assert set(circles) == set(schema.raum_namen)
    # area ratio = value ratio (hand check with two Räume)
    ratio = (circles["West/Zentrum"].get_radius() / circles["Ost"].get_radius()) ** 2
    assert ratio == pytest.approx(16727 / 9103)
    title = next(t for t in fig.texts if t.get_gid() == "legende-titel").get_text()
    assert title.startswith("Privathaushalte (Anzahl)")


def test_source_line_names_the_source_and_the_date(jena, geo):
    schema = jena.schema("sozialraeume")
    _, fig, _, _ = _draw(geo, [schema], [_counts(schema)], quelle="Stadt Jena, Statistik")
    assert any(t.get_text().startswith("Quelle: Stadt Jena, Statistik, Stand 2016.") for t in fig.texts)


@pytest.mark.parametrize("methode, k, expected", [
    ("quantile", 3, [1, 3, 5, 7]),
    ("equal", 3, [1, 3, 5, 7]),
    ("jenks", 2, [1, 3, 7]),  # {1,2,3} and {6,7}: the gap 3 → 6 separates them
    ("manual", 0, [1, 2.5, 7]),
])
def test_class_methods(methode, k, expected):
    values = {"quantile": [1, 2, 3, 4, 5, 6, 7], "equal": [1, 2, 3, 4, 5, 6, 7], "jenks": [1, 2, 3, 6, 7],
              "manual": [1, 2, 3, 6, 7]}[methode]
    assert class_breaks(values, k, methode, (2.5,)) == pytest.approx(expected)


def test_few_areas_few_classes():
    assert [default_classes(n) for n in (5, 6, 8, 9, 15, 41)] == [3, 3, 3, 4, 4, 5]


def test_cli_map_without_output_says_what_to_add(run):
    r = run("map", "--scheme", "sozialraeume")
    assert r.exit_code == 2 and "--output DATEI.png" in r.stderr


def test_cli_classes_and_manual_breaks(run, tmp_path):
    out = tmp_path / "k.png"
    r = run("map", "-s", "planungsraeume", BEISPIEL, "--rate", "sgb2_quote", "--classes", "2", "--method", "jenks",
            "-o", out)
    assert r.exit_code == 0, r.output
    r = run("map", "-s", "planungsraeume", BEISPIEL, "--rate", "sgb2_quote", "--breaks", "5", "--breaks", "7,5",
            "-o", out, "--force")
    assert r.exit_code == 0, r.output
    r = run("map", "-s", "planungsraeume", BEISPIEL, "--rate", "sgb2_quote", "--method", "manual", "-o", out, "--force")
    assert r.exit_code == 2 and "--breaks" in r.stderr
    r = run("map", "-s", "planungsraeume", HAUSHALTE, "--value", "privathaushalte", "--classes", "3", "-o", out, "--force")
    assert r.exit_code == 2 and "--rate" in r.stderr
