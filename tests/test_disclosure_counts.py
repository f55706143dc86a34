"""The disclosure note counts exactly what the output shows (issue 14).

Each output is read the way a reader sees it: the "*" in table cells (terminal tables, profile
pages) or, for the workbook, the cells that are empty with --min-count but hold a number without
it. That count must equal "Unterdrückt: P Zellen primär, S sekundär" (P + S) of the same output.
"""

from __future__ import annotations

import re

import pytest
from conftest import BEISPIEL, HAUSHALTE, check_profile_pages, table_stars
from conftest import noted as _noted

def test_aggregate_note_per_table(run):
    r = run("aggregate", BEISPIEL, "--scheme", "all", "--min-count", "5", "--format", "table")
    assert r.exit_code == 0, r.output
    tables = re.split(r"\n(?=\d Planungsräume – )", r.stdout)
    assert len(tables) == 2
    for t in tables:
        (noted,) = _noted(t)
        assert noted == table_stars(t) > 0


def test_compare_note_counts_all_three_tables(run):
    r = run("compare", "planungsraeume", "sozialraeume", HAUSHALTE, "--year", "2016", "--min-count", "300",
            "--format", "table")
    assert r.exit_code == 0, r.output
    (noted,) = _noted(r.stdout)
    # crosswalk, the eight Ortschaften that change Raum (each below 300 households), side by side
    assert noted == table_stars(r.stdout) and table_stars(r.stdout) >= 8


def test_trend_note_counts_years_and_changes(run):
    r = run("trend", HAUSHALTE, "--scheme", "planungsraeume", "--years", "2014-", "--min-count", "4000",
            "--format", "table")
    assert r.exit_code == 0, r.output
    (noted,) = _noted(r.stdout)
    # Ortschaften has 2.886–3.101 households: its years and its changes are hidden, and more with them
    assert noted == table_stars(r.stdout) >= 3 + 4


def test_every_profile_page_counts_its_own_stars(run, tmp_path):
    out = tmp_path / "p"
    r = run("profile", BEISPIEL, "--scheme", "planungsraeume", "--all", "--min-count", "5", "--output", out, "--quiet")
    assert r.exit_code == 0, r.output
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 7
    assert check_profile_pages(pages) > 0


@pytest.mark.parametrize("data,years,min_count", [(BEISPIEL, [], "5"), (HAUSHALTE, ["--years", "2010-2016"], "250")])
def test_export_note_counts_the_cells_it_empties(run, tmp_path, data, years, min_count):
    """Every sheet: areas, districts, crosswalk and (with --years) the development; a rank left
    empty for a hidden value is no suppressed number and not counted."""
    from openpyxl import load_workbook

    def cells(path):
        wb = load_workbook(path)
        out = {}
        for ws in wb:
            if ws.title == "Metadaten":
                continue
            # rank columns (their header, below the title and source rows, starts with "Rang") are left out
            rang = {c.column for row in ws.iter_rows(max_row=6) for c in row if str(c.value or "").startswith("Rang")}
            out.update({(ws.title, c.coordinate): c.value for row in ws.iter_rows() for c in row
                        if c.column not in rang})
        return out, wb["Metadaten"]

    plain, protected = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path, opts in ((plain, [*years, "--no-disclosure"]), (protected, [*years, "--min-count", min_count])):
        r = run("export", data, "--scheme", "all", "--output", path, *opts)
        assert r.exit_code == 0, r.output
    before, _ = cells(plain)
    after, meta = cells(protected)
    emptied = [k for k, v in before.items() if isinstance(v, (int, float)) and after.get(k) is None]
    notes = " ".join(str(c.value) for row in meta.iter_rows() for c in row if c.value)
    (noted,) = _noted(notes)
    assert noted == len(emptied) > 0
    if years:
        assert any(sheet == "Entwicklung" for sheet, _ in emptied)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_machine_formats_name_the_same_cells(run, fmt):
    """CSV and JSON carry no "*": a hidden value is empty/null, and the row's `geheim` names it."""
    import csv
    import io
    import json

    r = run("aggregate", BEISPIEL, "--scheme", "sozialraeume", "--min-count", "5", "--format", fmt)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout))) if fmt == "csv" else json.loads(r.stdout)["tabellen"][0]["zeilen"]
    named = [c.strip() for row in rows for c in (row["geheim"] or "").split(",") if c.strip()]
    (noted,) = _noted(r.stderr)
    assert noted == len(named) > 0
    for row in rows:
        for c in (row["geheim"] or "").split(","):
            if c.strip():
                assert row[c.strip()] in ("", None)


def test_compare_json_marks_every_hidden_value(run):
    import json

    r = run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--min-count", "30", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    cells = [c for c in doc["ueberleitung"] if c["geheim"]]
    moved = [w for w in doc["wechsel"] if w["geheim"]]
    side = [(row, k.strip()) for row in doc["nebeneinander"] for k in row["geheim"].split(",") if k.strip()]
    assert all(c["wert"] is None for c in cells) and all(w["wert"] is None for w in moved)
    assert all(row[k] is None for row, k in side)
    nz_hidden = any("„nicht zugeordnet“ (*" in h for h in doc["hinweise"])  # the note on the unassigned row
    (noted,) = _noted(" ".join(doc["hinweise"]))
    assert noted == len(cells) + len(moved) + len(side) + nz_hidden > 0


def test_trend_csv_names_hidden_cells(run):
    import csv
    import io

    r = run("trend", HAUSHALTE, "--scheme", "planungsraeume", "--years", "2014-", "--min-count", "4000", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    named = [(row, c.strip()) for row in rows for c in row["geheim"].split(",") if c.strip()]
    assert all(row[c] == "" for row, c in named)
    (noted,) = _noted(r.stderr)
    assert noted == len(named) > 0
