"""Hostile and broken input (issue 12): no formula in a workbook, no overwritten input,
no silent wrong number, bounded time and memory, one German line for every failure.

Large and hostile files are generated here; limits on time and memory are checked by running
the installed console script under resource limits, never by measuring wall-clock time.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import BEISPIEL, MINI, formula_cells
from openpyxl import load_workbook
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app
from sozialraum_cli.geo import default_geometry_path
from sozialraum_cli.mapping import default_mapping_path

GEOJSON = default_geometry_path()
MAPPING = default_mapping_path()

SCRIPT = Path(sys.executable).with_name("sozialraum")
GB = 1024**3


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def run_limited(*args, cwd: Path, memory: int = 2 * GB, cpu: int = 60, stdin=None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """The console script in a subprocess under an address-space and CPU-time limit."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return subprocess.run(
        [str(SCRIPT), *map(str, args)], cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, preexec_fn=limits,
        stdin=stdin, env={**os.environ, "COLUMNS": "200"},
    )


def digest(*paths: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def one_german_line(stderr: str) -> str:
    """The single error line; no traceback, no internal error (notes such as the disclosure rule may precede it)."""
    lines = [l for l in stderr.splitlines() if l.strip() and not l.startswith("Hinweis")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Fehler: "), stderr
    assert "Traceback" not in stderr and "Interner Fehler" not in stderr
    return lines[0]


def no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


# ----------------------------------------------------------------------------- formulas

EVIL_MAPPING = """\
sondercodes:
  - {nr: 0, art: gesamt, name: "Stadt (gesamt)"}
bezirke:
  - {nr: 1, name: "=HYPERLINK(\\"http://x.example/\\",\\"Klick\\")"}
  - {nr: 2, name: "@SUMME"}
  - {nr: 3, name: "+Oberdorf"}
  - {nr: 4, name: "-Unterdorf"}
schemata:
  s1:
    titel: "=1+1"
    quelle: "=cmd|' /C calc'!A0"
    raeume:
      "=Stadt": [1, 2]
      "@Land": [3, 4]
  s2:
    titel: "+zwei"
    raeume:
      "-Nord": [1, 3]
      "#N/A": [2, 4]
merkmale:
  einwohner: {titel: "=Einwohner", art: anzahl}
"""
EVIL_DATA = (
    "Nr.;Name;einwohner;=1+1;@x\n0;Stadt (gesamt);10;4;4\n"
    '1;=HYPERLINK("http://x.example/","Klick");1;1;1\n2;@SUMME;2;1;1\n3;+Oberdorf;3;1;1\n4;-Unterdorf;4;1;1\n'
)


@pytest.fixture
def evil(tmp_path):
    mapping = tmp_path / "=evil.yaml"
    mapping.write_text(EVIL_MAPPING, encoding="utf-8")
    data = tmp_path / "=cmd|' calc'!A0.csv"
    data.write_text(EVIL_DATA, encoding="utf-8")
    return mapping, data


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{data}", "--scheme", "all"],
        ["aggregate", "{data}", "--scheme", "all", "--format", "xlsx"],
        ["compare", "s1", "s2", "{data}", "--format", "xlsx"],
    ],
    ids=["export", "aggregate", "compare"],
)
def test_workbooks_hold_text_never_a_formula(evil, tmp_path, command):
    mapping, data = evil
    out = tmp_path / "out.xlsx"
    r = run(*(str(data) if a == "{data}" else a for a in command), "--config", mapping, "--output", out)
    assert r.exit_code == 0, r.stderr
    assert formula_cells(out) == []
    texts = {c.value for ws in load_workbook(out) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(t.startswith("=") for t in texts)  # the hostile text is there, as text
    wb = load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value[:1] in "=+-@")
    with zipfile.ZipFile(out) as z:  # no formula element at all in the sheets' XML (nor an empty page header like one)
        assert all(b"<f" not in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_plain_csv_keeps_values_as_they_are(evil):
    mapping, data = evil
    r = run("aggregate", data, "--config", mapping, "--scheme", "s1", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert "=Stadt" in r.stdout and "@Land" in r.stdout


def test_csv_format_must_fit_the_output_suffix(tmp_path):
    out = tmp_path / "x.xlsx"
    r = run("aggregate", BEISPIEL, "--format", "csv", "--output", out)
    assert r.exit_code == 2
    assert one_german_line(r.stderr) == (
        "Fehler: --format csv passt nicht zur Endung von „x.xlsx“ (xlsx). Bitte --format oder den Dateinamen anpassen."
    )
    assert not out.exists()


def test_export_wider_than_excel_is_refused_before_any_work(tmp_path):
    n = 8200
    lines = [";".join(["Nr.", "Bezirk", *(f"m{i}" for i in range(n))])]
    lines += [";".join([str(nr), name, *(["1"] * n)]) for nr, name in [(1, "Altstadt"), (2, "Neustadt"), (3, "Oberdorf"), (4, "Unterdorf")]]
    data = tmp_path / "breit.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "breit.xlsx"
    r = run("export", data, "--config", MINI, "--output", out)
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == (
        f"Fehler: {data}: Die Arbeitsmappe hätte 16.404 Spalten; Excel erlaubt höchstens 16.384. "
        "Bitte mit --value weniger Merkmale oder mit --year/--years weniger Jahre wählen."
    )
    assert not out.exists()


# ----------------------------------------------------------------------------- inputs are never written

POINTS = "Name;Breite;Länge\nOrt 1;50.9270;11.5860\nOrt 2;50.8800;11.6100\n"


@pytest.fixture
def locate_inputs(tmp_path):
    points = tmp_path / "orte.csv"
    points.write_text(POINTS, encoding="utf-8")
    population = tmp_path / "bevoelkerung.csv"
    population.write_bytes(BEISPIEL.read_bytes())
    geometry = tmp_path / "bezirke.geojson"
    geometry.write_bytes(Path(GEOJSON).read_bytes())
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_bytes(Path(MAPPING).read_bytes())
    return points, population, geometry, mapping


@pytest.mark.parametrize(
    "option,victim",
    [("--output", v) for v in ("points", "population", "geometry", "mapping", "symlink", "hardlink")]
    + [("--points-output", v) for v in ("population", "hardlink")],
)
def test_locate_never_replaces_an_input(tmp_path, locate_inputs, option, victim):
    points, population, geometry, mapping = locate_inputs
    target = {"points": points, "population": population, "geometry": geometry, "mapping": mapping}.get(victim)
    if victim == "symlink":
        target = tmp_path / "verweis.csv"
        target.symlink_to(population)
    elif victim == "hardlink":
        target = tmp_path / "zweiter_name.csv"
        os.link(geometry, target)
    before = digest(points, population, geometry, mapping)
    args = ["locate", points, "--lat", "Breite", "--lon", "Länge", "--scheme", "sozialraeume", "--population", population,
            "--geometry", geometry, "--config", mapping, "--force", "-f", "csv"]
    r = run(*args, option, target)
    assert r.exit_code == 1, r.stderr
    assert one_german_line(r.stderr) == (
        f"Fehler: {target}: Die Ausgabedatei ist zugleich eine Eingabedatei; Eingabedateien werden nie verändert. "
        f"Bitte einen anderen Namen für {option} wählen."
    )
    assert digest(points, population, geometry, mapping) == before
    no_temp_files(tmp_path)


@pytest.mark.parametrize("command", ["aggregate", "export"])
def test_data_file_behind_a_symlink_is_not_replaced(tmp_path, command):
    data = tmp_path / "daten.csv"
    data.write_bytes(BEISPIEL.read_bytes())
    link = tmp_path / "ausgabe.xlsx"
    link.symlink_to(data)
    before = digest(data)
    extra = ["--format", "xlsx"] if command == "aggregate" else []
    r = run(command, data, *extra, "--output", link, "--force")
    assert r.exit_code == 1
    assert "Die Ausgabedatei ist zugleich eine Eingabedatei" in one_german_line(r.stderr)
    assert digest(data) == before


def test_special_files_are_refused_as_output(tmp_path):
    fifo = tmp_path / "rohr.csv"
    os.mkfifo(fifo)
    r = run("aggregate", BEISPIEL, "--output", fifo, "--force")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == (
        f"Fehler: {fifo}: Das ist keine gewöhnliche Datei (sondern ein Gerät, eine FIFO oder ein Socket); sie wird nicht "
        "ersetzt. Bitte für --output den Namen einer gewöhnlichen Datei angeben."
    )
    assert fifo.is_fifo()


def test_outputs_respect_the_umask_and_keep_the_mode_they_replace(tmp_path):
    old = os.umask(0o077)
    try:
        new = tmp_path / "neu.csv"
        assert run("aggregate", BEISPIEL, "--output", new).exit_code == 0
        assert new.stat().st_mode & 0o777 == 0o600
        os.umask(0o022)
        kept = tmp_path / "alt.csv"
        kept.write_text("alt", encoding="utf-8")
        kept.chmod(0o640)
        assert run("aggregate", BEISPIEL, "--output", kept, "--force").exit_code == 0
        assert kept.stat().st_mode & 0o777 == 0o640
        assert kept.read_text(encoding="utf-8") != "alt"
        folder = tmp_path / "profile"
        assert run("profile", BEISPIEL, "--scheme", "sozialraeume", "--area", "Lobeda", "--output", folder, "--quiet").exit_code == 0
        assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o644}
    finally:
        os.umask(old)
    no_temp_files(tmp_path)


def test_profile_names_that_collide_are_an_error_before_writing(tmp_path):
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("      Winzerla: [", '      "Nord!": [', 1), encoding="utf-8")
    data = tmp_path / "daten.csv"
    data.write_bytes(BEISPIEL.read_bytes())
    out = tmp_path / "profile"
    r = run("profile", data, "--config", mapping, "--scheme", "sozialraeume", "--output", out, "--force", "--quiet")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == (
        "Fehler: Die Räume „Nord!“ und „Nord“ ergäben dieselbe Datei „profil-nord.html“. Bitte die Räume in der Zuordnung "
        "eindeutiger benennen oder mit --area nur einen davon wählen."
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["daten.csv", "zuordnung.yaml"]


def test_profile_output_that_is_a_file(tmp_path):
    target = tmp_path / "profile.html"
    target.write_text("mein Text", encoding="utf-8")
    r = run("profile", BEISPIEL, "--scheme", "sozialraeume", "--output", target, "--force", "--quiet")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == f"Fehler: {target}: Das ist eine Datei; --output braucht hier einen Ordner."
    assert target.read_text(encoding="utf-8") == "mein Text"


def test_profile_set_is_complete_and_leaves_no_temporary_folder(tmp_path):
    out = tmp_path / "neu" / "profile"
    r = run("profile", BEISPIEL, "--scheme", "sozialraeume", "--area", "Ost", "--output", out, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "profil-ost.html"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["profile"]
    r = run("profile", BEISPIEL, "--scheme", "sozialraeume", "--area", "Ost", "--output", out, "--quiet")
    assert r.exit_code == 1 and "Die Ausgabedatei gibt es schon." in one_german_line(r.stderr)
    assert sorted(p.name for p in out.parent.iterdir()) == ["profile"]


# ----------------------------------------------------------------------------- YAML

ALIAS_BOMB = "\n".join(
    [f'a: &a [{", ".join(["x"] * 9)}]']
    + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
) + "\n"


def test_yaml_alias_bomb_is_refused_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bombe.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    r = run_limited("schemes", "--config", bomb, cwd=tmp_path, memory=GB, cpu=20)
    assert r.returncode == 1, r.stderr
    assert one_german_line(r.stderr) == (
        f"Fehler: {bomb}: Die Zuordnungsdatei hat mit aufgelösten Aliasen mehr als 100.000 Einträge. "
        "Bitte auf Aliase (*name) verzichten, die große Teile vervielfachen."
    )


@pytest.mark.parametrize(
    "text,message",
    [
        ("bezirke: &b\n  - nr: 1\n    name: x\n    aliase: *b\nschemata: {}\n",
         "Zeile 1: Ein Alias verweist auf den Eintrag, in dem er selbst steht (Endlosschleife)."),
        ("a: &a [*a]\n", "Zeile 1: Ein Alias verweist auf den Eintrag, in dem er selbst steht (Endlosschleife)."),
        ("a: " + "[" * 1000 + "]" * 1000 + "\n", "Die Zuordnungsdatei ist zu tief verschachtelt."),
        (MAPPING.read_text(encoding="utf-8").replace("faktor: 100", "faktor: .inf", 1),
         "Merkmal „sgb2_quote“: „faktor“ muss eine positive Zahl sein."),
    ],
    ids=["self-alias", "self-list", "deep", "faktor-inf"],
)
def test_broken_mappings_give_one_german_line(tmp_path, text, message):
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text(text, encoding="utf-8")
    r = run("schemes", "--config", mapping)
    assert r.exit_code == 1
    line = one_german_line(r.stderr)
    assert line.startswith(f"Fehler: {mapping}") and message in line


# ----------------------------------------------------------------------------- spreadsheets

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Daten" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_FIRST_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Nr.</t></is></c><c r="B1" t="inlineStr"><is><t>Einwohner</t></is></c></row>'


def write_xlsx(path: Path, rows_xml: str = "", padding_mib: int = 0) -> Path:
    """A minimal workbook written by hand, so that it can be hostile."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS)):
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((_SHEET_HEAD + _FIRST_ROW + rows_xml).encode())
            blank = b" " * 1024**2
            for _ in range(padding_mib):
                f.write(blank)
            f.write(b"</sheetData></worksheet>")
    return path


def test_one_cell_at_the_last_cell_of_excel_is_refused(tmp_path):
    book = write_xlsx(tmp_path / "weit.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert book.stat().st_size < 5000
    r = run_limited("aggregate", book, cwd=tmp_path, memory=2 * GB, cpu=30)
    assert r.returncode == 1, r.stderr
    assert one_german_line(r.stderr) == (
        f"Fehler: {book}: Ein Tabellenblatt reicht bis Zeile 1.048.576 und Spalte 16.384 (17.179.869.184 Zellen); "
        "gelesen werden höchstens 10.000.000 Zellen je Blatt. Bitte leere Zeilen und Spalten am Ende des Blatts "
        "löschen oder die Daten als CSV speichern."
    )


def test_spreadsheet_that_unpacks_to_too_much_is_refused(tmp_path):
    book = write_xlsx(tmp_path / "bombe.xlsx", padding_mib=520)
    assert book.stat().st_size < 5 * 1024**2
    r = run_limited("aggregate", book, cwd=tmp_path, memory=2 * GB, cpu=30)
    assert r.returncode == 1, r.stderr
    assert one_german_line(r.stderr) == (
        f"Fehler: {book}: Die Tabellendatei ist entpackt größer als 512 MiB; so große Dateien werden nicht gelesen. "
        "Bitte die Daten als CSV speichern oder auf die nötigen Blätter kürzen."
    )
    book.unlink()  # not worth unpacking again for the check of all workbooks


# ----------------------------------------------------------------------------- numbers

def test_mixed_number_styles_are_an_error_not_a_wrong_number(write):
    data = write("daten.csv", "Nr.;Bezirk;einwohner\n0;Gesamt;2.447\n1;Altstadt;1.5\n2;Neustadt;2.447\n3;Oberdorf;361\n4;Unterdorf;12\n")
    r = run("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == (
        f"Fehler: {data}, Zeile 3, Spalte „einwohner“: Die Zahlen sind verschieden geschrieben: „2.447“ (Zeile 2) und "
        "„1.5“ – ist der Punkt ein Tausender- oder ein Dezimalzeichen? Bitte die Spalte einheitlich schreiben: "
        "deutsch (2.447 und 1,5) oder englisch (2447 und 1.5)."
    )


@pytest.mark.parametrize("values", [("2.447", "1,0"), ("2447", "1.0"), ("2.447.000", "361"), ("1,234.0", "2.000")])
def test_consistent_number_styles_are_read(write, values):
    a, b = values
    data = write("daten.csv", f"Nr.;Bezirk;einwohner\n1;Altstadt;{a}\n2;Neustadt;{b}\n3;Oberdorf;1\n4;Unterdorf;1\n")
    r = run("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv")
    assert r.exit_code == 0, r.stderr


# ----------------------------------------------------------------------------- CSV

def test_csv_field_larger_than_pythons_default_is_read(write):
    long_note = "x" * 300_000
    data = write("daten.csv", f'Nr.;Bezirk;einwohner\n1;Altstadt;1\n2;Neustadt;2\n3;Oberdorf;3\n4;Unterdorf;4\n"{long_note}";;\n')
    r = run("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv")
    assert r.exit_code == 0, r.stderr


def test_csv_field_over_the_limit_is_one_german_line(write):
    data = write("daten.csv", 'Nr.;Bezirk;einwohner\n1;Altstadt;"' + "x" * (16 * 1024**2 + 10) + '"\n')
    r = run("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == f"Fehler: {data}, Zeile 2: Ein Feld ist länger als 16.777.216 Zeichen."


def test_endless_input_stops_at_the_limit(tmp_path):
    r = run_limited("aggregate", "/dev/zero", cwd=tmp_path, memory=2 * GB, cpu=30)
    assert r.returncode == 1, r.stderr
    assert one_german_line(r.stderr) == (
        "Fehler: /dev/zero: Die Datei ist größer als 256 MiB (oder endlos); so große Dateien werden nicht gelesen."
    )


def test_many_footnote_lines_take_linear_time(tmp_path):
    lines = ["Nr.;Bezirk;einwohner", "1;Altstadt;1", "2;Neustadt;2", "3;Oberdorf;3", "4;Unterdorf;4"]
    lines += [f"Fußnote {i};;" for i in range(40_000)]
    data = tmp_path / "fussnoten.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run_limited("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv", cwd=tmp_path, cpu=8)
    assert r.returncode == 0, r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root liest jede Datei")
def test_unreadable_file(write):
    data = write("daten.csv", "Nr.;Bezirk;einwohner\n1;Altstadt;1\n")
    data.chmod(0)
    r = run("aggregate", data, "--config", MINI)
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == f"Fehler: {data}: Die Datei ist nicht lesbar (keine Leseberechtigung)."


def test_a_folder_as_input(tmp_path):
    r = run("aggregate", tmp_path, "--config", MINI)
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == f"Fehler: {tmp_path}: Das ist ein Ordner, keine Datei."


def test_terminal_control_characters_from_data_are_escaped(write):
    data = write("daten.csv", 'Nr.;Bezirk;einwohner\n1;Altstadt;1\n2;Neustadt;2\n;"\x1b]0;gehackt\x07\x1b[2J";3\n')
    r = run("aggregate", data, "--config", MINI, "--scheme", "stadt_land", "--format", "csv")
    assert r.exit_code == 1
    line = one_german_line(r.stderr)
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "„\\x1b]0;gehackt\\x07\\x1b[2J“" in line


# ----------------------------------------------------------------------------- geometry, maps, Chromium

FEATURE = '{"type": "Feature", "properties": {"id": 11}, "geometry": %s}'


@pytest.mark.parametrize(
    "doc,message",
    [
        ("[]", "Die Geometriedatei ist keine GeoJSON-FeatureCollection (es fehlt die Liste „features“)."),
        ('{"type": "FeatureCollection", "features": "x"}',
         "Die Geometriedatei ist keine GeoJSON-FeatureCollection (es fehlt die Liste „features“)."),
        ('{"features": [%s]}' % (FEATURE % "null"), "Objekt 1 (Schlüssel 11) hat keine Geometrie."),
        ('{"features": [{"type": "Feature", "properties": {"id": 11}}]}', "Objekt 1 (Schlüssel 11) hat keine Geometrie."),
        ('{"features": [%s]}' % (FEATURE % '{"type": "Polygon", "coordinates": [[[11.5, 50.9], [11.6, 50.9]]]}'),
         "Objekt 1 (Schlüssel 11): Die Geometrie ist fehlerhaft. Erwartet wird ein Polygon oder MultiPolygon mit "
         "geschlossenen Ringen aus mindestens 4 Punkten."),
        ('{"crs": {"type": "name", "properties": {"name": "EPSG:999999"}}, "features": []}',
         "Das Koordinatensystem „EPSG:999999“ der Geometriedatei ist unbekannt."),
        ('{"features": [', "Die Geometriedatei ist kein lesbares GeoJSON (Syntaxfehler in Zeile 1, Spalte 15)."),
    ],
    ids=["list", "features-text", "null-geometry", "missing-geometry", "two-point-ring", "unknown-crs", "syntax"],
)
def test_malformed_geojson_gives_one_german_line(tmp_path, doc, message):
    geometry = tmp_path / "bezirke.geojson"
    geometry.write_text(doc, encoding="utf-8")
    r = run("map", "--geometry", geometry, "--output", tmp_path / "karte.png")
    assert r.exit_code == 1
    assert one_german_line(r.stderr) == f"Fehler: {geometry}: {message}"
    assert not (tmp_path / "karte.png").exists()


def test_dollar_signs_in_names_are_text_not_mathtext(tmp_path):
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text(
        MAPPING.read_text(encoding="utf-8").replace("      Lobeda: [", '      "$\\\\frac{a}{$ Lobeda": [', 1), encoding="utf-8"
    )
    out = tmp_path / "karte.png"
    r = run("map", "--config", mapping, "--scheme", "sozialraeume", "--width", "400", "--height", "300", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def fake_chromium(tmp_path: Path, body: str) -> str:
    script = tmp_path / "chromium"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_hanging_chromium_is_killed_with_its_children(tmp_path):
    from sozialraum_cli.errors import OutputError
    from sozialraum_cli.profile import html_to_pdf

    pidfile = tmp_path / "kind.pid"
    chromium = fake_chromium(tmp_path, f"sleep 300 &\necho $! > {pidfile}\nwait\n")
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        html_to_pdf(tmp_path / "a.html", tmp_path / "a.pdf", chromium=chromium, timeout=1)
    assert str(exc.value) == (
        f"{tmp_path / 'a.pdf'}: Chromium hat die PDF-Datei nicht innerhalb von 1 Sekunden erzeugt und wurde beendet."
    )
    child = int(pidfile.read_text())
    for _ in range(100):  # the killed child may briefly remain a zombie until init reaps it
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break
        import time

        time.sleep(0.02)
    else:
        pytest.fail("Chromiums Kindprozess läuft noch")


def test_chromium_output_must_be_a_pdf(tmp_path):
    from sozialraum_cli.errors import OutputError
    from sozialraum_cli.profile import html_to_pdf

    chromium = fake_chromium(tmp_path, 'for a in "$@"; do case "$a" in --print-to-pdf=*) echo "<html>" > "${a#--print-to-pdf=}";; esac; done\n')
    (tmp_path / "a.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(OutputError) as exc:
        html_to_pdf(tmp_path / "a.html", tmp_path / "a.pdf", chromium=chromium)
    assert "Chromium hat keine PDF-Datei erzeugt (der Inhalt beginnt nicht mit %PDF)." in str(exc.value)


def test_full_disk_on_stdout_is_one_german_line(tmp_path):
    with open("/dev/full", "w") as full:
        r = run_limited("aggregate", BEISPIEL, "--format", "csv", cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=full)
    assert r.returncode == 1
    assert one_german_line(r.stderr) == "Fehler: Die Standardausgabe kann nicht geschrieben werden (kein Platz mehr auf dem Datenträger)."


def test_compare_never_replaces_the_second_mapping(tmp_path):
    second = tmp_path / "vorschlag.yaml"
    second.write_bytes(MAPPING.read_bytes())
    before = digest(second)
    r = run("compare", "sozialraeume", "sozialraeume", "--config-b", second, "--format", "csv", "--output", second, "--force")
    assert r.exit_code == 1
    *notes, last = r.stderr.strip().splitlines()
    assert all(n.startswith("Hinweis: ") for n in notes) and "Traceback" not in r.stderr
    assert last == (
        f"Fehler: {second}: Die Ausgabedatei ist zugleich eine Eingabedatei; Eingabedateien werden nie verändert. "
        "Bitte einen anderen Namen für --output wählen."
    )
    assert digest(second) == before


def test_control_characters_in_a_header_do_not_break_the_workbook(tmp_path):
    data = tmp_path / "daten.csv"
    data.write_text("Nr.;Bezirk;einwohner;a\x01b\n1;Altstadt;1;1\n2;Neustadt;2;1\n3;Oberdorf;3;1\n4;Unterdorf;4;1\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    r = run("export", data, "--config", MINI, "--output", out)
    assert r.exit_code == 0, r.stderr
    headers = [c.value for c in load_workbook(out)["Bezirke"][3]]  # below the title and source rows
    assert "a\\x01b" in headers


def test_pdf_set_links_to_its_final_place_and_leaves_nothing_behind(tmp_path, monkeypatch):
    # a stand-in for Chromium that "prints" the HTML behind a PDF signature
    chromium = fake_chromium(tmp_path, 'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; '
                                        'file://*) src="${a#file://}";; esac; done\n'
                                        'printf "%%PDF-1.4\\n" > "$out"; cat "$src" >> "$out"\n')
    monkeypatch.setattr("sozialraum_cli.profile.find_chromium", lambda: chromium)
    out = tmp_path / "pdf"
    r = run("profile", BEISPIEL, "--scheme", "sozialraeume", "--area", "Ost", "--format", "pdf", "--output", out, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.pdf", "profil-ost.pdf"]
    index = (out / "index.pdf").read_text(encoding="utf-8")
    assert 'href="profil-ost.pdf"' in index  # relative: right wherever the folder is moved (issue 16)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chromium", "pdf"]


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Daten">
<table:table-row><table:table-cell office:value-type="string"><text:p>Nr.</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="4998"><table:table-cell/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="9999"/><table:table-cell office:value-type="float"
 office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def test_ods_whose_repeats_span_too_many_cells_is_refused(tmp_path):
    import zipfile

    book = tmp_path / "weit.ods"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", ODS_CONTENT)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    assert book.stat().st_size < 2000
    r = run_limited("aggregate", book, cwd=tmp_path, memory=2 * GB, cpu=30)
    assert r.returncode == 1, r.stderr
    assert one_german_line(r.stderr) == (
        f"Fehler: {book}: Ein Tabellenblatt reicht bis Zeile 5.000 und Spalte 10.000 (50.000.000 Zellen); "
        "gelesen werden höchstens 10.000.000 Zellen je Blatt. Bitte leere Zeilen und Spalten am Ende des Blatts "
        "löschen oder die Daten als CSV speichern."
    )


def test_ctrl_c_during_pdf_leaves_no_partial_set(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_chromium(bin_dir, "kill -INT $PPID\nsleep 30\n")  # the user presses Ctrl-C while Chromium prints
    out = tmp_path / "pdf"
    r = subprocess.run(
        [str(SCRIPT), "profile", str(BEISPIEL), "--scheme", "sozialraeume", "--area", "Ost", "--format", "pdf",
         "--output", str(out), "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        timeout=60,
    )
    assert r.returncode == 130, r.stderr
    assert r.stderr.strip() == "Abgebrochen."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


def test_output_below_a_file_or_missing_folder_is_one_german_line(tmp_path):
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    for target, text in ((blocker / "x.csv", "ist eine Datei, kein Ordner"), (tmp_path / "fehlt" / "x.csv", "gibt es nicht")):
        r = CliRunner().invoke(app, ["aggregate", str(BEISPIEL), "-o", str(target)])
        assert r.exit_code == 1 and text in r.stderr and "Traceback" not in r.stderr
        assert len([l for l in r.stderr.strip().splitlines() if not l.startswith("Hinweis")]) == 1


def test_streamed_inputs_are_protected_and_must_be_regular_files(tmp_path):
    """Grid and record files are read by streaming readers: still never overwritten, never a FIFO."""
    records = tmp_path / "faelle.csv"
    records.write_text("bezirk\n11\n12\n", encoding="utf-8")
    before = records.read_bytes()
    r = CliRunner().invoke(app, ["aggregate", str(records), "--records", "--code-column", "bezirk",
                                 "-o", str(records), "--force"])
    assert r.exit_code != 0 and records.read_bytes() == before
    fifo = tmp_path / "rohr.csv"
    os.mkfifo(fifo)
    r = CliRunner().invoke(app, ["aggregate", str(fifo), "--records", "--code-column", "bezirk"])
    assert r.exit_code == 1 and "keine gewöhnliche Datei" in r.stderr
