"""Aggregation: sums, shares, recomputed rates, ranks, completeness and reconciliation.

Expectations are worked out independently: from the issue/README figures, by hand for the
small files, or with the standard csv module straight from the raw files.
"""

import csv
from collections import defaultdict

import pandas as pd
import pytest

from sozialraum_cli.aggregate import ABWEICHUNG, NICHT_PRUEFBAR, STIMMT, aggregate
from sozialraum_cli.errors import AufrufError, InputError
from sozialraum_cli.reading import read_bezirksdaten

from conftest import BEISPIEL, HAUSHALTE, REFERENZ


def by_area(table, column):
    return {z.raum: z.wert(column) for z in table.zeilen}


def raw_household_sums(year: int, grouping: str) -> dict[str, int]:
    with open(REFERENZ, encoding="utf-8") as f:
        area = {int(r["bezirk_nr"]): r[grouping] for r in csv.DictReader(f)}
    sums = defaultdict(int)
    with open(HAUSHALTE, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            nr = int(r["statistischer_Bezirk_Nr"])
            if nr in area:
                sums[area[nr]] += int(r[f"31.12.{year}"])
    return dict(sums)


@pytest.fixture(scope="module")
def haushalte(jena):
    return read_bezirksdaten(HAUSHALTE, jena)


def test_households_2016_per_planungsraum(jena, haushalte):
    t = aggregate(jena, "planungsraeume", haushalte, jahr=2016)
    expected = {"West/Zentrum": 15290, "Lobeda": 13948, "Nord": 11038, "Winzerla": 9052, "Ost": 8583, "Ortschaften": 3101}
    assert {r: v for r, v in by_area(t, "privathaushalte").items() if r in expected} == expected
    assert [z.raum for z in t.raeume] == ["West/Zentrum", "Lobeda", "Nord", "Winzerla", "Ost", "Ortschaften"]
    assert [z.rang for z in t.raeume] == [1, 2, 3, 4, 5, 6]
    assert t.zeile("Gesamt").wert("privathaushalte") == 61012
    assert t.zeile("West/Zentrum").werte["privathaushalte"].anteil == pytest.approx(100 * 15290 / 61012)
    assert [z.anzahl_bezirke for z in t.raeume] == [5, 5, 4, 6, 5, 16]
    assert [(a.merkmal, a.summe, a.gesamtzeile, a.status) for a in t.abgleich] == [("privathaushalte", 61012, 61012, STIMMT)]
    assert t.warnungen == [] and t.fehlende_bezirke == []
    # row 999 is all zeros in the real file: not shown as an extra row
    assert [z.art for z in t.zeilen] == ["raum"] * 6 + ["gesamt"]


@pytest.mark.parametrize("year", range(2006, 2017))
@pytest.mark.parametrize("schema,grouping", [("sozialraeume", "sozialraum"), ("planungsraeume", "planungsraum")])
def test_households_every_year_equal_sums_from_raw_file(jena, haushalte, year, schema, grouping):
    t = aggregate(jena, schema, haushalte, jahr=year)
    assert {r: v for r, v in by_area(t, "privathaushalte").items() if r != "Gesamt"} == raw_household_sums(year, grouping)
    assert t.abgleich[0].status == STIMMT


def test_default_year_is_latest_with_values(jena, haushalte):
    t = aggregate(jena, "planungsraeume", haushalte)
    assert t.jahr == 2016
    assert any("2016" in h and "--year" in h for h in t.hinweise)


@pytest.mark.parametrize(
    "jahr,error,message",
    [(2017, AufrufError, "Für 2017 enthält die Datei keine Werte"), (2020, AufrufError, "Das Jahr 2020 gibt es in der Datei nicht")],
)
def test_year_errors(jena, haushalte, jahr, error, message):
    with pytest.raises(error, match=message):
        aggregate(jena, "planungsraeume", haushalte, jahr=jahr)


def test_example_2021_reproduces_the_report(jena):
    daten = read_bezirksdaten(BEISPIEL, jena)
    t = aggregate(jena, "planungsraeume", daten)
    assert t.zeile("Gesamt").wert("einwohner") == 108141
    assert t.zeile("Gesamt").wert("sgb2_personen") == 5307
    assert [z.raum for z in t.raeume] == ["West/Zentrum", "Lobeda", "Nord", "Ost", "Winzerla", "Ortschaften"]
    q = aggregate(jena, "planungsraeume", daten, sortierung="sgb2_quote")
    assert [z.raum for z in q.raeume] == ["Lobeda", "Winzerla", "Nord", "West/Zentrum", "Ost", "Ortschaften"]
    assert all(a.status == STIMMT for a in t.abgleich)
    # areas plus the not-assignable row make up the city
    assert sum(z.wert("einwohner") for z in t.raeume) + t.zeile("nicht zugeordnet").wert("einwohner") == 108141


def test_example_rate_is_ratio_of_sums_from_raw_file(jena):
    num, den = defaultdict(int), defaultdict(int)
    with open(REFERENZ, encoding="utf-8") as f:
        area = {int(r["bezirk_nr"]): r["sozialraum"] for r in csv.DictReader(f)}
    with open(BEISPIEL, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f, delimiter=";"):
            nr = int(r["Nr."])
            if nr in area:
                num[area[nr]] += int(r["sgb2_personen"].replace(".", ""))
                den[area[nr]] += int(r["Einwohner unter 65 Jahren"].replace(".", ""))
    t = aggregate(jena, "sozialraeume", read_bezirksdaten(BEISPIEL, jena))
    for raum in num:
        assert t.zeile(raum).wert("sgb2_quote") == pytest.approx(100 * num[raum] / den[raum])


MINI = "nr,name,einwohner,einwohner_unter_65,sgb2_personen\n1,Altstadt,1000,800,80\n2,Neustadt,2000,1500,300\n3,Oberdorf,500,400,8\n4,Unterdorf,300,250,2\n"


def test_rates_are_recomputed_never_averaged(mini, write):
    t = aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", MINI), mini))
    # Stadt: 380 / 2300; the mean of the district rates (10 % and 20 %) would be 15 %
    assert t.zeile("Stadt").wert("sgb2_quote") == pytest.approx(100 * 380 / 2300)
    assert t.zeile("Land").wert("sgb2_quote") == pytest.approx(100 * 10 / 650)
    assert t.zeile("Gesamt").wert("sgb2_quote") == pytest.approx(100 * 390 / 2950)
    assert t.zeile("Stadt").wert("einwohner") == 3000 and t.zeile("Land").wert("einwohner") == 800


def test_rate_columns_of_the_file_are_not_summed(mini, write):
    text = "nr,einwohner_unter_65,sgb2_personen,sgb2_quote,Anteil Ausländer\n1,800,80,10,5\n2,1500,300,20,7\n3,400,8,2,1\n4,250,2,0.8,1\n"
    t = aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", text), mini))
    assert all("anteil_auslaender" not in z.werte for z in t.zeilen)
    assert t.zeile("Stadt").wert("sgb2_quote") == pytest.approx(100 * 380 / 2300)
    how = {b.merkmal: b for b in t.behandlung}
    assert how["sgb2_quote"].text == "neu berechnet aus „SGB-II-Personen“ und „Einwohner unter 65 Jahren“ × 100 (Summen je Raum)"
    assert how["anteil_auslaender"].text.startswith("ausgelassen: die Überschrift deutet auf einen Anteil oder eine Quote")
    assert how["anteil_auslaender"].vorschlag == 'anteil_auslaender: {titel: "Anteil Ausländer", art: anteil, basis: BEZUGSGROESSE, faktor: 100}'
    assert [b.verfahren for b in t.behandlung] == ["summiert", "summiert", "neu_berechnet", "ausgelassen"]


def test_split_district_is_allocated_by_shares(mini, write):
    daten = read_bezirksdaten(write("d.csv", MINI), mini)
    t = aggregate(mini, "geteilt", daten)
    assert t.zeile("Nord").wert("einwohner") == 1000 + 0.25 * 2000
    assert t.zeile("Sued").wert("einwohner") == 0.75 * 2000 + 500 + 300
    assert t.zeile("Nord").wert("einwohner") + t.zeile("Sued").wert("einwohner") == 3800
    assert t.zeile("Nord").wert("sgb2_quote") == pytest.approx(100 * (80 + 75) / (800 + 375))
    assert t.aufgeteilte_bezirke == [2]


def test_missing_district_marks_its_area_incomplete(mini, write):
    daten = read_bezirksdaten(write("d.csv", "\n".join(MINI.splitlines()[:4]) + "\n"), mini)
    t = aggregate(mini, "stadt_land", daten)
    assert t.fehlende_bezirke == [4]
    land = t.zeile("Land")
    assert land.wert("einwohner") == 500 and not land.werte["einwohner"].vollstaendig
    assert land.wert("sgb2_quote") is None and land.werte["einwohner"].anteil is None
    assert pd.isna(land.rang)  # an incomplete sum is not ranked
    assert land.status == "unvollständig" and "Bezirk 4 (Unterdorf) fehlt in der Datei" in land.fehlend
    assert t.zeile("Stadt").status == "vollständig"
    assert "Bezirk 4 (Unterdorf) fehlt in der Datei." in t.warnungen
    with pytest.raises(InputError, match=r"1 Bezirk\(e\) der Zuordnung fehlen in der Datei: 4 \(Unterdorf\)"):
        aggregate(mini, "stadt_land", daten, strict=True)


def test_suppressed_value_is_not_zero(mini, write):
    text = MINI.replace("3,Oberdorf,500,400,8", "3,Oberdorf,500,400,*")
    t = aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", text), mini))
    land = t.zeile("Land")
    assert land.wert("sgb2_personen") == 2 and not land.werte["sgb2_personen"].vollstaendig
    assert land.wert("sgb2_quote") is None
    assert "Bezirk 3 (Oberdorf) aus Datenschutzgründen unterdrückt" in land.fehlend
    assert land.werte["einwohner"].vollstaendig


def test_reconciliation_with_total_and_unassigned_rows(mini, write):
    text = MINI + "999,nicht zugeordnet,10,9,1\n0,Gesamt,3811,2959,391\n"
    t = aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", text), mini))
    status = {a.merkmal: (a.status, a.differenz) for a in t.abgleich}
    assert status == {"einwohner": (ABWEICHUNG, -1.0), "einwohner_unter_65": (STIMMT, 0.0), "sgb2_personen": (STIMMT, 0.0)}
    assert t.zeile("nicht zugeordnet").wert("einwohner") == 10
    # Gesamt is the published total; the difference to districts + unassigned row is its own row
    assert t.zeile("Gesamt").wert("einwohner") == 3811
    assert t.zeile("Differenz zur Gesamtzeile").wert("einwohner") == 1  # 3811 - (3800 + 10)
    assert t.zeile("Differenz zur Gesamtzeile").wert("einwohner_unter_65") == 0
    assert t.zeile("Stadt").werte["einwohner"].anteil == pytest.approx(100 * 3000 / 3811)
    assert [z.raum for z in t.zeilen] == ["Stadt", "Land", "Gesamt", "nicht zugeordnet", "Differenz zur Gesamtzeile"]
    assert t.zeile("Stadt").wert("einwohner") == 3000  # the unassigned row is never folded into an area
    assert any("Summe der Bezirke 3.810 weicht von der Gesamtzeile 3.811 ab (Differenz −1)" in w for w in t.warnungen)


def test_reconciliation_not_checkable_when_incomplete(mini, write):
    text = MINI.replace("4,Unterdorf,300", "4,Unterdorf,.") + "0,Gesamt,3800,2950,390\n"
    t = aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", text), mini))
    assert t.abgleich[0].status == NICHT_PRUEFBAR
    # shares then refer to the file's total row
    assert t.zeile("Stadt").werte["einwohner"].anteil == pytest.approx(100 * 3000 / 3800)


def test_value_selection_sort_and_ascending(mini, write):
    daten = read_bezirksdaten(write("d.csv", MINI), mini)
    t = aggregate(mini, "stadt_land", daten, merkmale=["sgb2_quote"], aufsteigend=True)
    assert [m.name for m in t.anzahlen] == [] and [q.name for q in t.quoten] == ["sgb2_quote"]
    assert [z.raum for z in t.raeume] == ["Land", "Stadt"]
    with pytest.raises(AufrufError, match="Das Merkmal „arbeitslose“ gibt es nicht"):
        aggregate(mini, "stadt_land", daten, merkmale=["arbeitslose"])
    with pytest.raises(AufrufError, match="Nach „sgb2_quote“ kann nicht sortiert werden"):
        aggregate(mini, "stadt_land", daten, merkmale=["einwohner"], sortierung="sgb2_quote")


def test_year_with_indicator_file_is_an_error(mini, write):
    with pytest.raises(AufrufError, match="2016 passt nicht") as exc:
        aggregate(mini, "stadt_land", read_bezirksdaten(write("d.csv", MINI), mini), jahr=2016)
    assert exc.value.parameter == "jahr" and "--year" not in str(exc.value)  # the CLI adds the flag
