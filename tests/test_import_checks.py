"""`mapping import` and `mapping check` refuse what would silently give a wrong mapping: a --prefix
that does not fit the codes, codes that lost their leading zeros, two areas of a scheme with one
code; messages name codes as written. Expectations worked out by hand from the small lists below."""

import json

from sozialraum_cli.mapping import load_mapping

# three Bezirke (the first 2 digits of a code), five Bezirksregionen (the first 4)
LISTE = """PLR-ID;Planungsraum;BZR-ID;Bezirksregion;BEZ-ID;Bezirk
01100101;Stülerstraße;0110;Tiergarten;01;Mitte
01100102;Kulturforum;0110;Tiergarten;01;Mitte
01200201;Sparrplatz;0120;Wedding;01;Mitte
02100101;Mehringplatz;0210;Friedrichstadt;02;Kreuzberg
02200201;Chamissokiez;0220;Vorstadt;02;Kreuzberg
03100101;Heideweg;0310;Heide;03;Spandau
03100102;Moor;0310;Heide;03;Spandau
"""
UNITS = ("--code", "PLR-ID", "--name", "Planungsraum")


def _import(run, write, tmp_path, *extra, text=LISTE):
    cw = write("cw.csv", text)
    out = tmp_path / "neu.yaml"
    return run("mapping", "import", cw, "--output", out, *UNITS, *extra), out


