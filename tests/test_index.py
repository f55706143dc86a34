"""`sozialraum index` on a hand-made table of 22 districts (tests/data/index_einheiten.csv).

The table is built from two hand-chosen vectors over the 20 regular districts (see V_U):
v with mean 0 and population sd 1 (values ±2, ±1.5, 3×±1, 3×±0.5, 4×0) and u with mean 0,
sd 1 and Σ u·v = 0. The raw indicators are

    alq = 10 + v + u      kita = 20 − v + u (direction −1)      transfer = 5 + 2·v (weight 2)

so by hand: mean(alq) = 10, sd(alq) = √(Σ(v+u)²/20) = √((20+20+0)/20) = √2, likewise
mean(kita) = 20, sd(kita) = √2, mean(transfer) = 5, sd(transfer) = 2;
z_alq = (v+u)/√2, z_kita = (u−v)/√2, z_transfer = v;
sum = z_alq − z_kita + 2·z_transfer = √2·v + 2·v = (2+√2)·v, mean 0, sd 2+√2; index = v.
District 21 (120 inhabitants, extreme values) is below the minimum of 300, district 22 has a
suppressed value ("*"), district 5 has exactly 300 inhabitants (not below: included).
"""

import json
import math
import statistics

import pytest

from sozialraum_cli.errors import AufrufError, InputError, MappingError
from sozialraum_cli.index import compute_index
from sozialraum_cli.indexdef import IndexDefinition, parse_klassen
from sozialraum_cli.mapping import load_mapping
from sozialraum_cli.reading import read_bezirksdaten

from conftest import BEISPIEL, DATA, HAUSHALTE

MAPPING = DATA / "index.yaml"
EINHEITEN = DATA / "index_einheiten.csv"
REIHE = DATA / "index_reihe.csv"
KLASSEN = "hoch<-1<=mittel<=1<niedrig<=1.5<sehr niedrig"
R2 = math.sqrt(2)

# district -> (v, u), chosen by hand (see the module docstring)
V_U = {
    1: (-2, 1), 2: (-1.5, 0), 3: (-1, 1), 4: (-1, -1), 5: (-1, 0), 6: (-0.5, 1), 7: (-0.5, -1), 8: (-0.5, 0),
    9: (0, 2), 10: (0, -2), 11: (0, -1), 12: (0, -1), 13: (0.5, 1), 14: (0.5, -1), 15: (0.5, 0),
    16: (1, 1), 17: (1, -1), 18: (1, 0), 19: (1.5, 0), 20: (2, 1),
}
# the class of each index value v under KLASSEN, by hand: -1 belongs to mittel ("-1<=mittel"),
# 1 to mittel ("mittel<=1"), 1.5 to niedrig ("niedrig<=1.5")
KLASSE_VON_V = {-2: "hoch", -1.5: "hoch", -1: "mittel", -0.5: "mittel", 0: "mittel", 0.5: "mittel", 1: "mittel",
                1.5: "niedrig", 2: "sehr niedrig"}


@pytest.fixture(scope="module")
def zuordnung():
    return load_mapping(MAPPING)


@pytest.fixture(scope="module")
def daten(zuordnung):
    return read_bezirksdaten(EINHEITEN, zuordnung)


@pytest.fixture(scope="module")
def status(zuordnung, daten):
    return compute_index(zuordnung, daten, zuordnung.indizes["status"], schema="bereiche")


def units(ergebnis):
    return {u.nr: u for u in ergebnis.einheiten}


def test_hand_made_design_is_what_the_docstring_says():
    vs = [v for v, _ in V_U.values()]
    us = [u for _, u in V_U.values()]
    assert sum(vs) == 0 and sum(x * x for x in vs) == 20
    assert sum(us) == 0 and sum(x * x for x in us) == 20
    assert sum(v * u for v, u in V_U.values()) == 0


# ----------------------------------------------------------------------------- core, by hand


