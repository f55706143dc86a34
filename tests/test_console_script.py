"""Real runs of the installed `sozialraum` console script: exit codes, stdout vs stderr, imports."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BEISPIEL, HAUSHALTE

SCRIPT = Path(sys.executable).parent / "sozialraum"
pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed in this environment")


def sozialraum(*args, cwd=None, env=None):
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=60,
    )


def test_help_does_not_import_pandas_or_openpyxl():
    r = sozialraum("--help", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 0
    assert "Aufruf: sozialraum" in r.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert not imported & {"pandas", "openpyxl", "numpy"}
    assert "typer" in imported  # the import log was really captured


def test_pipe_gets_csv_and_messages_go_to_stderr(tmp_path):
    # from another folder, without --config: the bundled mapping is used
    r = sozialraum("aggregate", HAUSHALTE, "--scheme", "planungsraeume", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1] == "planungsraeume,1,West/Zentrum,5,15290,25.0606,vollständig,,,raum"
    year, rule = r.stderr.strip().splitlines()
    assert year == "Hinweis: Kein --year angegeben: verwendet wird 2016, das letzte Jahr mit Werten."
    # the bundled rule applies by default; no household count below 3 in this file
    assert rule.startswith("Hinweis (planungsraeume): Geheimhaltung: Anzahlen von 1 bis 2 ")
    assert rule.endswith("Unterdrückt: 0 Zellen primär, 0 sekundär.")


def test_data_error_exit_1(tmp_path):
    bad = tmp_path / "leer.csv"
    bad.write_text("")
    r = sozialraum("aggregate", bad)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"Fehler: {bad}: Die Datei ist leer.\n"


def test_usage_error_exit_2():
    r = sozialraum("aggregate", BEISPIEL, "--scheme", "kreise")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.startswith("Fehler: Das Schema „kreise“ gibt es in der Zuordnung nicht.")


def test_table_to_file(tmp_path):
    out = tmp_path / "tabelle.txt"
    r = sozialraum("aggregate", BEISPIEL, "-s", "planungsraeume", "-o", out)
    assert r.returncode == 0 and r.stdout == ""
    assert r.stderr == f"Geschrieben: {out}\n"
    assert "│    6 │ Ortschaften" in out.read_text(encoding="utf-8")


def test_left_out_column_named_by_value_exits_1_with_german_reason(tmp_path):
    data = Path(__file__).parent / "data"
    r = sozialraum("aggregate", data / "amt_arten.csv", "--config", data / "arten.yaml", "--value", "sozialindex", cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    assert "„Sozialindex“ wird nicht ausgegeben: die Überschrift deutet auf einen Index" in r.stderr
    assert 'sozialindex: {titel: "Sozialindex", art: nicht_aggregierbar}' in r.stderr
    assert "Traceback" not in r.stderr
    # the published total and the difference row reach a pipe as csv
    r = sozialraum("aggregate", data / "amt_arten.csv", "--config", data / "arten.yaml", "--value", "ew", cwd=tmp_path)
    assert r.returncode == 0
    rows = {line.split(",")[2]: line for line in r.stdout.splitlines()[1:]}
    assert rows["Gesamt"].split(",")[4] == "7005" and rows["Differenz zur Gesamtzeile"].split(",")[4] == "5"


def test_mapping_is_a_group_when_called_and_one_line_in_the_overview():
    overview = sozialraum("--help")
    assert "│ mapping    Zuordnung aus einer Liste erzeugen (import) oder prüfen (check)." in overview.stdout
    r = sozialraum("mapping", "--help")
    assert r.returncode == 0
    assert "Aufruf: sozialraum mapping [OPTIONEN] BEFEHL [ARGUMENTE]..." in r.stdout
    assert "│ import " in r.stdout and "│ check " in r.stdout


def test_mistyped_command_gets_german_suggestions():
    r = sozialraum("mappin")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines()[0] == "Fehler: Den Befehl „mappin“ gibt es nicht. Gemeint ist vielleicht „mapping“ oder „map“."


def test_console_script_leaves_old_objects_to_reference_counting():
    # the entry point raises the thresholds of the older generations (start-up: no full collections),
    # then exits with the command's status without unloading the interpreter, output flushed
    code = ("import gc, sys\nimport sozialraum_cli.cli.app as app\n"
            "def run():\n    print(gc.get_threshold(), end='')\n    sys.exit(3)\n"
            "app.main = run\nfrom sozialraum_cli.cli import main\nmain()\nprint('not reached')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (3, "(700, 1000, 1000)")


def test_full_or_closed_streams_give_german_errors_and_nothing_on_the_wrong_stream():
    full = subprocess.run(f"{SCRIPT} --version > /dev/full", shell=True, capture_output=True, text=True, timeout=60)
    assert (full.returncode, full.stderr) == (
        1, "Fehler: Schreiben oder Lesen ist fehlgeschlagen (kein Platz mehr auf dem Datenträger).\n")
    closed = subprocess.run(f"{SCRIPT} districts >&-", shell=True, capture_output=True, text=True, timeout=60)
    assert (closed.returncode, closed.stderr) == (1, "Fehler: Die Standardausgabe kann nicht geschrieben werden (Datenstrom geschlossen).\n")
    # stderr closed: the error is not written into stdout (where the data go)
    quiet = subprocess.run(f"{SCRIPT} aggregate fehlt.csv 2>&-", shell=True, capture_output=True, text=True, timeout=60)
    assert (quiet.returncode, quiet.stdout) == (1, "")
