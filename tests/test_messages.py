"""Every usage error of every command: exit code 2 and a German sentence on stderr, no English.

The list holds wrong invocations of each command (unknown and misspelt commands and options,
missing arguments and values, numbers that are no numbers or out of range, unknown choices,
paths, schemes, indicators and areas, options that exclude each other). The expectations are
the README's ("## Exit-Codes": 2 for a wrong call) and German wording, nothing copied from output.
"""

from __future__ import annotations

import re

import pytest

from conftest import BEISPIEL, HAUSHALTE, RAW

# phrases of click, typer and pydantic that must never reach a German user
ENGLISH = (
    "Input should", "No such", "Missing", "Invalid", "Did you mean", "Usage:", "Error", "Try", "is not",
    "does not", "must be", "is a directory", "Possible options", "requires an argument", "Got unexpected",
    "Traceback", "Interner Fehler",
)
GERMAN = re.compile(
    r"\b(der|die|das|ein|eine|keine?|nicht|gibt|bitte|fehlt|Wert|Option|Befehl|Argument|ist|für|mit|erwartet|wird|"
    r"unbekannt|Unbekannte|passt|Angabe|liegen|muss|nur|oder)\b",
    re.I,
)

POINTS = "punkte.csv"  # written by the fixture below
JSON = "ausgabe.json"

B, H = BEISPIEL, HAUSHALTE

