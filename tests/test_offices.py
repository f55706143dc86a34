"""Files as statistics offices send them: .xlsx/.xls/.ods, title lines, two-row headers,
footnotes, text numbers, symbols with overridden meanings, long layout, several files."""

import pytest
from typer.testing import CliRunner

from sozialraum_cli.aggregate import NICHT_PRUEFBAR, STIMMT, aggregate
from sozialraum_cli.cli.app import app
from sozialraum_cli.errors import InputError, MappingError
from sozialraum_cli.mapping import load_mapping
from sozialraum_cli.reading import (
    AUSSTEHEND, FEHLT, GEHEIM, GESPERRT, NULL, UNSICHER, UNTERDRUECKT, VORHANDEN, combine_bezirksdaten,
    read_bezirksdaten, split_header,
)

from conftest import DATA, MINI
from test_reading import wert

MINI_TEXT = MINI.read_text(encoding="utf-8")


@pytest.mark.parametrize("ext", ["xlsx", "xls", "ods"])
def test_office_spreadsheet(mini, ext):
    daten = read_bezirksdaten(DATA / f"amt.{ext}", mini)
    assert [(s.merkmal, s.jahr) for s in daten.spalten] == [
        ("einwohner", 2015), ("einwohner", 2016), ("sgb2_personen", 2015), ("sgb2_personen", 2016)
    ]
    assert wert(daten, 1, "einwohner", 2015) == (1000.0, VORHANDEN)  # text "1.000"
    assert wert(daten, 2, "einwohner", 2016) == (2050.0, VORHANDEN)  # text "2.050"
    assert wert(daten, 3, "einwohner", 2016) == (505.0, VORHANDEN)  # text " 505 "
    assert wert(daten, 3, "sgb2_personen", 2015)[1] == UNTERDRUECKT
    assert wert(daten, 4, "sgb2_personen", 2015) == (0.0, NULL)
    assert daten.zeilen == {1: 6, 2: 7, 3: 8, 4: 9, 0: 10}  # "001" … and "000" = total row
    assert daten.details == [
        "Titelzeile 1 übersprungen: Bevölkerung und SGB-II-Bezug nach statistischen Bezirken",
        "Titelzeile 2 übersprungen: Stand jeweils 31.12.",
        "Zweizeilige Kopfzeile (Zeilen 4 und 5) zusammengefasst.",
        "Fußnote Zeile 12 übersprungen: Quelle: Statistikstelle, eigene Berechnung",
        "Fußnote Zeile 13 übersprungen: * aus Datenschutzgründen gesperrt; – nichts vorhanden",
    ]


def test_office_file_aggregated(mini):
    daten = read_bezirksdaten(DATA / "amt.xlsx", mini)
    t15 = aggregate(mini, "stadt_land", daten, jahr=2015)
    # Land 2015: Oberdorf suppressed, Unterdorf "–" = 0: the sum is incomplete, not 0
    land = t15.zeile("Land")
    assert land.wert("sgb2_personen") == 0 and not land.werte["sgb2_personen"].vollstaendig
    status = {a.merkmal: a.status for a in t15.abgleich}
    assert status == {"einwohner": STIMMT, "sgb2_personen": NICHT_PRUEFBAR}  # no false difference
    t16 = aggregate(mini, "stadt_land", daten, jahr=2016)
    assert t16.zeile("Stadt").wert("sgb2_personen") == 82 + 310
    assert t16.zeile("Land").wert("sgb2_personen") == 11 and t16.zeile("Gesamt").wert("einwohner") == 3855


def test_header_row_option(mini, write):
    text = "Bezirk;Wert\nTabelle 3;\nnr;einwohner\n1;5\n2;6\n3;7\n4;8\n"
    with pytest.raises(InputError):
        read_bezirksdaten(write("d.csv", text), mini)  # "Bezirk;Wert" looks like the header
    daten = read_bezirksdaten(write("d.csv", text), mini, header_row=3)
    assert wert(daten, 4, "einwohner") == (8.0, VORHANDEN)
    with pytest.raises(InputError, match="keine Spalte mit Bezirksnummer") as info:
        read_bezirksdaten(write("d.csv", text), mini, header_row=2)
    assert info.value.zeile == 2


@pytest.mark.parametrize(
    "symbol,default", [("*", UNTERDRUECKT), (".", GEHEIM), ("x", GESPERRT), ("/", UNSICHER), ("…", AUSSTEHEND), ("–", NULL), ("-", NULL)]
)
def test_each_symbol_default_and_overridden(mini, write, symbol, default):
    text = f"nr;einwohner\n1;{symbol}\n2;5\n"
    assert wert(read_bezirksdaten(write("d.csv", text), mini), 1, "einwohner")[1] == default
    other = "missing" if default != FEHLT else "zero"
    overridden = read_bezirksdaten(write("d.csv", text), mini, symbole={symbol: other})
    assert wert(overridden, 1, "einwohner")[1] == FEHLT


