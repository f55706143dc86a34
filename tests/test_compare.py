"""compare: crosswalk, moved districts, side by side, what-if changes and split districts.

Expectations come from the reference table and the raw household file (standard csv
module), or are worked out by hand.
"""

import csv
from collections import defaultdict

import pytest

from sozialraum_cli.compare import compare
from sozialraum_cli.errors import AufrufError, MappingError
from sozialraum_cli.mapping import load_mapping, move_districts
from sozialraum_cli.reading import read_bezirksdaten

from conftest import HAUSHALTE, REFERENZ, ROOT
from test_aggregate import MINI, raw_household_sums

SOZIAL = ["Lobeda", "Winzerla", "West/Zentrum", "Nord", "Ost"]
PLANUNG = ["West/Zentrum", "Lobeda", "Nord", "Ost", "Winzerla", "Ortschaften"]


def reference_pairs():
    with open(REFERENZ, encoding="utf-8") as f:
        return [(int(r["bezirk_nr"]), r["planungsraum"], r["sozialraum"]) for r in csv.DictReader(f)]


@pytest.fixture(scope="module")
def haushalte(jena):
    return read_bezirksdaten(HAUSHALTE, jena)


def test_district_count_crosswalk_every_cell(jena):
    v = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"))
    expected = defaultdict(int)
    for _, p, s in reference_pairs():
        expected[(p, s)] += 1
    for p in PLANUNG:
        for s in SOZIAL:
            assert v.bezirke.at[p, s] == expected[(p, s)], (p, s)
    assert list(v.bezirke.loc["Ortschaften", SOZIAL]) == [2, 2, 8, 2, 2]
    assert list(v.bezirke["Gesamt"]) == [5, 5, 4, 5, 6, 16, 41]
    assert list(v.bezirke.loc["Gesamt", SOZIAL]) == [7, 8, 13, 6, 7]
    assert v.werte is None and v.nebeneinander is None


def test_moved_districts(jena):
    v = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"))
    assert v.hauptpartner == {p: p for p in PLANUNG[:5]} | {"Ortschaften": "West/Zentrum"}
    assert [(w.bezirk_nr, w.von, w.nach) for w in v.wechsel] == [
        (132, "Ortschaften", "Lobeda"), (133, "Ortschaften", "Lobeda"), (141, "Ortschaften", "Winzerla"),
        (142, "Ortschaften", "Winzerla"), (191, "Ortschaften", "Nord"), (192, "Ortschaften", "Nord"),
        (201, "Ortschaften", "Ost"), (202, "Ortschaften", "Ost"),
    ]
    # with the West/Zentrum villages, the 16 Ortschaften are spread over all five Sozialräume
    assert {w.nach for w in v.wechsel} | {"West/Zentrum"} == set(SOZIAL)


def test_household_crosswalk_2016(jena, haushalte):
    v = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"), haushalte, jahr=2016)
    w = v.werte
    assert dict(w["Gesamt"].drop("Gesamt")) == raw_household_sums(2016, "planungsraum")
    assert dict(w.loc["Gesamt"].drop("Gesamt")) == raw_household_sums(2016, "sozialraum")
    assert w.at["Gesamt", "Gesamt"] == 61012
    # Ortschaften by hand from the file: 132+133, 141+142, 151..183, 191+192, 201+202
    assert list(w.loc["Ortschaften", SOZIAL]) == [365 + 206, 161 + 57, 140 + 22 + 54 + 45 + 357 + 684 + 74 + 61, 329 + 26, 171 + 349]
    assert v.zeilenanteile().at["Ortschaften", "West/Zentrum"] == pytest.approx(100 * 1437 / 3101)
    assert [w_.wert for w_ in v.wechsel] == [365, 206, 161, 57, 329, 26, 171, 349]


def test_row_and_column_totals_equal_aggregate(jena, haushalte):
    from sozialraum_cli.aggregate import aggregate

    v = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"), haushalte, jahr=2016)
    a = aggregate(jena, "planungsraeume", haushalte, jahr=2016)
    b = aggregate(jena, "sozialraeume", haushalte, jahr=2016)
    assert {r: v.werte.at[r, "Gesamt"] for r in PLANUNG} == {r: a.zeile(r).wert("privathaushalte") for r in PLANUNG}
    assert {r: v.werte.at["Gesamt", r] for r in SOZIAL} == {r: b.zeile(r).wert("privathaushalte") for r in SOZIAL}


def test_side_by_side_shows_rank_changes(jena):
    daten = read_bezirksdaten(ROOT / "data" / "raw" / "beispiel_2021.csv", jena)
    v = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"), daten)
    nb = {p.raum: p for p in v.nebeneinander}
    assert nb["Lobeda"].a.raenge["sgb2_quote"] == 1 and nb["Winzerla"].a.raenge["sgb2_quote"] == 2
    assert nb["Ortschaften"].a.raenge["einwohner"] == 6 and nb["Ortschaften"].b is None
    assert nb["West/Zentrum"].b.werte["einwohner"].wert == v.werte.at["Gesamt", "West/Zentrum"]
    assert v.merkmal.name == "einwohner"  # the first count column by default
    assert any("nicht zugeordnet" in h and "23" in h for h in v.hinweise)


