"""Outputs for a city that is not Jena (review 15): codes as written, xlsx for the mapping's lists,
no silent Jena geometry, an honest map base line and neighbours in different colours. The city is
the fictional Neustadt of tests/stadt.py; every expectation is worked out by hand from its numbers."""

import csv
import io
import json

import pytest

from sozialraum_cli.karte import OKABE_ITO, kartengrundlage, raum_farben
from sozialraum_cli.mapping import load_mapping

from stadt import MAPPING_YAML, geojson, wide_csv


@pytest.fixture
def stadt(write):
    return write("neustadt.yaml", MAPPING_YAML)


@pytest.fixture
def daten(write):
    return write("ew.csv", wide_csv())


@pytest.fixture
def flaechen(write):
    return write("plr.geojson", geojson())


# ----------------------------------------------------------------------------- codes as written


def test_profile_map_labels_keep_leading_zeros(run, stadt, daten, flaechen, tmp_path):
    out = tmp_path / "prof"
    r = run("profile", daten, "--config", stadt, "-s", "bezirke", "--all", "-o", out,
            "--geometry", flaechen, "--code-property", "PLR_ID")
    assert r.exit_code == 0, r.output
    html = (out / "profil-mitte.html").read_text(encoding="utf-8")
    # Mitte's three units are labelled on its map (SVG text) as written in the mapping
    for code in ("01010101", "01010102", "01020201"):
        assert f">{code}</text>" in html
    assert ">1010101</text>" not in html and ">1020201</text>" not in html


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_compare_move_names_the_code_as_written(run, stadt, daten, fmt):
    r = run("compare", "bezirke", "bezirke", daten, "--config", stadt, "--move", "02010101=Mitte", "-f", fmt)
    assert r.exit_code == 0, r.output
    label = "02010101 Heideweg Süd → Mitte"
    assert f"Bezirke (geändert: {label})" in r.stdout
    assert f"geändert: {label}" in r.stderr  # the note
    assert "geändert: 2010101" not in r.stdout + r.stderr
    if fmt == "json":
        doc = json.loads(r.stdout)
        assert any(label in h for h in doc["hinweise"])


def test_move_label_by_name_too(stadt):
    from sozialraum_cli.mapping import move_districts

    z = load_mapping(stadt)
    schema, warnungen = move_districts(z, z.schema("bezirke"), [("Wiesengrund", "Mitte")])
    assert schema.titel == "Bezirke (geändert: 02020201 Wiesengrund → Mitte)"
    assert warnungen == []
    assert schema.raum("Mitte").bezirke == [1010101, 1010102, 1020201, 2020201]


def test_move_messages_name_the_unit(stadt):
    from sozialraum_cli.errors import AufrufError
    from sozialraum_cli.mapping import move_districts

    z = load_mapping(stadt)
    with pytest.raises(AufrufError, match="Planungsraum „Gotha“ gibt es in der Zuordnung nicht"):
        move_districts(z, z.schema("bezirke"), [("Gotha", "Mitte")])
    # Wiesengrund is the only Planungsraum of the Bezirksregion Wiesengrund
    _, warnungen = move_districts(z, z.schema("regionen"), [("02020201", "Altstadt")])
    assert warnungen == ["Raum „Wiesengrund“ hat nach den Verschiebungen keine Planungsräume mehr und entfällt."]


# ----------------------------------------------------------------------------- xlsx of the mapping's lists


def _rows(path):
    import openpyxl

    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_districts_as_xlsx(run, stadt, tmp_path):
    out = tmp_path / "d.xlsx"
    r = run("districts", "--config", stadt, "-o", out)
    assert r.exit_code == 0, r.output
    rows = _rows(out)
    assert rows[2] == ["Nr.", "Name", "Bezirksregionen", "Bezirke"]
    assert rows[3] == ["01010101", "Altmarkt", "Altstadt", "Mitte"]
    assert rows[8] == ["02020201", "Wiesengrund", "Wiesengrund", "Nordufer"]
    assert len(rows) == 3 + 6


