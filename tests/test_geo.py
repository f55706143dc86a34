"""Geometry, maps and point location."""

import csv
import io
import json
import struct

import pytest
import shapely
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app
from sozialraum_cli.geo import check_geometrie, count_points, load_geometrie, locate, raum_formen
from sozialraum_cli.karte import class_breaks

from conftest import BEISPIEL, HAUSHALTE, MINI, RAW


@pytest.fixture(scope="module")
def geo():
    return load_geometrie()


def test_bundled_geometry_covers_the_mapping(jena, geo):
    assert sorted(geo.polygone) == sorted(jena.bezirke)
    assert check_geometrie(jena, geo) == []
    # Jena covers 114.77 km² (official figure); the open-data polygons agree within 0.5 %
    total = shapely.union_all(list(geo.polygone.values())).area / 1e6
    assert total == pytest.approx(114.77, rel=0.005)


def test_geometry_checks_report_both_directions(mini, geo):
    warnings = check_geometrie(mini, geo)
    assert warnings[0] == "Bezirke ohne Geometrie: 1 (Altstadt), 2 (Neustadt), 3 (Oberdorf), 4 (Unterdorf)."
    assert warnings[1].startswith("Geometrien ohne Bezirk der Zuordnung: 11 (Ammerbach Ort), 12 (Beutenberg")


@pytest.mark.parametrize("schema", ["sozialraeume", "planungsraeume"])
def test_area_shapes_are_the_union_of_their_districts(jena, geo, schema):
    s = jena.schema(schema)
    formen = raum_formen(s, geo)
    everything = shapely.union_all(list(geo.polygone.values()))
    assert shapely.union_all(list(formen.values())).symmetric_difference(everything).area < 1.0  # m²
    assert sum(f.area for f in formen.values()) == pytest.approx(everything.area, rel=1e-6)  # no overlaps
    for raum in s.raeume:
        for nr in raum.anteile:
            assert formen[raum.name].contains(geo.polygone[nr].representative_point())
            assert formen[raum.name].buffer(0.01).contains(geo.polygone[nr].centroid) or not geo.polygone[nr].contains(geo.polygone[nr].centroid)


POINTS = [
    # line, lon, lat, expected district or reason
    (2, "11.589704468948257", "50.92901708249172", 41),
    (3, "11,60742229617667", "50,88540835160855", 62),  # German decimal comma
    (4, "11.651753734826926", "50.88535966493336", 133),
    (5, "11.648022517013397", "50.921232646669", 201),
    (6, "11.3288", "50.9795", "außerhalb der Stadt"),  # Weimar
    (7, "11.54641975108936", "50.933732550232016", "liegt auf der Grenze zwischen den Flächen 42 und 44"),
    (8, "", "50.9", "Koordinate fehlt (x/Länge)"),
    (9, "elf", "50.9", "Koordinate ist keine Zahl („elf“)"),
]


def test_locate_hand_made_points(geo):
    lagen = locate(geo, [(line, x, y) for line, x, y, _ in POINTS])
    for lage, (line, _, _, expected) in zip(lagen, POINTS):
        assert lage.zeile == line
        if isinstance(expected, int):
            assert (lage.bezirk_nr, lage.grund) == (expected, "")
        else:
            assert (lage.bezirk_nr, lage.grund) == (None, expected)


def test_locate_projected_coordinates(geo):
    lagen = locate(geo, [(2, 681982.96, 5645125.32), (3, 683399.21, 5640320.83)], crs="EPSG:25832")
    assert [l.bezirk_nr for l in lagen] == [41, 62]


def test_counts_per_area_and_category(jena, geo):
    lagen = locate(geo, [(line, x, y) for line, x, y, _ in POINTS])
    kategorien = ["Treff", "Werkstatt", "Treff", "Treff", "Treff", "Treff", "Werkstatt", "Treff"]
    tabelle, cats = count_points(lagen, jena.schema("sozialraeume"), kategorien)
    got = tabelle.set_index("raum")
    # 41 West/Zentrum (Treff), 62 Lobeda (Werkstatt), 133 Lobeda (Treff), 201 Ost (Treff); 4 not located
    assert dict(got["anzahl"]) == {"Lobeda": 2, "Winzerla": 0, "West/Zentrum": 1, "Nord": 0, "Ost": 1, "Gesamt": 4}
    assert cats == ["Treff", "Werkstatt"]
    assert dict(got["Werkstatt"]) == {"Lobeda": 1, "Winzerla": 0, "West/Zentrum": 0, "Nord": 0, "Ost": 0, "Gesamt": 1}
    planung, _ = count_points(lagen, jena.schema("planungsraeume"))
    assert planung.set_index("raum").at["Ortschaften", "anzahl"] == 2  # 133 Ilmnitz and 201 Jenaprießnitz


def write_points(tmp_path):
    path = tmp_path / "orte.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Name", "Art", "Breite", "Länge"])
        for line, x, y, _ in POINTS:
            w.writerow([f"Ort {line}", "Treff" if line % 2 else "Werkstatt", y, x])
    return path


