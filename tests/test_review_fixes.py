"""Review fixes: compare never shows an unknown sum as 0 and marks incomplete cells in every
format; columns of codes (leading zeros, short key headers like BEZ/PLR) are never summed.
Expected values are worked out by hand from tests/stadt.py."""

import csv
import io
import json

import pytest

from sozialraum_cli.treatment import header_kind

from stadt import EINHEITEN, MAPPING_YAML

KEY = "die Spalte enthält Schlüssel oder Nummern, keine Anzahlen"

# without Lindenhof (02010102, 1500) and Wiesengrund (02020201, 400): by hand,
# Altstadt → Mitte 1200 + 800 = 2000; Heideweg (0102) → Mitte 650; Heideweg (0201) → Nordufer 900
# (Lindenhof lacks: incomplete); Wiesengrund → Nordufer unknown (its only unit lacks);
# column Mitte 2650 (complete), Nordufer ≥ 900, Gesamt ≥ 3550
FEHLEN = ("02010102", "02020201")


@pytest.fixture
def stadt(write):
    return write("neustadt.yaml", MAPPING_YAML)


@pytest.fixture
def fehlt(write):
    lines = ["PLR-ID;Name;Einwohner"] + [f"{r[0]};{r[1]};{r[6]}" for r in EINHEITEN if r[0] not in FEHLEN]
    return write("fehlt.csv", "\n".join(lines) + "\n")


def _compare(run, stadt, data, *more):
    return run("compare", "regionen", "bezirke", data, "--config", stadt, *more)