def test_prefix_that_fits_gives_the_bezirke(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=2")
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    assert z.schemata["bezirke"].raum_namen == ["Mitte", "Kreuzberg", "Spandau"]
    assert z.schemata["bezirke"].codes == {"Mitte": "01", "Kreuzberg": "02", "Spandau": "03"}
    assert 'hinweis: "Nummern der Räume aus den ersten 2 Stellen der Schlüssel"' in out.read_text(encoding="utf-8")


def test_prefix_too_long_for_the_areas_splits_most_names(run, write, tmp_path):
    # 3 digits: Mitte is 011 and 012, Kreuzberg 021 and 022, Spandau only 031: 2 of 3 names split
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=3")
    assert r.exit_code == 1
    assert "--prefix bezirke=3" in r.output and "„Mitte“ in 011, 012" in r.output
    assert "cw.csv, Zeile 4" in r.output  # Sparrplatz: the first row of 012
    assert "--area-code bezirke=SPALTE" in r.output
    assert not out.exists()


def test_prefix_with_one_repeated_area_name_stays_allowed(run, write, tmp_path):
    # a Bezirksregion „Tiergarten“ in Mitte (0110) and in Spandau (0310): 1 of 4 names split
    text = LISTE.replace("0310;Heide;", "0310;Tiergarten;")
    r, out = _import(run, write, tmp_path, "--scheme", "regionen=Bezirksregion", "--prefix", "regionen=4", text=text)
    assert r.exit_code == 0, r.output
    assert load_mapping(out).schemata["regionen"].raum_namen == [
        "Tiergarten (0110)", "Wedding", "Friedrichstadt", "Vorstadt", "Tiergarten (0310)"]


def test_prefix_not_shorter_than_the_codes(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=8")
    assert r.exit_code == 2
    assert "--prefix bezirke=8: N muss kürzer sein als die Schlüssel" in r.output and "8 Stellen" in r.output
    assert not out.exists()


def test_prefix_with_codes_of_different_lengths_names_lost_zeros(run, write, tmp_path):
    text = LISTE.replace("01100101;", "1100101;").replace("02100101;", "2100101;")
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=2", text=text)
    assert r.exit_code == 1
    assert "verschieden lang" in r.output and "„1100101“ in Zeile 2" in r.output and "„01100102“ in Zeile 3" in r.output
    assert "führende Nullen" in r.output and "Excel" in r.output and "„PLR-ID“ als Text formatieren" in r.output


def test_codes_stored_as_numbers_in_a_spreadsheet(run, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [line.split(";") for line in LISTE.splitlines()]
    ws.append(rows[0])
    for row in rows[1:]:
        ws.append([int(row[0]), *row[1:]])  # 1100101: Excel dropped the leading zero of every code
    cw = tmp_path / "cw.xlsx"
    wb.save(cw)
    out = tmp_path / "neu.yaml"
    # the first 2 digits of 1100101 are 11: Mitte 11, 12; Kreuzberg 21, 22; Spandau 31
    r = run("mapping", "import", cw, "--output", out, *UNITS, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=2")
    assert r.exit_code == 1
    assert "„Mitte“ in 11, 12" in r.output and "„PLR-ID“ enthält Zahlen" in r.output and "als Text formatieren" in r.output


def test_prefix_and_area_code_for_one_scheme_contradict(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=2",
                     "--area-code", "bezirke=BEZ-ID")
    assert r.exit_code == 2
    assert "--prefix bezirke=2 und --area-code bezirke=BEZ-ID widersprechen sich" in r.output


def test_option_messages_name_their_own_example_and_the_duplicate(run, write, tmp_path):
    r, _ = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--area-code", "bezirke")
    assert r.exit_code == 2 and "--area-code bezirke=BEZ-ID" in r.output and "bezirke=Bezirk" not in r.output
    r, _ = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", "--scheme", "bezirke=BEZ-ID")
    assert r.exit_code == 2 and "Das Schema „bezirke“ steht zweimal mit --scheme" in r.output


def test_conflicting_rows_grammar_and_names_only_hint(run, write, tmp_path):
    text = LISTE.replace("01100102;Kulturforum;", "01100101;Kulturforum;")
    r, _ = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", text=text)
    assert r.exit_code == 1 and "in den Zeilen 2 und 3 mit verschiedenem Namen („Stülerstraße“" in r.output
    text = "Stadtteil;Stadtbezirk\nAltmarkt;Mitte\nHafen;Mitte\nAltmarkt;Nordufer\n"
    cw = write("namen.csv", text)
    r = run("mapping", "import", cw, "--output", tmp_path / "n.yaml", "--name", "Stadtteil", "--scheme", "bezirke=Stadtbezirk")
    assert r.exit_code == 1
    assert "Der Name „Altmarkt“ (ohne --code sind die Namen die Schlüssel) steht in den Zeilen 2 und 4" in r.output
    assert "--code SPALTE" in r.output


def test_units_sharing_a_name_keep_the_listed_name_as_comment(run, write, tmp_path):
    text = LISTE.replace("03100102;Moor;", "03100102;Heideweg;")
    r, out = _import(run, write, tmp_path, "--scheme", "bezirke=Bezirk", text=text)
    assert r.exit_code == 0, r.output
    yaml_text = out.read_text(encoding="utf-8")
    assert '  - {nr: "03100101", name: "Heideweg (03100101)"}  # in der Liste: Heideweg\n' in yaml_text
    assert '  - {nr: "03100102", name: "Heideweg (03100102)"}  # in der Liste: Heideweg\n' in yaml_text
    assert '  - {nr: "01100101", name: "Stülerstraße"}\n' in yaml_text
    assert load_mapping(out).bezirke[3100102].name == "Heideweg (03100102)"


def test_spreadsheet_with_an_empty_first_sheet_names_the_sheets(run, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Deckblatt"
    ws = wb.create_sheet("Liste")
    for line in LISTE.splitlines():
        ws.append(line.split(";"))
    cw = tmp_path / "cw.xlsx"
    wb.save(cw)
    out = tmp_path / "neu.yaml"
    args = ("mapping", "import", cw, "--output", out, *UNITS, "--scheme", "bezirke=Bezirk")
    r = run(*args)
    assert r.exit_code == 1
    assert "Das Tabellenblatt „Deckblatt“ hat keine Zeilen unter der Kopfzeile" in r.output
    assert "„Deckblatt“, „Liste“" in r.output and '--sheet "Liste"' in r.output
    r = run(*args, "--sheet", "Liste")
    assert r.exit_code == 0, r.output
    assert len(load_mapping(out).bezirke) == 7


# ----------------------------------------------------------------------------- mapping check

MAPPING = """bezirke:
  - {nr: "0101", name: Altmarkt}
  - {nr: "0102", name: Hafen}
  - {nr: "0201", name: Lindenhof}
schemata:
  bezirke:
    codes: {Mitte: "01", Nordufer: "01"}
    raeume:
      Mitte: ["0101", "0102"]
      Nordufer: ["0201"]
"""


def test_check_refuses_two_areas_with_one_code(run, write):
    r = run("mapping", "check", write("m.yaml", MAPPING))
    assert r.exit_code == 1
    assert "m.yaml, Zeile 7" in r.output and "„Mitte“ (01) und „Nordufer“ (01) haben dieselbe Nummer" in r.output
    # 1 and 01 are one number too
    r = run("mapping", "check", write("m2.yaml", MAPPING.replace('Nordufer: "01"', "Nordufer: 1")))
    assert r.exit_code == 1 and "„Nordufer“ (1)" in r.output and "führenden Nullen" in r.output
    r = run("mapping", "check", write("m3.yaml", MAPPING.replace('Nordufer: "01"', 'Nordufer: "02"')), "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["einheiten"]["anzahl"] == 3


def test_check_messages_show_codes_with_their_leading_zeros(run, write):
    r = run("mapping", "check", write("m.yaml", MAPPING.replace("name: Hafen", "name: Altmarkt")))
    assert r.exit_code == 1
    assert ("Der Name „Altmarkt“ ist mehrdeutig: er passt zu Bezirk 0101 („Altmarkt“, Zeile 2) und zu Bezirk 0102."
            in r.output)
    r = run("mapping", "check", write("m2.yaml", MAPPING.replace('{nr: "0102", name: Hafen}', '{nr: "101", name: Hafen}')))
    assert r.exit_code == 1
    assert ("m2.yaml, Zeile 3: Bezirk 0101 steht zweimal in „bezirke“: in Zeile 2 als „0101“ und hier als „101“"
            in r.output)
