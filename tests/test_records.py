"""Record-level input (one row per case) counted per district; expectations computed by hand."""

import json
import re

import pytest
from typer.testing import CliRunner

from sozialraum_cli.aggregate import aggregate
from sozialraum_cli.cli.app import app
from sozialraum_cli.errors import AufrufError, InputError
from sozialraum_cli.records import Zaehlung, parse_count_option, read_records
from sozialraum_cli.reading import FEHLT

from conftest import MINI

# mini mapping: Stadt = 1 + 2, Land = 3 + 4, 999 = nicht zugeordnet
FAELLE = (
    "FALL;PLR;VERSUCH;SCHADEN\n"
    "1;1;Ja;100,50\n"
    "2;0001;Nein;200\n"
    "3;2;Ja;50\n"
    "4;2;ja;25\n"  # lower-case: not „Ja“
    "5;3;Nein;1.000,00\n"
    "6;77;Ja;10\n"  # no district of the mapping
    "7;;Nein;5\n"  # no code
)
VERSUCHE = [Zaehlung("versuche", "VERSUCH", ("Ja",))]


def by_district(daten, merkmal):
    rows = daten.daten[daten.daten["merkmal"] == merkmal]
    return dict(zip(rows["bezirk_nr"], rows["wert"]))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_records_with_codes_count_and_sum(write, mini, engine):
    daten = read_records(write("faelle.csv", FAELLE), mini, code_column="plr", counts=VERSUCHE, sums=["SCHADEN"],
                         engine=engine)
    assert by_district(daten, "faelle") == {1: 2, 2: 2, 3: 1, 4: 0, 999: 2}
    assert by_district(daten, "versuche") == {1: 1, 2: 1, 3: 0, 4: 0, 999: 1}
    assert by_district(daten, "schaden") == {1: 300.5, 2: 75, 3: 1000, 4: 0, 999: 15}
    assert "7 Datensätze" in daten.hinweise[0] and "5 einem Bezirk zugeordnet, 2 nicht" in daten.hinweise[0]
    assert "Code „77“ ist kein Bezirk der Zuordnung" in daten.hinweise[0] and "1: Code fehlt" in daten.hinweise[0]
    t = aggregate(mini, "stadt_land", daten)
    stadt, land, gesamt = t.zeile("Stadt"), t.zeile("Land"), t.zeile("Gesamt")
    assert (stadt.wert("faelle"), stadt.wert("versuche"), stadt.wert("schaden")) == (4, 2, 375.5)
    assert (land.wert("faelle"), land.wert("versuche"), land.wert("schaden")) == (1, 0, 1000)
    assert gesamt.wert("faelle") == 7  # the two records without a district are in the total


def test_parquet_records(tmp_path, mini):
    import duckdb

    csv = tmp_path / "f.csv"
    csv.write_text("FALL,PLR,VERSUCH\n1,1,Ja\n2,1,Nein\n3,4,Ja\n", encoding="utf-8")
    parquet = tmp_path / "f.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) TO '{parquet}' (FORMAT parquet)")
    daten = read_records(parquet, mini, code_column="PLR", counts=VERSUCHE)
    assert by_district(daten, "faelle") == {1: 2, 2: 0, 3: 0, 4: 1}
    assert by_district(daten, "versuche") == {1: 1, 2: 0, 3: 0, 4: 1}


def test_empty_amount_makes_the_sum_missing(write, mini):
    daten = read_records(write("f.csv", "PLR;BETRAG\n1;10\n1;\n2;5\n"), mini, code_column="PLR", sums=["BETRAG"])
    rows = daten.daten[daten.daten["merkmal"] == "betrag"].set_index("bezirk_nr")
    assert rows.loc[1, "status"] == FEHLT and rows.loc[2, "wert"] == 5
    assert any("1 Datensatz ohne Betrag in „BETRAG“" in h for h in daten.hinweise)


