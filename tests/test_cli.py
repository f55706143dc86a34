"""The command line in-process (typer's CliRunner): exit codes, stdout vs stderr, formats, files."""

import json

import pytest

from sozialraum_cli.aggregate import aggregate
from sozialraum_cli.publication import protect
from sozialraum_cli.reading import read_bezirksdaten
from sozialraum_cli.render.raumtabelle import records as raum_records

from conftest import BEISPIEL, HAUSHALTE, MINI


def test_table_output_in_german(run):
    r = run("aggregate", HAUSHALTE, "--year", "2016", "--scheme", "planungsraeume", "--format", "table")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "6 Planungsräume – privathaushalte_2006-2016.csv, 2016" in out
    for text in ("│    1 │ West/Zentrum │       5 │          15.290 │  25,1 % │", "Ortschaften", "61.012", "100,0 %",
                 "Abgleich mit der Gesamtzeile: Privathaushalte stimmt (61.012)."):
        assert text in out
    assert r.stderr == ""


def test_json_equals_the_core_result(run, jena):
    r = run("aggregate", BEISPIEL, "--scheme", "all", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    daten = read_bezirksdaten(BEISPIEL, jena)
    # the bundled mapping's rule (counts 1 and 2 hidden) over both schemes together, as the command does
    cores = protect(jena, daten, [aggregate(jena, t["schema"], daten) for t in doc["tabellen"]], 3).ergebnisse
    assert sum(c.geheimhaltung.primaer for c in cores) > 0
    for tabelle, core in zip(doc["tabellen"], cores):
        assert tabelle["zeilen"] == raum_records(core, mit_schema=False)
    assert [t["schema"] for t in doc["tabellen"]] == ["sozialraeume", "planungsraeume"]
    planung = doc["tabellen"][1]["zeilen"]
    assert planung[-2]["raum"] == "Gesamt" and planung[-2]["einwohner"] == 108141 and planung[-2]["sgb2_personen"] == 5307
    assert planung[-1]["raum"] == "nicht zugeordnet"
    assert doc["sha256"] and doc["jahr"] is None


def test_csv_plain_numbers(run):
    r = run("aggregate", HAUSHALTE, "--year", "2016", "-s", "planungsraeume", "-f", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    # disclosure control is on by default: the column `geheim` names hidden cells (none here)
    assert lines[0] == "schema,rang,raum,anzahl_bezirke,privathaushalte,privathaushalte_anteil,status,fehlend,geheim,art"
    assert lines[1] == "planungsraeume,1,West/Zentrum,5,15290,25.0606,vollständig,,,raum"
    assert lines[-1] == "planungsraeume,,Gesamt,41,61012,100,vollständig,,,gesamt"


def test_markdown(run):
    r = run("aggregate", BEISPIEL, "-s", "sozialraeume", "-f", "markdown", "--value", "einwohner")
    assert r.exit_code == 0
    assert r.stdout.startswith("## 5 Sozialräume\n\n| rang | raum | anzahl_bezirke | einwohner | einwohner_anteil | status | fehlend |")


def test_messages_go_to_stderr_data_to_stdout(run):
    r = run("aggregate", HAUSHALTE, "-s", "planungsraeume", "-f", "csv")
    assert r.exit_code == 0
    assert "Hinweis: Kein --year angegeben: verwendet wird 2016" in r.stderr
    assert "Hinweis" not in r.stdout


def test_output_file_atomic_and_no_overwrite(run, tmp_path):
    out = tmp_path / "ergebnis.csv"
    r = run("aggregate", BEISPIEL, "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("schema,rang,raum")  # format from the extension
    first = out.read_bytes()
    r = run("aggregate", BEISPIEL, "-o", out)
    assert r.exit_code == 1
    assert "Die Ausgabedatei gibt es schon" in r.stderr and "--force" in r.stderr
    assert out.read_bytes() == first
    r = run("aggregate", BEISPIEL, "-o", out, "--force", "--value", "einwohner")
    assert r.exit_code == 0 and out.read_bytes() != first
    assert [p.name for p in tmp_path.iterdir()] == ["ergebnis.csv"]  # no temporary file left


def test_bad_input_leaves_no_output_file(run, tmp_path, write):
    bad = write("kaputt.csv", "nr,einwohner\n11,5\n77,3\n")
    out = tmp_path / "ergebnis.json"
    r = run("aggregate", bad, "-o", out)
    assert r.exit_code == 1
    assert not out.exists()
    assert r.stderr.startswith(f"Fehler: {bad}, Zeile 3: 1 Zeile(n) passen weder zu einer Einheit (Bezirke)")
    assert "Traceback" not in r.stderr


def test_output_never_replaces_an_input(run, tmp_path, write):
    src = write("daten.csv", BEISPIEL.read_text(encoding="utf-8-sig"))
    before = src.read_bytes()
    r = run("aggregate", src, "-o", src, "--force", "-f", "csv")
    assert r.exit_code == 1 and "Eingabedateien werden nie verändert" in r.stderr
    assert src.read_bytes() == before


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["aggregate", BEISPIEL, "--scheme", "bezirke"], 2, "Das Schema „bezirke“ gibt es in der Zuordnung nicht. Vorhanden: sozialraeume, planungsraeume, all."),
        (["aggregate", BEISPIEL, "--bogus"], 2, "Fehler: Unbekannte Option --bogus."),
        (["aggregate"], 2, "Fehler: Das Argument DATEI... fehlt."),
        (["aggregate", BEISPIEL, "-f", "xml"], 2, "Ungültiger Wert für --format/-f: „xml“. Erlaubt: table, csv, csv-de, json, markdown, xlsx."),
        (["aggregate", BEISPIEL, "--year", "abc"], 2, "erwartet wird eine ganze Zahl"),
        (["gibtsnicht"], 2, "Den Befehl „gibtsnicht“ gibt es nicht."),
        (["aggregate", BEISPIEL, "-o", "x.pdf"], 2, "Das Format für „x.pdf“ ist unklar."),
        (["aggregate", "fehlt.csv"], 1, "fehlt.csv: Die Datei gibt es nicht."),
        (["aggregate", BEISPIEL, "--value", "arbeitslose"], 2, "--value: Das Merkmal „arbeitslose“ gibt es nicht."),
        (["aggregate", HAUSHALTE, "--year", "2030"], 2, "--year: Das Jahr 2030 gibt es in der Datei nicht (mit Werten: 2006–2016)."),
    ],
)
def test_errors_exit_codes_and_german_messages(run, args, code, message):
    r = run(*args)
    assert r.exit_code == code
    assert message in r.stderr
    assert r.stdout == ""