def test_schemes_as_xlsx(run, stadt, tmp_path):
    out = tmp_path / "s.xlsx"
    r = run("schemes", "--config", stadt, "-o", out)
    assert r.exit_code == 0, r.output
    rows = _rows(out)
    assert rows[2] == ["Schema", "Raum", "Nr.", "Planungsraum", "Anteil (%)"]
    assert rows[3] == ["Bezirksregionen", "Altstadt", "01010101", "Altmarkt", 100]
    assert len(rows) == 3 + 6 + 6  # every unit once in each of the two schemes


def test_mapping_check_as_xlsx(run, stadt, tmp_path):
    out = tmp_path / "c.xlsx"
    r = run("mapping", "check", stadt, "-o", out)
    assert r.exit_code == 0, r.output
    rows = _rows(out)
    assert rows[2] == ["teil", "inhalt"]
    assert ["Planungsräume", "6"] in rows


def test_xlsx_without_output_still_says_so(run, stadt):
    r = run("districts", "--config", stadt, "-f", "xlsx")
    assert r.exit_code == 2
    assert "--output" in r.output


# ----------------------------------------------------------------------------- no silent Jena geometry


def test_profile_without_geometry_has_no_map_and_says_so_once(run, stadt, daten, tmp_path):
    out = tmp_path / "prof"
    r = run("profile", daten, "--config", stadt, "-s", "bezirke", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stderr.count("Ohne --geometry: Profile ohne Karte und Fläche.") == 1
    assert "statistische_bezirke" not in r.stderr
    for page in ("index.html", "profil-mitte.html", "profil-nordufer.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert 'class="karte"' not in html and "Fläche:" not in html
    html = (out / "profil-mitte.html").read_text(encoding="utf-8")
    assert "01010101 Altmarkt" in html and "2.650" in html  # Einwohner of Mitte: 1200 + 800 + 650


def test_site_without_geometry(run, stadt, daten, tmp_path):
    out = tmp_path / "site"
    r = run("site", daten, "--config", stadt, "-s", "regionen", "-o", out)
    assert r.exit_code == 0, r.output
    assert 'class="karte"' not in (out / "index.html").read_text(encoding="utf-8")


def test_map_without_geometry_is_a_usage_error(run, stadt, tmp_path):
    r = run("map", "--config", stadt, "-s", "bezirke", "-o", tmp_path / "k.png")
    assert r.exit_code == 2
    assert "--geometry" in r.output and "statistische_bezirke" not in r.output
    assert not (tmp_path / "k.png").exists()


def test_areas_from_geometry_need_the_citys_own_geometry(run, write, daten):
    text = MAPPING_YAML + "  flaeche: {titel: Fläche, art: anzahl, quelle: geometrie, einheit: km²}\n"
    stadt = write("flaeche.yaml", text)
    r = run("aggregate", daten, "--config", stadt, "-s", "bezirke", "--value", "flaeche", "-f", "csv")
    assert r.exit_code == 2 and "--geometry" in r.stderr
    mit_id = write("id.geojson", geojson().replace('"PLR_ID"', '"id"'))  # aggregate reads the property „id“
    r = run("aggregate", daten, "--config", stadt, "-s", "bezirke", "--value", "flaeche", "-f", "csv",
            "--geometry", mit_id)
    assert r.exit_code == 0, r.output
    # one km² per square; Mitte has three Planungsräume, Nordufer three
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["raum"]: row["flaeche"] for row in rows if row["raum"] in ("Mitte", "Nordufer")} == {"Mitte": "3", "Nordufer": "3"}


def test_bundled_mapping_and_its_copy_keep_the_bundled_geometry(jena, write):
    from sozialraum_cli.cli.common import load_geo
    from sozialraum_cli.geo import bundled_geometry_fits, default_geometry_path
    from sozialraum_cli.mapping.model import default_mapping_path

    assert load_geo(jena, None, "id", quiet=True).datei == default_geometry_path()
    copy = write("meine.yaml", default_mapping_path().read_text(encoding="utf-8"))
    assert bundled_geometry_fits(load_mapping(copy))


def test_other_city_has_no_default_geometry(stadt):
    from sozialraum_cli.cli.common import load_geo
    from sozialraum_cli.errors import AufrufError

    z = load_mapping(stadt)
    assert load_geo(z, None, "id", quiet=True, optional=True) is None
    with pytest.raises(AufrufError, match="--geometry"):
        load_geo(z, None, "id", quiet=True)


# ----------------------------------------------------------------------------- the map's base line


def test_base_line_inside_zone_32(flaechen):
    from sozialraum_cli.geo import load_geometrie

    # the squares start at E 680000 in EPSG:25832: about 11.6° East, inside zone 32 (6° to 12°)
    assert kartengrundlage(load_geometrie(flaechen, "PLR_ID")) == "Kartengrundlage: plr.geojson, ETRS89 / UTM 32N"


def test_base_line_outside_zone_32(write):
    from sozialraum_cli.geo import load_geometrie

    # one square at E 390000 N 5820000 in EPSG:25833 (zone 33): about 13.4° East, like Berlin
    ring = [[390000, 5820000], [391000, 5820000], [391000, 5821000], [390000, 5821000], [390000, 5820000]]
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
           "features": [{"type": "Feature", "properties": {"PLR_ID": "01010101"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    geo = load_geometrie(write("berlin.geojson", json.dumps(doc)), "PLR_ID")
    assert kartengrundlage(geo) == ("Kartengrundlage: berlin.geojson, dargestellt in ETRS89 / UTM 32N "
                                    "(Stadt außerhalb der Zone 32)")


# ----------------------------------------------------------------------------- colours of neighbours


def _grid(spalten: int, zeilen: int) -> dict:
    """Unit squares (1 km) row by row, each its own Raum „R0“, „R1“, …"""
    from shapely.geometry import box

    return {f"R{z * spalten + s}": box(1000 * s, -1000 * z, 1000 * (s + 1), -1000 * (z - 1))
            for z in range(zeilen) for s in range(spalten)}


def _neighbours(formen: dict) -> list[tuple[str, str]]:
    names = list(formen)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if formen[a].distance(formen[b]) < 1]


def test_ten_rooms_in_two_rows_by_hand():
    # R0..R4 on top, R5..R9 below; neighbours share an edge or a corner. Greedy, least used first:
    # R0..R7 take the eight colours in order; R8 (next to R2, R3, R4, R7) takes the first colour again,
    # R9 (next to R3, R4, R8) the second; R0/R8 and R1/R9 are not neighbours.
    formen = _grid(5, 2)
    farben = raum_farben(formen)
    assert [farben[f"R{i}"] for i in range(10)] == [*OKABE_ITO, OKABE_ITO[0], OKABE_ITO[1]]
    assert all(farben[a] != farben[b] for a, b in _neighbours(formen))


def test_up_to_eight_rooms_each_their_own_colour():
    farben = raum_farben(_grid(4, 2))
    assert list(farben.values()) == OKABE_ITO


def test_neighbours_never_share_a_colour_on_a_larger_grid():
    formen = _grid(6, 5)  # 30 Räume, up to 8 neighbours each
    farben = raum_farben(formen)
    assert all(farben[a] != farben[b] for a, b in _neighbours(formen))


def test_neighbouring_rooms_of_the_city_differ(stadt, flaechen, monkeypatch):
    """Neustadt's six Planungsräume as Räume, with a palette of three: more Räume than colours."""
    from sozialraum_cli import karte
    from sozialraum_cli.geo import load_geometrie

    drei = ["#111111", "#222222", "#333333"]
    monkeypatch.setattr(karte, "OKABE_ITO", drei)
    geo = load_geometrie(flaechen, "PLR_ID")
    z = load_mapping(stadt)
    formen = {z.bezirke[nr].name: geo.polygone[nr] for nr in z.bezirke}
    farben = karte.raum_farben(formen)
    # the six squares lie in a row, each next to the one before: colours 1, 2, 3, then 1, 2, 3 again
    # (each Raum takes the least used colour its neighbour has not)
    assert list(farben.values()) == drei + drei
    assert all(farben[a] != farben[b] for a, b in _neighbours(formen))


def test_help_texts_are_unit_neutral():
    import typer

    from sozialraum_cli.cli.app import app

    texts = []
    group = typer.main.get_command(app)
    for name in ("map", "profile", "site", "locate", "aggregate"):
        texts += [p.help or "" for p in group.commands[name].params]
    assert not any("Bezirksfläche" in t for t in texts)
    assert sum("Flächen der Einheiten" in t for t in texts) == 5  # --geometry of each