def test_amount_that_is_no_number_is_an_error(write, mini):
    with pytest.raises(InputError, match="„zehn“ ist keine Zahl"):
        read_records(write("f.csv", "PLR;BETRAG\n1;zehn\n"), mini, code_column="PLR", sums=["BETRAG"])


@pytest.fixture
def squares(tmp_path):
    """Four square districts of 1 km in EPSG:3035: 1 | 2 below, 3 | 4 above (x from 4000000, y from 3000000)."""
    features = []
    for nr, (i, j) in {1: (0, 0), 2: (1, 0), 3: (0, 1), 4: (1, 1)}.items():
        x, y = 4_000_000 + 1000 * i, 3_000_000 + 1000 * j
        ring = [[x, y], [x + 1000, y], [x + 1000, y + 1000], [x, y + 1000], [x, y]]
        features.append({"type": "Feature", "properties": {"id": nr}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = tmp_path / "q.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}}}))
    return path


def test_records_with_projected_coordinates(write, mini, squares):
    text = ("X,Y,ART\n"
            "4000500,3000500,Kita\n"  # 1
            "4000900,3000100,Schule\n"  # 1
            "4001500,3000500,Kita\n"  # 2
            "4000500,3001500,Kita\n"  # 3
            "4005000,3000000,Kita\n"  # outside
            "4001000.2,3000500,Kita\n"  # on the border of 1 and 2
            ",3000500,Kita\n")  # no x
    daten = read_records(write("orte.csv", text), mini, x="X", y="Y", crs="EPSG:3035",
                         counts=[Zaehlung("kitas", "ART", ("Kita",))], geometrie=squares)
    assert by_district(daten, "faelle") == {1: 2, 2: 1, 3: 1, 4: 0, 999: 3}
    assert by_district(daten, "kitas") == {1: 1, 2: 1, 3: 1, 4: 0, 999: 3}
    note = daten.hinweise[0]
    assert "außerhalb der Stadt" in note and "liegt auf der Grenze zwischen den Flächen 1 und 2" in note
    assert "Koordinate fehlt oder ist keine Zahl" in note


def test_records_with_lat_lon_in_jena(write, jena):
    text = "lat;lon\n50,92901708249172;11,589704468948257\n50.88540835160855;11.60742229617667\n50.9795;11.3288\n"
    daten = read_records(write("p.csv", text), jena, lat="lat", lon="lon")
    faelle = by_district(daten, "faelle")
    assert (faelle[41], faelle[62], faelle[999]) == (1, 1, 1)  # the third point is in Weimar
    assert sum(faelle.values()) == 3


def test_count_option_parsing():
    assert parse_count_option("versuche:VERSUCH=Ja, Versuch") == Zaehlung("versuche", "VERSUCH", ("Ja", "Versuch"))
    for bad in ("versuche", "versuche:VERSUCH", ":X=1", "n:X="):
        with pytest.raises(AufrufError):
            parse_count_option(bad)


def test_cli_records(write):
    path = write("faelle.csv", FAELLE)
    r = CliRunner().invoke(app, ["aggregate", str(path), "--records", "--code-column", "PLR", "--count", "versuche:VERSUCH=Ja",
                                 "--sum", "SCHADEN", "--config", str(MINI), "--scheme", "stadt_land", "--format", "json"],
                           env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert "7 Datensätze" in r.stderr
    text = json.dumps(doc, ensure_ascii=False)
    assert "Stadt" in text and "versuche" in text
    # --code-column names the key column of statistics files too (issue 15); --lat is for records only
    r = CliRunner().invoke(app, ["aggregate", str(path), "--lat", "PLR", "--config", str(MINI)])
    assert r.exit_code != 0 and "nur mit --records" in r.stderr


def test_installed_script_counts_records(write):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sozialraum"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    r = subprocess.run([str(script), "aggregate", str(write("faelle.csv", FAELLE)), "--records", "--code-column", "PLR",
                        "--count", "versuche:VERSUCH=Ja", "--sum", "SCHADEN", "--config", str(MINI), "--scheme", "stadt_land",
                        "--format", "csv"], capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("schema,rang,raum,anzahl_bezirke,faelle,faelle_anteil,versuche,versuche_anteil,schaden,schaden_anteil,"
                        "status,fehlend,art")
    assert lines[1].startswith("stadt_land,1,Stadt,2,4,") and ",2," in lines[1] and ",375.5," in lines[1]
    assert lines[2].startswith("stadt_land,2,Land,2,1,")
    assert "Hinweis: 7 Datensätze" in r.stderr


def test_counts_declared_in_the_mapping(write, tmp_path):
    from sozialraum_cli.mapping import load_mapping

    mapping = tmp_path / "m.yaml"
    mapping.write_text(MINI.read_text(encoding="utf-8")
                       + "  versuche: {titel: Versuchte Diebstähle, art: anzahl, aus: {spalte: VERSUCH, werte: [Ja]}}\n"
                       + "  taeter: {titel: Tatverdächtige, art: anzahl, aus: {spalte: TV, werte: [\"1\"]}}\n",
                       encoding="utf-8")
    m = load_mapping(mapping)
    daten = read_records(write("faelle.csv", FAELLE), m, code_column="PLR")
    assert by_district(daten, "versuche") == {1: 1, 2: 1, 3: 0, 4: 0, 999: 1}
    assert any("„Tatverdächtige“ (aus der Zuordnung) nicht gezählt: die Spalte „TV“ fehlt" in h for h in daten.hinweise)
    t = aggregate(m, "stadt_land", daten)
    assert t.zeile("Stadt").wert("versuche") == 2


def test_aus_needs_a_count_and_values(tmp_path):
    from sozialraum_cli.errors import MappingError
    from sozialraum_cli.mapping import load_mapping

    for bad in ("{titel: V, art: quote, zaehler: einwohner, nenner: einwohner, aus: {spalte: X, werte: [Ja]}}",
                "{titel: V, aus: {spalte: X, werte: []}}", "{titel: V, aus: {spalte: X, werte: [yes]}}"):
        mapping = tmp_path / "m.yaml"
        mapping.write_text(MINI.read_text(encoding="utf-8") + f"  v: {bad}\n", encoding="utf-8")
        with pytest.raises(MappingError, match="„aus“ braucht die Art anzahl"):
            load_mapping(mapping)


def test_sums_are_refused_under_disclosure_control(run, tmp_path):
    """An amount of a Raum with one case is that person's amount: not protected yet, so refused."""
    path = tmp_path / "faelle.csv"
    path.write_text("bezirk;schaden\n11;10\n12;5\n", encoding="utf-8")
    r = run("aggregate", path, "--records", "--code-column", "bezirk", "--sum", "schaden", "--min-count", "3")
    assert r.exit_code == 2 and "--sum lässt sich mit --min-count noch nicht schützen" in r.stderr


def test_duckdb_groups_codes_as_written_and_trims_them_per_group(write, mini):
    """Codes grouped as written, trimmed once per group: „ 1“ and „1“ are one district, -3 and 77 none."""
    path = write("faelle.csv", "FALL;PLR;VERSUCH\n1;1;Ja\n2; 1; Ja \n3;2;Nein\n4;-3;Ja\n5;;Ja\n6;77;Nein\n7;2;Ja\n")
    daten = read_records(path, mini, code_column="PLR", counts=VERSUCHE, engine="duckdb")
    assert by_district(daten, "faelle") == {1: 2, 2: 2, 3: 0, 4: 0, 999: 3}
    assert by_district(daten, "versuche") == {1: 2, 2: 1, 3: 0, 4: 0, 999: 2}  # „ Ja “ counts: spaces trimmed
    assert "Code „-3“ ist kein Bezirk der Zuordnung" in daten.hinweise[0]
    assert "Code „77“ ist kein Bezirk der Zuordnung" in daten.hinweise[0] and "Code fehlt" in daten.hinweise[0]
    pandas = read_records(path, mini, code_column="PLR", counts=VERSUCHE, engine="pandas")
    assert by_district(pandas, "faelle") == by_district(daten, "faelle")
    assert by_district(pandas, "versuche") == by_district(daten, "versuche")


def test_duckdb_compares_and_sums_the_text_as_written(write, mini):
    """Counted values are compared as written (01 is not 1), even where DuckDB would guess a number;
    amounts with a decimal point are read in the column's number style (1.250 is a thousand and more)."""
    path = write("faelle.csv", "PLR;ART;BETRAG\n1;01;1.250\n1;1;2.500\n2;01;12.000\n2;02;\n")
    art = [Zaehlung("art", "ART", ("01",))]
    for engine in ("duckdb", "pandas"):
        daten = read_records(path, mini, code_column="PLR", counts=art, sums=["BETRAG"], engine=engine)
        assert by_district(daten, "art") == {1: 1, 2: 1, 3: 0, 4: 0}, engine
        betrag = by_district(daten, "betrag")
        assert betrag[1] == 3750 and betrag[3] == 0, engine


def test_duckdb_reads_plain_decimal_amounts_and_others_further_down_alike(write, mini):
    """Amounts like 0,1 take DuckDB's fast path; a thousands separator further down (1.234,50) the strict one,
    with the same sums; a text further down is an error."""
    rows = [f"{1 + i % 2};0,1" for i in range(20_000)]  # ~150 KiB: the end lies beyond the first 64 KiB
    path = write("faelle.csv", "PLR;BETRAG\n" + "\n".join(rows + ["3;1.234,50", "3;", "4;2,5"]) + "\n")
    daten = read_records(path, mini, code_column="PLR", sums=["BETRAG"], engine="duckdb")
    betrag = by_district(daten, "betrag")
    assert betrag[1] == betrag[2] == 1000.0  # 10,000 times 0,1: summed compensated, exactly
    assert by_district(daten, "faelle")[3] == 2 and daten.daten.query("bezirk_nr == 3 and merkmal == 'betrag'")["status"].iloc[0] == FEHLT
    assert betrag[4] == 2.5
    clean = write("sauber.csv", "PLR;BETRAG\n" + "\n".join(rows + ["4;2,5"]) + "\n")
    assert by_district(read_records(clean, mini, code_column="PLR", sums=["BETRAG"], engine="duckdb"), "betrag") == \
        {1: 1000.0, 2: 1000.0, 3: 0.0, 4: 2.5}
    bad = write("kaputt.csv", "PLR;BETRAG\n" + "\n".join(rows + ["4;zehn"]) + "\n")
    with pytest.raises(InputError, match="„zehn“ ist keine Zahl"):
        read_records(bad, mini, code_column="PLR", sums=["BETRAG"], engine="duckdb")


def test_duckdb_prints_no_progress_bar(monkeypatch):
    """DuckDB draws a progress bar on stdout once a query runs 2 s: it would end up in the CSV on stdout."""
    import duckdb

    from sozialraum_cli import records

    def interactive(*a, **k):  # DuckDB's default where it thinks it runs interactively (python -c, Jupyter)
        con = real(*a, **k)
        con.execute("SET enable_progress_bar = true")
        return con

    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", interactive)
    con = records._connect()
    try:
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
    finally:
        con.close()


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_tabs_and_non_breaking_spaces_are_trimmed_alike_by_both_engines(write, mini, engine):
    # by hand: district 1 has four records, three of them „Ja“ once the white space around is gone;
    # district 2 has „J a“ (inner space: not „Ja“) and „Ja“ behind a thin space (U+2009)
    path = write("faelle.csv", "FALL;PLR;VERSUCH\n1;1;Ja\t\n2;\t1;\u00a0Ja\n3; 1 ;Nein\n4;1;Ja\u3000\n"
                               "5;2;J a\n6;2;\u2009Ja\n")
    daten = read_records(path, mini, code_column="PLR", counts=VERSUCHE, engine=engine)
    assert by_district(daten, "faelle") == {1: 4, 2: 2, 3: 0, 4: 0}
    assert by_district(daten, "versuche") == {1: 3, 2: 1, 3: 0, 4: 0}


def _far_below(tail: str) -> str:
    """8.000 records of plain integers (more than the 64 KiB read first), then `tail`."""
    rows = [f"{i};{1 + i % 4};{'Ja' if i % 2 == 0 else 'Nein'};1" for i in range(8000)]
    return "FALL;PLR;VERSUCH;SCHADEN\n" + "\n".join(rows) + "\n" + tail


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_decimal_code_or_amount_far_below_integers_is_read_as_written(write, mini, engine):
    # by hand: districts 1-4 get 2.000 records each with SCHADEN 1; „1.7“ is no district (not 2, as a cast to
    # an integer would round), its amount 2 goes to „nicht zugeordnet“; district 3 gets one more record of 0.5
    path = write("faelle.csv", _far_below("8000;1.7;Ja;2\n8001;3;Nein;0.5\n"))
    assert path.stat().st_size > 64 * 1024
    daten = read_records(path, mini, code_column="PLR", counts=VERSUCHE, sums=["SCHADEN"], engine=engine)
    assert by_district(daten, "faelle") == {1: 2000, 2: 2000, 3: 2001, 4: 2000, 999: 1}
    assert by_district(daten, "versuche") == {1: 2000, 2: 0, 3: 2000, 4: 0, 999: 1}
    assert by_district(daten, "schaden") == {1: 2000, 2: 2000, 3: 2000.5, 4: 2000, 999: 2}
    assert "Code „1.7“ ist kein Bezirk der Zuordnung" in daten.hinweise[0]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize("text", ["0x29", "4_1", "1e3", "nan", "inf"])
def test_amounts_that_a_cast_would_take_are_no_numbers(write, mini, engine, text):
    path = write("faelle.csv", _far_below(f"8000;2;Ja;{text}\n"))
    with pytest.raises(InputError, match=f"„{text}“ ist keine Zahl"):
        read_records(path, mini, code_column="PLR", sums=["SCHADEN"], engine=engine)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_column_counted_and_summed_is_counted_as_written(write, mini, engine):
    # by hand: SCHADEN is 1 in every record but the last (4, district 2): one record „4“, sums 2.000 + 3 in 2
    path = write("faelle.csv", _far_below("8000;2;Ja;4\n"))
    vier = [Zaehlung("vier", "SCHADEN", ("4",))]
    daten = read_records(path, mini, code_column="PLR", counts=vier, sums=["SCHADEN"], engine=engine)
    assert by_district(daten, "vier") == {1: 0, 2: 1, 3: 0, 4: 0}
    assert by_district(daten, "schaden") == {1: 2000, 2: 2004, 3: 2000, 4: 2000}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_an_unknown_code_is_named_as_written(write, mini, engine):
    path = write("faelle.csv", "FALL;PLR\n1;01\n2;0999\n3;04\n")
    daten = read_records(path, mini, code_column="PLR", engine=engine)
    assert by_district(daten, "faelle") == {1: 1, 2: 0, 3: 0, 4: 1, 999: 1}
    assert "Code „0999“ ist kein Bezirk der Zuordnung" in daten.hinweise[0]


# by hand: what each style takes as an amount (None: „keine Zahl“)
AMOUNTS = {
    "de": {"5": 5, "-0,5": -0.5, "+5": 5, ",5": 0.5, "5,": 5, "1.234": 1234, "1.234,5": 1234.5, "12.345.678,9": 12345678.9,
           "1.5": None, "-.5": None, "1.2.3": None, "1.23,4": None, "12,3,4": None, "1e3": None, "nan": None},
    "en": {"5": 5, "-0.5": -0.5, ".5": 0.5, "1,234": 1234, "1,234,567.89": 1234567.89, "1.234": 1.234,
           "-,5": None, "1,2,3": None, "12,34.5": None, "1.2.3": None, "inf": None, "4_1": None, "0x29": None},
}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize("style", ["de", "en"])
def test_amounts_follow_the_grammar_of_their_style_in_both_engines(write, mini, engine, style):
    # a first row decides the style (1.234,5 is German, 1,234.5 English); then each text alone in district 2
    first = "1.234,5" if style == "de" else "1,234.5"
    for text, expected in AMOUNTS[style].items():
        path = write("faelle.csv", f'PLR;BETRAG\n1;"{first}"\n2;"{text}"\n')
        if expected is None:
            with pytest.raises(InputError, match=f"„{re.escape(text)}“ ist keine Zahl"):
                read_records(path, mini, code_column="PLR", sums=["BETRAG"], engine=engine)
        else:
            got = by_district(read_records(path, mini, code_column="PLR", sums=["BETRAG"], engine=engine), "betrag")
            assert got[2] == pytest.approx(expected), text


def test_one_record_without_an_amount_is_named_in_the_singular(write, mini):
    path = write("faelle.csv", "FALL;PLR;SCHADEN\n1;1;5\n2;1;\n3;2;7\n")
    daten = read_records(path, mini, code_column="PLR", sums=["SCHADEN"])
    assert "1 Datensatz ohne Betrag in „SCHADEN“: die Summe der betroffenen Bezirke fehlt." in daten.hinweise
    rows = daten.daten[daten.daten["merkmal"] == "schaden"].set_index("bezirk_nr")
    assert rows.loc[1, "status"] != "vorhanden" and rows.loc[2, "wert"] == 7  # 1 unknown: missing is not zero


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_column_named_twice_in_the_header_is_an_error(write, mini, engine):
    path = write("faelle.csv", "FALL;PLR;BETRAG;BETRAG\n1;1;5;6\n")
    with pytest.raises(InputError, match="Die Kopfzeile nennt die Spalte „BETRAG“ zweimal") as err:
        read_records(path, mini, code_column="PLR", sums=["BETRAG"], engine=engine)
    assert "Zeile 1" in str(err.value)


@pytest.mark.parametrize("content, reason", [
    (b"FALL;PLR\n1;1\n2;\xe4\n", "Zeile 3 ist nicht UTF-8-kodiert (etwa Windows-1252): bitte als UTF-8 speichern"),
    (b"FALL;PLR\n1;1\n2;2;3\n", "Zeile 3 hat 3 statt 2 Spalten"),
    (b'FALL;PLR\n1;1\n"2;2\n', "in Zeile 3 endet ein Anführungszeichen nicht"),
])
def test_duckdb_reading_errors_are_german_with_the_line(write, mini, content, reason):
    path = write("faelle.csv", content)
    with pytest.raises(InputError) as err:
        read_records(path, mini, code_column="PLR", engine="duckdb")
    assert f"Die Datei ist nicht lesbar ({reason})." in str(err.value)
    assert "Error" not in str(err.value) and "Original Line" not in str(err.value)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_sum_that_is_no_finite_number_is_an_error(write, mini, engine):
    path = write("faelle.csv", "PLR;BETRAG\n1;" + "9" * 400 + "\n2;5\n")
    with pytest.raises(InputError, match="keine endliche Zahl"):
        read_records(path, mini, code_column="PLR", sums=["BETRAG"], engine=engine)


def test_nan_in_a_parquet_amount_is_an_error(tmp_path, mini):
    import duckdb

    path = tmp_path / "f.parquet"
    duckdb.sql(f"COPY (SELECT * FROM (VALUES (1, 5.0), (3, 'nan'::DOUBLE)) t(PLR, BETRAG)) TO '{path}' (FORMAT parquet)")
    with pytest.raises(InputError, match="keine endliche Zahl"):
        read_records(path, mini, code_column="PLR", sums=["BETRAG"])


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_codes_are_ascii_digits(write, mini, engine):
    # „²“, „①“ and a full-width „１“ are no district (str.isdigit would take them): no internal error, no guess
    path = write("faelle.csv", "PLR;V\n²;Ja\n①;Ja\n\uff11;Ja\n1;Ja\n")
    daten = read_records(path, mini, code_column="PLR", engine=engine)
    assert by_district(daten, "faelle") == {1: 1, 2: 0, 3: 0, 4: 0, 999: 3}


def test_file_columns_named_like_the_query_s_own_do_not_disturb_it(write, mini):
    # R-style headers V1, V2 … and k0 beside them; DuckDB matches names regardless of case
    path = write("faelle.csv", "V1;V2;V3;k0\n1;x;y;a\n1;x;n;b\n2;n;y;c\n")
    zaehlungen = [Zaehlung("a", "V2", ("x",)), Zaehlung("b", "V3", ("y",))]
    for engine in ("pandas", "duckdb"):
        daten = read_records(path, mini, code_column="V1", counts=zaehlungen, engine=engine)
        assert by_district(daten, "a") == {1: 2, 2: 0, 3: 0, 4: 0}, engine
        assert by_district(daten, "b") == {1: 1, 2: 1, 3: 0, 4: 0}, engine


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_delimiter_at_the_end_of_each_line_as_excel_writes(write, mini, engine):
    path = write("faelle.csv", "PLR;V;\n1;Ja;\n2;Ja;\n2;Nein;\n")
    daten = read_records(path, mini, code_column="PLR", counts=VERSUCHE[:0] + [Zaehlung("ja", "V", ("Ja",))], engine=engine)
    assert by_district(daten, "faelle") == {1: 1, 2: 2, 3: 0, 4: 0}
    assert by_district(daten, "ja") == {1: 1, 2: 1, 3: 0, 4: 0}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_names_differing_only_in_case_are_one_name_twice(write, mini, engine):
    with pytest.raises(InputError, match="Die Kopfzeile nennt die Spalte „b“ zweimal"):
        read_records(write("faelle.csv", "PLR;B;b\n1;5;6\n"), mini, code_column="PLR", sums=["B"], engine=engine)


def test_header_names_with_spaces_and_broken_quotes_in_the_pandas_engine(write, mini):
    daten = read_records(write("a.csv", "PLR ; B \n1;5\n2;3\n"), mini, code_column="PLR", sums=["B"], engine="pandas")
    assert by_district(daten, "b") == {1: 5, 2: 3, 3: 0, 4: 0}
    with pytest.raises(InputError, match=r"Die Datei ist nicht lesbar \(ein Anführungszeichen endet nicht\)"):
        read_records(write("b.csv", 'PLR;B\n1;5\n2;"3\n'), mini, code_column="PLR", sums=["B"], engine="pandas")


def test_both_engines_judge_the_number_style_by_the_first_1000_texts(write, mini):
    # by hand: one „1.500“, 5.000 empty amounts, then ten „2.5“ – „2.5“ can only be English, so 1.500 is 1,5
    path = write("faelle.csv", "PLR;B\n1;1.500\n" + "2;\n" * 5000 + "3;2.5\n" * 10)
    for engine in ("pandas", "duckdb"):
        got = by_district(read_records(path, mini, code_column="PLR", sums=["B"], engine=engine), "b")
        assert (got[1], got[3]) == (1.5, 25.0), engine


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_amounts_are_summed_compensated_in_both_engines(write, mini, engine):
    path = write("faelle.csv", "PLR;B\n1;10000000000000000\n1;1\n1;-10000000000000000\n2;0.1\n2;0.2\n")
    got = by_district(read_records(path, mini, code_column="PLR", sums=["B"], engine=engine), "b")
    assert got[1] == 1 and got[2] == 0.30000000000000004  # 0.1 + 0.2 as a float, the same in both


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_record_with_more_fields_than_the_header_is_refused_by_both_engines(write, mini, engine):
    # pandas used to drop the extra „9“ unnoticed
    with pytest.raises(InputError, match=r"Die Datei ist nicht lesbar \(Zeile 3 hat 3 statt 2 Spalten\)"):
        read_records(write("faelle.csv", "PLR;B\n2;3\n1;5;9\n"), mini, code_column="PLR", sums=["B"], engine=engine)
