"""The columnar locate path (large plain CSV files, pandas' C reader, x-sorted slices) gives exactly the
assignment that the polygons and the 0,5 m border rule demand, and the same as the careful reader.

Expectations are worked out here from the bundled Jena polygons with shapely alone (distances to the
district borders), not from the program's output."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import shapely
import shapely.affinity
from shapely.geometry import Point
from typer.testing import CliRunner

from sozialraum_cli import geo
from sozialraum_cli.cli.app import app
from sozialraum_cli.geo import AUSSERHALB, Lagen, count_points, load_geometrie, locate_file


@pytest.fixture(scope="module")
def jena_geo():
    return load_geometrie()


def _segments(poly):
    for ring in [poly.exterior, *poly.interiors] if poly.geom_type == "Polygon" else [
            r for p in poly.geoms for r in [p.exterior, *p.interiors]]:
        c = np.asarray(ring.coords)
        for a, b in zip(c[:-1], c[1:]):
            yield a, b


def _points(g):
    """(x, y, expected) in EPSG:25832: on, 0,3 m beside and 2 m beside a shared border and the city border."""
    polys = g.polygone
    union = shapely.union_all(list(polys.values()))
    out, shared_done, outer_done = [], set(), 0
    for nr, poly in polys.items():
        others = {k: p for k, p in polys.items() if k != nr}
        for a, b in _segments(poly):
            length = float(np.hypot(*(b - a)))
            if length < 20:
                continue
            m = (a + b) / 2
            n = np.array([-(b - a)[1], (b - a)[0]]) / length
            mid = Point(*m)
            near = [k for k, p in others.items() if p.distance(mid) < 0.01]
            far = all(p.distance(mid) > 5 for k, p in others.items() if k not in near)
            if not far or poly.distance(mid) > 1e-6:
                continue
            side = 1.0 if poly.contains(Point(*(m + 2 * n))) else -1.0
            inward = m + 2 * side * n
            if not poly.contains(Point(*inward)):
                continue
            if len(near) == 1 and (nr, near[0]) not in shared_done and len(shared_done) < 12:
                other = near[0]
                if not polys[other].contains(Point(*(m - 2 * side * n))):
                    continue
                shared_done |= {(nr, other), (other, nr)}
                pair = " und ".join(map(str, sorted((nr, other))))
                border = f"liegt auf der Grenze zwischen den Flächen {pair}"
                out += [(*m, border), (*(m + 0.3 * side * n), border), (*(m - 0.3 * side * n), border),
                        (*(m + 2 * side * n), nr), (*(m - 2 * side * n), other)]
            elif not near and outer_done < 4 and not union.contains(Point(*(m - 2 * side * n))):
                outer_done += 1
                on_city_border = f"liegt auf der Stadtgrenze (Fläche {nr})"
                # exactly on the line, rounding decides whether the midpoint lies in the district
                out += [(*m, nr if poly.contains(mid) else on_city_border), (*(m - 0.3 * side * n), on_city_border),
                        (*(m + 0.3 * side * n), nr), (*(m + 2 * side * n), nr), (*(m - 2 * side * n), AUSSERHALB)]
    assert len(shared_done) == 12 and outer_done == 4  # the geometry offers enough clean borders
    return out


def _write(path, rows, header=("name", "rechts", "hoch")):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def border_points(jena_geo):
    return _points(jena_geo)


def _check(lagen, expected):
    assert len(lagen) == len(expected)
    for k, (lage, want) in enumerate(zip(lagen, expected)):
        assert lage.zeile == k + 2
        if isinstance(want, int):
            assert (lage.bezirk_nr, lage.grund) == (want, ""), k
        else:
            assert (lage.bezirk_nr, lage.grund) == (None, want), k


@pytest.mark.parametrize("fast", [True, False])
def test_points_on_and_near_borders(tmp_path, monkeypatch, jena_geo, border_points, fast):
    monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0 if fast else 1 << 40)
    rows = [(f"P{k}", repr(float(x)), repr(float(y))) for k, (x, y, _) in enumerate(border_points)]
    path = _write(tmp_path / "orte.csv", rows)
    assert (geo._plain_csv_head(path) is not None) == fast
    orte = locate_file(jena_geo, path, x="rechts", y="hoch", crs="EPSG:25832")
    assert isinstance(orte.lagen, Lagen)
    _check(orte.lagen, [want for _, _, want in border_points])
    _check(list(orte.lagen), [want for _, _, want in border_points])


def test_fast_and_careful_reader_agree_on_messy_columns(tmp_path, monkeypatch, jena_geo, border_points):
    """German decimal commas, blanks, texts, integers: the same Lagen, categories and rows both ways."""
    rows = []
    for k, (x, y, _) in enumerate(border_points):
        xs, ys = repr(float(x)), repr(float(y))
        if k % 7 == 1:
            xs = xs.replace(".", ",")
        if k % 11 == 2:
            ys = ""
        if k % 13 == 3:
            xs = "elf"
        if k % 17 == 4:
            xs = str(int(float(x)))
        rows.append((f"P{k}", xs, ys, "Treff" if k % 2 else " Werkstatt "))
    path = _write(tmp_path / "orte.csv", rows, header=("name", "rechts", "hoch", "art"))
    got = {}
    for fast in (True, False):
        monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0 if fast else 1 << 40)
        orte = locate_file(jena_geo, path, x="rechts", y="hoch", crs="EPSG:25832", category="art")
        got[fast] = (orte.header, list(orte.lagen), orte.kategorien, orte.rows, orte.sha256)
    assert got[True] == got[False]
    lagen = got[True][1]
    assert lagen[2].grund == "Koordinate fehlt (y/Breite)"
    assert lagen[3].grund == "Koordinate ist keine Zahl („elf“)"


@pytest.mark.parametrize("text", [
    'name;x;y\n"A";1;2\n',  # quotes
    "name;x;y\nA;1;2\n\nB;1;2\n",  # a blank row
    "name;x;y\nA;1;2\n;;\nB;1;2\n",  # a row of empty fields
    "name;x;y\nA;1;2;3\nB;1;2\n",  # a longer row
    "name;x;y\nA;1;2\nB;1\n",  # a shorter row
    "name;x;y;z\nA;1;2\nB;1;2\n",  # a wider header
    ";;\nname;x;y\nA;1;2\n",  # a first row of empty fields (read_table takes the next one as header)
])
def test_not_plain_files_use_the_careful_reader(write, monkeypatch, text):
    monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0)
    head = geo._plain_csv_head(write("orte.csv", text))
    assert head is None or head.columns({1, 2}) is None


def test_plain_numbers_inf_and_nan_step_aside(write, monkeypatch):
    monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0)
    head = geo._plain_csv_head(write("orte.csv", "name;x;y\nA;inf;2\nB;1;2\n"))
    assert head.columns({1, 2}) is None
    head = geo._plain_csv_head(write("orte2.csv", "\ufeffname;x;y\r\nA;1.5;2\r\nB;1;2\r\n"))
    cols = head.columns({1, 2})
    assert head.header == ["name", "x", "y"]
    assert cols[1][0].tolist() == [1.5, 1.0] and cols[0][1].tolist() == ["A", "B"]


def test_count_points_columnar_equals_list(jena, jena_geo, border_points):
    x = np.array([p[0] for p in border_points])
    y = np.array([p[1] for p in border_points])
    codes, gruende = geo.locate_xy(jena_geo, x, y, "EPSG:25832")
    lagen = Lagen(np.arange(2, len(x) + 2), codes, gruende)
    kategorien = ["a" if k % 3 else "b" for k in range(len(x))]
    for schema in ("sozialraeume", "planungsraeume"):
        fast, cats_fast = count_points(lagen, jena.schema(schema), kategorien)
        slow, cats_slow = count_points(list(lagen), jena.schema(schema), kategorien)
        assert cats_fast == cats_slow
        assert fast.equals(slow)
    assert [l.zeile for l in lagen.ohne_bezirk()] == [l.zeile for l in lagen if l.bezirk_nr is None]
    assert lagen[-1] == list(lagen)[-1] and lagen[1:3] == list(lagen)[1:3]


def test_locate_command_same_output_both_readers(tmp_path, monkeypatch, border_points):
    rows = [(f"P{k}", repr(float(x)), repr(float(y)), "A" if k % 2 else "B") for k, (x, y, _) in enumerate(border_points)]
    path = _write(tmp_path / "orte.csv", rows, header=("name", "rechts", "hoch", "art"))
    outputs = []
    for fast in (True, False):
        monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0 if fast else 1 << 40)
        points = tmp_path / f"punkte_{fast}.csv"
        res = CliRunner().invoke(app, ["locate", str(path), "--x", "rechts", "--y", "hoch", "--crs", "EPSG:25832",
                                       "--category", "art", "--format", "json", "--points-output", str(points)])
        assert res.exit_code == 0, res.output
        outputs.append((res.output.replace(str(points), "P"), points.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]
    assert "weitere Zeilen" in outputs[0][0]  # more than ten unlocated points: the shortened notes


@pytest.mark.parametrize("scale", [1.0, 400.0])
def test_near_lines_leaves_out_no_point_near_a_border(jena_geo, scale):
    """The raster prefilter of the border test is a superset: every point within 0,505 m of a boundary is kept
    (Jena's districts, and the same shapes blown up to a Land-sized extent, where the cells grow)."""
    rng = np.random.default_rng(7)
    polys = list(jena_geo.polygone.values())
    if scale != 1.0:
        centre = shapely.union_all(polys).centroid
        polys = [shapely.affinity.scale(p, scale, scale, origin=centre) for p in polys]
    pts = np.concatenate([shapely.get_coordinates(shapely.segmentize(p.boundary, 3.0)) for p in polys])
    pts = pts[rng.choice(len(pts), 20000, replace=False)]
    angle = rng.uniform(0, 2 * np.pi, len(pts))
    radius = rng.uniform(0, 0.505, len(pts))
    near = pts + np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None]
    assert geo._near_lines(polys, near[:, 0], near[:, 1], 0.505).all()
    far = np.array([[0.0, 0.0], [1e9, 1e9]])
    assert not geo._near_lines(polys, far[:, 0], far[:, 1], 0.505).any()


def test_numeric_column_beside_a_column_with_gaps(write, monkeypatch, jena_geo):
    """x read as plain numbers, y with an empty field and a text: the messages name only y's problem."""
    text = "name;rechts;hoch\nA;681982.96;5645125.32\nB;683399.21;\nC;683399.21;hoch\n"
    got = []
    for fast in (True, False):
        monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0 if fast else 1 << 40)
        path = write(f"orte_{fast}.csv", text)
        got.append(list(locate_file(jena_geo, path, x="rechts", y="hoch", crs="EPSG:25832").lagen))
    assert got[0] == got[1]
    assert [(l.bezirk_nr, l.grund) for l in got[0]] == [
        (41, ""), (None, "Koordinate fehlt (y/Breite)"), (None, "Koordinate ist keine Zahl („hoch“)")]