def test_strict(run, write):
    part = write("teil.csv", "nr,einwohner\n1,5\n2,6\n3,7\n")
    r = run("aggregate", part, "--config", MINI, "-f", "csv", "-s", "stadt_land")
    assert r.exit_code == 0
    assert "Warnung (stadt_land): Bezirk 4 (Unterdorf) fehlt in der Datei." in r.stderr
    assert "stadt_land,,Land,2,7,,unvollständig,einwohner: Bezirk 4 (Unterdorf) fehlt in der Datei" in r.stdout
    r = run("aggregate", part, "--config", MINI, "--strict")
    assert r.exit_code == 1 and "fehlen in der Datei: 4 (Unterdorf)" in r.stderr


def test_incomplete_sum_shown_with_at_least_sign(run, write):
    part = write("teil.csv", "nr,einwohner\n1,5\n2,6\n3,1.234\n")
    r = run("aggregate", part, "--config", MINI, "-f", "table", "-s", "stadt_land")
    assert "│ Land   │       2 │   ≥ 1.234 │      . │" in r.stdout
    assert "Warnung: Raum „Land“ ist unvollständig" in r.stdout


def test_bad_config_exit_1(run, write):
    cfg = write("z.yaml", "bezirke: [\n")
    r = run("schemes", "--config", cfg)
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Fehler: {cfg}, Zeile ") and "kein gültiges YAML" in r.stderr


def test_debug_shows_traceback(run):
    r = run("--debug", "aggregate", "fehlt.csv")
    assert r.exit_code == 1 and "Traceback" in r.stderr


