"""Issue 15: any city. A fictional city (tests/stadt.py) with 8-digit codes with leading zeros,
three nested levels and two Bezirksregionen that share a name. Expected sums are worked out by
hand from the numbers in tests/stadt.py."""

import csv
import io
import json

import pytest

from sozialraum_cli.errors import MappingError
from sozialraum_cli.mapping import load_mapping
from sozialraum_cli.reading import read_bezirksdaten

from stadt import EINHEITEN, MAPPING_YAML, wide_csv


@pytest.fixture
def stadt(write):
    return write("neustadt.yaml", MAPPING_YAML)


# ----------------------------------------------------------------------------- codes are text


def test_codes_keep_leading_zeros_in_the_mapping(stadt):
    z = load_mapping(stadt)
    assert [b.schluessel for b in z.bezirke.values()] == [
        "01010101", "01010102", "01020201", "02010101", "02010102", "02020201"]
    assert z.code(1010101) == "01010101"
    assert z.text_codes
    assert z.code_json(2020201) == "02020201"
    assert z.sondercodes[0].schluessel == "00000000"


def test_jena_codes_stay_numbers(jena):
    assert not jena.text_codes
    assert jena.code_json(11) == 11
    assert jena.code(11) == "11"


@pytest.mark.parametrize("value", ["01100101", "01100109", "0101"])
def test_unquoted_leading_zero_is_an_error_with_line(write, value):
    text = MAPPING_YAML.replace('{nr: "01010102", name: "Hafen"}', f'{{nr: {value}, name: "Hafen"}}')
    path = write("octal.yaml", text)
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    err = exc.value
    assert str(err.datei) == str(path)
    assert err.zeile == 7  # the line of Hafen
    assert value in err.message and "Anführungszeichen" in str(err.hilfe)


def test_unquoted_leading_zero_in_a_scheme_is_an_error(write):
    path = write("octal.yaml", MAPPING_YAML.replace('Wiesengrund: ["02020201"]', "Wiesengrund: [02020201]"))
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    assert exc.value.zeile == 19


def test_codes_equal_but_for_leading_zeros_are_one_unit(write):
    path = write("dup.yaml", MAPPING_YAML.replace('{nr: "01010102", name: "Hafen"}', '{nr: "1010101", name: "Hafen"}'))
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    assert "führenden Nullen" in exc.value.message and exc.value.zeile == 7


def test_districts_outputs_keep_leading_zeros(run, stadt):
    r = run("districts", "--config", stadt, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(r.output)))
    assert [row[0] for row in rows[1:]] == ["01010101", "01010102", "01020201", "02010101", "02010102", "02020201"]
    r = run("districts", "--config", stadt, "--format", "json")
    doc = json.loads(r.output)
    assert doc["bezirke"][0]["bezirk_nr"] == "01010101"
    r = run("districts", "--config", stadt, "--format", "table")
    assert "02020201" in r.output
    r = run("schemes", "--config", stadt, "--format", "json")
    doc = json.loads(r.output)
    members = [b["bezirk_nr"] for s in doc["schemata"] for raum in s["raeume"] for b in raum["bezirke"]]
    assert "01020201" in members and all(isinstance(m, str) for m in members)


def test_data_file_codes_with_and_without_leading_zeros_match(write, stadt):
    z = load_mapping(stadt)
    # Excel often drops the leading zero: 1010101 is the unit 01010101
    data = write("ew.csv", wide_csv(codes=lambda c: c.lstrip("0")))
    d = read_bezirksdaten(data, z)
    assert set(d.daten["bezirk_nr"]) == set(z.bezirke)


def test_aggregate_sums_per_level(run, write, stadt):
    data = write("ew.csv", wide_csv())
    r = run("aggregate", data, "--config", stadt, "-s", "regionen", "--value", "einwohner", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    werte = {z["raum"]: z["einwohner"] for z in doc["tabellen"][0]["zeilen"]}
    # by hand: Altstadt 1200 + 800, Heideweg (0102) 650, Heideweg (0201) 900 + 1500, Wiesengrund 400
    assert werte == {"Altstadt": 2000, "Heideweg (0102)": 650, "Heideweg (0201)": 2400, "Wiesengrund": 400,
                     "Gesamt": 5450}
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "--format", "json")
    doc = json.loads(r.output)
    werte = {z["raum"]: z["einwohner"] for z in doc["tabellen"][0]["zeilen"]}
    assert werte == {"Mitte": 2650, "Nordufer": 2800, "Gesamt": 5450}


def test_compare_wechsel_keeps_leading_zeros(run, write, stadt):
    data = write("ew.csv", wide_csv())
    r = run("compare", "regionen", "bezirke", data, "--config", stadt, "--value", "einwohner", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    # regionen nest in bezirke: nothing moves
    assert doc["wechsel"] == []
    # Hafen moved to Nordufer: its Bezirksregion Altstadt stays with Mitte (1200 > 800), Hafen changes
    r = run("compare", "regionen", "bezirke", data, "--config", stadt, "--value", "einwohner", "--move", "01010102=Nordufer",
            "--format", "json")
    assert r.exit_code == 0, r.output
    assert [(w["bezirk_nr"], w["wert"]) for w in json.loads(r.stdout)["wechsel"]] == [("01010102", 800)]
    r = run("compare", "regionen", "bezirke", data, "--config", stadt, "--value", "einwohner", "--move", "01010102=Nordufer",
            "--format", "table")
    assert "01010102" in r.stdout and "Planungsraum" in r.stdout


def test_export_writes_codes_as_text(run, write, stadt, tmp_path):
    import openpyxl

    data = write("ew.csv", wide_csv())
    out = tmp_path / "x.xlsx"
    r = run("export", data, "--config", stadt, "-o", out)
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    # the sheet of the units: its header row (below the title and source rows) starts with "Nr."
    ws, head = next((ws, row[0].row) for ws in wb.worksheets for row in ws.iter_rows(max_row=6) if row[0].value == "Nr.")
    cells = [ws.cell(row=i, column=1) for i in range(head + 1, head + 7)]
    assert [c.value for c in cells] == ["01010101", "01010102", "01020201", "02010101", "02010102", "02020201"]
    assert all(c.data_type == "s" for c in cells)


def test_profile_keeps_leading_zeros(run, write, stadt, tmp_path):
    from stadt import geojson

    data = write("ew.csv", wide_csv())
    geo = write("g.geojson", geojson())
    out = tmp_path / "prof"
    r = run("profile", data, "--config", stadt, "-o", out, "-s", "regionen", "--geometry", geo, "--code-property", "PLR_ID")
    assert r.exit_code == 0, r.output
    html = (out / "profil-altstadt.html").read_text(encoding="utf-8")
    assert "01010101 Altmarkt" in html and "01010102 Hafen" in html


# ----------------------------------------------------------------------------- key and name columns


@pytest.mark.parametrize("key", ["PLR-ID", "Schlüssel", "Kennziffer", "LOR"])
def test_key_headers_are_recognised(write, stadt, key):
    z = load_mapping(stadt)
    d = read_bezirksdaten(write("ew.csv", wide_csv(key_header=key)), z)
    by_unit = d.daten[d.daten["merkmal"] == "einwohner"].set_index("bezirk_nr")["wert"].to_dict()
    assert by_unit[1010101] == 1200 and by_unit[2020201] == 400


@pytest.mark.parametrize("name", ["Planungsraum", "Stadtteil", "Ortsteil", "Gebiet", "Stadtgebiet"])
def test_name_headers_are_recognised(write, stadt, name):
    z = load_mapping(stadt)
    rows = "\n".join(f"{n};{ew}" for _c, n, *_r, ew, _hh in __import__("stadt").EINHEITEN)
    d = read_bezirksdaten(write("ew.csv", f"{name};Einwohner\n{rows}\n"), z)
    assert len(d.daten) == 6


def test_bare_id_yields_to_a_named_key(write, stadt):
    z = load_mapping(stadt)
    text = "id;raum_id;raum;Einwohner\n" + "\n".join(
        f"010.00{i}.2005.000.010;{c};{n};{ew}" for i, (c, n, *_r, ew, _hh) in enumerate(__import__("stadt").EINHEITEN))
    d = read_bezirksdaten(write("ew.csv", text + "\n"), z)
    assert set(d.daten["bezirk_nr"]) == set(z.bezirke)


def test_code_column_option_chooses_the_key(run, write, stadt):
    # two key-like columns: the file's own row number comes first and would be taken
    text = "Nr;Gebietsschlüssel;Bezeichnung;Einwohner\n" + "\n".join(
        f"{i + 1};{c};{n};{ew}" for i, (c, n, *_r, ew, _hh) in enumerate(__import__("stadt").EINHEITEN)) + "\n"
    data = write("ew.csv", text)
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "-f", "json",
            "--code-column", "Gebietsschlüssel", "--name-column", "Bezeichnung")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert werte == {"Mitte": 2650, "Nordufer": 2800, "Gesamt": 5450}
    r = run("aggregate", data, "--config", stadt, "--code-column", "PLR", "-f", "json")
    assert r.exit_code != 0
    assert "„PLR“ (--code-column)" in r.output and "ew.csv" in r.output


