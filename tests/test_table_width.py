"""Terminal tables fit the width (issue 16): at COLUMNS=80 (and narrower) no line is longer than the
width, every box is whole (all its lines equally long, closed at both ends) and no number is cut.

The numbers checked are known from the files: beispiel_2021.csv has 108.141 inhabitants in its
total row; Planungsraum West/Zentrum has 25.496 (the sum of its five districts, see test_aggregate).
"""

from __future__ import annotations

import pytest
from conftest import BEISPIEL, HAUSHALTE
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app

BOX_TOP, BOX_BOTTOM = "┏", "└"


def _run(width: int, *args, fmt: bool = True) -> str:
    r = CliRunner().invoke(app, [str(a) for a in args] + (["--format", "table"] if fmt else []),
                           env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert r.exit_code in (0, 1), r.output  # audit exits 1 when something is not protected
    return r.stdout


def _check(text: str, width: int) -> None:
    lines = text.splitlines()
    too_long = [line for line in lines if len(line) > width]
    assert not too_long, too_long[0]
    assert "…" not in text  # nothing truncated
    box: list[str] = []
    for line in lines:
        if line.startswith(BOX_TOP):
            box = [line]
        elif box:
            box.append(line)
            if line.startswith(BOX_BOTTOM):
                widths = {len(b) for b in box}
                assert len(widths) == 1, "\n".join(box)
                assert all(b[0] in "┏┃┡│├└" and b[-1] in "┓┃┩│┤┘" for b in box), "\n".join(box)
                box = []
    assert not box, "a box is not closed"


def _points(tmp_path):
    path = tmp_path / "orte.csv"
    # two places in Jena (WGS84): the market square and Lobeda-West
    path.write_text("Name;Art;Breite;Länge\nMarkt;Treff;50.9287;11.5894\nLobeda;Treff;50.8905;11.6040\n",
                    encoding="utf-8")
    return path


COMMANDS = {
    "aggregate": lambda tmp: ["aggregate", BEISPIEL, "--scheme", "all"],
    "aggregate haushalte": lambda tmp: ["aggregate", HAUSHALTE, "--scheme", "all"],
    "compare": lambda tmp: ["compare", "planungsraeume", "sozialraeume", BEISPIEL],
    "trend": lambda tmp: ["trend", HAUSHALTE, "--scheme", "all"],
    "index": lambda tmp: ["index", BEISPIEL, "--indicator", "sgb2_quote"],
    "schemes": lambda tmp: ["schemes"],
    "districts": lambda tmp: ["districts"],
    "locate": lambda tmp: ["locate", _points(tmp), "--category", "Art", "--population", BEISPIEL],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_table_fits_the_width(command, tmp_path):
    _check(_run(80, *COMMANDS[command](tmp_path)), 80)


@pytest.mark.parametrize("command", ["compare", "schemes"])
def test_narrower_still_fits(command, tmp_path):
    _check(_run(60, *COMMANDS[command](tmp_path)), 60)


def test_audit_table_fits(tmp_path, run):
    out = tmp_path / "a.json"
    assert run("aggregate", BEISPIEL, "-s", "sozialraeume", "--min-count", "5", "-o", out).exit_code == 0
    text = _run(80, "audit", out, "--data", BEISPIEL, fmt=False)
    assert "┏" in text
    _check(text, 80)


def test_numbers_are_never_cut(tmp_path):
    text = _run(80, "aggregate", BEISPIEL, "-s", "planungsraeume")
    assert "108.141" in text and "25.496" in text
    text = _run(80, "compare", "planungsraeume", "sozialraeume", BEISPIEL)
    assert "25.496 (100,0 %)" in text


def test_wide_terminal_keeps_the_plain_table():
    """With room enough nothing changes: one box, one line per Raum."""
    text = _run(200, "aggregate", HAUSHALTE, "--year", "2016", "-s", "planungsraeume")
    assert "│    1 │ West/Zentrum │       5 │          15.290 │  25,1 % │" in text


def test_long_names_wrap_inside_their_column():
    text = _run(80, "schemes")
    _check(text, 80)
    # the district list of West/Zentrum (13 districts) wraps inside the box instead of widening it
    assert sum(1 for line in text.splitlines() if line.startswith("│              │         │")) >= 5


def test_vertical_layout_names_every_value():
    """Too many columns for 40 characters: one block per Raum with "header value" lines."""
    text = _run(40, "aggregate", HAUSHALTE, "--year", "2016", "-s", "planungsraeume")
    _check(text, 40)
    block = text.split("West/Zentrum\n", 1)[1].split("──")[0]
    assert [line.split() for line in block.splitlines()] == [["Rang", "1"], ["Bezirke", "5"],
                                                             ["Privathaushalte", "15.290"], ["Anteil", "25,1", "%"]]


def test_long_number_headers_become_numbers_with_a_legend():
    """Headers wider than their numbers are replaced by (1), (2) … and explained under the table."""
    from sozialraum_cli.render.formats import Spalte, Tabelle, render_rich

    t = Tabelle("T", [Spalte("Raum", False), *(Spalte(f"Sehrlangeüberschrift{k}") for k in range(4))],
                [["Nord", "1", "2", "3", "4"], ["Süd", "5", "6", "7", "8"]])
    text = render_rich([t], width=50)
    _check(text, 50)
    assert "(1)" in text and "(4)" in text
    assert "(1) Sehrlangeüberschrift0" in text and "(4) Sehrlangeüberschrift3" in text
    assert any(line.startswith("│ Nord") and line.rstrip().endswith("4 │") for line in text.splitlines())
