"""JSON output equals the core result rendered: the CLI adds nothing and loses nothing (issue 14).

aggregate and compare have theirs in test_cli.py; here the other commands with JSON output.
Each test also checks a few numbers worked out by hand, so that a wrong core cannot hide.
"""

from __future__ import annotations

import json

from conftest import DATA, HAUSHALTE

from sozialraum_cli.publication import protect
from sozialraum_cli.reading import read_bezirksdaten


def _same(doc: dict, core_doc: dict) -> None:
    assert doc == json.loads(json.dumps(core_doc))


def test_trend_json_equals_core(run, jena):
    from sozialraum_cli.render.entwicklung import json_doc
    from sozialraum_cli.trend import trend

    r = run("trend", HAUSHALTE, "--scheme", "all", "--years", "2010-", "--format", "json")
    assert r.exit_code == 0, r.stderr
    daten = read_bezirksdaten(HAUSHALTE, jena)
    core = [trend(jena, jena.schema(s), daten, von=2010) for s in ("sozialraeume", "planungsraeume")]
    core = protect(jena, daten, core, 3).ergebnisse  # the bundled mapping's rule: 1 and 2 hidden by default
    doc = json.loads(r.stdout)
    _same(doc, json_doc(core, str(jena.datei)))
    ort = next(z for t in doc["tabellen"] if t["schema"] == "planungsraeume" for z in t["zeilen"] if z["raum"] == "Ortschaften")
    # the 16 villages summed by hand from the file (see test_trend.test_changes_by_hand)
    assert (ort["2010"], ort["2016"]) == (2886, 3101)


def test_index_json_equals_core(run):
    from sozialraum_cli.cli.index import build_definition
    from sozialraum_cli.index import compute_index
    from sozialraum_cli.mapping import load_mapping
    from sozialraum_cli.render.index import json_doc

    mapping, einheiten = DATA / "index.yaml", DATA / "index_einheiten.csv"
    r = run("index", einheiten, "--config", mapping, "--index", "status", "--scheme", "bereiche", "--format", "json")
    assert r.exit_code == 0, r.stderr
    z = load_mapping(mapping)
    definition = build_definition(z, index_name="status", indicators=None, weights=None, directions=None,
                                  no_standardize=False, mean=None, min_population=None, population=None, classes=None)
    core = compute_index(z, read_bezirksdaten(einheiten, z), definition, schema=z.schema("bereiche"))
    doc = json.loads(r.stdout)
    _same(doc, json_doc(core, str(z.datei)))
    assert doc["methode"]["summe"]["anzahl_bezirke"] == 20


def test_schemes_and_districts_json_equal_the_mapping(run, jena):
    from sozialraum_cli.render.zuordnung import bezirke_json, schemata_json

    r = run("schemes", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    _same(doc, schemata_json(jena))
    sozial = next(s for s in doc["schemata"] if s["schema"] == "sozialraeume")
    # the committee report's five Sozialräume with 7, 8, 13, 6 and 7 districts (reference table in shared/)
    assert sorted(len(r_["bezirke"]) for r_ in sozial["raeume"]) == [6, 7, 7, 8, 13]
    r = run("districts", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    _same(doc, bezirke_json(jena))
    assert len(doc["bezirke"]) == 41


def test_locate_json_equals_core(run, jena, tmp_path):
    from test_geo import write_points

    from sozialraum_cli.geo import load_geometrie, locate_file
    from sozialraum_cli.orte import count_places
    from sozialraum_cli.render.standorte import json_doc

    points = write_points(tmp_path)
    r = run("locate", points, "--category", "Art", "--scheme", "sozialraeume", "--format", "json")
    assert r.exit_code == 0, r.stderr
    orte = locate_file(load_geometrie(None), points, category="Art")
    core = count_places(jena.schema("sozialraeume"), orte, None)
    doc = json.loads(r.stdout)
    _same(doc, json_doc(core))
    lobeda = next(z for z in doc["zeilen"] if z["raum"] == "Lobeda")
    # the points of lines 3 (district 62) and 4 (district 133) lie in Lobeda (see test_geo.write_points)
    assert (lobeda["anzahl"], lobeda["Treff"], lobeda["Werkstatt"]) == (2, 1, 1)
    assert len(doc["nicht_zugeordnet"]) == 4
