"""The rough EPSG:3035 box of a WGS84 geometry, with which a large grid file's scan starts before the
geometry is loaded: exact projection, a box that holds the exact one, and the same result whichever
box the scan used."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sozialraum_cli import grid, gridbox
from sozialraum_cli.geo import ARBEITS_CRS, default_geometry_path, load_geometrie, project

from test_grid import EINWOHNER, SQUARES, X0, Y0


def _exact_box(path):
    polys = [project(p, ARBEITS_CRS, grid.GRID_CRS) for p in load_geometrie(path).polygone.values()]
    b = np.array([p.bounds for p in polys])
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def test_laea_matches_pyproj():
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    for lon, lat in [(11.58, 50.93), (10.0, 52.0), (-5.2, 36.1), (24.9, 60.2), (6.1, 47.3), (14.9, 54.9)]:
        x, y = gridbox.laea_3035(lon, lat)
        ex, ey = t.transform(lon, lat)
        assert abs(x - ex) < 1e-3 and abs(y - ey) < 1e-3


def test_rough_box_holds_the_exact_box_of_jena():
    path = default_geometry_path()
    rough, exact = gridbox.rough_box_3035(path), _exact_box(path)
    assert gridbox.contains(rough, exact)
    assert all(abs(r - e) < 2 * gridbox.PUFFER_M for r, e in zip(rough, exact))  # not much larger


def test_no_rough_box_for_other_systems_or_broken_files(tmp_path):
    other = tmp_path / "utm.geojson"
    other.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:25832"}},
                                 "features": [{"type": "Feature", "properties": {"id": 1},
                                               "geometry": {"type": "Point", "coordinates": [680000, 5640000]}}]}))
    broken = tmp_path / "kaputt.geojson"
    broken.write_text("{nicht json")
    assert gridbox.rough_box_3035(other) is None
    assert gridbox.rough_box_3035(broken) is None
    assert gridbox.rough_box_3035(tmp_path / "fehlt.geojson") is None
    assert not gridbox.contains(None, (0, 0, 1, 1))


@pytest.fixture
def wgs84_geometry(tmp_path):
    """The squares of test_grid, their corners given in WGS84 (as the bundled geometry of Jena)."""
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
    features = []
    for nr, (i, j) in SQUARES.items():
        x, y = X0 + 1000 * i, Y0 + 1000 * j
        ring = [list(t.transform(px, py)) for px, py in [(x, y), (x + 1000, y), (x + 1000, y + 1000), (x, y + 1000), (x, y)]]
        features.append({"type": "Feature", "properties": {"id": nr}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = tmp_path / "quadrate_wgs84.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _result(daten):
    return daten.daten.to_csv(index=False), daten.hinweise, daten.sha256


@pytest.mark.parametrize("box", ["rough", "too_small", "huge"])
def test_same_result_whichever_box_the_early_scan_used(write, mini, wgs84_geometry, monkeypatch, box):
    path = write("zensus.csv", EINWOHNER)
    with monkeypatch.context() as m:  # the scan after the geometry, with the exact box
        m.setattr(gridbox, "rough_box_3035", lambda p: None)
        expected = _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb"))
    assert "15.0" in expected[0]  # the squares in WGS84 get their cells
    if box == "too_small":  # the exact box is not inside: the file is scanned again with the exact box
        monkeypatch.setattr(gridbox, "rough_box_3035", lambda p: (X0 + 100, Y0 + 100, X0 + 200, Y0 + 200))
    elif box == "huge":  # every cell in the box: those outside every district are counted as outside
        monkeypatch.setattr(gridbox, "rough_box_3035", lambda p: (0.0, 0.0, 1e8, 1e8))
    scans = []
    real = grid._scan_duckdb
    monkeypatch.setattr(grid, "_scan_duckdb", lambda *a: scans.append(a[2]) or real(*a))
    assert _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb")) == expected
    assert len(scans) == (2 if box == "too_small" else 1)


def test_grid_polygons_projected_without_pyproj_match_the_two_step_projection():
    """The grid loads the WGS84 polygons straight into EPSG:3035 by gridbox's formula; every vertex lies within
    a millimetre of pyproj's WGS84 → EPSG:25832 → EPSG:3035 (what the grid used before)."""
    direct = load_geometrie(None, ziel=grid.GRID_CRS)
    assert direct.crs == "EPSG:3035"
    for nr, poly in load_geometrie(None).polygone.items():
        old = np.array(project(poly, ARBEITS_CRS, grid.GRID_CRS).exterior.coords if poly.geom_type == "Polygon"
                       else [c for g in project(poly, ARBEITS_CRS, grid.GRID_CRS).geoms for c in g.exterior.coords])
        p = direct.polygone[nr]
        new = np.array(p.exterior.coords if p.geom_type == "Polygon" else [c for g in p.geoms for c in g.exterior.coords])
        assert old.shape == new.shape and np.abs(old - new).max() < 1e-3, nr


def test_checksum_only_where_an_output_shows_it(write, mini, wgs84_geometry, tmp_path):
    import hashlib

    path = write("zensus.csv", EINWOHNER)
    with_sum = grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb")
    without = grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb", pruefsumme=False)
    assert with_sum.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and without.sha256 == ""
    assert _result(with_sum)[:2] == _result(without)[:2]  # the same table and notes