def test_means_and_standard_deviations_used(status):
    k = {x.name: x for x in status.kennwerte}
    assert k["alq"].mittelwert == pytest.approx(10) and k["alq"].standardabweichung == pytest.approx(R2)
    assert k["kita"].mittelwert == pytest.approx(20) and k["kita"].standardabweichung == pytest.approx(R2)
    assert k["transfer"].mittelwert == pytest.approx(5) and k["transfer"].standardabweichung == pytest.approx(2)
    assert all(x.anzahl == 20 for x in status.kennwerte)  # 21 (small) and 22 (missing) are not in them
    assert status.summe_kennwerte.mittelwert == pytest.approx(0, abs=1e-12)
    assert status.summe_kennwerte.standardabweichung == pytest.approx(2 + R2)


def test_z_values_sums_index_and_classes_by_hand(status):
    got = units(status)
    for nr, (v, u) in V_U.items():
        e = got[nr]
        assert e.z["alq"] == pytest.approx((v + u) / R2, abs=1e-12)
        assert e.z["kita"] == pytest.approx((u - v) / R2, abs=1e-12)  # before its direction −1
        assert e.z["transfer"] == pytest.approx(v, abs=1e-12)
        assert e.summe == pytest.approx((2 + R2) * v, abs=1e-12)
        assert e.index == pytest.approx(v, abs=1e-12)
        assert e.klasse == KLASSE_VON_V[v], nr
    # some literal values, worked out on paper: district 1 has alq 9, kita 23, transfer 1
    assert got[1].z["alq"] == pytest.approx(-0.707107, abs=1e-6)
    assert got[1].z["kita"] == pytest.approx(2.121320, abs=1e-6)
    assert got[1].summe == pytest.approx(-6.828427, abs=1e-6)


def test_values_on_each_bound(status):
    got = units(status)
    # "hoch<-1<=mittel": -1 is not hoch but mittel
    assert [got[n].klasse for n in (3, 4, 5)] == ["mittel"] * 3
    # "mittel<=1<niedrig": 1 is still mittel
    assert [got[n].klasse for n in (16, 17, 18)] == ["mittel"] * 3
    # "niedrig<=1.5<sehr niedrig": 1.5 is niedrig (computed as 1.4999999999999998: rounded before classifying)
    assert got[19].klasse == "niedrig"
    assert got[2].klasse == "hoch"  # -1.5


def test_class_rule_both_ways_on_the_bound():
    k = parse_klassen(KLASSEN)
    assert [k.klasse(x) for x in (-1.0001, -1, 1, 1.0001, 1.5, 1.5001)] == [
        "hoch", "mittel", "mittel", "niedrig", "niedrig", "sehr niedrig"]
    mirrored = parse_klassen("unten<=-1<mitte<1<=oben")
    assert [mirrored.klasse(x) for x in (-1, -0.9999, 0.9999, 1)] == ["unten", "mitte", "mitte", "oben"]
    assert k.regel_text() == "hoch: x < −1; mittel: −1 ≤ x ≤ 1; niedrig: 1 < x ≤ 1,5; sehr niedrig: x > 1,5"
    assert mirrored.regel_text() == "unten: x ≤ −1; mitte: −1 < x < 1; oben: x ≥ 1"
    assert parse_klassen("a < −1,5 <= b").grenzen == (-1.5,)  # spaces, minus sign and decimal comma


def test_class_rule_with_the_other_side_on_the_data(zuordnung, daten):
    d = zuordnung.indizes["status"]
    import dataclasses

    e = compute_index(zuordnung, daten, dataclasses.replace(d, klassen=parse_klassen("unten<=-1<mitte<1<=oben")))
    got = units(e)
    assert [got[n].klasse for n in (1, 2, 3, 4, 5, 6)] == ["unten"] * 5 + ["mitte"]
    assert [got[n].klasse for n in (15, 16, 17, 18, 19, 20)] == ["mitte"] + ["oben"] * 5