def test_name_that_does_not_fit_the_code_is_a_warning(run, write, stadt):
    text = wide_csv().replace("01010102;Hafen;", "01010102;Hafen (Altstadt);").replace(
        "02010101;Heideweg Süd;", "02010101;Lindenhof;")
    data = write("ew.csv", text)
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "-f", "json")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert werte == {"Mitte": 2650, "Nordufer": 2800, "Gesamt": 5450}  # the code decided
    assert "„Hafen (Altstadt)“" in r.stderr and "01010102 ist „Hafen“" in r.stderr
    assert "02010101 ist „Heideweg Süd“, „Lindenhof“ ist 02010102" in r.stderr
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--strict", "-f", "json")
    assert r.exit_code != 0 and "passen nicht zusammen" in r.output


def test_code_column_with_records_still_works(run, write, stadt):
    data = write("faelle.csv", "fall;plr\n1;01010101\n2;01010101\n3;02020201\n")
    r = run("aggregate", data, "--config", stadt, "--records", "--code-column", "plr", "-s", "bezirke", "-f", "json")
    assert r.exit_code == 0, r.output
    zeilen = {z["raum"]: z for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert zeilen["Mitte"]["faelle"] == 2 and zeilen["Nordufer"]["faelle"] == 1


# ----------------------------------------------------------------------------- the unit's own name


def test_unit_name_from_the_mapping(stadt, jena):
    z = load_mapping(stadt)
    assert (z.einzahl, z.mehrzahl) == ("Planungsraum", "Planungsräume")
    assert (jena.einzahl, jena.mehrzahl) == ("Bezirk", "Bezirke")


def test_unit_name_in_table_csv_json_xlsx_and_profile(run, write, stadt, tmp_path):
    import openpyxl

    from stadt import geojson

    data = write("ew.csv", wide_csv())
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "-f", "table")
    assert r.exit_code == 0, r.output
    assert "Planungsräume" in r.stdout
    r = run("districts", "--config", stadt, "-f", "table")
    assert "Planungsräume (6)" in r.stdout and "Ortsteil" not in r.stdout and "Beleg" not in r.stdout
    r = run("districts", "--config", stadt, "-f", "csv")
    header = r.stdout.splitlines()[0].split(",")
    assert "ortsteil" not in header and "beleg" not in header
    r = run("districts", "--config", stadt, "-f", "json")
    assert "ortsteil" not in json.loads(r.stdout)["bezirke"][0]
    out = tmp_path / "x.xlsx"
    assert run("export", data, "--config", stadt, "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert "Planungsräume" in wb.sheetnames
    ws = wb["Planungsräume"]
    head = next(row for row in ws.iter_rows(max_row=6) if row[0].value == "Nr.")  # below title and source rows
    assert [c.value for c in head][:3] == ["Nr.", "Planungsraum", "Bezirksregionen"]
    prof = tmp_path / "prof"
    r = run("profile", data, "--config", stadt, "-o", prof, "-s", "bezirke", "--geometry", write("g.geojson", geojson()),
            "--code-property", "PLR_ID")
    assert r.exit_code == 0, r.output
    html = (prof / "profil-mitte.html").read_text(encoding="utf-8")
    assert "<h2>Planungsräume</h2>" in html and "Planungsräume: 01010101 Altmarkt" in html


def test_missing_unit_is_named_with_the_units_name(run, write, stadt):
    data = write("ew.csv", "\n".join(wide_csv().splitlines()[:-1]) + "\n")  # without Wiesengrund
    r = run("aggregate", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "Planungsraum 02020201 (Wiesengrund) fehlt in der Datei." in r.stderr


# ----------------------------------------------------------------------------- mapping import and check


def _import(run, write, tmp_path, *extra, text=None, name="cw.csv"):
    from stadt import crosswalk_csv

    cw = write(name, text if text is not None else crosswalk_csv())
    out = tmp_path / "neu.yaml"
    r = run("mapping", "import", cw, "--output", out, *extra)
    return r, out


FULL = ("--code", "PLR-ID", "--name", "Planungsraum", "--scheme", "regionen=Bezirksregion",
        "--area-code", "regionen=BZR-ID", "--scheme", "bezirke=Bezirk", "--title", "regionen=Bezirksregionen",
        "--unit", "Planungsraum/Planungsräume")


def test_import_writes_a_valid_commented_mapping(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, *FULL)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Zuordnung, erzeugt mit `sozialraum mapping import` aus cw.csv")
    assert '{nr: "01010101", name: "Altmarkt"}' in text  # codes quoted
    z = load_mapping(out)
    assert (z.einzahl, z.mehrzahl) == ("Planungsraum", "Planungsräume")
    assert z.code(1010101) == "01010101"
    regionen = z.schemata["regionen"]
    assert regionen.titel == "Bezirksregionen"
    # the two Bezirksregionen called Heideweg, told apart by their codes
    assert regionen.raum_namen == ["Altstadt", "Heideweg (0102)", "Heideweg (0201)", "Wiesengrund"]
    assert regionen.raum("Heideweg (0201)").bezirke == [2010101, 2010102]
    from sozialraum_cli.mapping.nesting import verschachtelung

    assert verschachtelung(z) == [("regionen", "bezirke")]


def test_imported_mapping_aggregates_by_hand_sums(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, *FULL)
    data = write("ew.csv", wide_csv())
    r = run("aggregate", data, "--config", out, "-s", "regionen", "--value", "Einwohner", "-f", "json")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert werte == {"Altstadt": 2000, "Heideweg (0102)": 650, "Heideweg (0201)": 2400, "Wiesengrund": 400,
                     "Gesamt": 5450}


def test_import_without_area_codes_names_the_fixing_option(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--code", "PLR-ID", "--name", "Planungsraum",
                     "--scheme", "regionen=Bezirksregion", "--scheme", "bezirke=Bezirk")
    assert r.exit_code != 0
    assert "„Heideweg“" in r.output and "--area-code regionen=" in r.output and "cw.csv, Zeile 4" in r.output
    assert not out.exists()


def test_import_with_prefix_instead_of_area_codes(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--code", "PLR-ID", "--name", "Planungsraum",
                     "--scheme", "regionen=Bezirksregion", "--prefix", "regionen=4", "--scheme", "bezirke=Bezirk")
    assert r.exit_code == 0, r.output
    assert load_mapping(out).schemata["regionen"].raum_namen == ["Altstadt", "Heideweg (0102)", "Heideweg (0201)", "Wiesengrund"]


def test_import_names_only(run, write, tmp_path):
    text = "Stadtteil;Stadtbezirk\nAltmarkt;Mitte\nHafen;Mitte\nLindenhof;Nordufer\nWiesengrund;Nordufer\n"
    r, out = _import(run, write, tmp_path, "--name", "Stadtteil", "--scheme", "bezirke=Stadtbezirk", text=text)
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    assert [b.name for b in z.bezirke.values()] == ["Altmarkt", "Hafen", "Lindenhof", "Wiesengrund"]
    data = write("ew.csv", "Stadtteil;Einwohner\nAltmarkt;1200\nHafen;800\nLindenhof;1500\nWiesengrund;400\n")
    r = run("aggregate", data, "--config", out, "-f", "json")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert werte == {"Mitte": 2000, "Nordufer": 1900, "Gesamt": 3900}
    r = run("districts", "--config", out, "-f", "json")
    assert [b["bezirk_nr"] for b in json.loads(r.stdout)["bezirke"]] == ["Altmarkt", "Hafen", "Lindenhof", "Wiesengrund"]


def test_import_from_xlsx(run, tmp_path):
    import openpyxl

    from stadt import EINHEITEN

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PLR-ID", "Planungsraum", "BZR-ID", "Bezirksregion", "BEZ-ID", "Bezirk"])
    for code, name, rc, rn, bc, bn, *_ in EINHEITEN:
        ws.append([code, name, rc, rn, bc, bn])  # codes as text cells
    cw = tmp_path / "cw.xlsx"
    wb.save(cw)
    out = tmp_path / "neu.yaml"
    r = run("mapping", "import", cw, "--output", out, *FULL)
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    assert [b.schluessel for b in z.bezirke.values()][0] == "01010101"
    assert len(z.schemata["regionen"].raeume) == 4


def test_import_a_coarser_unit_level_collapses_identical_rows(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--code", "BZR-ID", "--name", "Bezirksregion", "--scheme", "bezirke=Bezirk",
                     "--unit", "Bezirksregion/Bezirksregionen")
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    # six rows, four Bezirksregionen; the two called Heideweg labelled with their codes
    assert [(b.schluessel, b.name) for b in z.bezirke.values()] == [
        ("0101", "Altstadt"), ("0102", "Heideweg (0102)"), ("0201", "Heideweg (0201)"), ("0202", "Wiesengrund")]
    assert z.einzahl == "Bezirksregion"
    assert [r.bezirke for r in z.schemata["bezirke"].raeume] == [[101, 102], [201, 202]]


def test_import_conflicting_rows_name_both_lines(run, write, tmp_path):
    from stadt import crosswalk_csv

    text = crosswalk_csv().replace("01010102;Hafen;0101;Altstadt;01;Mitte", "01010102;Hafen;0101;Altstadt;02;Nordufer")
    r, out = _import(run, write, tmp_path, "--code", "BZR-ID", "--name", "Bezirksregion", "--scheme", "bezirke=Bezirk",
                     text=text)
    assert r.exit_code != 0
    assert "Zeilen 2 und 3" in r.output and "„0101“" in r.output and "cw.csv, Zeile 3" in r.output
    assert not out.exists()


def test_import_refuses_to_overwrite_without_force(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, *FULL)
    assert r.exit_code == 0
    r, out = _import(run, write, tmp_path, *FULL)
    assert r.exit_code != 0 and "--force" in r.output
    r, out = _import(run, write, tmp_path, *FULL, "--force")
    assert r.exit_code == 0


def test_check_summarises_and_errors_carry_lines(run, write, tmp_path, stadt):
    r = run("mapping", "check", stadt, "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["einheiten"]["anzahl"] == 6 and doc["einheiten"]["mehrzahl"] == "Planungsräume"
    assert doc["verschachtelung"] == [{"fein": "regionen", "grob": "bezirke"}]
    assert {s["schema"]: s["raeume"] for s in doc["schemata"]} == {"regionen": 4, "bezirke": 2}
    r = run("mapping", "check", stadt, "-f", "table")
    assert "regionen liegt in bezirke" in r.stdout
    r = run("schemes", "--config", stadt, "-f", "json")
    assert {s["schema"]: s["liegt_in"] for s in json.loads(r.stdout)["schemata"]} == {"regionen": ["bezirke"], "bezirke": []}
    bad = write("bad.yaml", MAPPING_YAML.replace('{nr: "01010102", name: "Hafen"}', "{nr: 01010102, name: Hafen}"))
    r = run("mapping", "check", bad)
    assert r.exit_code != 0 and "bad.yaml, Zeile 7" in r.output


# ----------------------------------------------------------------------------- README „Eine andere Stadt“


def test_readme_other_city_walkthrough_is_real(run, tmp_path, monkeypatch):
    """Every command of the section runs on the shipped files; the shown output is the real one."""
    import re
    import shlex

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Eine andere Stadt", 1)[1].split("\n## Die Zuordnung", 1)[0]
    blocks = re.findall(r"```console\n\$ sozialraum ([^\n]*)\n(.*?)```", section, re.S)
    assert [b[0].split()[0] for b in blocks] == ["mapping", "mapping", "aggregate", "compare"]
    monkeypatch.chdir(ROOT)
    yaml_path = tmp_path / "neustadt.yaml"
    for command, shown in blocks:
        args = [str(yaml_path) if a == "neustadt.yaml" else a for a in shlex.split(command)]
        r = run(*args)
        assert r.exit_code == 0, (command, r.output)
        if args[:2] == ["mapping", "import"]:
            assert shown.strip() == r.stderr.strip().replace(str(yaml_path), "neustadt.yaml")
        else:
            assert shown in r.stdout, command
    # the sums of the aggregate block, by hand from data/neustadt/einwohner_2024.csv
    assert "regionen,,Gesamt,6,5450,100,2730,100" in blocks[2][1]
    assert "| Gesamt | 2650 | 2800 | 5450 |" in blocks[3][1]


# ----------------------------------------------------------------------------- long files of any shape

CODES = """    codes: {Altstadt: "0101", "Heideweg (0102)": "0102", "Heideweg (0201)": "0201", Wiesengrund: "0202"}
    raeume:
      Altstadt: ["""


def _long_file() -> str:
    """An open-data table in long form: the city, both Bezirke, the four regions and the six units in one
    file, two tables, two years, values written 1200.0, an own row id that looks like a key."""
    from stadt import EINHEITEN

    rows = ["id,tab_id,tabelle,jahr,raum_id,raum,zei_id,zeile,zahl"]
    levels = [("00000000", "Stadt", 5450, 2730)]
    levels += [("01", "Mitte", 2650, 1450), ("02", "Nordufer", 2800, 1280)]
    levels += [("0101", "Altstadt", 2000, 1150), ("0102", "Heideweg", 650, 300), ("0201", "Heideweg", 2400, 1130),
               ("0202", "Wiesengrund", 400, 150)]
    levels += [(c, n, ew, hh) for c, n, *_r, ew, hh in EINHEITEN]
    k = 0
    for jahr, plus in ((2023, 0), (2024, 10)):
        for code, name, ew, hh in levels:
            for tab, zeile, value in (("Bevölkerung", "Einwohner", ew), ("Haushalte", "Haushalte insgesamt", hh)):
                k += 1
                # in 2024 every unit has 10 more inhabitants: the areas get 10 per unit (computed below)
                v = value + (plus * _units(code) if tab == "Bevölkerung" else 0)
                rows.append(f"010.{k:03d}.{jahr},{1 if tab == 'Bevölkerung' else 2},{tab},{jahr},{code},{name},1,{zeile},{v}.0")
    return "\n".join(rows) + "\n"


def _units(code: str) -> int:
    from stadt import EINHEITEN

    return sum(1 for c, *_ in EINHEITEN if c.startswith(code.rstrip("0") if code == "00000000" else code) or code == "00000000")


def _coded_mapping(write):
    """The fictional city with the codes of its regions and Bezirke (a long file's area rows name them)."""
    return write("n.yaml", MAPPING_YAML.replace("""    raeume:
      Altstadt: [""", CODES, 1).replace("""    titel: "Bezirke"
    raeume:""", """    titel: "Bezirke"
    codes: {Mitte: "01", Nordufer: "02"}
    raeume:"""))


def test_long_file_with_own_column_names_and_all_levels(run, write):
    mapping = _coded_mapping(write)
    data = write("lang.csv", _long_file())
    args = ("--config", mapping, "--code-column", "raum_id", "--name-column", "raum",
            "--indicator-column", "tabelle", "--indicator-column", "zeile", "--value-column", "zahl", "--year-column", "jahr")
    r = run("aggregate", data, *args, "-s", "regionen", "--year", "2024", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    zeilen = {z["raum"]: z for z in doc["tabellen"][0]["zeilen"]}
    ew = next(k for k in zeilen["Altstadt"] if k.startswith("bevoelkerung") and not k.endswith(("_anteil", "_rang")))
    # by hand, 2024: Altstadt 1210 + 810, Heideweg (0102) 660, Heideweg (0201) 910 + 1510, Wiesengrund 410
    assert {r: z[ew] for r, z in zeilen.items()} == {"Altstadt": 2020, "Heideweg (0102)": 660, "Heideweg (0201)": 2420,
                                                     "Wiesengrund": 410, "Gesamt": 5510}
    r = run("aggregate", data, *args, "-s", "bezirke", "--year", "2023", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "bezirke,1,Nordufer,3,2800," in r.stdout and "bezirke,2,Mitte,3,2650," in r.stdout
    # the area rows were read as published subtotals of both levels and agree with the sums
    assert "weicht" not in r.stderr
    r = run("aggregate", data, *args, "-s", "bezirke", "--year", "2023", "-f", "table")
    assert "Mitte stimmt (2.650); Nordufer stimmt (2.800)" in r.stdout
    r = run("aggregate", data, *args, "-s", "regionen", "--year", "2023", "-f", "table")
    assert "Heideweg (0102) stimmt (650); Heideweg (0201) stimmt (2.400)" in r.stdout
    # a published subtotal that differs from the sum of its units is reported, never used instead
    bad = write("lang2.csv", _long_file().replace(",0102,Heideweg,1,Einwohner,650.0", ",0102,Heideweg,1,Einwohner,651.0"))
    r = run("aggregate", bad, *args, "-s", "regionen", "--year", "2023", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "regionen,3,Heideweg (0102),1,650," in r.stdout, r.stdout
    assert "weicht von der veröffentlichten Teilsumme für „Heideweg (0102)“ 651 ab" in r.stderr
    assert "Summe der Planungsräume 650" in r.stderr  # the units' own name, not "Bezirke"


def test_long_file_missing_column_option_is_named(run, write, stadt):
    data = write("lang.csv", _long_file())
    r = run("aggregate", data, "--config", stadt, "--code-column", "raum_id", "--value-column", "wert")
    assert r.exit_code != 0 and "„wert“ (--value-column)" in r.output and "lang.csv" in r.output


def test_scheme_all_lists_nested_levels_fine_to_coarse(run, write, tmp_path):
    # the bezirke scheme first in the file: `all` still goes from the finer regions to the coarser Bezirke
    text = MAPPING_YAML.replace("schemata:\n", "schemata:\n  bezirke:\n    titel: \"Bezirke\"\n    raeume:\n"
                                "      Mitte: [\"01010101\", \"01010102\", \"01020201\"]\n"
                                "      Nordufer: [\"02010101\", \"02010102\", \"02020201\"]\n", 1)
    text = text.rsplit("  bezirke:\n", 1)[0] + "merkmale:" + text.rsplit("merkmale:", 1)[1]
    mapping = write("n.yaml", text)
    data = write("ew.csv", wide_csv())
    r = run("aggregate", data, "--config", mapping, "--value", "einwohner", "-f", "json")
    assert r.exit_code == 0, r.output
    assert [t["schema"] for t in json.loads(r.stdout)["tabellen"]] == ["regionen", "bezirke"]


# ----------------------------------------------------------------------------- hierarchical keys, remainders


def _mapping_with_prefixes(write):
    text = MAPPING_YAML.replace("""    raeume:
      Altstadt: [""", CODES.replace("    codes:", "    praefix: 4\n    codes:"), 1).replace("""    titel: "Bezirke"
    raeume:""", """    titel: "Bezirke"
    praefix: 2
    codes: {Mitte: "01", Nordufer: "02"}
    raeume:""").replace("""  - {nr: "00000000", art: gesamt, name: "Neustadt gesamt", aliase: ["Stadt"]}""",
                        """  - {nr: "00000000", art: gesamt, name: "Neustadt gesamt", aliase: ["Stadt"]}
  - {nr: "99999999", art: nicht_zugeordnet, name: "nicht zuzuordnen", aliase: ["Stadtgebiet - nicht zuzuordnen"]}""")
    return write("n.yaml", text)


def test_remainder_rows_count_in_their_area_at_its_level(run, write):
    mapping = _mapping_with_prefixes(write)
    data = write("ew.csv", wide_csv() + "01990000;Bezirk (Mi) - nicht zuzuordnen;7;3\n"
                 "99990000;Stadtgebiet - nicht zuzuordnen;5;2\n")
    r = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--value", "einwohner", "-f", "json")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    # by hand: Mitte 1200 + 800 + 650 + 7 (its remainder), Nordufer 900 + 1500 + 400, city 5450 + 7 + 5
    assert werte == {"Mitte": 2657, "Nordufer": 2800, REST_ZEILE: 7, "nicht zugeordnet": 5, "Gesamt": 5462}
    assert "Zeilen „davon Rest …“" in r.stderr and "dessen Werte enthalten sie" in r.stderr
    r = run("aggregate", data, "--config", mapping, "-s", "regionen", "--value", "einwohner", "-f", "json")
    assert r.exit_code == 0, r.output
    werte = {z["raum"]: z["einwohner"] for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    # at the finer level the remainder belongs to no region: reported, in the total only
    assert werte == {"Altstadt": 2000, "Heideweg (0102)": 650, "Heideweg (0201)": 2400, "Wiesengrund": 400,
                     "nicht zugeordnet": 5, "Gesamt": 5462}
    assert "gehört zu „Mitte“ (Schema „bezirke“), aber zu keinem Raum dieses Schemas" in r.stderr


REST_ZEILE = "davon Rest „01990000 Bezirk (Mi) - nicht zuzuordnen“"


def _remainder_data(write, rest_ew="7", rest_hh="3"):
    mapping = _mapping_with_prefixes(write)
    data = write("ew.csv", wide_csv() + f"01990000;Bezirk (Mi) - nicht zuzuordnen;{rest_ew};{rest_hh}\n"
                 "99990000;Stadtgebiet - nicht zuzuordnen;5;4\n")
    return mapping, data


def test_remainder_is_its_own_line_below_its_area(run, write, tmp_path):
    import openpyxl

    mapping, data = _remainder_data(write)
    args = ("aggregate", data, "--config", mapping, "-s", "bezirke", "--no-disclosure")
    r = run(*args, "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    # Mitte (1200 + 800 + 650 + 7 = 2657) ranks below Nordufer (900 + 1500 + 400 = 2800); its remainder
    # follows it, without a rank; city 5450 + 7 + 5 = 5462 Einwohner, 2730 + 3 + 4 = 2737 Haushalte
    assert [(z["raum"], z["art"], z["rang"]) for z in rows] == [
        ("Nordufer", "raum", "1"), ("Mitte", "raum", "2"), (REST_ZEILE, "rest", ""), ("Gesamt", "gesamt", ""),
        ("nicht zugeordnet", "nicht_zugeordnet", "")]
    rest = rows[2]
    assert (rest["einwohner"], rest["haushalte"], rest["anzahl_bezirke"]) == ("7", "3", "0")
    assert rest["einwohner_anteil"] == "0.1282"  # 100 × 7 / 5462
    assert rest["haushalte_anteil"] == "0.1096"  # 100 × 3 / 2737
    assert (rows[1]["einwohner"], rows[1]["haushalte"]) == ("2657", "1453")  # the Raum keeps its remainder
    doc = json.loads(run(*args, "-f", "json").stdout)
    z = doc["tabellen"][0]["zeilen"][2]
    assert (z["raum"], z["art"], z["rang"], z["einwohner"], z["haushalte"]) == (REST_ZEILE, "rest", None, 7, 3)
    table = run(*args, "-f", "table").stdout
    lines = [line for line in table.splitlines() if line.startswith("│")]
    assert "Mitte" in lines[1] and REST_ZEILE in lines[2] and "Gesamt" in lines[3]
    assert lines[2].split("│")[4].strip() == "7" and lines[2].split("│")[5].strip() == "0,1 %"
    out = tmp_path / "x.xlsx"
    assert run("export", data, "--config", mapping, "--no-disclosure", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["Bezirke"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    i = next(k for k, row in enumerate(values) if row[0] == "Mitte")
    assert values[i + 1][0] == REST_ZEILE and values[i + 1][2] == 7 and values[i + 1][4] == 3


def test_remainder_line_only_at_its_own_level(run, write):
    mapping, data = _remainder_data(write)
    r = run("aggregate", data, "--config", mapping, "-s", "regionen", "--no-disclosure", "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {z["art"] for z in rows} == {"raum", "gesamt", "nicht_zugeordnet"}
    assert not any("Rest" in z["raum"] for z in rows)
    assert rows[-2]["raum"] == "Gesamt" and rows[-2]["einwohner"] == "5462"


def test_missing_remainder_value_stays_missing(run, write):
    mapping, data = _remainder_data(write, rest_hh=".")
    r = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--no-disclosure", "-f", "json")
    assert r.exit_code == 0, r.output
    zeilen = {z["raum"]: z for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert zeilen[REST_ZEILE]["einwohner"] == 7 and zeilen[REST_ZEILE]["haushalte"] is None
    assert zeilen[REST_ZEILE]["status"] == "unvollständig"
    # Mitte's Haushalte lack the remainder: 700 + 450 + 300 = 1450 at least, incomplete
    assert zeilen["Mitte"]["haushalte"] == 1450 and zeilen["Mitte"]["status"] == "unvollständig"
    r = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--no-disclosure", "-f", "table")
    line = next(x for x in r.stdout.splitlines() if REST_ZEILE in x)
    assert [c.strip() for c in line.split("│")][4:8] == ["7", "0,1 %", ".", "."]
    assert "≥ 1.450" in r.stdout


def test_remainder_rate_from_its_own_parts(run, write):
    mapping = _mapping_with_prefixes(write)
    text = mapping.read_text(encoding="utf-8") + \
        "  pers_je_hh: {titel: Personen je Haushalt, art: verhaeltnis, zaehler: einwohner, nenner: haushalte}\n"
    mapping.write_text(text, encoding="utf-8")
    data = write("ew.csv", wide_csv() + "01990000;Bezirk (Mi) - nicht zuzuordnen;7;2\n")
    r = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--no-disclosure", "-f", "json")
    assert r.exit_code == 0, r.output
    zeilen = {z["raum"]: z for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    assert zeilen[REST_ZEILE]["pers_je_hh"] == pytest.approx(7 / 2, abs=0.01)
    # the Raum's rate includes its remainder like its counts: (2650 + 7) / (1450 + 2)
    assert zeilen["Mitte"]["pers_je_hh"] == pytest.approx(2657 / 1452, abs=0.01)


def test_small_remainder_is_hidden_and_counted(run, write, tmp_path):
    from conftest import noted, table_stars

    mapping, data = _remainder_data(write, rest_ew="2")
    shown = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--no-disclosure", "-f", "table")
    assert next(x for x in shown.stdout.splitlines() if REST_ZEILE in x).split("│")[4].strip() == "2"
    r = run("aggregate", data, "--config", mapping, "-s", "bezirke", "--min-count", "3", "-f", "table")
    assert r.exit_code == 0, r.output
    line = next(x for x in r.stdout.splitlines() if REST_ZEILE in x)
    assert [c.strip() for c in line.split("│")][4:8] == ["*", "*", "3", "0,1 %"]
    (n,) = noted(r.stdout)
    assert n == table_stars(r.stdout) >= 2
    # ranks are those of the Räume, untouched by the remainder line
    rows = [x for x in r.stdout.splitlines() if x.startswith("│")]
    assert rows[0].split("│")[1].strip() == "1" and "Nordufer" in rows[0]
    assert rows[1].split("│")[1].strip() == "2" and "Mitte" in rows[1]
    # both levels together: Gesamt − the regions − nicht zugeordnet would give the remainder away;
    # the audit of the written output finds every hidden value protected
    out = tmp_path / "alle.json"
    r = run("aggregate", data, "--config", mapping, "-s", "all", "--min-count", "3", "-f", "json", "-o", out)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    regionen = {z["raum"]: z for z in doc["tabellen"][0]["zeilen"]}
    assert any(z["geheim"] for raum, z in regionen.items() if raum != "nicht zugeordnet")
    r = run("audit", out, "--config", mapping, "--data", data)
    assert r.exit_code == 0 and "alle Zellen geschützt" in r.stdout, r.output
    r = run("audit", out, "--config", mapping)  # without the data file: the remainders are read from the output
    assert r.exit_code == 0 and "alle Zellen geschützt" in r.stdout, r.output


def test_compare_names_remainders_missing_from_the_crosswalk(run, write):
    mapping, data = _remainder_data(write)
    r = run("compare", "regionen", "bezirke", data, "--config", mapping, "--no-disclosure", "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert any("Reste ohne Planungsraum („01990000 Bezirk (Mi) - nicht zuzuordnen“)" in h for h in doc["hinweise"])
    assert not any("Rest" in rec["raum"] for rec in doc["nebeneinander"])


def test_import_with_prefix_writes_praefix(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--code", "PLR-ID", "--name", "Planungsraum",
                     "--scheme", "regionen=Bezirksregion", "--prefix", "regionen=4",
                     "--scheme", "bezirke=Bezirk", "--prefix", "bezirke=2")
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    assert z.schemata["bezirke"].praefix == 2 and z.schemata["bezirke"].codes == {"Mitte": "01", "Nordufer": "02"}
    assert z.finde_rest("01990000") == ("bezirke", "Mitte")
    assert z.finde_rest("02029900") == ("regionen", "Wiesengrund")


def test_index_uses_the_units_name(run, write, stadt, tmp_path):
    data = write("ew.csv", wide_csv())
    out = tmp_path / "i.xlsx"
    r = run("index", data, "--config", stadt, "-i", "haushalte", "--scheme", "bezirke", "-o", out)
    assert r.exit_code == 0, r.output
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert "Planungsräume" in wb.sheetnames and "Bezirke" not in wb.sheetnames
    r = run("index", data, "--config", stadt, "-i", "haushalte", "-f", "table")
    assert "Planungsraum" in r.stdout and "Bezirk " not in r.stdout


# ----------------------------------------------------------------------------- the city row, columns in the mapping


def test_imported_mapping_recognises_the_city_row_and_stores_columns(run, write, tmp_path):
    # the crosswalk has no city row; the import writes the total and not-assignable codes itself
    r, out = _import(run, write, tmp_path, "--code", "PLR-ID", "--name", "Planungsraum",
                     "--scheme", "regionen=Bezirksregion", "--area-code", "regionen=BZR-ID",
                     "--scheme", "bezirke=Bezirk", "--area-code", "bezirke=BEZ-ID", "--city", "Neustadt",
                     "--unit", "Planungsraum/Planungsräume")
    assert r.exit_code == 0, r.output
    z = load_mapping(out)
    gesamt = next(c for c in z.sondercodes.values() if c.art == "gesamt")
    assert gesamt.schluessel == "00000000" and "Neustadt" in gesamt.aliase
    assert next(c for c in z.sondercodes.values() if c.art == "nicht_zugeordnet").schluessel == "99999999"
    # the long file's own column names stored once in the mapping instead of five options per call
    out.write_text(out.read_text(encoding="utf-8") + "spalten: {code: raum_id, name: raum, merkmal: [tabelle, zeile], "
                   "wert: zahl, jahr: jahr}\n", encoding="utf-8")
    # the city row under the city's name and the code 0 (not 00000000)
    data = write("lang.csv", _long_file().replace(",00000000,Stadt,", ",0,Neustadt,"))
    r = run("aggregate", data, "--config", out, "-s", "bezirke", "--year", "2023", "-f", "csv")
    assert r.exit_code == 0, r.output
    # by hand: Mitte 1200 + 800 + 650, Nordufer 900 + 1500 + 400; the city row 5450 is the file's total
    assert "bezirke,1,Nordufer,3,2800," in r.stdout and "bezirke,2,Mitte,3,2650," in r.stdout
    assert "bezirke,,Gesamt,6,5450," in r.stdout and "Differenz" not in r.stdout
    r = run("aggregate", write("lang2.csv", _long_file().replace(",00000000,Stadt,1,Einwohner,5450.0", ",0,Neustadt,1,Einwohner,5449.0")),
            "--config", out, "-s", "bezirke", "--year", "2023", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "Summe der Planungsräume 5.450 weicht von der Gesamtzeile 5.449 ab (Differenz +1)" in r.stderr
    # a column named in the mapping that the file lacks: the error says where the name came from
    r = run("aggregate", write("breit.csv", wide_csv()), "--config", out)
    assert r.exit_code == 1 and "„raum_id“ („spalten: code“ der Zuordnung)" in r.output
    # an option still wins over the mapping
    r = run("aggregate", write("breit.csv", wide_csv()), "--config", out, "--code-column", "PLR-ID", "--name-column", "Name",
            "-s", "bezirke", "-f", "csv")
    assert r.exit_code == 1 and "„zahl“ („spalten: wert“ der Zuordnung)" in r.output


def test_city_row_without_total_code_gets_the_yaml_that_declares_it(run, write):
    mapping = write("n.yaml", MAPPING_YAML.replace('  - {nr: "00000000", art: gesamt, name: "Neustadt gesamt", aliase: ["Stadt"]}\n', "")
                    .replace("sondercodes:\n", ""))
    r = run("aggregate", write("ew.csv", wide_csv() + "00000000;Neustadt insgesamt;5450;2730\n"), "--config", mapping)
    assert r.exit_code == 1
    assert "passen weder zu einer Einheit (Planungsräume)" in r.output
    assert 'sondercodes: [{nr: "00000000", art: gesamt, name: "Neustadt insgesamt"}]' in r.output


def test_mapping_spalten_are_checked_and_summarised(run, write):
    bad = write("n.yaml", MAPPING_YAML + "spalten: {schluessel: PLR-ID}\n")
    r = run("mapping", "check", bad)
    assert r.exit_code == 1 and "„spalten“ kennt „schluessel“ nicht" in r.output and "Zeile" in r.output
    good = write("n2.yaml", MAPPING_YAML + "spalten: {code: Kennziffer, merkmal: tabelle}\n")
    r = run("mapping", "check", good, "-f", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["spalten"] == {"code": "Kennziffer", "merkmal": ["tabelle"]}
    r = run("aggregate", write("k.csv", wide_csv(key_header="Kennziffer", name_header="Gebietsname")), "--config", good,
            "-s", "bezirke", "-f", "csv")
    assert r.exit_code != 0 and "„tabelle“ („spalten: merkmal“ der Zuordnung)" in r.output


def test_no_output_calls_the_units_bezirk(run, write, stadt, tmp_path):
    """Neustadt's real Bezirke are its top level: no output of any command calls its Planungsräume „Bezirk“.
    The scheme title „Bezirke“ and the region title „Bezirksregionen“ are the city's own words and allowed."""
    import re
    import zipfile

    from stadt import geojson

    # a missing unit, a split remainder of notes: texts that name units in several places
    data = write("ew.csv", "\n".join(wide_csv().splitlines()[:-1]) + "\n")
    geo = write("g.geojson", geojson())
    geo_args = ("--geometry", geo, "--code-property", "PLR_ID")
    texts = []
    for args in (("aggregate", data, "-s", "bezirke", "-f", "table"), ("aggregate", data, "-f", "json"),
                 ("compare", "regionen", "bezirke", data, "-f", "table"), ("compare", "regionen", "bezirke", data, "-f", "markdown"),
                 ("index", data, "-i", "haushalte", "-s", "bezirke", "-f", "table"), ("districts", "-f", "table"),
                 ("schemes", "-f", "table")):
        r = run(*args, "--config", stadt)
        assert r.exit_code == 0, (args, r.output)
        texts.append(r.output)
    out = tmp_path / "x.xlsx"
    assert run("export", data, "--config", stadt, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as z:
        texts += [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    prof = tmp_path / "prof"
    assert run("profile", data, "--config", stadt, "-o", prof, "-s", "bezirke", *geo_args).exit_code == 0
    texts += [p.read_text(encoding="utf-8") for p in prof.glob("*.html")]
    karte = tmp_path / "k.svg"
    assert run("map", data, "--config", stadt, "-s", "bezirke", "--value", "einwohner", "-o", karte, *geo_args).exit_code == 0
    texts.append(karte.read_text(encoding="utf-8"))
    wrong = re.compile(r"\bBezirk\b|\bBezirken\b|Bezirksgrenzen|Bezirksflächen|statistische Bezirke|Stadt Jena")
    for text in texts:
        assert not wrong.search(text), wrong.search(text) and text[max(0, wrong.search(text).start() - 120): wrong.search(text).end() + 60]


# ----------------------------------------------------------------------------- key columns by content, twins


def test_padded_area_code_rows_are_subtotals_not_remainders(run, write):
    # a police table with the Bezirk rows written 01000000 (Bezirk 01 padded with zeros) beside the remainder 01990000
    mapping = _mapping_with_prefixes(write)
    rows = ["LOR-Schlüssel (Planungsraum);Bezeichnung (Planungsraum);Einwohner;Haushalte", "01000000;Mitte;2657;1453"]
    rows += [f"{c};{n};{ew};{hh}" for c, n, *_r, ew, hh in EINHEITEN if c.startswith("01")]
    rows += ["01990000;Bezirk (Mi) - nicht zuzuordnen;7;3", "02000000;Nordufer;2800;1280"]
    rows += [f"{c};{n};{ew};{hh}" for c, n, *_r, ew, hh in EINHEITEN if c.startswith("02")]
    r = run("aggregate", write("pol.csv", "\n".join(rows) + "\n"), "--config", mapping, "-s", "bezirke", "-f", "csv")
    assert r.exit_code == 0, r.output
    # by hand: Mitte 1200 + 800 + 650 + 7 (remainder) = 2657 = its published row; Nordufer 900 + 1500 + 400
    assert "bezirke,1,Nordufer,3,2800," in r.stdout and "bezirke,2,Mitte,3,2657," in r.stdout
    assert "Bezirk (Mi) - nicht zuzuordnen" in r.stdout and "weicht" not in r.stderr
    assert "Rest „01000000" not in r.stdout + r.stderr  # the Bezirk rows are subtotals, not remainders


def test_name_column_beside_the_key_is_recognised_by_its_values(run, write, stadt):
    data = wide_csv(name_header="Planungsraum").replace("01020201;Heideweg Nord", "01020201;Lindenhof")
    r = run("aggregate", write("ew.csv", data), "--config", stadt, "-s", "bezirke", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert ("Warnung (bezirke): Zeile 4: Nummer 01020201 und Name „Lindenhof“ passen nicht zusammen: 01020201 ist "
            "„Heideweg Nord“, „Lindenhof“ ist 02010102.") in r.stderr
    assert "bezirke,2,Mitte,3,2650," in r.stdout  # the code decides: 1200 + 800 + 650
    r = run("aggregate", write("ew.csv", data), "--config", stadt, "-s", "bezirke", "--strict")
    assert r.exit_code == 1 and "Zeile 4" in r.output


def test_long_open_data_file_is_read_without_column_options(run, write):
    mapping = _coded_mapping(write)
    r = run("aggregate", write("lang.csv", _long_file()), "--config", mapping, "-s", "regionen", "--year", "2024", "-f", "json")
    assert r.exit_code == 0, r.output
    zeilen = {z["raum"]: z for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    # by hand, 2024: every unit 10 more than in 2023 (raum_id is the key, not tab_id or the row id)
    assert {k: z["einwohner"] for k, z in zeilen.items()} == {"Altstadt": 2020, "Heideweg (0102)": 660,
                                                             "Heideweg (0201)": 2420, "Wiesengrund": 410, "Gesamt": 5510}


def _stadtteile(write, namen: list[str], schemata: str):
    """A names-only mapping of Stadtteile (no codes) with the given schemes (YAML)."""
    units = "".join(f"  - {{name: {n}}}\n" for n in namen)
    return write("k.yaml", f"einheit: {{einzahl: Stadtteil, mehrzahl: Stadtteile}}\nbezirke:\n{units}{schemata}")


def test_units_named_like_their_area_are_told_apart_by_the_values(run, write):
    mapping = _stadtteile(write, ["Mitte", "Hafen", "Nordufer", "Lindenhof"], """schemata:
  bezirke:
    titel: Stadtbezirke
    raeume:
      Mitte: [Mitte, Hafen]
      Nordufer: [Nordufer, Lindenhof]
""")
    # each block followed by its subtotal; the Stadtteil Mitte and the Stadtbezirk Mitte share the name
    data = write("w.csv", "Stadtteil;Einwohner\nMitte;100\nHafen;50\nMitte;150\nLindenhof;20\nNordufer;200\nNordufer;220\n")
    r = run("aggregate", data, "--config", mapping, "-f", "csv")
    assert r.exit_code == 0, r.output
    # by hand: Mitte 100 + 50 = 150 (the row 150 is the subtotal); Nordufer 20 + 200 = 220
    assert "bezirke,1,Nordufer,2,220," in r.stdout and "bezirke,2,Mitte,2,150," in r.stdout and "weicht" not in r.stderr


def test_a_shared_name_as_the_list_writes_it_fits_its_code(run, write, tmp_path):
    from stadt import crosswalk_csv

    cw = crosswalk_csv().replace("02010101;Heideweg Süd", "02010101;Heideweg Nord")
    r, out = _import(run, write, tmp_path, "--code", "PLR-ID", "--name", "Planungsraum", "--scheme", "bezirke=Bezirk",
                     text=cw)
    assert r.exit_code == 0, r.output
    assert "Heideweg Nord (02010101)" in out.read_text(encoding="utf-8")
    data = wide_csv().replace("02010101;Heideweg Süd", "02010101;Heideweg Nord")
    r = run("aggregate", write("ew.csv", data), "--config", out, "--strict", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "passen nicht zusammen" not in r.stderr


def test_districts_lists_the_units_of_one_area_inside_another(run, stadt):
    # which Planungsräume of the Bezirk Mitte lie in the region Heideweg (0102)? by hand: only Heideweg Nord
    r = run("districts", "--config", stadt, "--area", "bezirke=Mitte", "--area", "regionen=heideweg (0102)", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1:] == ["01020201,Heideweg Nord,Heideweg (0102),Mitte,"]
    r = run("districts", "--config", stadt, "--area", "bezirke=Nordufer", "-f", "json")
    assert [b["bezirk_nr"] for b in json.loads(r.stdout)["bezirke"]] == ["02010101", "02010102", "02020201"]
    r = run("districts", "--config", stadt, "--area", "bezirke=Mond")
    assert r.exit_code == 2 and "Den Raum „Mond“ gibt es im Schema „bezirke“ nicht" in r.output


def test_records_with_coordinates_use_the_citys_geometry_by_its_key_property(run, write, stadt):
    from stadt import geojson

    # three cases in the first square (Altmarkt, Mitte), two in the sixth (Wiesengrund, Nordufer): by hand
    data = write("faelle.csv", "X;Y\n680100;5640100\n680500;5640500\n680900;5640900\n685200;5640200\n685800;5640800\n")
    r = run("aggregate", data, "--config", stadt, "--records", "--x", "X", "--y", "Y", "--crs", "EPSG:25832",
            "--geometry", write("g.geojson", geojson()), "--code-property", "PLR_ID", "-s", "bezirke", "-f", "csv",
            "--no-disclosure")
    assert r.exit_code == 0, r.output
    assert "bezirke,1,Mitte,3,3," in r.stdout and "bezirke,2,Nordufer,3,2," in r.stdout, r.stdout


# ----------------------------------------------------------------------------- second review: key choice, twins


def test_the_units_key_beats_a_column_of_other_numbers_that_are_codes_too(jena, write):
    from sozialraum_cli.reading import read_bezirksdaten

    # Ortsteil numbers that happen to be valid district codes stand first; the header „Bezirk Nr.“ names the units
    rows = ["Ortsteil Nr.;Bezirk Nr.;Einwohner", "90;11;361", "63;12;2447", "41;21;497"]
    daten = read_bezirksdaten(write("b.csv", "\n".join(rows) + "\n"), jena)
    assert sorted(daten.zeilen) == [11, 12, 21]


def test_a_unit_key_column_beats_an_area_key_column_before_it(run, write):
    mapping = _coded_mapping(write)
    rows = ["BZR-ID;PLR-ID;Einwohner"] + [f"{rc};{c};{ew}" for c, _n, rc, *_r, ew, _hh in EINHEITEN]
    r = run("aggregate", write("b.csv", "\n".join(rows) + "\n"), "--config", mapping, "-s", "regionen", "-f", "csv")
    assert r.exit_code == 0, r.output
    # by hand: Altstadt 1200 + 800, Heideweg (0201) 900 + 1500; every row a unit, none a subtotal
    assert "regionen,1,Heideweg (0201),2,2400," in r.stdout and "regionen,2,Altstadt,2,2000," in r.stdout


def test_an_ortsteil_beside_the_key_is_data_not_the_name(run, write):
    # Jena: the Ortsteil of a district is often named like it, yet it is never read as the district's name
    rows = ["Nr.;Ortsteil;Einwohner", "11;Jena-Süd / Ammerbach;361", "12;Jena-Süd / Ammerbach;2447", "90;Winzerla;4000"]
    r = run("aggregate", write("a.csv", "\n".join(rows) + "\n"), "-s", "planungsraeume", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "passen nicht zusammen" not in r.stderr and "Bezirk 90 (Winzerla) fehlt" not in r.stderr


def test_twins_in_two_schemes_and_a_deviating_subtotal_are_decided_by_the_values(run, write):
    mapping = _stadtteile(write, ["Mitte", "Hafen", "Nordhafen"], """schemata:
  gross:
    titel: Stadtbezirke
    raeume:
      Mitte: [Mitte, Hafen]
      Nordufer: [Nordhafen]
  klein:
    titel: Viertel
    raeume:
      Mitte: [Mitte]
      Rest: [Hafen, Nordhafen]
""")
    # „Mitte“ is a unit and a Raum of both schemes; its subtotal (row 4) is Mitte + Hafen in „gross“ only, and its
    # Haushalte are published 5 too high: the Einwohner column decides, the Haushalte are reconciled as deviating
    data = write("w.csv", "Stadtteil;Einwohner;Haushalte\nMitte;100;50\nHafen;40;20\nMitte;140;75\nNordhafen;200;90\n")
    r = run("aggregate", data, "--config", mapping, "-s", "gross", "-f", "csv")
    assert r.exit_code == 0, r.output
    # by hand: Mitte 100 + 40 = 140 Einwohner, 50 + 20 = 70 Haushalte (published 75: deviates by −5)
    assert "gross,2,Mitte,2,140," in r.stdout and ",70," in r.stdout.splitlines()[2]
    # the subtotal row fits a Raum of both schemes: it is named, not reconciled (and never summed)
    assert "Teilsummen „Mitte“ passen zu mehreren Schemata (gross, klein)" in r.stderr


def test_a_zero_padded_area_code_under_another_name_is_a_warning(run, write):
    mapping = _mapping_with_prefixes(write)
    rows = ["PLR-ID;Name;Einwohner;Haushalte", "01000000;Lindenhof;2650;1450"]
    rows += [f"{c};{n};{ew};{hh}" for c, n, *_r, ew, hh in EINHEITEN]
    r = run("aggregate", write("p.csv", "\n".join(rows) + "\n"), "--config", mapping, "-s", "bezirke", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "Nummer 01000000 und Name „Lindenhof“ passen nicht zusammen: 01000000 ist der Raum „Mitte“" in r.stderr
    r = run("aggregate", write("p.csv", "\n".join(rows) + "\n"), "--config", mapping, "-s", "bezirke", "--strict")
    assert r.exit_code == 1


def test_one_column_cannot_be_value_and_year(run, write):
    r = run("aggregate", write("lang.csv", _long_file()), "--config", _coded_mapping(write), "--value-column", "jahr")
    assert r.exit_code == 2 and "„jahr“ wäre zugleich Jahr- und Wertspalte" in r.output


def test_a_names_only_import_gives_the_unassignable_row_a_code_no_numbered_list_has(run, write, tmp_path):
    r, out = _import(run, write, tmp_path, "--name", "Planungsraum", "--scheme", "bezirke=Bezirk")
    assert r.exit_code == 0, r.output
    codes = {c.art: c.schluessel for c in load_mapping(out).sondercodes.values()}
    assert codes == {"gesamt": "0", "nicht_zugeordnet": "999999999"}


def test_an_area_column_beside_the_key_is_not_the_units_name(run, write, stadt):
    # a Berlin-style list: the Bezirk's name stands before the Planungsraum's; and a list with only the region
    rows = ["PLR-ID;Bezirk;Planungsraum;Einwohner"] + [f"{c};{bn};{n};{ew}" for c, n, _rc, _rn, _bc, bn, ew, _hh in EINHEITEN]
    r = run("aggregate", write("a.csv", "\n".join(rows) + "\n"), "--config", stadt, "-s", "bezirke", "--strict", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "passen nicht zusammen" not in r.stderr and "bezirke,1,Nordufer,3,2800," in r.stdout
    rows = ["PLR-ID;Bezirksregion;Einwohner"] + [f"{c};{rn};{ew}" for c, _n, _rc, rn, _bc, _bn, ew, _hh in EINHEITEN]
    r = run("aggregate", write("b.csv", "\n".join(rows) + "\n"), "--config", stadt, "-s", "bezirke", "--strict", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "passen nicht zusammen" not in r.stderr and "bezirke,2,Mitte,3,2650," in r.stdout


def test_a_name_column_given_by_option_is_never_replaced(run, write):
    # Jena office layout: the subtotal rows say „zusammen“ in the district column and name the Raum in „Gebiet“;
    # the user names „Gebiet“ as the name column, although the district column fits the codes better
    rows = ["Nr.;Statistischer Bezirk;Gebiet;Einwohner", "61;Lobeda-Altstadt;Lobeda-Altstadt;1.414",
            "62;Lobeda-West;Lobeda-West;6.000", "63;Lobeda-Ost;Lobeda-Ost;5.000", "100;Wöllnitz;Wöllnitz;700",
            "131;Drackendorf / Lobeda-Ost;Drackendorf / Lobeda-Ost;2.000", ";zusammen;Lobeda;15.114"]
    r = run("aggregate", write("t.csv", "\n".join(rows) + "\n"), "-s", "planungsraeume", "--name-column", "Gebiet",
            "-f", "table")
    assert r.exit_code == 0, r.output
    # the row „zusammen / Lobeda“ is Lobeda's published subtotal (a Raum of both schemes: named, not summed)
    assert "Teilsummen „Lobeda“ passen zu mehreren Schemata" in r.stdout and "passen weder" not in r.output
    # by hand: 1.414 + 6.000 + 5.000 + 700 + 2.000 = 15.114 for Lobeda, incomplete (the others are missing)
    assert "15.114" in r.stdout


def test_zero_padded_counts_are_left_out_with_the_line_that_declares_them(run, write):
    r = run("aggregate", write("p.csv", "Nr.;Statistischer Bezirk;Einwohner\n011;Ammerbach Ort;00361\n"), "-f", "csv")
    assert "Einwohner: ausgelassen: die Spalte enthält Schlüssel oder Nummern" in r.stderr or "einwohner" in r.stdout