WRONG = {
    # the root
    "no command": ["--debug"],
    "unknown command": ["gibtsnicht"],
    "typo'd command": ["aggregat", B],
    "unknown root option": ["--nope"],
    # aggregate
    "aggregate: missing file": ["aggregate"],
    "aggregate: unknown option": ["aggregate", B, "--nope"],
    "aggregate: typo'd option": ["aggregate", B, "--schem", "sozialraeume"],
    "aggregate: missing option value": ["aggregate", B, "--scheme"],
    "aggregate: bad int": ["aggregate", B, "--year", "zwei"],
    "aggregate: bad date as year": ["aggregate", H, "--year", "32.13.2016"],
    "aggregate: out-of-range int": ["aggregate", B, "--min-count", "1"],
    "aggregate: bad int for range": ["aggregate", B, "--min-count", "abc"],
    "aggregate: bad header row": ["aggregate", B, "--header-row", "x"],
    "aggregate: header row 0": ["aggregate", B, "--header-row", "0"],
    "aggregate: bad choice": ["aggregate", B, "--format", "xml"],
    "aggregate: unknown scheme": ["aggregate", B, "--scheme", "gibtsnicht"],
    "aggregate: unknown value": ["aggregate", B, "--value", "gibtsnicht"],
    "aggregate: unknown sort": ["aggregate", B, "--sort", "gibtsnicht"],
    "aggregate: format and suffix": ["aggregate", B, "--format", "json", "-o", "x.csv"],
    "aggregate: unclear suffix": ["aggregate", B, "-o", "x.dat"],
    "aggregate: xlsx without output": ["aggregate", B, "--format", "xlsx"],
    "aggregate: record options without --records": ["aggregate", B, "--lat", "lat"],
    "aggregate: --sum with --min-count": ["aggregate", B, "--records", "--sum", "x", "--min-count", "3"],
    "aggregate: bad --symbol": ["aggregate", B, "--symbol", "nix"],
    "aggregate: bad --count": ["aggregate", B, "--records", "--count", "nix"],
    "aggregate: year for a wide file": ["aggregate", B, "--year", "2016"],
    "aggregate: extra argument": ["aggregate", B, "--scheme", "sozialraeume", "--ascending=ja"],
    # compare
    "compare: nothing": ["compare"],
    "compare: one scheme": ["compare", "planungsraeume"],
    "compare: unknown scheme": ["compare", "gibtsnicht", "sozialraeume"],
    "compare: all": ["compare", "all", "sozialraeume"],
    "compare: bad --move": ["compare", "planungsraeume", "sozialraeume", "--move", "xx"],
    "compare: unknown district": ["compare", "planungsraeume", "sozialraeume", "--move", "999999=Winzerla"],
    "compare: value without data": ["compare", "planungsraeume", "sozialraeume", "--value", "einwohner"],
    "compare: unknown value": ["compare", "planungsraeume", "sozialraeume", H, "--value", "gibtsnicht"],
    "compare: bad year": ["compare", "planungsraeume", "sozialraeume", H, "--year", "zwei"],
    # export
    "export: missing output": ["export", B],
    "export: output without value": ["export", B, "-o"],
    "export: bad --years": ["export", H, "-o", "x.xlsx", "--years", "zehn"],
    "export: reversed --years": ["export", H, "-o", "x.xlsx", "--years", "2016-2010"],
    "export: --year and --years": ["export", H, "-o", "x.xlsx", "--year", "2016", "--years", "2010-2016"],
    "export: unknown scheme": ["export", B, "-o", "x.xlsx", "--scheme", "gibtsnicht"],
    "export: unknown value": ["export", B, "-o", "x.xlsx", "--value", "gibtsnicht"],
    "export: out-of-range": ["export", B, "-o", "x.xlsx", "--min-count", "0"],
    # trend
    "trend: missing file": ["trend"],
    "trend: bad --years": ["trend", H, "--years", "zwei"],
    "trend: reversed --years": ["trend", H, "--years", "2016-2010"],
    "trend: unknown value": ["trend", H, "--value", "gibtsnicht"],
    "trend: unknown scheme": ["trend", H, "--scheme", "gibtsnicht"],
    "trend: xlsx": ["trend", H, "-o", "t.xlsx"],
    "trend: bad choice": ["trend", H, "--format", "pdf"],
    # index
    "index: missing file": ["index"],
    "index: no indicator": ["index", B],
    "index: unknown indicator": ["index", B, "-i", "gibtsnicht"],
    "index: unknown index": ["index", B, "--index", "gibtsnicht"],
    "index: bad weight": ["index", B, "-i", "einwohner", "--weight", "schwer"],
    "index: bad direction": ["index", B, "-i", "einwohner", "--direction", "einwohner=3"],
    "index: weight of no indicator": ["index", B, "-i", "einwohner", "--weight", "sgb2_personen=2"],
    "index: unknown scheme": ["index", B, "-i", "einwohner", "--scheme", "gibtsnicht"],
    "index: reversed change": ["index", H, "-i", "privathaushalte", "--change", "2016-2010"],
    "index: bad --change": ["index", H, "-i", "privathaushalte", "--change", "x"],
    # map
    "map: width too small": ["map", "--width", "5", "-o", "k.png"],
    "map: width no number": ["map", "--width", "breit", "-o", "k.png"],
    "map: unknown scheme": ["map", "--scheme", "gibtsnicht", "-o", "k.png"],
    "map: all schemes (one map)": ["map", "--scheme", "all", "-o", "k.png"],
    "profile: all schemes (one set)": ["profile", B, "--scheme", "all", "--all", "-o", "pp"],
    "locate: all schemes": ["locate", POINTS, "--scheme", "all"],
    "site: all schemes": ["site", B, "--scheme", "all", "-o", "web"],
    "index: all schemes": ["index", B, "-i", "einwohner", "--scheme", "all"],
    "compare: file before the schemes": ["compare", B, "sozialraeume", "planungsraeume"],
    "map: unknown value": ["map", B, "--value", "gibtsnicht", "-o", "k.png"],
    "map: rate as value": ["map", B, "--value", "sgb2_quote", "-o", "k.png"],
    "map: unknown rate": ["map", B, "--rate", "gibtsnicht", "-o", "k.png"],
    "map: unknown index": ["map", B, "--index", "gibtsnicht", "-o", "k.png"],
    "map: value without data": ["map", "--value", "einwohner", "-o", "k.png"],
    "map: unknown option": ["map", "--colour", "rot"],
    # locate
    "locate: missing file": ["locate"],
    "locate: unknown scheme": ["locate", POINTS, "--scheme", "gibtsnicht"],
    "locate: unknown column": ["locate", POINTS, "--lat", "gibtsnicht", "--lon", "lon"],
    "locate: lat without lon": ["locate", POINTS, "--lat", "lat"],
    "locate: bad crs": ["locate", POINTS, "--x", "lon", "--y", "lat", "--crs", "EPSG:0"],
    "locate: unknown category": ["locate", POINTS, "--category", "gibtsnicht"],
    "locate: bad year": ["locate", POINTS, "--year", "heuer"],
    # profile
    "profile: missing output": ["profile", B],
    "profile: unknown area": ["profile", B, "-o", "prof", "--scheme", "sozialraeume", "--area", "gibtsnicht"],
    "profile: unknown scheme": ["profile", B, "-o", "prof", "--scheme", "gibtsnicht"],
    "profile: bad format": ["profile", B, "-o", "prof", "--format", "docx"],
    "profile: out-of-range": ["profile", B, "-o", "prof", "--min-count", "0"],
    "profile: missing file": ["profile", "-o", "prof"],
    # schemes, districts
    "schemes: extra argument": ["schemes", "extra"],
    "schemes: bad choice": ["schemes", "--format", "xml"],
    "districts: unknown option": ["districts", "--nope"],
    "districts: output without value": ["districts", "-o"],
    "districts: format and suffix": ["districts", "--format", "csv", "-o", "x.json"],
    # audit
    "audit: missing output": ["audit"],
    "audit: negative protection": ["audit", JSON, "--protection", "-3"],
    "audit: protection no number": ["audit", JSON, "--protection", "viel"],
    "audit: out-of-range": ["audit", JSON, "--min-count", "1"],
}


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working folder with a points file and a JSON output, so that relative names resolve."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / POINTS).write_text("name,lat,lon\nA,50.927,11.586\nB,50.880,11.600\n", encoding="utf-8")
    (tmp_path / JSON).write_text("{}", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", list(WRONG.values()), ids=list(WRONG))
def test_usage_errors_exit_2_in_german(run, here, args):
    r = run(*args)
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert r.stdout == ""
    assert r.stderr.startswith("Fehler: ") and GERMAN.search(r.stderr), r.stderr
    assert not [e for e in ENGLISH if e in r.stderr], r.stderr


def test_no_command_shows_german_help_on_stderr_and_exits_2():
    import subprocess
    import sys

    from pathlib import Path

    r = subprocess.run([str(Path(sys.executable).parent / "sozialraum")], capture_output=True, text=True,
                       env={"COLUMNS": "100", "NO_COLOR": "1", "PATH": ""})
    assert r.returncode == 2
    assert "Aufruf: sozialraum" in r.stderr and "Befehle" in r.stderr and r.stdout == ""
    assert not [e for e in ENGLISH if e in r.stderr and e != "Traceback"], r.stderr  # "--debug: … Traceback zeigen"


def test_help_has_no_english_markers(run):
    """Ranges and defaults appear in German (no `[x>=2]`, `[default: …]`, `[required]`)."""
    from sozialraum_cli.cli.app import _COMMANDS

    for args in [[], *[[name] for _, name in _COMMANDS]]:
        r = run(*args, "--help")
        assert r.exit_code == 0
        text = r.stdout
        assert not re.search(r"x\s*[<>]=|[<>]=\s*x|\[default|\[required|Usage:|Options|Arguments|Commands", text), (args, text)


def test_year_as_reference_date(run):
    """The help promises `--year 31.12.2016`: a reference date means its year."""
    r = run("aggregate", HAUSHALTE, "--year", "31.12.2016", "--scheme", "sozialraeume", "--format", "csv")
    assert r.exit_code == 0, r.output
    same = run("aggregate", HAUSHALTE, "--year", "2016", "--scheme", "sozialraeume", "--format", "csv")
    assert r.stdout == same.stdout


# a file that is not there (or a folder where a file belongs) is a fault of the input, not of the call
# (README: exit code 1), in every command alike, in German too
MISSING = {
    "aggregate": ["aggregate", "fehlt.csv"],
    "compare --config-b": ["compare", "planungsraeume", "sozialraeume", "--config-b", "fehlt.yaml"],
    "locate": ["locate", "fehlt.csv"],
    "aggregate --config": ["aggregate", B, "--config", "fehlt.yaml"],
    "audit": ["audit", "fehlt.json"],
    "audit --data": ["audit", JSON, "--data", "fehlt.csv"],
}


@pytest.mark.parametrize("args", list(MISSING.values()), ids=list(MISSING))
def test_missing_files_exit_1_in_german(run, here, args):
    r = run(*args)
    assert r.exit_code == 1, (r.exit_code, r.output)
    assert r.stderr.startswith("Fehler: ") and "gibt es nicht" in r.stderr, r.stderr
    assert not [e for e in ENGLISH if e in r.stderr], r.stderr


@pytest.mark.parametrize("args", [["aggregate", RAW], ["audit", RAW], ["aggregate", B, "--config", RAW]])
def test_a_folder_instead_of_a_file_exits_1_in_german(run, args):
    r = run(*args)
    assert r.exit_code == 1 and r.stderr.startswith("Fehler: ") and "Ordner" in r.stderr, r.stderr


def test_parameter_errors_name_the_flag(run, here):
    """The core names its parameter; the command line shows the flag of the command that was called."""
    r = run("aggregate", B, "--value", "gibtsnicht")
    assert r.exit_code == 2 and "--value" in r.stderr and "„gibtsnicht“" in r.stderr
    r = run("index", B, "-i", "gibtsnicht")
    assert r.exit_code == 2 and "--indicator" in r.stderr and "--value" not in r.stderr
    r = run("export", H, "-o", "x.xlsx", "--years", "zehn")
    assert r.exit_code == 2 and "--years „zehn“" in r.stderr
    r = run("export", H, "-o", "x.xlsx", "--year", "2016", "--years", "2010-2016")
    assert r.exit_code == 2 and "--year/--years" in r.stderr
    r = run("locate", POINTS, "--category", "gibtsnicht")
    assert r.exit_code == 2 and "--category" in r.stderr


def test_every_core_parameter_has_a_flag():
    """Each parameter the core names in an AufrufError (parameter=…, siehe=…, column(…, "name")) maps to a flag."""
    from sozialraum_cli.cli.app import _FLAGS

    names = set()
    for path in (RAW.parents[1] / "src" / "sozialraum_cli").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for expr in re.findall(r"(?:parameter|siehe)\"?\s*[=:]\s*(\([^)]*\)|\"[a-z_]+\")", text):
            names |= set(re.findall(r'"([a-z_]+)"', expr))
        names |= set(re.findall(r'column\([^()]*(?:\([^()]*\))?[^()]*, "([a-z_]+)"\)', text))
    assert {"jahr", "merkmale", "sortierung", "lat", "summen"} <= names  # the scan finds them
    assert sorted(n for n in names if n not in _FLAGS) == []


def test_typer_is_pinned_to_the_tested_minor_version():
    """The German messages translate click's English of this typer/click range; another range needs new tests."""
    import tomllib
    from importlib.metadata import version

    project = tomllib.loads((RAW.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    typer_spec = next(d for d in project["dependencies"] if d.startswith("typer"))
    assert ">=0.24" in typer_spec and "<0.25" in typer_spec
    assert version("typer").startswith("0.24.")


def test_area_names_are_forgiving(run, tmp_path):
    """--area and --scheme as people write them: case, umlauts and punctuation do not count (issue 16)."""
    out = tmp_path / "p"
    r = run("profile", B, "--scheme", "sozialräume", "--area", "lobeda", "--area", "west-zentrum", "-o", out, "--quiet")
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.glob("profil-*.html")) == ["profil-lobeda.html", "profil-west-zentrum.html"]