@pytest.mark.parametrize(
    "spec,fragment",
    [
        ("hoch<1<=mittel<=0<niedrig", "aufsteigen"),
        ("hoch<1<=mittel<=1<niedrig", "aufsteigen"),
        ("<-1<=mittel", "Klassenname fehlt"),
        ("hoch<-1<=", "Klassenname fehlt"),
        ("hoch<-1<mittel", "genau eines"),
        ("hoch<=-1<=mittel", "genau eines"),
        ("hoch<x<=mittel", "keine Zahl"),
        ("hoch<<=mittel", "Grenze fehlt"),
        ("hoch>-1>=mittel", "nicht erlaubt"),
        ("hoch", "erwartet wird"),
        ("hoch<-1<=mittel<1", "erwartet wird"),
        ("a<-1<=b<=1<a", "zweimal"),
        ("", "leer"),
    ],
)
def test_class_rule_is_parsed_strictly(spec, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_klassen(spec)


def test_excluded_units_with_reasons(status):
    got = units(status)
    assert got[21].index is None and got[21].klasse is None
    assert got[21].ausschluss == ["einwohner 120 unter der Mindestzahl 300"]
    assert got[22].index is None and got[22].werte["alq"] is None  # missing is not zero
    assert got[22].ausschluss == ["Wert fehlt: alq (aus Datenschutzgründen unterdrückt)"]
    assert got[5].einwohner == 300 and got[5].eingeschlossen  # exactly the minimum is not below it
    assert [u.nr for u in status.ausgeschlossen] == [21, 22]
    assert any("nie als 0" in h for h in status.hinweise)


def test_without_minimum_the_small_unit_changes_everything(zuordnung, daten):
    import dataclasses

    d = dataclasses.replace(zuordnung.indizes["status"], mindest_einwohner=None)
    e = compute_index(zuordnung, daten, d)
    assert units(e)[21].index is not None
    assert e.kennwerte[0].anzahl == 21
    assert e.kennwerte[0].mittelwert == pytest.approx((200 + 40) / 21)  # Σ alq of the 20 is 200


def test_areas_population_weighted_by_hand(status):
    r = {x.raum: x for x in status.raeume}
    # Nord: districts 1–7 and half of 8: 2000+1000+1000+1000+300+1000+1000+500 = 7800 inhabitants;
    # hoch: 1 and 2 = 3000; index: (2000·−2 + 1000·−1.5 + 2000·−1 + 300·−1 + 2000·−0.5 + 500·−0.5) / 7800
    assert r["Nord"].gewicht == 7800 and r["Nord"].bezirke == 8 and r["Nord"].bezirke_mit_index == 8
    assert r["Nord"].anteile["hoch"] == pytest.approx(100 * 3000 / 7800)
    assert r["Nord"].anteile["mittel"] == pytest.approx(100 * 4800 / 7800)
    assert r["Nord"].mittlerer_index == pytest.approx(-9050 / 7800)
    # Mitte: half of 8 (500, −0.5), 9–12 (0), 13–14 (0.5): all mittel, (−250 + 500 + 500) / 6500
    assert r["Mitte"].gewicht == 6500 and r["Mitte"].anteile["mittel"] == pytest.approx(100)
    assert r["Mitte"].mittlerer_index == pytest.approx(750 / 6500)
    # Sued: 15 (0.5), 16–18 (1), 19 (1.5, niedrig), 20 (2, 500 inhabitants, sehr niedrig); 21 and 22 without index
    assert r["Sued"].gewicht == 5500 and r["Sued"].gewicht_ohne_index == 120 + 800
    assert r["Sued"].anteile == pytest.approx(
        {"hoch": 0, "mittel": 100 * 4000 / 5500, "niedrig": 100 * 1000 / 5500, "sehr niedrig": 100 * 500 / 5500})
    assert r["Sued"].mittlerer_index == pytest.approx((500 + 3000 + 1500 + 1000) / 5500)


def test_mean_instead_of_sum_divides_by_the_weights(zuordnung, daten):
    import dataclasses

    e = compute_index(zuordnung, daten, dataclasses.replace(zuordnung.indizes["status"], mittelwert=True))
    for nr, (v, _) in V_U.items():
        assert units(e)[nr].summe == pytest.approx((2 + R2) * v / 4, abs=1e-12)  # weights 1 + 1 + 2
        assert units(e)[nr].index == pytest.approx(v, abs=1e-12)  # re-standardised: the same index
    assert e.summe_kennwerte.standardabweichung == pytest.approx((2 + R2) / 4)


def test_weights_change_the_index_by_hand(zuordnung, daten):
    # alq with weight 2, kita with direction −1: sum = (2(v+u) + (v−u))/√2 = (3v+u)/√2;
    # Σ(3v+u)² = 9·20 + 20 = 200, so sd(sum) = √(200/20)/√2 = √5 and index = (3v+u)/√10
    d = IndexDefinition("w", "W", ("alq", "kita"), gewichte={"alq": 2}, richtungen={"kita": -1},
                        mindest_einwohner=("einwohner", 300))
    e = compute_index(zuordnung, daten, d)
    assert e.summe_kennwerte.standardabweichung == pytest.approx(math.sqrt(5))
    for nr, (v, u) in V_U.items():
        assert units(e)[nr].index == pytest.approx((3 * v + u) / math.sqrt(10), abs=1e-12)
    assert units(e)[1].index == pytest.approx(-1.581139, abs=1e-6)


def test_no_standardize_on_hand_built_z_values_gives_the_same_index(zuordnung, daten, write):
    # z-values built here from the raw file with the standard library, then fed back as input
    raw = {}
    for line in EINHEITEN.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split(";")
        raw[int(cells[0])] = cells
    keep = [nr for nr in raw if nr not in (21, 22)]
    cols = {"alq": 3, "kita": 4, "transfer": 5}
    z = {}
    for name, c in cols.items():
        xs = [float(raw[nr][c].replace(",", ".")) for nr in keep]
        m, s = statistics.fmean(xs), statistics.pstdev(xs)
        z[name] = {nr: (float(raw[nr][c].replace(",", ".")) - m) / s for nr in keep}
    lines = ["Nr;Bezirk;Einwohner;z_alq;z_kita;z_transfer"]  # z-values: not the mapping's (non-negative) indicators
    for nr, cells in raw.items():
        if nr in keep:
            lines.append(f"{cells[0]};{cells[1]};{cells[2]};" + ";".join(repr(z[n][nr]) for n in cols))
        else:
            lines.append(";".join(cells[:3]) + ";*;*;*")
    path = write("z.csv", "\n".join(lines) + "\n")
    import dataclasses

    d = dataclasses.replace(zuordnung.indizes["status"], indikatoren=("z_alq", "z_kita", "z_transfer"),
                            gewichte={"z_transfer": 2}, richtungen={"z_kita": -1}, standardisieren=False)
    e = compute_index(zuordnung, read_bezirksdaten(path, zuordnung), d)
    direct = compute_index(zuordnung, daten, zuordnung.indizes["status"])
    assert e.kennwerte == []
    for a, b in zip(e.einheiten, direct.einheiten):
        assert (a.index is None) == (b.index is None)
        if a.index is not None:
            assert a.index == pytest.approx(b.index, abs=1e-9) and a.klasse == b.klasse


def test_dynamic_index_over_two_years_by_hand(zuordnung):
    # index_reihe.csv: Δalq = −v + u, Δkita = v + u (direction −1), 2019 levels arbitrary;
    # mean of both changes 0, sd √2; sum = (−v+u)/√2 − (v+u)/√2 = −√2·v, so index = −v
    daten = read_bezirksdaten(REIHE, zuordnung)
    d = IndexDefinition("dyn", "Dynamik", ("alq", "kita"), richtungen={"kita": -1}, mindest_einwohner=("einwohner", 300),
                        klassen=parse_klassen(KLASSEN))
    e = compute_index(zuordnung, daten, d, von=2019, bis=2021)
    assert e.dynamisch and e.jahr is None
    k = {x.name: x for x in e.kennwerte}
    assert k["alq"].mittelwert == pytest.approx(0, abs=1e-12) and k["alq"].standardabweichung == pytest.approx(R2)
    assert k["kita"].mittelwert == pytest.approx(0, abs=1e-12) and k["kita"].standardabweichung == pytest.approx(R2)
    got = units(e)
    for nr, (v, u) in V_U.items():
        assert got[nr].werte["alq"] == pytest.approx(u - v)
        assert got[nr].z["alq"] == pytest.approx((u - v) / R2, abs=1e-12)
        assert got[nr].index == pytest.approx(-v, abs=1e-12)
        assert got[nr].klasse == KLASSE_VON_V[-v]
    assert got[1].werte["alq"] == 3  # 9 (2019) → 12 (2021)
    assert got[21].ausschluss == ["einwohner 120 unter der Mindestzahl 300"]  # the later year counts
    assert got[22].ausschluss == ["Wert fehlt: alq (2019: unbekannt oder geheim)"]


def test_dynamic_needs_years(zuordnung, daten):
    d = zuordnung.indizes["status"]
    with pytest.raises(InputError, match="Datei mit Jahren"):
        compute_index(zuordnung, daten, d, von=2019, bis=2021)
    reihe = read_bezirksdaten(REIHE, zuordnung)
    with pytest.raises(InputError, match="2018"):
        compute_index(zuordnung, reihe, IndexDefinition("x", "X", ("alq",)), von=2018, bis=2021)
    with pytest.raises(AufrufError, match="vor"):
        compute_index(zuordnung, reihe, IndexDefinition("x", "X", ("alq",)), von=2021, bis=2019)


def test_rate_of_the_mapping_is_computed_per_district(jena):
    # sgb2_quote = 100 × sgb2_personen / einwohner_unter_65, per district, then standardised
    daten = read_bezirksdaten(BEISPIEL, jena)
    e = compute_index(jena, daten, IndexDefinition("s", "S", ("sgb2_quote",), mindest_einwohner=("einwohner", 300)))
    rows = [line.split(";") for line in BEISPIEL.read_text(encoding="utf-8-sig").splitlines()[1:]]
    num = lambda t: float(t.replace(".", ""))  # noqa: E731
    quote = {int(r[0]): 100 * num(r[4]) / num(r[3]) for r in rows if int(r[0]) in jena.bezirke and num(r[2]) >= 300}
    m, s = statistics.fmean(quote.values()), statistics.pstdev(quote.values())
    got = units(e)
    for nr, q in quote.items():
        assert got[nr].werte["sgb2_quote"] == pytest.approx(q)
        assert got[nr].index == pytest.approx((q - m) / s)
    assert any("100 × sgb2_personen / einwohner_unter_65" in h for h in e.hinweise)


def test_unknown_indicator(zuordnung, daten):
    with pytest.raises(AufrufError, match="„gibtsnicht“ gibt es nicht. Vorhanden: einwohner, alq"):
        compute_index(zuordnung, daten, IndexDefinition("x", "X", ("gibtsnicht",)))


# ----------------------------------------------------------------------------- mapping


def test_index_in_the_mapping(zuordnung):
    d = zuordnung.indizes["status"]
    assert d.titel == "Statusindex" and d.indikatoren == ("alq", "kita", "transfer")
    assert d.gewichte == {"transfer": 2} and d.richtungen == {"kita": -1}
    assert d.mindest_einwohner == ("einwohner", 300) and d.klassen.namen == ("hoch", "mittel", "niedrig", "sehr niedrig")


@pytest.mark.parametrize(
    "replace,fragment,line",
    [
        ('klassen: "hoch<-1<=mittel<=1<niedrig<=1.5<sehr niedrig"', 'klassen: "hoch<1<=mittel<=-1<niedrig"', None),
        ("richtungen: {kita: -1}", "richtungen: {kita: 2}", None),
        ("gewichte: {transfer: 2}", "gewichte: {gibtsnicht: 2}", None),
        ("indikatoren: [alq, kita, transfer]", "indikatoren: []", None),
        ("mindest_einwohner: {einwohner: 300}", "mindest_einwohner: 300", None),
    ],
)
def test_mapping_errors_name_file_and_line(write, replace, fragment, line):
    text = MAPPING.read_text(encoding="utf-8")
    assert replace in text
    bad = text.replace(replace, fragment)
    expected_line = bad.splitlines().index(next(x for x in bad.splitlines() if fragment in x)) + 1
    path = write("bad.yaml", bad)
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    assert exc.value.zeile == expected_line
    assert str(exc.value).startswith(f"{path}, Zeile {expected_line}: Index „status“")


# ----------------------------------------------------------------------------- command line


def test_cli_table_in_german(run):
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--scheme", "bereiche", "--format", "table")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Statusindex – index_einheiten.csv" in out
    assert "│ 01  │ Anger       │" in out and "-0,71" in out and "-6,83" in out and "sehr niedrig" in out
    assert "Arbeitslosenquote (alq): Mittelwert 10,0000, Standardabweichung 1,4142, Richtung +1, Gewicht 1" in out
    assert "hoch: x < −1; mittel: −1 ≤ x ≤ 1; niedrig: 1 < x ≤ 1,5; sehr niedrig: x > 1,5" in out
    assert "Ohne Index: 21 Kleinhausen – einwohner 120 unter der Mindestzahl 300" in out
    assert "38,5 %" in out and "-1,16" in out and "gewichtet mit Einwohner der Bezirke mit Index" in out
    assert r.stderr == ""


def test_cli_options_equal_the_mapping_definition(run):
    a = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--format", "csv")
    b = run("index", EINHEITEN, "--config", MAPPING, "-i", "alq", "-i", "kita", "-i", "transfer",
            "--weight", "transfer=2", "--direction", "kita=-1", "--min-population", "einwohner=300",
            "--classes", KLASSEN, "--format", "csv")
    assert a.exit_code == 0 and b.exit_code == 0, b.stderr
    assert a.stdout == b.stdout
    lines = a.stdout.splitlines()
    assert lines[0] == "ebene,code,bezirk,alq,alq_z,kita,kita_z,transfer,transfer_z,summe,index,klasse,einwohner,ausschluss"
    assert lines[1] == "bezirk,01,Anger,9,-0.707107,23,2.12132,1,-2.0,-6.828427,-2.0,hoch,2000,"
    assert lines[22] == "bezirk,22,Weidenau,,,18,,4,,,,,800,Wert fehlt: alq (aus Datenschutzgründen unterdrückt)"
    assert "Hinweis: Ohne Index: 21 Kleinhausen" in a.stderr


def test_cli_json_is_traceable(run):
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--scheme", "bereiche", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    m = doc["methode"]
    assert [(i["name"], i["mittelwert"], i["standardabweichung"], i["richtung"], i["gewicht"]) for i in m["indikatoren"]] == [
        ("alq", 10.0, 1.414214, 1, 1), ("kita", 20.0, 1.414214, -1, 1), ("transfer", 5.0, 2.0, 1, 2)]
    assert m["summe"] == {"mittelwert": 0.0, "standardabweichung": 3.414214, "anzahl_bezirke": 20}
    assert m["klassen"]["regel"] == KLASSEN
    assert m["klassen"]["grenzen"] == [
        {"wert": -1.0, "gehoert_zu": "mittel"}, {"wert": 1.0, "gehoert_zu": "mittel"}, {"wert": 1.5, "gehoert_zu": "niedrig"}]
    assert doc["ausgeschlossen"] == [
        {"code": "21", "bezirk": "Kleinhausen", "gruende": ["einwohner 120 unter der Mindestzahl 300"]},
        {"code": "22", "bezirk": "Weidenau", "gruende": ["Wert fehlt: alq (aus Datenschutzgründen unterdrückt)"]},
    ]
    assert doc["raeume"][0]["raum"] == "Nord" and doc["raeume"][0]["anteil_hoch"] == round(100 * 3000 / 7800, 6)
    assert m["gewicht_raeume"] == "einwohner"


def test_cli_xlsx_metadaten(run, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "index.xlsx"
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--scheme", "bereiche", "--output", out)
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["Bezirke", "Räume", "Metadaten"]
    meta = {row[0]: row[1] for row in wb["Metadaten"].iter_rows(values_only=True)}
    assert "Mittelwert 10.0; Standardabweichung 1.414214" in meta["Indikator Arbeitslosenquote"]
    assert meta["Summe"] == "Mittelwert 0.0; Standardabweichung 3.414214"
    assert "11" not in meta["Ohne Index"] and "Weidenau" in meta["Ohne Index"]
    assert wb["Bezirke"]["A4"].value == "01" and wb["Bezirke"]["J4"].value == -2  # below title, source, header


def test_cli_dynamic(run):
    r = run("index", REIHE, "--config", MAPPING, "-i", "alq", "-i", "kita", "--direction", "kita=-1",
            "--min-population", "einwohner=300", "--change", "2019-2021", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("bezirk,01,Anger,3,2.12132,-1,-0.707107,2.828427,2.0,")


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--classes", "hoch<1<=mittel<=0<niedrig"], "--classes: Klassenregel"),
        (["--weight", "alq"], "MERKMAL=WERT"),
        (["--weight", "alq=0"], "größer als 0"),
        (["--direction", "alq=2"], "1 oder -1"),
        (["--weight", "gibtsnicht=2"], "kein Indikator"),
        (["--change", "2019"], "bitte zwei Jahre angeben"),
        (["--min-population", "einwohner=viele"], "keine Zahl"),
        (["--scheme", "gibtsnicht"], "Schema „gibtsnicht“"),
        (["--index", "status"], "entweder --index oder --indicator"),
    ],
)
def test_cli_usage_errors_exit_2(run, args, fragment):
    r = run("index", EINHEITEN, "--config", MAPPING, "-i", "alq", *args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Fehler: ") and fragment in r.stderr


def test_cli_needs_indicators(run):
    r = run("index", EINHEITEN, "--config", MAPPING)
    assert r.exit_code == 2 and "--indicator" in r.stderr
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "gibtsnicht")
    assert r.exit_code == 2 and "Vorhanden: status" in r.stderr


def test_cli_on_the_household_file(run):
    r = run("index", HAUSHALTE, "-i", "privathaushalte", "--change", "2011-2016",
            "--min-population", "privathaushalte=100", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["methode"]["dynamisch"] == {"von": 2011, "bis": 2016}
    assert len(doc["bezirke"]) == 41


def test_console_script_exit_codes_and_streams():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sozialraum"
    if not script.exists():
        pytest.skip("console script not installed")
    env = {**os.environ, "COLUMNS": "200"}
    ok = subprocess.run([str(script), "index", str(EINHEITEN), "--config", str(MAPPING), "--index", "status"],
                        capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ebene,code,bezirk,")  # a pipe gets csv
    assert "Hinweis: Ohne Index: 22 Weidenau" in ok.stderr
    bad = subprocess.run([str(script), "index", str(EINHEITEN), "--config", str(MAPPING), "-i", "alq",
                          "--classes", "hoch<-1<mittel"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("Fehler: --classes: Klassenregel „hoch<-1<mittel“: An der Grenze -1 muss genau eines")


# ----------------------------------------------------------------------------- profile and map


JENA_INDEX = """
indizes:
  sgb2:
    titel: "SGB-II-Index"
    indikatoren: [sgb2_quote]
    mindest_einwohner: {einwohner: 300}
    klassen: "hoch<-1<=mittel<=1<niedrig<=1.5<sehr niedrig"
"""


@pytest.fixture
def jena_mit_index(write):
    from sozialraum_cli.mapping import default_mapping_path

    return write("jena.yaml", default_mapping_path().read_text(encoding="utf-8") + JENA_INDEX)


def test_profile_shows_the_class(jena_mit_index):
    from sozialraum_cli.geo import load_geometrie
    from sozialraum_cli.profile import build_profiles

    z = load_mapping(jena_mit_index)
    daten = read_bezirksdaten(BEISPIEL, z)
    result = build_profiles(z, z.schema("sozialraeume"), daten, load_geometrie(), raeume=["Lobeda"])
    html = result.profile[0].html
    assert "SGB-II-Index: Klasse (Index)" in html
    assert "sehr niedrig (1,74)" in html  # 61 Lobeda-Altstadt, as in the README example



def test_profile_skips_an_index_the_file_cannot_compute(jena_mit_index):
    from sozialraum_cli.profile import _index_classes

    z = load_mapping(jena_mit_index)
    assert _index_classes(z, read_bezirksdaten(HAUSHALTE, z), 2016) == []  # no sgb2_quote in it: no column, no error


def test_map_coloured_by_class(jena_mit_index, tmp_path, run):
    out = tmp_path / "karte.svg"
    r = run("map", BEISPIEL, "--config", jena_mit_index, "--index", "sgb2", "--scheme", "sozialraeume",
            "--width", "400", "--height", "300", "--output", out)
    assert r.exit_code == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "sehr niedrig: x &gt; 1,5" in svg and "ohne Index" in svg
    r = run("map", BEISPIEL, "--config", jena_mit_index, "--index", "gibtsnicht", "--output", tmp_path / "k.png")
    assert r.exit_code == 2 and "Vorhanden: sgb2" in r.stderr


def test_district_missing_in_the_file_and_unweighted_areas(zuordnung, write):
    lines = EINHEITEN.read_text(encoding="utf-8").splitlines()
    path = write("ohne20.csv", "\n".join(line for line in lines if not line.startswith("20;")) + "\n")
    d = IndexDefinition("x", "X", ("transfer",))  # transfer = 5 + 2v; 21 (30) and 22 (4) are in now
    e = compute_index(zuordnung, read_bezirksdaten(path, zuordnung), d, schema="bereiche")
    got = units(e)
    assert got[20].ausschluss == ["fehlt in der Datei"] and got[20].index is None
    xs = [5 + 2 * v for nr, (v, _) in V_U.items() if nr != 20] + [30, 4]
    m, s = statistics.fmean(xs), statistics.pstdev(xs)
    assert got[21].index == pytest.approx((30 - m) / s)
    # no population column: every district counts once; Sued has 15–19, 21, 22 with index (20 is missing)
    sued = {r.raum: r for r in e.raeume}["Sued"]
    assert sued.gewicht == 7 and sued.gewicht_ohne_index == 1 and sued.bezirke_mit_index == 7
    assert any("nach der Zahl ihrer Bezirke gewichtet" in h for h in e.hinweise)


def test_cli_mean_and_no_standardize(run):
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--mean", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    # district 1: sum (2+√2)·(−2) divided by the weights 1 + 1 + 2
    assert r.stdout.splitlines()[1].endswith(",-1.707107,-2.0,hoch,2000,")
    # raw values taken as z-values: sum = (10+v+u) − (20−v+u) + 2·(5+2v) = 6v, so the index is v again
    r = run("index", EINHEITEN, "--config", MAPPING, "--index", "status", "--no-standardize", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[1] == "bezirk,01,Anger,9,9.0,23,23.0,1,1.0,-12.0,-2.0,hoch,2000,"
    assert r.stdout.splitlines()[20] == "bezirk,20,Uferweg,13,13.0,19,19.0,9,9.0,12.0,2.0,sehr niedrig,500,"


def test_profile_under_disclosure_shows_no_index(jena_mit_index):
    """The index is a function of district values; with --min-count it could give back suppressed counts."""
    from sozialraum_cli.geo import load_geometrie
    from sozialraum_cli.profile import build_profiles

    z = load_mapping(jena_mit_index)
    daten = read_bezirksdaten(BEISPIEL, z)
    result = build_profiles(z, z.schema("planungsraeume"), daten, load_geometrie(), raeume=["Ortschaften"], min_count=5)
    assert "Klasse (Index)" not in result.profile[0].html


def test_index_map_draws_names_as_text(run, write, tmp_path):
    """A Raum named like TeX ($…$) is drawn as text on the index map too (one matplotlib set-up for all maps)."""
    from sozialraum_cli.mapping import default_mapping_path

    text = default_mapping_path().read_text(encoding="utf-8").replace("      Lobeda:", '      "$\\\\frac$ Lobeda":') + JENA_INDEX
    mapping = write("tex.yaml", text)
    r = run("map", BEISPIEL, "--config", mapping, "--index", "sgb2", "--scheme", "sozialraeume", "--output", tmp_path / "k.png")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "k.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
