"""The district mapping: the bundled one against the reference table, and every validation error."""

import csv
from collections import defaultdict

import pytest

from sozialraum_cli.errors import MappingError
from sozialraum_cli.mapping import load_mapping, name_key

from conftest import REFERENZ, ROOT


def reference():
    with open(REFERENZ, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_bundled_mapping_has_all_41_districts_with_names_from_reference(jena):
    ref = reference()
    assert len(jena.bezirke) == 41
    assert {int(r["bezirk_nr"]): r["bezirk_name"] for r in ref} == {nr: b.name for nr, b in jena.bezirke.items()}
    assert {nr: b.beleg for nr, b in jena.bezirke.items()} == {int(r["bezirk_nr"]): r["sozialraum_beleg"] for r in ref}


@pytest.mark.parametrize("schema,column", [("sozialraeume", "sozialraum"), ("planungsraeume", "planungsraum")])
def test_bundled_schemes_equal_reference_table(jena, schema, column):
    expected = defaultdict(set)
    for r in reference():
        expected[r[column]].add(int(r["bezirk_nr"]))
    got = {raum.name: set(raum.anteile) for raum in jena.schema(schema).raeume}
    assert got == dict(expected)


def test_scheme_sizes(jena):
    assert [len(r.anteile) for r in jena.schema("sozialraeume").raeume] == [7, 8, 13, 6, 7]
    assert {r.name: len(r.anteile) for r in jena.schema("planungsraeume").raeume} == {
        "West/Zentrum": 5, "Lobeda": 5, "Nord": 4, "Ost": 5, "Winzerla": 6, "Ortschaften": 16,
    }


def test_bundled_mapping_is_the_repository_config(jena):
    assert jena.datei.read_bytes() == (ROOT / "config" / "districts.yaml").read_bytes()


@pytest.mark.parametrize(
    "written,nr",
    [("LOBEDA-WEST", 62), ("Lobeda West", 62), ("lobeda  west", 62), ("Göschw.", 30), ("GOESCHWITZ", 30),
     ("Ammerb.", 11), ("Lobeda-Altst.", 61), ("Zwaetzen", 120), ("Jena (gesamt)", 0), ("Jena Süd", 44),
     ("Drackendorf/Lobeda-Ost", 131), ("außerhalb / sonstiges / nicht zugeordnet", 999), ("Jenapriessnitz", 201)],
)
def test_name_matching(jena, written, nr):
    assert jena.finde(written) == nr


def test_unknown_and_ambiguous_names_do_not_match(jena):
    assert jena.finde("Nord") is None  # the report's "Nord" means both 43 and 72
    assert jena.finde("Gotha") is None


def test_name_key():
    assert name_key(" Straße-Süd ") == "strassesued"


def test_quote_definition(jena):
    q = jena.merkmale["sgb2_quote"]
    assert (q.zaehler, q.nenner, q.faktor) == ("sgb2_personen", "einwohner_unter_65", 100.0)


def test_split_district_shares(mini):
    s = mini.schema("geteilt")
    assert s.aufgeteilt == [2]
    assert s.raeume_von(2) == [("Nord", 0.25), ("Sued", 0.75)]


BASE = """\
bezirke:
  - {nr: 1, name: Altstadt}
  - {nr: 2, name: Neustadt}
schemata:
  s:
    raeume:
      A: [1]
      B: [2]
"""


def broken(tmp_path, text):
    p = tmp_path / "zuordnung.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(p)
    return info.value


@pytest.mark.parametrize(
    "replace,expected,line",
    [
        (("      B: [2]", "      B: [2, 1]"), "Bezirk 1 (Altstadt) steht im Schema „s“ in zwei Räumen: „A“ (Zeile 7) und „B“ (Zeile 8)", 8),
        (("      B: [2]", "      B: []"), "Raum „B“ im Schema „s“ hat keine Bezirke", 8),
        (("      B: [2]", "      B: [2, 7]"), "nennt Bezirk 7, den es unter „bezirke“ nicht gibt", 8),
        (("      A: [1]\n", ""), "kein Raum für diese Bezirke angegeben: 1 (Altstadt)", 5),
        (("name: Neustadt", "name: ALTSTADT"), "Der Name „ALTSTADT“ ist mehrdeutig: er passt zu Bezirk 1 („Altstadt“, Zeile 2) und zu Bezirk 2", 3),
        (("name: Neustadt}", "name: Neustadt, aliase: [Alt-Stadt]}"), "Der Name „Alt-Stadt“ ist mehrdeutig", 3),
        (("{nr: 2, name: Neustadt}", "{nr: 1, name: Neustadt}"), "Bezirk 1 steht zweimal", 3),
        (("      B: [2]", "      B: [2]\n      A: [2]"), "Der Schlüssel „A“ steht zweimal (zuerst in Zeile 7)", 9),
        (("A: [1]", "A: [1"), "kein gültiges YAML", 8),
        (("schemata:", "schemen:"), "Der Abschnitt „schemata“ fehlt", None),
        (("      B: [2]", "      B: [{nr: 2, anteil: 1.5}]"), "Der Anteil muss größer als 0 und höchstens 1 sein, nicht „1.5“", 8),
        (("      B: [2]", "      B: [{nr: 2, anteil: 0}]"), "Der Anteil muss größer als 0", 8),
        (("      A: [1]\n      B: [2]", "      A: [1, {nr: 2, anteil: 0.5}]\n      B: [{nr: 2, anteil: 0.3}]"),
         "Die Anteile von Bezirk 2 (Neustadt) im Schema „s“ ergeben zusammen 0,8 statt 1", 7),
        (("{nr: 2, name: Neustadt}", "{nr: zwei, name: Neustadt}"), "Jeder Bezirk braucht eine ganze Zahl „nr“", 3),
    ],
)
def test_validation_errors_name_file_and_line(tmp_path, replace, expected, line):
    old, new = replace
    assert old in BASE
    err = broken(tmp_path, BASE.replace(old, new))
    assert expected in err.message
    assert err.datei.endswith("zuordnung.yaml")
    assert err.zeile == line


def test_quote_needs_known_counts(tmp_path):
    err = broken(tmp_path, BASE + "merkmale:\n  q: {art: quote, zaehler: a, nenner: b}\n")
    assert "zaehler „a“ ist kein Merkmal der Art anzahl" in err.message


def test_special_code_is_not_a_district(tmp_path):
    text = "sondercodes:\n  - {nr: 0, art: gesamt, name: Gesamt}\n" + BASE.replace("{nr: 2, name: Neustadt}", "{nr: 0, name: Neustadt}")
    assert "ist ein Sondercode" in broken(tmp_path, text).message


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(MappingError, match="gibt es nicht"):
        load_mapping(tmp_path / "fehlt.yaml")
    assert "muss die Abschnitte" in broken(tmp_path, "").message
