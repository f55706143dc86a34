"""Zensus grid files summed to districts: small synthetic files, expectations computed by hand.

The test geometry has four square districts of 1 km in EPSG:3035 (the mini mapping's 1–4):

    y 3001000–3002000:  3 | 4
    y 3000000–3001000:  1 | 2
                 x 4000000–4001000 | 4001000–4002000
"""

import json

import pytest
from typer.testing import CliRunner

from sozialraum_cli.aggregate import aggregate
from sozialraum_cli.cli.app import app
from sozialraum_cli.grid import read_grid, sniff
from sozialraum_cli.mapping import load_mapping
from sozialraum_cli.reading import GEHEIM, read_bezirksdaten

from sozialraum_cli.errors import InputError

from conftest import MINI

X0, Y0 = 4_000_000, 3_000_000
SQUARES = {1: (0, 0), 2: (1, 0), 3: (0, 1), 4: (1, 1)}
HEADER = "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n"


def cell(x, y, *values, res="100m"):
    return ";".join([f"CRS3035RES{res}N{y - 50}E{x - 50}", str(x), str(y), *map(str, values)]) + "\n"


@pytest.fixture
def geometry(tmp_path):
    features = []
    for nr, (i, j) in SQUARES.items():
        x, y = X0 + 1000 * i, Y0 + 1000 * j
        ring = [[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]
        features.append({"type": "Feature", "properties": {"id": nr}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = tmp_path / "quadrate.geojson"
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
           "features": features}
    path.write_text(json.dumps(doc))
    return path


# cells on both sides of the border between 1 and 2, a secret cell in 3, two cells in 4,
# three cells outside the city (one far away, so that the file covers every district)
EINWOHNER = (
    HEADER
    + cell(4_000_950, 3_000_550, 10)  # 1, 50 m from the border to 2
    + cell(4_000_050, 3_000_050, 5)  # 1
    + cell(4_001_050, 3_000_550, 7)  # 2, 50 m from the border to 1
    + cell(4_000_550, 3_001_550, "–")  # 3: secret
    + cell(4_001_550, 3_001_550, 3)  # 4
    + cell(4_001_650, 3_001_950, "(4)")  # 4, limited reliability
    + cell(4_005_050, 3_000_550, 100)  # outside
    + cell(4_400_050, 3_200_050, 50)  # outside, far away
    + cell(3_999_050, 2_999_050, 1)  # outside, south-west
)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_cells_summed_to_districts(write, mini, geometry, engine):
    daten = read_grid([write("zensus.csv", EINWOHNER)], mini, geometrie=geometry, engine=engine)
    rows = daten.daten.set_index("bezirk_nr")
    assert rows.loc[1, "wert"] == 15 and rows.loc[2, "wert"] == 7 and rows.loc[4, "wert"] == 7
    assert rows.loc[3, "status"] == GEHEIM
    assert rows.loc[4, "status"] == "eingeschraenkt"
    assert [s.art for s in daten.spalten] == ["anzahl"]
    assert any("9 Gitterzellen (100 m" in h and "6 einem Bezirk zugeordnet, 3 außerhalb der Stadt" in h
               for h in daten.hinweise), daten.hinweise
    t = aggregate(mini, "stadt_land", daten)
    assert t.zeile("Stadt").wert("einwohner") == 22
    assert not t.zeile("Land").werte["einwohner"].vollstaendig  # 3 is secret


def test_dash_read_as_zero_on_request(write, mini, geometry):
    daten = read_grid([write("zensus.csv", EINWOHNER)], mini, geometrie=geometry, symbole={"–": "null"})
    t = aggregate(mini, "stadt_land", daten)
    assert t.zeile("Land").wert("einwohner") == 7
    assert t.zeile("Land").werte["einwohner"].vollstaendig


def test_district_without_cells_is_zero_only_when_covered(write, mini, geometry):
    covered = HEADER + cell(4_000_550, 3_000_550, 4) + cell(3_999_050, 2_999_050, 1) + cell(4_002_050, 3_002_050, 1)
    daten = read_grid([write("a.csv", covered)], mini, geometrie=geometry)
    rows = daten.daten.set_index("bezirk_nr")
    assert rows["wert"].to_dict() == {1: 4, 2: 0, 3: 0, 4: 0}
    # only cells in 1 and 2: the file's extent does not reach 3 and 4, so they are missing
    partial = HEADER + cell(4_000_550, 3_000_550, 4) + cell(4_001_950, 3_000_050, 2)
    daten = read_grid([write("b.csv", partial)], mini, geometrie=geometry)
    assert sorted(daten.daten["bezirk_nr"]) == [1, 2]
    assert any("außerhalb der Ausdehnung der Datei (fehlen): 3 (Oberdorf), 4 (Unterdorf)" in h for h in daten.hinweise)
    t = aggregate(mini, "stadt_land", daten)
    assert t.zeile("Stadt").wert("einwohner") == 6 and not t.zeile("Land").werte["einwohner"].vollstaendig


def test_weighted_mean_from_two_grid_files(write, tmp_path, geometry):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MINI.read_text(encoding="utf-8")
                       + "  alter: {titel: Durchschnittsalter, art: mittelwert, gewicht: einwohner}\n", encoding="utf-8")
    m = load_mapping(mapping)
    ew = HEADER + cell(4_000_950, 3_000_550, 10) + cell(4_000_050, 3_000_050, 5) + cell(4_001_050, 3_000_550, 7)
    alter = ("GITTER_ID_100m;x_mp_100m;y_mp_100m;Durchschnittsalter;werterlaeuternde_Zeichen\n"
             + cell(4_000_950, 3_000_550, "40,5", "") + cell(4_000_050, 3_000_050, "30", "")
             + cell(4_001_050, 3_000_550, "50", "KLAMMERN"))
    daten = read_grid([write("ew.csv", ew), write("alter.csv", alter)], m, geometrie=geometry)
    rows = daten.daten[daten.daten["merkmal"] == "alter"].set_index("bezirk_nr")
    assert rows.loc[1, "wert"] == pytest.approx((10 * 40.5 + 5 * 30) / 15)  # 37
    assert rows.loc[2, "wert"] == 50
    t = aggregate(m, "stadt_land", daten, merkmale=["einwohner", "alter"])
    assert t.zeile("Stadt").wert("alter") == pytest.approx((405 + 150 + 350) / 22)


def test_mean_without_weight_is_left_out(write, mini, geometry):
    alter = "GITTER_ID_1km;x_mp_1km;y_mp_1km;Durchschnittsalter\n" + cell(4_000_500, 3_000_500, "40,5", res="1km")
    daten = read_grid([write("alter.csv", alter)], mini, geometrie=geometry)
    assert [s.art for s in daten.spalten] == ["mittelwert"]
    assert any("ohne Gewicht je Zelle" in h for h in daten.hinweise)


def test_sniff_layouts(write):
    lay = sniff(write("z.csv", "GITTER_ID_10km;x_mp_10km;y_mp_10km;Einwohner;werterlaeuternde_Zeichen\n"))
    assert (lay.resolution, lay.value_cols, lay.flag_col) == (10_000, ["Einwohner"], "werterlaeuternde_Zeichen")
    assert sniff(write("t.csv", "bezirk_nr;einwohner\n11;5\n")) is None


def test_jena_bundled_geometry_through_read_bezirksdaten(write, jena):
    # cell centres inside two districts of Jena (found from the bundled polygons) and one in Leipzig
    import shapely

    from sozialraum_cli.geo import ARBEITS_CRS, load_geometrie, project

    geo = load_geometrie()
    lines = HEADER
    for nr, wert in ((41, 120), (42, 80)):
        p = project(geo.polygone[nr], ARBEITS_CRS, "EPSG:3035")
        inner = p.buffer(-150)  # a cell centre at least 150 m inside, snapped to the grid
        c = inner.representative_point()
        x, y = int(c.x // 100) * 100 + 50, int(c.y // 100) * 100 + 50
        assert p.contains(shapely.Point(x, y))
        lines += cell(x, y, wert)
    lines += cell(4_530_050, 3_135_050, 999)  # Leipzig
    daten = read_bezirksdaten(write("jena.csv", lines), jena)
    werte = daten.daten.set_index("bezirk_nr")["wert"]
    assert (werte[41], werte[42]) == (120, 80)
    assert any("2 einem Bezirk zugeordnet, 1 außerhalb der Stadt" in h for h in daten.hinweise)


def test_cli_aggregate_grid(write, geometry):
    path = write("zensus.csv", EINWOHNER)
    r = CliRunner().invoke(app, ["aggregate", str(path), "--config", str(MINI), "--geometry", str(geometry),
                                 "--scheme", "stadt_land", "--format", "csv", "--symbol", "–=null"],
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("stadt_land,1,Stadt,2,22,")
    assert lines[2].startswith("stadt_land,2,Land,2,7,")
    assert "3 außerhalb der Stadt" in r.stderr


def test_installed_script_reads_a_grid_file(write, geometry):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sozialraum"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    path = write("zensus.csv", EINWOHNER)
    r = subprocess.run([str(script), "aggregate", str(path), "--config", str(MINI), "--geometry", str(geometry),
                        "--scheme", "stadt_land", "--format", "csv"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("stadt_land,1,Stadt,2,22,")
    assert "Land" in r.stdout and "unvollständig" in r.stdout  # 3 is secret
    assert "9 Gitterzellen (100 m, gelesen mit pandas), 6 einem Bezirk zugeordnet, 3 außerhalb der Stadt" in r.stderr


def test_duckdb_reads_centres_with_decimal_commas(write, mini, geometry):
    # not numbers for DuckDB's fast path: read again as text, with the same result
    text = HEADER + "a;4000950,0;3000550,0;10\nb;4001050,0;3000550,0;7\nc;x;3000550;1\n"
    daten = read_grid([write("komma.csv", text)], mini, geometrie=geometry, engine="duckdb")
    werte = daten.daten.set_index("bezirk_nr")["wert"]
    assert (werte[1], werte[2]) == (10, 7)
    assert "1 ohne lesbaren Mittelpunkt (nicht gezählt, z. B. c)" in daten.hinweise[0]


def test_cells_missing_in_one_of_two_files(write, tmp_path, geometry):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MINI.read_text(encoding="utf-8")
                       + "  alter: {titel: Durchschnittsalter, art: mittelwert, gewicht: einwohner}\n", encoding="utf-8")
    m = load_mapping(mapping)
    ew = HEADER + cell(4_000_950, 3_000_550, 10) + cell(4_001_050, 3_000_550, 7)
    # the age file has a cell in 1 that the population file lacks (no inhabitants: weight 0) and
    # lacks the cell in 2 that has 7 inhabitants (their mean age is unknown)
    alter = ("GITTER_ID_100m;x_mp_100m;y_mp_100m;Durchschnittsalter\n"
             + cell(4_000_950, 3_000_550, "40") + cell(4_000_050, 3_000_050, "80"))
    daten = read_grid([write("ew.csv", ew), write("alter.csv", alter)], m, geometrie=geometry)
    rows = daten.daten.set_index(["merkmal", "bezirk_nr"])
    assert rows.loc[("einwohner", 1), "wert"] == 10 and rows.loc[("einwohner", 2), "wert"] == 7
    assert rows.loc[("alter", 1), "wert"] == 40
    assert rows.loc[("alter", 2), "status"] == "fehlt"


def test_a_cell_twice_is_an_error(write, mini, geometry):
    from sozialraum_cli.errors import InputError

    with pytest.raises(InputError, match="steht zweimal"):
        read_grid([write("d.csv", HEADER + cell(4_000_950, 3_000_550, 1) + cell(4_000_950, 3_000_550, 2))], mini,
                  geometrie=geometry)


def test_fractional_count_in_a_grid_file_is_an_error(write, mini, geometry):
    """Fresh-eyes review: one cell written 1,5 was summed into a count."""
    text = HEADER + cell(4_000_950, 3_000_550, 10) + cell(4_000_050, 3_000_050, "1,5")
    with pytest.raises(InputError, match="„1,5“ ist keine ganze Zahl, „Einwohner“ ist aber als Anzahl erklärt"):
        read_grid([write("zensus.csv", text)], mini, geometrie=geometry)
