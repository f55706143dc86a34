"""trend on the real household file: series equal per-year aggregate, changes by hand."""

import json

import pytest
from typer.testing import CliRunner

from sozialraum_cli.aggregate import aggregate
from sozialraum_cli.cli.app import app
from sozialraum_cli.errors import AufrufError, InputError
from sozialraum_cli.reading import read_bezirksdaten
from sozialraum_cli.trend import trend

from conftest import BEISPIEL, HAUSHALTE
from test_aggregate import raw_household_sums


@pytest.fixture(scope="module")
def haushalte(jena):
    return read_bezirksdaten(HAUSHALTE, jena)


@pytest.mark.parametrize("schema,grouping", [("planungsraeume", "planungsraum"), ("sozialraeume", "sozialraum")])
def test_series_equal_per_year_aggregate(jena, haushalte, schema, grouping):
    e = trend(jena, jena.schema(schema), haushalte)
    assert e.jahre == list(range(2006, 2017))  # 2017 has no values
    rows = e.zeilen.set_index("raum")
    for j in e.jahre:
        sums = raw_household_sums(j, grouping)
        assert {r: rows.at[r, str(j)] for r in sums} == sums
        t = aggregate(jena, schema, haushalte, jahr=j)
        assert rows.at["Gesamt", str(j)] == t.zeile("Gesamt").wert("privathaushalte")


def test_changes_by_hand(jena, haushalte):
    e = trend(jena, jena.schema("planungsraeume"), haushalte, von=2010, bis=2016)
    rows = e.zeilen.set_index("raum")
    # Ortschaften: 16 villages, 2010 and 2016 summed by hand from the file
    ort_2010 = 347 + 151 + 145 + 52 + 113 + 23 + 43 + 44 + 347 + 652 + 65 + 60 + 322 + 22 + 163 + 337
    ort_2016 = 365 + 206 + 161 + 57 + 140 + 22 + 54 + 45 + 357 + 684 + 74 + 61 + 329 + 26 + 171 + 349
    assert (ort_2010, ort_2016) == (2886, 3101)
    assert rows.at["Ortschaften", "veraenderung"] == 215
    assert rows.at["Ortschaften", "veraenderung_prozent"] == pytest.approx(100 * 215 / 2886)
    assert rows.at["Ortschaften", "mittel_jahr"] == pytest.approx(215 / 6)
    assert rows.at["Ortschaften", "mittel_jahr_prozent"] == pytest.approx(100 * ((3101 / 2886) ** (1 / 6) - 1))
    # Winzerla (11, 12, 21, 22, 30, 90) shrank
    winz_2010 = 194 + 1336 + 209 + 410 + 271 + 6756
    winz_2016 = 205 + 1388 + 282 + 403 + 291 + 6483
    assert rows.at["Winzerla", "veraenderung"] == winz_2016 - winz_2010 == -124
    assert rows.at["Gesamt", "veraenderung"] == 61012 - 60504


def test_errors(jena, haushalte):
    with pytest.raises(AufrufError, match="2017: Für dieses Jahr enthält die Datei keine Werte") as exc:
        trend(jena, jena.schema("planungsraeume"), haushalte, von=2017)
    assert exc.value.parameter == "von" and "--years" not in str(exc.value)  # the CLI adds the flag
    with pytest.raises(InputError, match="mindestens zwei Jahre"):
        trend(jena, jena.schema("planungsraeume"), haushalte, von=2016, bis=2016)
    with pytest.raises(InputError, match="braucht die Datei mehrere Jahre"):
        trend(jena, jena.schema("planungsraeume"), read_bezirksdaten(BEISPIEL, jena))


def test_cli_formats():
    run = CliRunner().invoke
    r = run(app, ["trend", str(HAUSHALTE), "-s", "planungsraeume", "--years", "2010-", "-f", "csv"])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    # disclosure control is on by default: the last column names what it hid (here nothing)
    assert lines[0] == ("schema,raum,merkmal,2010,2011,2012,2013,2014,2015,2016,veraenderung,veraenderung_prozent,"
                        "mittel_jahr,mittel_jahr_prozent,geheim")
    assert lines[6].startswith("planungsraeume,Ortschaften,privathaushalte,2886,2940,2978,2988,3021,3051,3101,215,7.4498,35.8333,")
    doc = json.loads(run(app, ["trend", str(HAUSHALTE), "--years", "-2008", "-f", "json"]).stdout)
    assert [t["schema"] for t in doc["tabellen"]] == ["sozialraeume", "planungsraeume"]
    assert doc["tabellen"][0]["jahre"] == [2006, 2007, 2008]
    r = run(app, ["trend", str(HAUSHALTE), "-s", "planungsraeume", "-f", "table"], env={"COLUMNS": "200"})
    assert "Entwicklung Privathaushalte 2006–2016 – 6 Planungsräume" in r.stdout
    assert r.stdout.count("│ Ortschaften  │") == 1
    r = run(app, ["trend", str(HAUSHALTE), "-f", "markdown"])
    assert r.stdout.startswith("## Entwicklung Privathaushalte 2006–2016 – 5 Sozialräume")


def test_two_files_sharing_years(jena, tmp_path):
    """The household file and a copy holding only its 2015–2016 columns: the shared years agree."""
    lines = HAUSHALTE.read_text(encoding="utf-8").splitlines()
    part = tmp_path / "privathaushalte_2015-2016.csv"
    part.write_text("\n".join(",".join(line.split(",")[:2] + line.split(",")[11:13]) for line in lines) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["trend", str(HAUSHALTE), str(part), "-s", "planungsraeume", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {z["raum"]: z for z in json.loads(r.stdout)["tabellen"][0]["zeilen"]}
    sums = raw_household_sums(2016, "planungsraum")
    assert rows["Lobeda"]["2016"] == sums["Lobeda"] and rows["Lobeda"]["2006"] == raw_household_sums(2006, "planungsraum")["Lobeda"]


def test_trend_without_counts_is_an_error(jena, write):
    path = write("quoten.csv", "Nr.;Quote 2015;Quote 2016\n11;1,5;2,5\n")
    with pytest.raises(InputError, match="keine summierbaren Anzahlen"):
        trend(jena, "planungsraeume", read_bezirksdaten(path, jena))