def test_aggregate_json_of_a_grid_file_names_its_checksum(run, write, mini, wgs84_geometry):
    import hashlib

    path = write("zensus.csv", EINWOHNER)
    r = run("aggregate", path, "--config", mini.datei, "--geometry", wgs84_geometry, "-f", "json", "--no-disclosure")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["quellen"][0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- scan started from the command line


@pytest.fixture
def early(monkeypatch):
    """gridearly for small files; every early scan stopped afterwards."""
    from sozialraum_cli import gridearly

    monkeypatch.setattr(gridearly, "DUCKDB_AB_BYTES", 0)
    yield gridearly
    gridearly._stop_all()


def test_bundled_geometry_of_the_early_scan_is_the_default_one(early):
    assert early.BEZIRKE_GEOJSON == default_geometry_path() and default_geometry_path().is_file()


def test_scan_started_from_the_command_line_is_taken_with_the_same_result(write, mini, wgs84_geometry, early, monkeypatch):
    path = write("zensus.csv", EINWOHNER)
    expected = _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb"))
    early.start(["aggregate", str(path), "--geometry", str(wgs84_geometry), "--format", "csv"])
    assert len(early.running()) == 1
    scans = []
    monkeypatch.setattr(grid, "_scan_duckdb", lambda *a: scans.append(a) or pytest.fail("scanned again"))
    assert _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb")) == expected
    assert not scans and not early.running()


def test_early_scan_of_a_changed_or_other_file_is_not_taken(write, mini, wgs84_geometry, early, monkeypatch):
    path = write("zensus.csv", EINWOHNER)
    other = write("andere.csv", EINWOHNER)
    expected = _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb"))
    early.start([str(other), f"--geometry={wgs84_geometry}"])
    assert len(early.running()) == 1
    stopped = early.running()[0]
    assert _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb")) == expected
    assert stopped.abbruch.stopped and not early.running()

    early.start([str(path), "--geometry", str(wgs84_geometry)])
    early.running()[0].result()
    path.write_text(EINWOHNER.replace(";10\n", ";120\n"))  # changed after the scan
    assert "125.0" in _result(grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb"))[0]


def test_no_early_scan_for_help_small_files_other_files_or_without_a_box(write, tmp_path, early, monkeypatch):
    path = write("zensus.csv", EINWOHNER)
    early.start([str(path), "--help"])
    early.start([str(tmp_path / "fehlt.csv"), str(tmp_path)])
    early.start([str(path), "--geometry", str(tmp_path / "fehlt.geojson")])
    early.start(["--output", str(path)])
    early.start(["-o", str(path)])
    early.start(["locate", "orte.csv", "--points-output", str(path)])
    assert not early.running()
    monkeypatch.setattr(early, "DUCKDB_AB_BYTES", 10**12)
    early.start([str(path)])
    assert not early.running()


def test_an_early_scan_nobody_takes_is_stopped(write, wgs84_geometry, early):
    path = write("zensus.csv", EINWOHNER)
    early.start([str(path), "--geometry", str(wgs84_geometry)])
    vorab = early.running()[0]
    early._stop_all()  # at exit
    assert vorab.abbruch.stopped and not early.running() and not vorab._thread.is_alive()


def test_plain_counts_are_read_as_by_the_general_rules():
    """_parse_values reads a column of plain digits on a short path: the same values and statuses."""
    from pathlib import Path

    from sozialraum_cli.symbole import NULL

    texts = np.array(["0", "7", "0012", "123456789012345", "40"], dtype=object)
    ids = np.array([f"z{k}" for k in range(6)], dtype=object)
    table = grid.symbol_table(grid.GRID_SYMBOLE)
    short = grid._parse_values(texts, table, Path("g.csv"), "Einwohner", ids)
    general = grid._parse_values(np.append(texts, " 1"), table, Path("g.csv"), "Einwohner", ids)  # a space: the general path
    assert short[0].tolist() == general[0][:-1].tolist() and short[1].tolist() == general[1][:-1].tolist()
    zero_symbol = grid._parse_values(texts, {**table, "0": NULL}, Path("g.csv"), "Einwohner", ids)  # --symbol '0=null'
    assert zero_symbol[1][0] == NULL and zero_symbol[0][0] == 0.0


def test_grid_scan_prints_no_progress_bar(write, mini, wgs84_geometry, monkeypatch):
    """DuckDB draws a progress bar on stdout once a query runs 2 s: it would end up in the CSV on stdout."""
    import duckdb

    settings = []

    class Watched:
        def __init__(self, con):
            self.con = con

        def __getattr__(self, name):
            return getattr(self.con, name)

        def close(self):
            settings.append(self.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0])
            self.con.close()

    def connect(*a, **k):  # DuckDB's default where it thinks it runs interactively (python -c, Jupyter)
        con = real(*a, **k)
        con.execute("SET enable_progress_bar = true")
        return Watched(con)

    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", connect)
    grid.read_grid([write("zensus.csv", EINWOHNER)], mini, geometrie=wgs84_geometry, engine="duckdb")
    assert settings == [False]


def test_geometry_from_a_pipe_is_left_to_the_geometry_reader(tmp_path):
    """A rough box from a FIFO would consume it: the geometry reader would then find it empty."""
    import os

    fifo = tmp_path / "flaechen.geojson"
    os.mkfifo(fifo)
    assert gridbox.rough_box_3035(fifo) is None  # returns at once, nothing read


def test_a_grid_file_duckdb_cannot_read_gets_a_german_reason(write, mini, wgs84_geometry):
    from sozialraum_cli.errors import InputError

    lines = EINWOHNER.encode("utf-8").splitlines()
    path = write("zensus.csv", b"\n".join([*lines[:2], lines[2] + b"\xe4", *lines[3:]]) + b"\n")
    with pytest.raises(InputError) as err:
        grid.read_grid([path], mini, geometrie=wgs84_geometry, engine="duckdb")
    assert "Die Gitterdatei ist nicht lesbar (Zeile 3 ist nicht UTF-8-kodiert (etwa Windows-1252)" in str(err.value)
    assert "Error" not in str(err.value)