def test_compare_csv_marks_missing_and_incomplete_cells(run, stadt, fehlt):
    r = _compare(run, stadt, fehlt, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {row["raum_a"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["Altstadt"] == {"raum_a": "Altstadt", "Mitte": "2000", "Nordufer": "0", "Gesamt": "2000",
                                "unvollstaendig": ""}
    assert rows["Heideweg (0201)"]["Nordufer"] == "900"
    assert rows["Heideweg (0201)"]["unvollstaendig"] == "Nordufer, Gesamt"
    # no known value at all: empty, never 0; the Mitte cell has no unit at all and is a true 0
    assert rows["Wiesengrund"] == {"raum_a": "Wiesengrund", "Mitte": "0", "Nordufer": "", "Gesamt": "",
                                   "unvollstaendig": "Nordufer, Gesamt"}
    assert rows["Gesamt"] == {"raum_a": "Gesamt", "Mitte": "2650", "Nordufer": "900", "Gesamt": "3550",
                              "unvollstaendig": "Nordufer, Gesamt"}


def test_compare_json_flags_and_no_zero_for_unknown(run, stadt, fehlt):
    r = _compare(run, stadt, fehlt, "--format", "json")
    assert r.exit_code == 0, r.output
    cells = {(c["raum_a"], c["raum_b"]): c for c in json.loads(r.stdout)["ueberleitung"]}
    w = cells[("Wiesengrund", "Nordufer")]
    assert (w["wert"], w["vollstaendig"], w["anzahl_bezirke"], w["anteil_zeile"]) == (None, False, 1, None)
    assert cells[("Wiesengrund", "Gesamt")]["wert"] is None
    assert (cells[("Heideweg (0201)", "Nordufer")]["wert"], cells[("Heideweg (0201)", "Nordufer")]["vollstaendig"]) == (900, False)
    # a share of an incomplete row total is unknown
    assert cells[("Heideweg (0201)", "Nordufer")]["anteil_zeile"] is None
    assert (cells[("Gesamt", "Gesamt")]["wert"], cells[("Gesamt", "Gesamt")]["vollstaendig"]) == (3550, False)
    assert (cells[("Gesamt", "Mitte")]["wert"], cells[("Gesamt", "Mitte")]["vollstaendig"]) == (2650, True)
    assert cells[("Altstadt", "Mitte")]["anteil_zeile"] == 100


def test_compare_table_shows_at_least_and_unknown(run, stadt, fehlt):
    r = _compare(run, stadt, fehlt, "--format", "table")
    assert r.exit_code == 0, r.output
    rows = {cells[1].strip(): [c.strip() for c in cells[2:-1]]
            for line in r.stdout.split("\n\n")[0].splitlines() if line.startswith("│")
            for cells in [line.split("│")]}
    assert rows["Wiesengrund"] == ["", ".", "."]
    assert rows["Heideweg (0201)"] == ["", "≥ 900", "≥ 900"]
    assert rows["Gesamt"] == ["2.650", "≥ 900", "≥ 3.550"]
    assert "„≥“ = Summe unvollständig" in r.stdout


def test_compare_markdown_and_csv_de_carry_the_flag(run, stadt, fehlt):
    md = _compare(run, stadt, fehlt, "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert "| Wiesengrund | 0 |  |  | Nordufer, Gesamt |" in md.stdout
    de = _compare(run, stadt, fehlt, "--format", "csv-de")
    assert de.exit_code == 0, de.output
    line = next(x for x in de.stdout.splitlines() if x.startswith("Wiesengrund"))
    assert line.split(";")[1:] == ["0", "", "", "Nordufer, Gesamt"]


def test_compare_xlsx_leaves_incomplete_and_unknown_cells_empty(run, stadt, fehlt, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "v.xlsx"
    r = _compare(run, stadt, fehlt, "--format", "xlsx", "--output", out)
    assert r.exit_code == 0, r.output
    ws = load_workbook(out)["Vergleich"]
    rows = {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert rows["Wiesengrund"] == (0, None, None)
    assert rows["Heideweg (0201)"] == (0, None, None)
    assert rows["Altstadt"] == (2000, 0, 2000)
    assert rows["Gesamt"] == (2650, None, None)


def test_compare_without_any_unit_value_is_an_error(run, stadt, write):
    # Einwohner unknown („.“) in every Planungsraum: no table of zeros, an error that names the count with values
    lines = ["PLR-ID;Name;Einwohner;Haushalte"] + [f"{r[0]};{r[1]};.;{r[7]}" for r in EINHEITEN]
    r = _compare(run, stadt, write("punkte.csv", "\n".join(lines) + "\n"), "--value", "einwohner", "--format", "csv")
    assert r.exit_code != 0
    text = " ".join(r.output.split())
    assert "„Einwohner“: Die Datei enthält für keine Einheit der Zuordnung einen bekannten Wert" in text
    assert "Anzahlen mit Werten: haushalte" in text
    assert ",0," not in r.stdout


def test_compare_of_a_file_without_units_is_an_error(run, stadt, write):
    # the file holds Bezirke (2-digit codes), not Planungsräume
    r = _compare(run, stadt, write("bezirke.csv", "Nr;Bezirk;Einwohner\n01;Mitte;2650\n02;Nordufer;2800\n"),
                 "--format", "csv")
    assert r.exit_code != 0 and ",0," not in r.stdout


def test_compare_without_gaps_is_unchanged_and_has_no_flag_column(run, stadt, write):
    lines = ["PLR-ID;Name;Einwohner"] + [f"{r[0]};{r[1]};{r[6]}" for r in EINHEITEN]
    r = _compare(run, stadt, write("voll.csv", "\n".join(lines) + "\n"), "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {row["raum_a"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    # Nordufer: 900 + 1500 + 400 = 2800; total 2650 + 2800 = 5450
    assert rows["Gesamt"] == {"raum_a": "Gesamt", "Mitte": "2650", "Nordufer": "2800", "Gesamt": "5450"}
    assert rows["Wiesengrund"]["Nordufer"] == "400"


# ----------------------------------------------------------------------------- codes are no counts


@pytest.mark.parametrize("header", ["BEZ", "BZR", "PLR", "LOR", "OT", "Nr", "PLR_ID", "OT-Nr", "LOR Schlüssel", "bzr nr"])
def test_short_code_headers_are_key_like(header):
    assert header_kind(header) == ("nicht_aggregierbar", KEY)


@pytest.mark.parametrize("header", ["Bezirk", "Einwohner", "Otto", "Lorenz", "Plätze", "Bezirksregion", "OT Einwohner"])
def test_ordinary_headers_are_not_key_like(header):
    kind = header_kind(header)
    assert kind is None or kind[1] != KEY


def _grob_nach_fein() -> str:
    lines = ["BEZ;Bezirk;BZR;Bezirksregion;PLR;Planungsraum;Einwohner"]
    lines += [f"{bz};{bzn};{rg};{rgn};{c};{n};{ew}" for c, n, rg, rgn, bz, bzn, ew, _hh in EINHEITEN]
    return "\n".join(lines) + "\n"


def test_code_columns_are_left_out_and_never_ranked(run, stadt, write):
    r = run("aggregate", write("grob.csv", _grob_nach_fein()), "--config", stadt, "-s", "bezirke", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert not {"bez", "bzr"} & set(rows[0])
    # by hand: Nordufer 900 + 1500 + 400 = 2800 ranks before Mitte 1200 + 800 + 650 = 2650
    assert [(x["rang"], x["raum"], x["einwohner"]) for x in rows if x["art"] == "raum"] == [
        ("1", "Nordufer", "2800"), ("2", "Mitte", "2650")]
    assert f"BEZ: ausgelassen: {KEY}" in r.output and f"BZR: ausgelassen: {KEY}" in r.output


def test_leading_zeros_make_a_code_column_whatever_its_header(run, stadt, write):
    # „Gebiet“ says nothing; its values 01, 02 are written with a leading zero: codes, not counts
    lines = ["PLR-ID;Name;Gebiet;Einwohner"] + [f"{r[0]};{r[1]};{r[4]};{r[6]}" for r in EINHEITEN]
    r = run("aggregate", write("gebiet.csv", "\n".join(lines) + "\n"), "--config", stadt, "-s", "bezirke",
            "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert "gebiet" not in rows[0]
    assert f"Gebiet: ausgelassen: {KEY}" in r.output
    assert [x["raum"] for x in rows if x["art"] == "raum"] == ["Nordufer", "Mitte"]


def test_counts_without_leading_zeros_are_still_summed(run, stadt, write):
    # a 0 alone is a count of zero, not a code
    lines = ["PLR-ID;Name;Einwohner;Kinder"] + [f"{r[0]};{r[1]};{r[6]};{0 if i % 2 else 10}"
                                                     for i, r in enumerate(EINHEITEN)]
    r = run("aggregate", write("null.csv", "\n".join(lines) + "\n"), "--config", stadt, "-s", "bezirke",
            "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = {x["raum"]: x for x in csv.DictReader(io.StringIO(r.stdout))}
    # by hand: Kinder 10 (Altmarkt) + 0 + 10 (Heideweg Nord) = 20 in Mitte
    assert (rows["Mitte"]["einwohner"], rows["Mitte"]["kinder"]) == ("2650", "20")
    assert KEY not in r.output