def test_dash_as_suppressed_via_mapping(tmp_path, write):
    cfg = tmp_path / "z.yaml"
    cfg.write_text(MINI_TEXT + 'symbole:\n  "-": unterdrueckt\n', encoding="utf-8")
    m = load_mapping(cfg)
    assert wert(read_bezirksdaten(write("d.csv", "nr;einwohner\n1;-\n"), m), 1, "einwohner")[1] == UNTERDRUECKT
    cfg.write_text(MINI_TEXT + 'symbole:\n  "-": irgendwas\n', encoding="utf-8")
    with pytest.raises(MappingError, match="Unbekannte Bedeutung „irgendwas“"):
        load_mapping(cfg)


def test_symbol_option_on_the_command_line(write):
    src = write("d.csv", "nr;einwohner\n1;-\n2;5\n3;6\n4;7\n")
    run = CliRunner().invoke
    r = run(app, ["aggregate", str(src), "--config", str(MINI), "-s", "stadt_land", "-f", "csv"])
    # "-" is a true zero by default: Stadt = 0 + 5, Land = 6 + 7, city 18
    assert "stadt_land,1,Land,2,13,72.2222,vollständig," in r.stdout
    r = run(app, ["aggregate", str(src), "--config", str(MINI), "-s", "stadt_land", "-f", "csv", "--symbol", "-=suppressed"])
    assert r.exit_code == 0
    assert ",Stadt,2,5,,unvollständig,einwohner: Bezirk 1 (Altstadt) aus Datenschutzgründen unterdrückt" in r.stdout
    r = run(app, ["aggregate", str(src), "--config", str(MINI), "--symbol", "-"])
    assert r.exit_code == 2 and "erwartet wird ZEICHEN=BEDEUTUNG" in r.stderr
    r = run(app, ["aggregate", str(src), "--config", str(MINI), "--symbol", "-=egal"])
    assert r.exit_code == 2 and "Unbekannte Bedeutung „egal“" in r.stderr


def test_limited_reliability_is_kept(mini, write):
    daten = read_bezirksdaten(write("d.csv", "nr;einwohner\n1;(12)\n2;5\n3;6\n4;7\n"), mini)
    t = aggregate(mini, "stadt_land", daten)
    assert t.zeile("Stadt").wert("einwohner") == 17 and t.zeile("Stadt").status == "vollständig"


@pytest.mark.parametrize(
    "header,row",
    [
        ("bezirk,jahr,merkmal,wert", "{name},{jahr},{merkmal},{wert}"),
        ("value;indicator;year;district", "{wert};{merkmal};{jahr};{name}"),
        ("Merkmal,Bezirk Nr.,Wert,Jahr", "{merkmal},{nr},{wert},{jahr}"),
    ],
)
def test_long_layout(mini, write, header, row):
    values = {(1, 2015): 1000, (2, 2015): 2000, (3, 2015): 500, (4, 2015): 300, (1, 2016): 1010, (2, 2016): 2050, (3, 2016): 505, (4, 2016): 290}
    names = {1: "Altstadt", 2: "Neustadt", 3: "Oberdorf", 4: "Unterdorf"}
    lines = [header] + [row.format(name=names[nr], nr=nr, jahr=j, merkmal="Einwohner", wert=v) for (nr, j), v in values.items()]
    daten = read_bezirksdaten(write("lang.csv", "\n".join(lines) + "\n"), mini)
    assert [(s.merkmal, s.jahr) for s in daten.spalten] == [("einwohner", 2015), ("einwohner", 2016)]
    assert aggregate(mini, "stadt_land", daten, jahr=2016).zeile("Stadt").wert("einwohner") == 1010 + 2050
    assert aggregate(mini, "stadt_land", daten, jahr=2015).zeile("Land").wert("einwohner") == 800


def test_long_layout_errors(mini, write):
    with pytest.raises(InputError, match=r"Bezirk 1 \(Altstadt\) mit 2016 / einwohner steht zweimal in der Datei \(Zeilen 2 und 3\)"):
        read_bezirksdaten(write("l.csv", "bezirk,jahr,merkmal,wert\n1,2016,einwohner,5\n1,2016,einwohner,6\n"), mini)
    with pytest.raises(InputError, match="„zwanzig“ ist kein Jahr"):
        read_bezirksdaten(write("l.csv", "bezirk,jahr,merkmal,wert\n1,zwanzig,einwohner,5\n"), mini)


@pytest.mark.parametrize(
    "header,expected",
    [("31.12.2016", ("", 2016)), ("2016", ("", 2016)), ("Einwohner 2016", ("Einwohner", 2016)),
     ("einwohner_2016", ("einwohner", 2016)), ("Einwohner unter 65", ("Einwohner unter 65", None))],
)
def test_split_header(header, expected):
    assert split_header(header) == expected