def test_move_changes_exactly_one_district(jena, haushalte):
    sozial = jena.schema("sozialraeume")
    changed, warnings = move_districts(jena, sozial, [("133", "Winzerla")])
    assert warnings == [] and "133 Ilmnitz → Winzerla" in changed.titel
    v = compare(jena, sozial, changed, haushalte, jahr=2016, geaendert=True)
    assert [(w.bezirk_nr, w.von, w.nach, w.wert) for w in v.wechsel] == [(133, "Lobeda", "Winzerla", 206)]
    assert v.werte.at["Gesamt", "Lobeda"] == 14519 - 206
    assert v.werte.at["Gesamt", "Winzerla"] == 9270 + 206
    by_name, _ = move_districts(jena, sozial, [("Ilmnitz", "winzerla")])
    assert by_name.raeume == changed.raeume


def test_move_to_a_new_area_and_errors(jena):
    sozial = jena.schema("sozialraeume")
    changed, warnings = move_districts(jena, sozial, [("141", "Saaletal")])
    assert changed.raum("Saaletal").anteile == {141: 1.0}
    assert warnings == ["Raum „Saaletal“ gibt es im Schema „sozialraeume“ nicht; er wird neu angelegt."]
    with pytest.raises(AufrufError, match="Bezirk „Gotha“ gibt es"):
        move_districts(jena, sozial, [("Gotha", "Lobeda")])


def test_config_b_proposal(jena, haushalte, tmp_path):
    text = (ROOT / "config" / "districts.yaml").read_text(encoding="utf-8")
    text = text.replace("Lobeda: [61, 62, 63, 100, 131]", "Lobeda: [61, 62, 63, 100, 131, 133]")
    text = text.replace("Ortschaften: [132, 133, 141", "Ortschaften: [132, 141")
    proposal = tmp_path / "vorschlag.yaml"
    proposal.write_text(text, encoding="utf-8")
    b = load_mapping(proposal)
    v = compare(jena, jena.schema("planungsraeume"), b.schema("planungsraeume"), haushalte, jahr=2016, geaendert=True)
    assert [(w.bezirk_nr, w.von, w.nach) for w in v.wechsel] == [(133, "Ortschaften", "Lobeda")]
    assert v.werte.at["Gesamt", "Lobeda"] == 13948 + 206


def test_split_districts_allocate_counts_and_rates(mini, write):
    daten = read_bezirksdaten(write("d.csv", MINI), mini)
    v = compare(mini, mini.schema("stadt_land"), mini.schema("geteilt"), daten)
    assert v.werte.at["Stadt", "Nord"] == 1000 + 0.25 * 2000
    assert v.werte.at["Stadt", "Sued"] == 0.75 * 2000
    assert v.werte.at["Land", "Sued"] == 800
    assert v.werte.at["Gesamt", "Gesamt"] == 3800  # allocated counts add up to the unsplit total
    assert v.bezirke.at["Stadt", "Nord"] == 1.25 and v.bezirke.at["Gesamt", "Gesamt"] == 4
    # Stadt splits 1500 : 1500 between Nord and Sued; on a tie the first Raum of B is the counterpart
    assert v.hauptpartner == {"Stadt": "Nord", "Land": "Sued"}
    assert [(w.bezirk_nr, w.anteil, w.wert) for w in v.wechsel] == [(2, 0.75, 1500)]
    assert v.tabelle_b.zeile("Nord").wert("sgb2_quote") == pytest.approx(100 * (80 + 0.25 * 300) / (800 + 0.25 * 1500))
    assert any("Anteil in A × Anteil in B" in h for h in v.hinweise)


def test_incomplete_cells(mini, write):
    daten = read_bezirksdaten(write("d.csv", MINI.replace("4,Unterdorf,300", "4,Unterdorf,*")), mini)
    v = compare(mini, mini.schema("stadt_land"), mini.schema("geteilt"), daten)
    assert not v.vollstaendig.at["Land", "Sued"] and v.vollstaendig.at["Stadt", "Nord"]
    assert v.werte.at["Land", "Sued"] == 500
    assert "Einwohner: Bezirk 4 (Unterdorf) aus Datenschutzgründen unterdrückt." in v.warnungen


def test_errors(jena, mini, haushalte):
    s = jena.schema("sozialraeume")
    with pytest.raises(AufrufError, match="Zweimal dasselbe Schema"):
        compare(jena, s, s)
    with pytest.raises(AufrufError, match="brauchen eine Datendatei"):
        compare(jena, s, jena.schema("planungsraeume"), merkmal="einwohner")
    with pytest.raises(AufrufError, match="„einwohner“ ist keine Anzahl der Datei"):
        compare(jena, s, jena.schema("planungsraeume"), haushalte, merkmal="einwohner")
    from sozialraum_cli.compare import check_same_districts

    with pytest.raises(MappingError, match="nicht dieselben Bezirke"):
        check_same_districts(jena, mini)