def test_schemes_and_districts(run):
    r = run("schemes", "-f", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "schema,raum,bezirk_nr,bezirk_name,anteil"
    assert len(lines) == 1 + 41 + 41
    assert "planungsraeume,Ortschaften,133,Ilmnitz,1" in lines
    r = run("districts", "-f", "json")
    doc = json.loads(r.stdout)
    ilmnitz = next(b for b in doc["bezirke"] if b["bezirk_nr"] == 133)
    assert (ilmnitz["sozialraeume"], ilmnitz["planungsraeume"], ilmnitz["beleg"]) == ("Lobeda", "Ortschaften", "Bericht (Ilmnitz)")
    r = run("schemes", "-f", "table")
    assert "6 Planungsräume (Schema „planungsraeume“)" in r.stdout
    r = run("districts", "--config", MINI, "-f", "table")
    assert "Nord (25,0 %), Sued (75,0 %)" in r.stdout


def test_help_is_german(run):
    r = run("--help")
    assert r.exit_code == 0
    for text in ("Aufruf: sozialraum", "Optionen", "Befehle", "Diese Hilfe anzeigen und beenden."):
        assert text in r.stdout
    r = run("aggregate", "--help")
    assert "Beispiel: sozialraum aggregate" in r.stdout and "Argumente" in r.stdout


def test_version(run):
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("sozialraum ")


def test_compare_json_equals_core(run, jena):
    from sozialraum_cli.compare import compare
    from sozialraum_cli.render.vergleich import json_doc as vergleich_json

    r = run("compare", "planungsraeume", "sozialraeume", HAUSHALTE, "--year", "2016", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    daten = read_bezirksdaten(HAUSHALTE, jena)
    core = compare(jena, jena.schema("planungsraeume"), jena.schema("sozialraeume"), daten, jahr=2016)
    (core,) = protect(jena, daten, [core], 3).ergebnisse  # the bundled mapping's rule
    assert doc == json.loads(json.dumps(vergleich_json(core, str(jena.datei))))
    cell = next(c for c in doc["ueberleitung"] if c["raum_a"] == "Ortschaften" and c["raum_b"] == "Lobeda")
    assert (cell["wert"], cell["anzahl_bezirke"]) == (571, 2)


def test_compare_csv_matrix_and_table(run):
    r = run("compare", "planungsraeume", "sozialraeume", "-f", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "raum_a,Lobeda,Winzerla,West/Zentrum,Nord,Ost,Gesamt"
    assert lines[6] == "Ortschaften,2,2,8,2,2,16"
    assert lines[7] == "Gesamt,7,8,13,6,7,41"
    r = run("compare", "planungsraeume", "sozialraeume", HAUSHALTE, "--year", "2016", "-f", "table")
    assert "│ Ortschaften   │     571 (18,4 %) │     218 (7,0 %) │   1.437 (46,3 %) │" in r.stdout
    assert "Bezirke, die nicht beim Hauptpartner ihres Raums liegen (8)" in r.stdout
    assert "Nebeneinander: A = 6 Planungsräume, B = 5 Sozialräume" in r.stdout


def test_compare_move_is_stated(run):
    r = run("compare", "sozialraeume", "sozialraeume", HAUSHALTE, "--year", "2016", "--move", "133=Winzerla", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    assert "Hinweis: Schema B wurde für diesen Vergleich geändert: 5 Sozialräume (geändert: 133 Ilmnitz → Winzerla)." in r.stderr
    assert "Lobeda,14313,206,0,0,0,14519" in r.stdout
    r = run("compare", "sozialraeume", "sozialraeume", "--move", "141=Saaletal", "-f", "table")
    assert "Warnung: Raum „Saaletal“ gibt es im Schema „sozialraeume“ nicht; er wird neu angelegt." in r.stdout


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["compare", "sozialraeume", "sozialraeume"], 2, "Zweimal dasselbe Schema „sozialraeume“"),
        (["compare", "sozialraeume", "kreise"], 2, "Das Schema „kreise“ gibt es in der Zuordnung nicht"),
        (["compare", "sozialraeume", "all"], 2, "„all“ ist hier nicht möglich"),
        (["compare", "sozialraeume", "planungsraeume", "--move", "133"], 2, "erwartet wird BEZIRK=RAUM"),
        (["compare", "sozialraeume", "planungsraeume", "--config-b", MINI], 1, "nicht dieselben Bezirke"),
        (["compare", "sozialraeume"], 2, "Das Argument SCHEMA_B fehlt."),
    ],
)
def test_compare_errors(run, args, code, message):
    r = run(*args)
    assert r.exit_code == code
    assert message in r.stderr


def test_csv_de_for_german_spreadsheets(run, tmp_path):
    """`--format csv-de`: BOM, semicolons, decimal comma; formula-like text neutralised, numbers kept."""
    import csv as csvmod

    mapping = tmp_path / "m.yaml"
    mapping.write_text(MINI.read_text(encoding="utf-8").replace("Stadt: [1, 2]", '"=HYPERLINK(1)": [1, 2]'), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("nr,einwohner,einwohner_unter_65,sgb2_personen\n1,1000,800,80\n2,2000,1500,300\n3,500,400,8\n4,300,250,2\n",
                    encoding="utf-8")
    out = tmp_path / "o.csv"
    r = run("aggregate", data, "--config", mapping, "-s", "stadt_land", "--format", "csv-de", "-o", out)
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csvmod.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    by_area = {row[2]: row for row in rows[1:]}
    assert "'=HYPERLINK(1)" in by_area and "=HYPERLINK(1)" not in by_area
    header = rows[0]
    stadt = dict(zip(header, by_area["'=HYPERLINK(1)"]))
    assert stadt["einwohner"] == "3000" and stadt["einwohner_anteil"] == "78,9474"  # 3000 / 3800
    assert stadt["sgb2_quote"] == "16,5217"  # 100 × 380 / 2300


ENGLISH = ("is not", "Invalid", "does not exist", "Input should", "No such", "Missing", "Did you mean", "is a directory",
           "Traceback", "Interner Fehler")


@pytest.mark.parametrize(
    "args",
    [
        ["aggregate", BEISPIEL, "--min-count", "1"],
        ["aggregate", BEISPIEL, "--min-count", "abc"],
        ["audit", BEISPIEL.with_suffix(".json"), "--protection", "-3"],
        ["map", BEISPIEL, "--width", "5", "-o", "k.png"],
        ["map", BEISPIEL, "--value", "sgb2_quote", "-o", "k.png"],
        ["aggregat", BEISPIEL],
        ["aggregate", BEISPIEL, "--format", "xml"],
        ["trend", HAUSHALTE, "--years", "zwei"],
    ],
)
def test_wrong_invocations_get_german_messages(run, args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("Fehler: ")
    assert not [e for e in ENGLISH if e in r.stderr], r.stderr


def test_forgiving_names_for_scheme_value_and_sort(run):
    """The key, the title, an alias or the file's header; case, umlauts and punctuation do not count."""
    r = run("aggregate", BEISPIEL, "--scheme", "sozialräume", "--value", "Einwohner", "--value", "SGB-II-Quote",
            "--sort", "sgb2 quote", "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "schema,rang,raum,anzahl_bezirke,einwohner,einwohner_anteil,sgb2_quote,status,fehlend,geheim,art"
    assert lines[1].startswith("sozialraeume,1,Lobeda,7,25838,")  # the highest SGB-II rate
    r = run("aggregate", BEISPIEL, "-s", "6 Planungsräume", "--value", "Einwohner unter 65 Jahren", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith("planungsraeume,1,West/Zentrum,5,20907,")


@pytest.mark.parametrize("command", [
    ["aggregate", BEISPIEL], ["compare", "sozialraeume", "planungsraeume", BEISPIEL], ["trend", HAUSHALTE], ["export", HAUSHALTE],
    ["index", BEISPIEL], ["map", "--scheme", "sozialraeume"],
])
def test_an_existing_output_file_is_refused_before_any_work(run, tmp_path, monkeypatch, command):
    """A long job must not fail at its end for a file that was there from the start."""
    from sozialraum_cli.cli import common

    def no_work(*args, **kwargs):
        raise AssertionError("the data were read although the output is refused")

    monkeypatch.setattr(common, "load_data", no_work)
    monkeypatch.setattr(common, "load_geo", no_work)
    for name in ("aggregate", "compare", "trend", "export", "index", "map"):
        module = __import__(f"sozialraum_cli.cli.{name}", fromlist=["x"])
        for attr in ("load_data", "load_geo"):
            if hasattr(module, attr):
                monkeypatch.setattr(module, attr, no_work)
    out = tmp_path / ("karte.png" if command[0] == "map" else "ergebnis.xlsx" if command[0] == "export" else "ergebnis.csv")
    out.write_bytes(b"vorher")
    r = run(*command, "--output", out)
    assert r.exit_code == 1, r.stderr
    assert "Die Ausgabedatei gibt es schon" in r.stderr and out.read_bytes() == b"vorher"
