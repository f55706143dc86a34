"""Reading district statistics: encodings, delimiters, number formats, layouts, matching, errors."""

import csv

import pytest
from openpyxl import Workbook

from sozialraum_cli.errors import AufrufError, InputError
from sozialraum_cli.reading import (
    EINGESCHRAENKT, FEHLT, GEHEIM, GESPERRT, LAYOUT_MERKMALE, LAYOUT_STICHTAGE, NULL, UNSICHER, UNTERDRUECKT,
    VORHANDEN, number_style, parse_cell, read_bezirksdaten,
)

from conftest import HAUSHALTE


def wert(daten, nr, merkmal, jahr=None):
    df = daten.daten
    sel = (df["bezirk_nr"] == nr) & (df["merkmal"] == merkmal)
    if jahr is not None:
        sel &= df["jahr"] == jahr
    row = df[sel]
    assert len(row) == 1
    return row.iloc[0]["wert"], row.iloc[0]["status"]


def test_real_household_file_is_read_as_wide_by_date(jena):
    daten = read_bezirksdaten(HAUSHALTE, jena)
    assert daten.layout == LAYOUT_STICHTAGE
    assert daten.jahre == list(range(2006, 2018))
    assert daten.standard_jahr() == 2016  # 2017 is empty in the source
    assert set(daten.merkmale) == {"privathaushalte"}
    with open(HAUSHALTE, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 43
    for r in rows:
        nr = int(r["statistischer_Bezirk_Nr"])
        assert wert(daten, nr, "privathaushalte", 2016) == (float(r["31.12.2016"]), VORHANDEN)
        assert wert(daten, nr, "privathaushalte", 2017)[1] == FEHLT
    assert daten.zeilen[0] == 2 and daten.zeilen[999] == 44


MINI_CSV = "nr,name,einwohner,einwohner_unter_65,sgb2_personen\n1,Altstadt,1000,800,80\n2,Neustadt,2000,1500,300\n3,Oberdorf,500,400,8\n4,Unterdorf,300,250,2\n"


@pytest.mark.parametrize(
    "content,encoding",
    [
        (MINI_CSV, "utf-8"),
        (MINI_CSV, "utf-8-sig"),
        (MINI_CSV.replace(",", ";"), "utf-8"),
        (MINI_CSV.replace(",", "\t"), "utf-8"),
        (MINI_CSV.replace(",", ";").replace("\n", "\r\n"), "cp1252"),
    ],
)
def test_encodings_and_delimiters(mini, write, content, encoding):
    daten = read_bezirksdaten(write("d.csv", content, encoding), mini)
    assert daten.layout == LAYOUT_MERKMALE
    assert [s.merkmal for s in daten.spalten] == ["einwohner", "einwohner_unter_65", "sgb2_personen"]
    assert wert(daten, 2, "sgb2_personen") == (300.0, VORHANDEN)


def test_cp1252_umlauts_and_german_numbers(mini, write):
    text = "Bezirk;Einwohner;SGB-II-Quote %\nAltstadt;1.234;6,5\nNeustadt;12.345.678;10\nOberdorf;–;0,0\nUnterdorf;7;1,25\n"
    path = write("d.csv", text.replace("Bezirk", "Bezirksname (Straße)"), "cp1252")
    daten = read_bezirksdaten(path, mini)
    assert "Windows-1252" in " ".join(daten.hinweise)
    assert wert(daten, 1, "einwohner") == (1234.0, VORHANDEN)
    assert wert(daten, 2, "einwohner") == (12345678.0, VORHANDEN)
    assert wert(daten, 3, "einwohner") == (0.0, NULL)
    assert wert(daten, 4, "sgb2_quote") == (1.25, VORHANDEN)  # header matched to the title in the mapping
    assert {s.merkmal: s.art for s in daten.spalten} == {"einwohner": "anzahl", "sgb2_quote": "quote"}


@pytest.mark.parametrize(
    "texts,style", [(["2.501", "108.141"], "de"), (["51,6"], "de"), (["6.2", "10.25"], "en"), (["1,234.5"], "en"),
                    (["1.234,5"], "de"), (["12", "7"], "en")],
)
def test_number_style(texts, style):
    assert number_style(texts) == style


@pytest.mark.parametrize(
    "cell,expected",
    [("*", (None, UNTERDRUECKT)), (".", (None, GEHEIM)), ("x", (None, GESPERRT)), ("/", (None, UNSICHER)),
     ("–", (0.0, NULL)), ("-", (0.0, NULL)), ("", (None, FEHLT)), (None, (None, FEHLT)),
     ("(12)", (12.0, EINGESCHRAENKT)), (" 1 234 ", (1234.0, VORHANDEN)), (7, (7.0, VORHANDEN)), ("abc", None)],
)
def test_symbols(cell, expected):
    assert parse_cell(cell, "de") == expected


def test_codes_with_leading_zeros_and_names_in_any_spelling(jena, write):
    text = "Nr;Bezirk;wert\n011;AMMERBACH ORT;1\n000;Jena (gesamt);3\n;Lobeda West;2\n"
    daten = read_bezirksdaten(write("d.csv", text), jena)
    assert sorted(daten.zeilen) == [0, 11, 62]


def test_unknown_rows_are_listed_with_line_numbers(mini, write):
    text = "name,einwohner\nAltstadt,1\nGotha,2\nNeustadt,3\nErfurt,4\n"
    with pytest.raises(InputError) as info:
        read_bezirksdaten(write("d.csv", text), mini)
    err = info.value
    assert err.zeile == 3
    assert "2 Zeile(n) passen weder zu einer Einheit (Bezirke)" in err.message
    assert "Zeile 3: „Gotha“" in err.message and "Zeile 5: „Erfurt“" in err.message


def test_unknown_code_is_an_error(mini, write):
    with pytest.raises(InputError, match="Zeile 3: „77“"):
        read_bezirksdaten(write("d.csv", "nr,einwohner\n1,5\n77,6\n"), mini)


def test_code_and_name_must_agree(mini, write):
    with pytest.raises(InputError, match="Nummer 1 und Name „Neustadt“ passen nicht zusammen") as info:  # an error with strict (issue 15)
        read_bezirksdaten(write("d.csv", "nr,name,einwohner\n1,Neustadt,5\n"), mini, strict=True)
    assert info.value.zeile == 2


def test_duplicate_district_rows_are_an_error(mini, write):
    with pytest.raises(InputError) as info:
        read_bezirksdaten(write("d.csv", "name,einwohner\nAltstadt,1\nNeustadt,2\nALTST.,3\n"), mini)
    assert info.value.zeile == 4
    assert "Bezirk 1 (Altstadt) steht zweimal in der Datei (Zeilen 2 und 4)" in info.value.message


def test_bad_number_names_row_and_column(mini, write):
    with pytest.raises(InputError) as info:
        read_bezirksdaten(write("d.csv", "nr,einwohner\n1,5\n2,7\n3,12a\n"), mini)
    err = info.value
    assert (err.zeile, err.spalte) == (4, "einwohner")
    assert "„12a“ ist keine Zahl" in err.message
    assert str(err).startswith(f"{err.datei}, Zeile 4, Spalte „einwohner“:")


def test_text_columns_are_reported_not_summed(mini, write):
    daten = read_bezirksdaten(write("d.csv", "nr,ortsteil,einwohner\n1,Mitte,5\n2,Nord,7\n"), mini)
    assert [s.merkmal for s in daten.spalten] == ["einwohner"]
    assert any("„ortsteil“ enthält Text" in h for h in daten.hinweise)


@pytest.mark.parametrize(
    "content,message",
    [(b"", "Die Datei ist leer"), (b"\n\n  \n", "Die Datei ist leer"), (b"nr,einwohner\n", "nur die Kopfzeile"),
     (b"a,b\n1,2\n", "Keine Spalte mit Bezirksnummer")],
)
def test_empty_and_headless_files(mini, write, content, message):
    with pytest.raises(InputError, match=message):
        read_bezirksdaten(write("d.csv", content), mini)


def test_missing_file_and_unknown_format(mini, tmp_path, write):
    with pytest.raises(InputError, match="gibt es nicht"):
        read_bezirksdaten(tmp_path / "nichts.csv", mini)
    with pytest.raises(InputError, match="Unbekanntes Dateiformat"):
        read_bezirksdaten(write("d.pdf", "x"), mini)


def test_dated_and_undated_columns_side_by_side(mini, write):
    daten = read_bezirksdaten(write("d.csv", "nr,2015,einwohner\n1,3,4\n"), mini)
    assert [(s.merkmal, s.jahr, s.stichtag) for s in daten.spalten] == [("d", 2015, "2015"), ("einwohner", None, None)]


def test_input_file_is_not_modified(jena):
    before = HAUSHALTE.read_bytes()
    read_bezirksdaten(HAUSHALTE, jena)
    assert HAUSHALTE.read_bytes() == before


def excel(path, rows, title="Daten", extra_sheet=None):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if extra_sheet:
        ws2 = wb.create_sheet(extra_sheet[0])
        for r in extra_sheet[1]:
            ws2.append(r)
    wb.save(path)
    return path


def test_excel_with_title_rows_and_footnotes(mini, tmp_path):
    path = excel(
        tmp_path / "d.xlsx",
        [
            ["Bevölkerung nach Bezirken"],
            ["Stand: 31.12.2021"],
            [],
            ["Bezirk Nr.", "Bezirk", "Einwohner", "Einwohner unter 65 Jahren"],
            ["001", "Altstadt", 1000, "800"],
            [2, "Neustadt", "2.000", 1500],
            [3, "Oberdorf", "*", 400],
            [4, "Unterdorf", 300, 250],
            [0, "Gesamt", 3800, 2950],
            [],
            ["Quelle: Statistikstelle"],
            ["* Wert aus Datenschutzgründen gesperrt"],
        ],
    )
    daten = read_bezirksdaten(path, mini)
    assert [s.merkmal for s in daten.spalten] == ["einwohner", "einwohner_unter_65"]
    assert wert(daten, 1, "einwohner_unter_65") == (800.0, VORHANDEN)
    assert wert(daten, 2, "einwohner") == (2000.0, VORHANDEN)
    assert wert(daten, 3, "einwohner")[1] == UNTERDRUECKT
    assert daten.zeilen == {1: 5, 2: 6, 3: 7, 4: 8, 0: 9}
    notes = " ".join(daten.details)  # shown with --verbose
    assert "Titelzeile 1 übersprungen: Bevölkerung nach Bezirken" in notes
    assert "Fußnote Zeile 11 übersprungen: Quelle: Statistikstelle" in notes


def test_excel_sheet_selection(mini, tmp_path):
    path = excel(tmp_path / "d.xlsx", [["x"]], extra_sheet=("Einwohner", [["nr", "einwohner"], [1, 5]]))
    daten = read_bezirksdaten(path, mini, sheet="Einwohner")
    assert wert(daten, 1, "einwohner") == (5.0, VORHANDEN)
    with pytest.raises(AufrufError, match="Tabellenblatt „Fehlt“ gibt es nicht. Vorhanden: Daten, Einwohner"):
        read_bezirksdaten(path, mini, sheet="Fehlt")


def test_broken_excel_file(mini, write):
    with pytest.raises(InputError, match="Tabellendatei ist nicht lesbar"):
        read_bezirksdaten(write("d.xlsx", b"not a zip"), mini)


def test_reference_date_connectives_and_footnote_markers_are_no_part_of_the_name():
    from sozialraum_cli.reading.header import parse_stichtag

    assert parse_stichtag("Einwohner am 31.12.2021") == ("Einwohner", "31.12.2021", 2021)
    assert parse_stichtag("SGB II Personen zum 30.06.2021") == ("SGB II Personen", "30.06.2021", 2021)
    assert parse_stichtag("Personen mit SGB-II-Leistungen 1)") == ("Personen mit SGB-II-Leistungen", None, None)
    assert parse_stichtag("Einwohner*") == ("Einwohner", None, None)
    # what looks alike but is part of the name stays
    assert parse_stichtag("Arbeitslose (Dez 2013)") == ("Arbeitslose", "Dez 2013", 2013)
    assert parse_stichtag("Median Miete €/m²") == ("Median Miete €/m²", None, None)
    assert parse_stichtag("Haushalte mit 3 Personen") == ("Haushalte mit 3 Personen", None, None)


def test_jena_insgesamt_is_the_total_row(jena, write):
    from sozialraum_cli.reading import read_bezirksdaten

    daten = read_bezirksdaten(write("g.csv", "Nr.;Statistischer Bezirk;Einwohner am 31.12.2021\n11;Ammerbach Ort;361\n"
                                             ";Jena insgesamt;361\n"), jena)
    assert 0 in daten.zeilen and [s.merkmal for s in daten.spalten] == ["einwohner"]


def test_a_subtotal_of_a_raum_in_two_schemes_standing_twice_never_advises_deleting_a_row(jena, write):
    from sozialraum_cli.reading import read_bezirksdaten

    text = "Nr.;Statistischer Bezirk;Einwohner\n61;Lobeda-Altstadt;1414\n;Lobeda;15114\n;Lobeda;15000\n"
    with pytest.raises(InputError, match="„Lobeda“ ist ein Raum in mehreren Schemata \\(sozialraeume, planungsraeume\\)") as err:
        read_bezirksdaten(write("l.csv", text), jena)
    assert "entfernen" not in (err.value.hilfe or "")