def test_locate_command(tmp_path):
    points = write_points(tmp_path)
    out = tmp_path / "orte_mit_bezirk.csv"
    r = CliRunner().invoke(app, ["locate", str(points), "--category", "Art", "--scheme", "sozialraeume", "-f", "csv",
                                 "--population", str(BEISPIEL), "--points-output", str(out)])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    lobeda = next(x for x in rows if x["raum"] == "Lobeda")
    # line 3 (62, odd: Treff) and line 4 (133, even: Werkstatt)
    assert (lobeda["anzahl"], lobeda["Treff"], lobeda["Werkstatt"]) == ("2", "1", "1")
    assert float(lobeda["je_1000_einwohner"]) == pytest.approx(round(1000 * 2 / 25838, 4))
    assert "8 Orte, 4 einem Bezirk zugeordnet, 4 nicht zugeordnet." in r.stderr
    assert "Nicht zugeordnet: Zeile 7: liegt auf der Grenze zwischen den Flächen 42 und 44" in r.stderr
    located = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [x["bezirk_nr"] for x in located] == ["41", "62", "133", "201", "", "", "", ""]
    assert located[2]["sozialraeume"] == "Lobeda" and located[2]["planungsraeume"] == "Ortschaften"
    assert located[4]["hinweis"] == "außerhalb der Stadt"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("args,size", [
    (["map", "-s", "sozialraeume"], (1600, 1200)),
    (["map", "-s", "planungsraeume", str(BEISPIEL), "--rate", "sgb2_quote", "--width", "900", "--height", "700"], (900, 700)),
    (["map", "-s", "planungsraeume", str(HAUSHALTE), "--year", "2016", "--compare", "--min-count", "4000"], (1600, 1200)),
])
def test_maps_are_valid_images_of_the_requested_size(tmp_path, args, size):
    out = tmp_path / "karte.png"
    r = CliRunner().invoke(app, [*args, "--output", str(out)])
    assert r.exit_code == 0, r.stderr
    assert png_size(out.read_bytes()) == size
    again = tmp_path / "karte2.png"
    assert CliRunner().invoke(app, [*args, "--output", str(again)]).exit_code == 0
    assert again.read_bytes() == out.read_bytes()  # deterministic


def test_svg_and_pdf(tmp_path):
    for suffix, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF")):
        out = tmp_path / f"karte{suffix}"
        assert CliRunner().invoke(app, ["map", "--output", str(out)]).exit_code == 0
        assert out.read_bytes().startswith(magic)
    r = CliRunner().invoke(app, ["map", "--output", str(tmp_path / "karte.gif")])
    assert r.exit_code == 2 and ".png, .svg oder .pdf" in r.stderr


def test_class_breaks():
    assert class_breaks([1, 2, 3, 4, 5], 4) == [1, 2, 3, 4, 5]
    assert class_breaks([5, 5, 5]) == [5, 5]
    assert class_breaks([]) == []


def test_other_geometry_with_code_property(tmp_path, jena):
    doc = json.loads((RAW / "statistische_bezirke.geojson").read_text(encoding="utf-8"))
    for f in doc["features"]:
        f["properties"] = {"schluessel": f"{f['properties']['id']:03d}"}
    path = tmp_path / "bezirke.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    g = load_geometrie(path, "schluessel")
    assert sorted(g.polygone) == sorted(jena.bezirke)
    with pytest.raises(Exception, match="keine Eigenschaft „id“"):
        load_geometrie(path)


def test_geometry_that_fits_no_district(tmp_path):
    from sozialraum_cli.geo import default_geometry_path

    # Jena's polygons given explicitly to another mapping (without --geometry it has no default at all)
    r = CliRunner().invoke(app, ["map", "--config", str(MINI), "-s", "stadt_land", "--output", str(tmp_path / "k.png"),
                                 "--geometry", str(default_geometry_path())])
    assert r.exit_code == 1
    assert "Keine Fläche der Geometriedatei gehört zu einem Bezirk der Zuordnung." in r.stderr
    assert not (tmp_path / "k.png").exists()


def test_map_value_and_rate_of_the_wrong_kind_are_usage_errors(run, tmp_path):
    r = run("map", BEISPIEL, "--value", "sgb2_quote", "-o", tmp_path / "m.png")
    assert r.exit_code == 2 and "„sgb2_quote“ ist keine Anzahl" in r.stderr and "Interner Fehler" not in r.stderr
    r = run("map", BEISPIEL, "--rate", "einwohner", "-o", tmp_path / "m.png")
    assert r.exit_code == 2 and "„einwohner“ ist keine Quote" in r.stderr
    assert not (tmp_path / "m.png").exists()


def test_many_unlocated_points_are_summarised(run, tmp_path):
    points = tmp_path / "orte.csv"
    points.write_text("name,lat,lon\n" + "".join(f"p{i},48.1,11.5\n" for i in range(25)) + "in Jena,50.927,11.589\n",
                      encoding="utf-8")
    r = run("locate", points, "--format", "table")
    assert r.exit_code == 0, r.output
    assert "25 Orte nicht zugeordnet: außerhalb der Stadt." in r.stdout
    assert r.stdout.count("Nicht zugeordnet: Zeile") == 10 and "… und 15 weitere Zeilen" in r.stdout