def test_several_files_joined_and_conflicts(mini, write):
    a = read_bezirksdaten(write("a.csv", "nr,einwohner\n1,1000\n2,2000\n3,500\n4,300\n"), mini)
    b = read_bezirksdaten(write("b.csv", "nr,einwohner_unter_65,sgb2_personen\n1,800,80\n2,1500,300\n3,400,8\n"), mini)
    both = combine_bezirksdaten([a, b])
    assert [p.name for p, _ in both.quellen] == ["a.csv", "b.csv"]
    assert "b.csv: keine Zeile für 4." in both.hinweise
    t = aggregate(mini, "stadt_land", both)
    assert t.zeile("Stadt").wert("sgb2_quote") == pytest.approx(100 * 380 / 2300)
    assert not t.zeile("Land").werte["sgb2_personen"].vollstaendig
    same = read_bezirksdaten(write("c.csv", "nr,einwohner\n1,1000\n"), mini)
    combine_bezirksdaten([a, same])  # the same value twice is fine
    other = read_bezirksdaten(write("d.csv", "nr,einwohner\n2,1999\n"), mini)
    with pytest.raises(InputError, match=r"„einwohner“ steht in .*a.csv \(Zeile 3\) und in .*d.csv \(Zeile 2\) mit verschiedenen Werten für Bezirk 2"):
        combine_bezirksdaten([a, other])


def test_aggregate_several_files_on_the_command_line(write):
    a = write("a.csv", "nr,einwohner\n1,1000\n2,2000\n3,500\n4,300\n")
    b = write("b.csv", "nr,einwohner_unter_65,sgb2_personen\n1,800,80\n2,1500,300\n3,400,8\n4,250,2\n")
    r = CliRunner().invoke(app, ["aggregate", str(a), str(b), "--config", str(MINI), "-s", "stadt_land", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    import json

    doc = json.loads(r.stdout)
    assert [q["datei"] for q in doc["quellen"]] == [str(a), str(b)]
    assert doc["tabellen"][0]["zeilen"][0]["sgb2_quote"] == round(100 * 380 / 2300, 4)


def test_verbose_names_skipped_lines():
    r = CliRunner().invoke(app, ["aggregate", str(DATA / "amt.ods"), "--config", str(MINI), "--year", "2016", "-f", "csv", "--verbose"])
    assert r.exit_code == 0, r.stderr
    assert "Gelesen: Fußnote Zeile 12 übersprungen: Quelle: Statistikstelle, eigene Berechnung" in r.stderr
    quiet = CliRunner().invoke(app, ["aggregate", str(DATA / "amt.ods"), "--config", str(MINI), "--year", "2016", "-f", "csv"])
    assert "Fußnote" not in quiet.stderr


def test_allow_incomplete(mini, write):
    daten = read_bezirksdaten(write("d.csv", "nr,einwohner_unter_65,sgb2_personen\n1,800,80\n2,1500,300\n3,400,*\n4,250,2\n"), mini)
    strict = aggregate(mini, "stadt_land", daten)
    assert strict.zeile("Land").wert("sgb2_quote") is None  # NaN
    lenient = aggregate(mini, "stadt_land", daten, unvollstaendige_zulassen=True)
    land = lenient.zeile("Land")
    # numerator and denominator over the same districts: only district 4 has both (2 of 250)
    assert land.wert("sgb2_quote") == pytest.approx(100 * 2 / 250) and land.status == "unvollständig"
    assert any("--allow-incomplete" in h for h in lenient.hinweise)


def test_long_file_read_for_the_wanted_indicator_and_year_only(jena, tmp_path):
    """A long file of 41 districts × 3 years × 40 indicators, read for one indicator and one year:
    only those rows are read, the sums equal the hand computation from the generated values."""
    import csv as csvmod

    from sozialraum_cli.reading import read_bezirksdaten as read

    from conftest import REFERENZ

    with open(REFERENZ, encoding="utf-8") as f:
        ref = list(csvmod.DictReader(f))
    path = tmp_path / "lang.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("bezirk_nr;bezirk;jahr;merkmal;wert\n")
        for r in ref:
            for y in (2019, 2020, 2021):
                for m in range(40):
                    out.write(f"{r['bezirk_nr']};{r['bezirk_name']};{y};merkmal_{m};{(int(r['bezirk_nr']) * 7 + m + y) % 500}\n")
    daten = read(path, jena, merkmale=["merkmal_7"], jahr=2020)
    assert {(s.merkmal, s.jahr) for s in daten.spalten} == {("merkmal_7", 2020)}
    assert any("4.879 Zeilen anderer Merkmale oder Jahre nicht gelesen" in h for h in daten.hinweise)  # 41 × 120 − 41
    t = aggregate(jena, "sozialraeume", daten, jahr=2020)
    expected: dict[str, int] = {}
    for r in ref:
        expected[r["sozialraum"]] = expected.get(r["sozialraum"], 0) + (int(r["bezirk_nr"]) * 7 + 7 + 2020) % 500
    assert {raum: t.zeile(raum).wert("merkmal_7") for raum in expected} == expected
