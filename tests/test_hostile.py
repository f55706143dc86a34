"""Hostile and broken input (issue 12): no formula in a workbook, no overwritten input,
no silent wrong number, bounded time and memory, one German line for every failure.

Large and hostile files are generated here; limits on time and memory are checked by running
the installed console script under resource limits, never by measuring wall-clock time.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app

from conftest import BEISPIEL, formula_cells

SCRIPT = Path(sys.executable).with_name("sozialraum")
GB = 1024**3


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def run_limited(*args, cwd: Path, memory: int = 2 * GB, cpu: int = 60, stdin=None) -> subprocess.CompletedProcess:
    """The console script in a subprocess under an address-space and CPU-time limit."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return subprocess.run(
        [str(SCRIPT), *map(str, args)], cwd=cwd, capture_output=True, text=True, preexec_fn=limits, stdin=stdin,
        env={**os.environ, "COLUMNS": "200"},
    )


def digest(*paths: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def one_german_line(stderr: str) -> str:
    """The single error line; no traceback, no internal error."""
    lines = [l for l in stderr.splitlines() if l.strip()]
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


def test_plain_csv_keeps_values_as_they_are(evil):
    mapping, data = evil
    r = run("aggregate", data, "--config", mapping, "--scheme", "s1", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert "=Stadt" in r.stdout and "@Land" in r.stdout
