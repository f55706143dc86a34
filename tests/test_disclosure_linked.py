"""Disclosure control over everything one command publishes (issue 13).

The attacker here is written independently of the library: the test reads the district values
straight from the CSV, turns what a command wrote into equations with its own code and the
mapping, and asks scipy's LP for the interval of every small value. Expectations come from the
data (e.g. Ilmnitz has 3 SGB-II persons), never from the program's output.
"""

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app

from conftest import BEISPIEL

N_DEFAULT = 5


def run(*args):
    r = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})
    return r


def districts(column: str = "sgb2_personen") -> dict:
    """{district nr: value} straight from the CSV (German thousands dots); 999 = not assignable, 0 = total."""
    with open(BEISPIEL, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    col = rows[0].index(column)
    return {int(r[0]): float(r[col].replace(".", "")) for r in rows[1:]}


# ----------------------------------------------------------------------------- independent attacker


class Attacker:
    """Equations over district unknowns (999 = not assignable); LP bounds with scipy directly."""

    def __init__(self, mapping):
        self.m = mapping
        self.eq: list[tuple[dict, float]] = []

    def area(self, schema: str, raum: str) -> dict:
        if raum == "Gesamt":
            return {nr: 1.0 for nr in [*self.m.bezirke, 999]}
        if raum == "nicht zugeordnet":
            return {999: 1.0}
        return dict(self.m.schema(schema).raum(raum).anteile)

    def crosswalk(self, a: str, b: str, ra: str, rb: str) -> dict:
        """Districts (with shares) of the crosswalk cell Raum ra of scheme a × Raum rb of scheme b."""
        if ra == "Gesamt" and rb == "Gesamt":
            return {nr: 1.0 for nr in self.m.bezirke}
        if ra == "Gesamt":
            return self.area(b, rb)
        if rb == "Gesamt":
            return self.area(a, ra)
        fb = self.area(b, rb)
        return {nr: s * fb[nr] for nr, s in self.area(a, ra).items() if nr in fb}

    def add(self, form: dict, value) -> None:
        if isinstance(value, (int, float)):
            self.eq.append((form, float(value)))

    def bounds(self, form: dict) -> tuple[float, float]:
        import numpy as np
        from scipy.optimize import linprog

        unknowns = sorted({u for f, _ in self.eq for u in f} | set(form))
        ix = {u: i for i, u in enumerate(unknowns)}
        a = np.zeros((len(self.eq), len(unknowns)))
        b = np.array([v for _, v in self.eq])
        for row, (f, _) in enumerate(self.eq):
            for u, c in f.items():
                a[row, ix[u]] = c
        c = np.zeros(len(unknowns))
        for u, k in form.items():
            c[ix[u]] = k
        lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        return lo.fun, (float("inf") if hi.status == 3 else -hi.fun)

    def leaks(self, truth: dict, n: int, p: float | None = None) -> dict:
        """Small district values (1..n−1) whose interval is narrower than the protection range."""
        p = n if p is None else p
        out = {}
        for nr, v in truth.items():
            if nr == 0 or not 0 < v < n:
                continue
            lo, hi = self.bounds({nr: 1.0})
            if hi < v + p - 1e-6 or lo > max(0.0, v - p) + 1e-6:
                out[nr] = (lo, hi)
        return out

    # readers of the outputs -------------------------------------------------
    def aggregate_json(self, doc: dict, column: str) -> None:
        for t in doc["tabellen"]:
            for rec in t["zeilen"]:
                if rec["raum"].startswith("Differenz"):
                    continue
                self.add(self.area(t["schema"], rec["raum"]), rec.get(column))

    def compare_json(self, doc: dict, column: str) -> None:
        a, b = doc["schema_a"]["name"], doc["schema_b"]["name"]
        for c in doc["ueberleitung"]:
            self.add(self.crosswalk(a, b, c["raum_a"], c["raum_b"]), c["wert"])
        for w in doc["wechsel"]:
            self.add({w["bezirk_nr"]: w["anteil"]}, w["wert"])
        for h in doc["hinweise"]:
            found = re.match(r"Die Zeile „nicht zugeordnet“ \(([\d.,]+)\)", h)
            if found:
                self.add({999: 1.0}, float(found[1]))
        for rec in doc["nebeneinander"]:
            for s, schema in (("a", a), ("b", b)):
                if rec["raum"] in self.m.schema(schema).raum_namen:
                    self.add(self.area(schema, rec["raum"]), rec.get(f"{column}_{s}"))

    def workbook(self, path, title: str) -> None:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        names = {s.titel[:31]: s.name for s in self.m.schemata.values()}
        meta = {r[0]: r[1] for r in wb["Metadaten"].iter_rows(values_only=True)}
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)][2:]  # below the title and source rows
            if ws.title == "Vergleich" and f"Wert: {title}" not in str(meta.get("Vergleich")):
                continue  # the crosswalk shows another count
            if ws.title in names:
                col = rows[0].index(title)
                for r in rows[1:]:
                    if r[0] and not str(r[0]).startswith("Differenz"):
                        self.add(self.area(names[ws.title], r[0]), r[col])
            elif ws.title == "Bezirke":
                col = rows[0].index(title)
                for r in rows[1:]:
                    self.add(self.area("", "Gesamt") if r[0] == 0 else {r[0]: 1.0}, r[col])
            elif ws.title == "Vergleich":
                ta, tb = str(rows[0][0]).split(" \\ ")
                a, b = names[ta], names[tb]
                for r in rows[1:]:
                    for rb, v in zip(rows[0][1:], r[1:]):
                        self.add(self.crosswalk(a, b, r[0], rb), v)


# ----------------------------------------------------------------------------- the core on hand-made publications


def test_two_tables_leak_what_each_protects_alone():
    """Districts a=3, b=40, c=20; an area table L={a,b}=43, M={c}=20 and a district list.
    Table by table the list hides a and the next smallest, c; then a = L − b = 3 exactly."""
    from sozialraum_cli.linked import Publikation, intervalle, schuetzen

    pub = Publikation()
    truth = {"a": 3.0, "b": 40.0, "c": 20.0}
    for k, v in truth.items():
        pub.add(("bezirk", k), "x", {k: 1.0}, v)
    pub.add(("liste", "gesamt"), "x", {"a": 1, "b": 1, "c": 1}, 63)
    pub.add(("raum", "L"), "x", {"a": 1, "b": 1}, 43)
    pub.add(("raum", "M"), "x", {"c": 1}, 20)
    # what the per-table rule hid: a (primary) and c (secondary) of the list
    lo, hi = intervalle(pub, {("bezirk", "a"), ("bezirk", "c")}, [("bezirk", "a")])[("bezirk", "a")]
    assert (lo, hi) == pytest.approx((3, 3))
    r = schuetzen(pub, 5)
    assert r.primaer == {("bezirk", "a")}
    (lo, hi), = intervalle(pub, r.verborgen, [("bezirk", "a")]).values()
    assert lo <= 0 + 1e-9 and hi >= 3 + 5 - 1e-9


def test_difference_of_two_schemes_is_protected():
    """Scheme X: {a,b}, {c}; scheme Y: {a}, {b,c} over a=2, b=50, c=60: no published cell is small
    in X, but Y's {a} is; and X {a,b} − Y {b,c} + X {c} = a. The district unknowns are protected too."""
    from sozialraum_cli.linked import Publikation, intervalle, schuetzen

    pub = Publikation()
    forms = {"x1": {"a": 1, "b": 1}, "x2": {"c": 1}, "y1": {"a": 1}, "y2": {"b": 1, "c": 1}, "g": {"a": 1, "b": 1, "c": 1}}
    truth = {"a": 2, "b": 50, "c": 60}
    for k, f in forms.items():
        pub.add(k, "x", f, sum(truth[u] * c for u, c in f.items()))
    pub.add_bezirke("x", truth, None)
    r = schuetzen(pub, 5)
    assert "y1" in r.primaer
    for key in r.primaer:
        (lo, hi), = intervalle(pub, r.verborgen, [key]).values()
        v = pub.zellen[key].wert
        assert hi >= v + 5 - 1e-6 and lo <= max(0, v - 5) + 1e-6


def test_published_zero_pins_its_neighbour():
    """Area {k, l} = 4 with l = 0 published in a list: k = 4 although only the area was hidden."""
    from sozialraum_cli.linked import Publikation, intervalle, schuetzen

    pub = Publikation()
    pub.add("area", "x", {"k": 1, "l": 1}, 4)
    pub.add("l", "x", {"l": 1}, 0)
    pub.add("m", "x", {"m": 1}, 30)
    pub.add("total", "x", {"k": 1, "l": 1, "m": 1}, 34)
    r = schuetzen(pub, 5)
    (lo, hi), = intervalle(pub, r.verborgen, ["area"]).values()
    assert hi >= 9 - 1e-6 and lo <= 1e-6
    assert "l" in r.verborgen or "m" in r.verborgen or "total" in r.verborgen


# ----------------------------------------------------------------------------- the leaks of the issue, on the bundled data


def test_export_sheets_do_not_give_away_ilmnitz(tmp_path, jena):
    out = tmp_path / "e.xlsx"
    assert run("export", BEISPIEL, "--min-count", 5, "-o", out).exit_code == 0
    att = Attacker(jena)
    att.workbook(out, "SGB-II-Personen")
    truth = districts()
    assert truth[133] == 3  # Ilmnitz
    lo, hi = att.bounds({133: 1.0})
    assert hi >= 3 + 5 and lo == pytest.approx(0)
    assert att.leaks(truth, 5) == {}


def test_compare_crosswalk_is_not_recovered_from_side_by_side(tmp_path, jena):
    out = tmp_path / "c.json"
    r = run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--value", "sgb2_personen", "--min-count", 5, "-o", out)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    att = Attacker(jena)
    att.compare_json(doc, "sgb2_personen")
    truth = districts()
    assert att.leaks(truth, 5) == {}
    # Ortschaften × Nord = Kunitz + Laasan = 4 (Planungsraum Nord 786 vs Sozialraum Nord 790)
    kunitz_laasan = {191: 1.0, 192: 1.0}
    lo, hi = att.bounds(kunitz_laasan)
    assert hi >= 4 + 5
    assert not any("(1)" in h for h in doc["hinweise"])  # "nicht zugeordnet (1)" is not printed


def test_both_schemes_together(tmp_path, jena):
    out = tmp_path / "a.json"
    assert run("aggregate", BEISPIEL, "--scheme", "all", "--min-count", 5, "-o", out).exit_code == 0
    att = Attacker(jena)
    att.aggregate_json(json.loads(out.read_text(encoding="utf-8")), "sgb2_personen")
    truth = districts()
    assert att.leaks(truth, 5) == {}
    lo, hi = att.bounds({191: 1.0, 192: 1.0})  # Kunitz + Laasan = 4: Sozialraum Nord − Planungsraum Nord
    assert hi >= 9


def test_rates_do_not_recover_hidden_counts(tmp_path):
    """Without a count column, 5,5556 % × 18 / 100 = 1 person: a rate over a small numerator is hidden."""
    out = tmp_path / "q.json"
    r = run("aggregate", BEISPIEL, "--value", "einwohner_unter_65", "--value", "sgb2_quote", "--min-count", 5, "-o", out)
    assert r.exit_code == 0, r.output
    for t in json.loads(out.read_text(encoding="utf-8"))["tabellen"]:
        for rec in t["zeilen"]:
            if rec.get("sgb2_quote") is not None and rec.get("einwohner_unter_65") is not None:
                persons = rec["sgb2_quote"] * rec["einwohner_unter_65"] / 100
                assert not 0.5 < persons < 4.5, rec["raum"]
    assert "0 Zellen primär" not in r.output


def test_stars_are_counted_per_kind():
    r = run("aggregate", BEISPIEL, "--scheme", "all", "--min-count", 5, "--format", "table")
    assert r.exit_code == 0
    for block in r.stdout.split("\n\n"):
        if "Unterdrückt:" not in block:
            continue
        body = block.split("Rang nach")[0]
        found = re.search(r"Unterdrückt: (\d+)\s+Zellen? primär, (\d+) sekundär", block.replace("\n", " "))
        assert body.count("*") == int(found[1]) + int(found[2])
        assert int(found[1]) > 0


def test_compare_stars_match_the_note():
    r = run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--value", "sgb2_personen", "--min-count", 5,
            "--format", "table")
    assert r.exit_code == 0
    text = r.stdout
    found = re.search(r"Unterdrückt: (\d+)\s+Zellen? primär, (\d+) sekundär", text.replace("\n", " "))
    shown = sum(line.count("*") for line in text.splitlines() if line.startswith("│")) + text.count("(*)")
    assert shown == int(found[1]) + int(found[2])


def test_hidden_sort_value_has_no_rank_and_neutral_order():
    r = run("aggregate", BEISPIEL, "--scheme", "planungsraeume", "--value", "sgb2_personen", "--ascending",
            "--min-count", 5, "--format", "json")
    rows = [x for x in json.loads(r.stdout)["tabellen"][0]["zeilen"] if x["anzahl_bezirke"] and x["raum"] != "Gesamt"]
    hidden = [x for x in rows if x["sgb2_personen"] is None]
    shown = [x for x in rows if x["sgb2_personen"] is not None]
    assert hidden and all(x["rang"] is None for x in hidden)
    assert [x["rang"] for x in shown] == list(range(1, len(shown) + 1))  # no gap where a hidden row was
    assert rows[-len(hidden):] == sorted(hidden, key=lambda x: x["raum"])


def test_trend_has_min_count(tmp_path):
    from conftest import HAUSHALTE

    r = run("trend", HAUSHALTE, "--scheme", "planungsraeume", "--min-count", 3000, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["tabellen"][0]["zeilen"]
    ort = next(x for x in rows if x["raum"] == "Ortschaften")
    assert ort["2006"] is None and ort["veraenderung"] is None  # 2.671 households < 3.000


def test_audit_finds_the_old_leak_and_passes_the_new_output(tmp_path, write, jena):
    """A hand-made JSON as the per-table rule wrote it: Sozialraum Nord 790 − Planungsraum Nord 786."""
    out = tmp_path / "a.json"
    assert run("aggregate", BEISPIEL, "--scheme", "all", "--min-count", 5, "-o", out).exit_code == 0
    ok = run("audit", out, "--data", BEISPIEL)
    assert ok.exit_code == 0, ok.output
    assert "alle Zellen geschützt" in ok.stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    for t in doc["tabellen"]:  # publish every area: now the differences of the two schemes give districts away
        for rec in t["zeilen"]:
            rec["sgb2_personen"] = None if rec["raum"] == "nicht zugeordnet" else rec["sgb2_personen"]
    truth = districts()
    fill = {"sozialraeume": jena.schema("sozialraeume"), "planungsraeume": jena.schema("planungsraeume")}
    for t in doc["tabellen"]:
        for rec in t["zeilen"]:
            if rec["raum"] in fill[t["schema"]].raum_namen:
                rec["sgb2_personen"] = sum(truth[nr] * a for nr, a in fill[t["schema"]].raum(rec["raum"]).anteile.items())
    leaky = write("leaky.json", json.dumps(doc))
    bad = run("audit", leaky, "--data", BEISPIEL)
    assert bad.exit_code == 1
    assert "NICHT geschützt" in bad.stdout
    assert "Bezirk 191 (Kunitz)" in bad.stdout  # Sozialraum Nord − Planungsraum Nord = Kunitz + Laasan = 4
    blind = run("audit", leaky, "--min-count", 5)  # without the data: Kunitz lies in [0; 4] anyway
    assert blind.exit_code == 1 and "Bezirk 191 (Kunitz)" in blind.stdout


@pytest.mark.parametrize("n", [3, 5, 10, 100])
def test_every_writing_command_passes_the_lp_audit(n, tmp_path, jena):
    """aggregate (json, xlsx), compare (json) and export (xlsx) at N: no small value narrower than N."""
    truth = districts()
    a_json, a_xlsx, c_json, e_xlsx = (tmp_path / f for f in ("a.json", "a.xlsx", "c.json", "e.xlsx"))
    assert run("aggregate", BEISPIEL, "--min-count", n, "-o", a_json).exit_code == 0
    assert run("aggregate", BEISPIEL, "--min-count", n, "-o", a_xlsx).exit_code == 0
    assert run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--value", "sgb2_personen", "--min-count", n,
               "-o", c_json).exit_code == 0
    assert run("export", BEISPIEL, "--min-count", n, "-o", e_xlsx).exit_code == 0
    for reader in (
        lambda att: att.aggregate_json(json.loads(a_json.read_text(encoding="utf-8")), "sgb2_personen"),
        lambda att: att.workbook(a_xlsx, "SGB-II-Personen"),
        lambda att: att.compare_json(json.loads(c_json.read_text(encoding="utf-8")), "sgb2_personen"),
        lambda att: att.workbook(e_xlsx, "SGB-II-Personen"),
    ):
        att = Attacker(jena)
        reader(att)
        assert att.leaks(truth, n) == {}
    for f in (a_json, a_xlsx, c_json, e_xlsx):  # the program's own audit agrees, file by file
        r = run("audit", f, "--data", BEISPIEL)
        assert r.exit_code == 0, r.stdout[-2000:]


def test_audit_as_installed_script(tmp_path):
    """One real run of the console script: exit 1 and a German line on stderr for a leaking pair."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "sozialraum"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    a = tmp_path / "a.json"
    assert run("aggregate", BEISPIEL, "--scheme", "all", "--min-count", 5, "-o", a).exit_code == 0
    r = subprocess.run([str(script), "audit", str(a), "--data", str(BEISPIEL)], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"}, timeout=60)
    assert r.returncode == 0 and "alle Zellen geschützt" in r.stdout and r.stderr == ""
    r = subprocess.run([str(script), "audit", str(a), "--data", str(BEISPIEL), "--protection", "5000"],
                       capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith("Fehler:") and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_export_years_keep_leutra_and_laasan_hidden_every_year(tmp_path, jena):
    """Households 2006–2016 at N = 100: Leutra (49–57) and Laasan (21–26) came back for every year."""
    from conftest import HAUSHALTE

    out = tmp_path / "h.xlsx"
    assert run("export", HAUSHALTE, "--years", "2006-2016", "--min-count", 100, "-o", out).exit_code == 0
    with open(HAUSHALTE, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    years = {int(h[-4:]): k for k, h in enumerate(rows[0]) if h[-4:].isdigit()}
    for year in range(2006, 2017):
        truth = {int(r[1]): float(r[years[year]]) for r in rows[1:] if r[years[year]]}
        att = Attacker(jena)
        att.workbook(out, f"Privathaushalte {year}")
        for nr in (142, 192):
            assert 0 < truth[nr] < 100
            lo, hi = att.bounds({nr: 1.0})
            assert hi >= truth[nr] + 100 and lo == pytest.approx(0), (year, nr, lo, hi)
        assert att.leaks(truth, 100) == {}


def test_audit_refuses_what_it_cannot_check(tmp_path):
    """Fresh-eyes review: a wrong --data file and a trend output were 'all protected' with 0 cells checked."""
    from conftest import HAUSHALTE, MINI

    run = CliRunner()
    out = tmp_path / "sr.json"
    assert run.invoke(app, ["aggregate", str(BEISPIEL), "-s", "sozialraeume", "--min-count", "5", "-o", str(out)]).exit_code == 0
    r = run.invoke(app, ["audit", str(out), "--data", str(HAUSHALTE)])
    assert r.exit_code == 1 and "Die Datendatei enthält „einwohner“ nicht" in r.stderr
    trend = tmp_path / "tr.json"
    assert run.invoke(app, ["trend", str(HAUSHALTE), "-s", "planungsraeume", "--min-count", "3000", "-o", str(trend)]).exit_code == 0
    r = run.invoke(app, ["audit", str(trend), "--data", str(HAUSHALTE)])  # every year of trend: protected
    assert r.exit_code == 0 and "Ergebnis: alle Zellen geschützt." in r.stdout
    assert re.search(r"Geprüft: [1-9]\d* Zellen", r.stdout)
    r = run.invoke(app, ["audit", str(out), "--config", str(MINI)])  # written with another mapping
    assert r.exit_code == 1 and "Schema „sozialraeume“ gibt es nicht" in r.stderr and "Interner Fehler" not in r.stderr
    renamed = tmp_path / "anders.yaml"  # same scheme, other Raum names
    from sozialraum_cli.mapping import default_mapping_path

    renamed.write_text(default_mapping_path().read_text(encoding="utf-8").replace("Lobeda:", "Lobeda-Süd:"), encoding="utf-8")
    r = run.invoke(app, ["audit", str(out), "--config", str(renamed)])
    assert r.exit_code == 1 and "mit einer anderen Zuordnung geschrieben" in r.stderr and "Interner Fehler" not in r.stderr


@pytest.mark.parametrize("n", [300, 3000])
def test_trend_passes_the_lp_audit_every_year(n, tmp_path, jena):
    """trend --min-count over the household file 2006–2016: for every year, the independent attacker finds
    no small district value narrower than N, and audit (now reading trend outputs) agrees. Without
    --min-count the same attacker recovers 2 (N = 300) and 16 (N = 3000) district values in 2016."""
    from conftest import HAUSHALTE

    out = tmp_path / "t.json"
    assert run("trend", HAUSHALTE, "--min-count", n, "-o", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    with open(HAUSHALTE, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for year in range(2006, 2017):
        truth = {int(r["statistischer_Bezirk_Nr"]): float(r[f"31.12.{year}"]) for r in rows}
        att = Attacker(jena)
        for t in doc["tabellen"]:
            for rec in t["zeilen"]:
                if not rec["raum"].startswith("Differenz"):
                    att.add(att.area(t["schema"], rec["raum"]), rec.get(str(year)))
        assert att.leaks(truth, n) == {}, year
    r = run("audit", out, "--data", HAUSHALTE)
    assert r.exit_code == 0 and "Ergebnis: alle Zellen geschützt." in r.stdout


@pytest.mark.parametrize("n", [3, 5, 10, 100])
def test_map_publication_passes_the_lp_audit(n, jena):
    """A map (PNG) cannot be read back; what `map --compare --value sgb2_personen --min-count N` colours is
    protected as if every coloured area published its exact value. The independent attacker gets those
    exact values for both schemes together and finds no small district value narrower than N."""
    from sozialraum_cli.aggregate import aggregate
    from sozialraum_cli.publication import protect
    from sozialraum_cli.reading import read_bezirksdaten

    daten = read_bezirksdaten(BEISPIEL, jena)
    schemata = ["sozialraeume", "planungsraeume"]  # the map's --compare pair, as cli/map.py builds it
    tabellen = [aggregate(jena, s, daten, merkmale=["sgb2_personen"]) for s in schemata]
    tabellen = protect(jena, daten, tabellen, n).ergebnisse
    att = Attacker(jena)
    for t in tabellen:
        for row in t.zeilen:
            value = row.wert("sgb2_personen")
            if row.art == "raum" and value is not None:
                att.add(att.area(t.schema.name, row.raum), float(value))
            if row.art == "gesamt" and value is not None:
                att.add(att.area(t.schema.name, "Gesamt"), float(value))
    assert att.leaks(districts(), n) == {}


def _profile_equations(att: Attacker, folder, schema: str, column_title: str = "SGB-II-Personen") -> None:
    """The test's own reading of profile pages: the Raum's and the city's value, and each district's."""
    import html as htmlmod

    def cells(tr: str) -> list[str]:
        return [htmlmod.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]

    def number(text: str):
        text = text.strip()
        return None if not text or text[0] in "*.≥" else float(text.replace(".", "").split()[0])

    for page in sorted(folder.glob("profil-*.html")):
        text = page.read_text(encoding="utf-8")
        raum = htmlmod.unescape(re.search(r"<h1>Sozialraumprofil (.*?)</h1>", text)[1])
        for table in re.findall(r"<table.*?</table>", text, re.S):
            rows = [cells(tr) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
            if rows[0][:2] == ["Merkmal", raum]:
                for row in rows[1:]:
                    if row[0] == column_title:
                        att.add(att.area(schema, raum), number(row[1]))
                        att.add(att.area(schema, "Gesamt"), number(row[3]))
            elif rows[0][0] == "Bezirk":
                col = rows[0].index(column_title)
                for row in rows[1:]:
                    att.add({int(row[0].split()[0]): 1.0}, number(row[col]))


@pytest.mark.parametrize("n", [3, 5, 10, 100])
def test_profile_set_passes_the_lp_audit(n, tmp_path, jena):
    """profile --all --min-count N: an independent reading of every page leaks no small value; audit agrees."""
    folder = tmp_path / "p"
    assert run("profile", BEISPIEL, "-s", "planungsraeume", "--all", "--min-count", n, "-o", folder).exit_code == 0
    att = Attacker(jena)
    _profile_equations(att, folder, "planungsraeume")
    assert att.leaks(districts(), n) == {}
    r = run("audit", *sorted(folder.glob("*.html")), "--data", BEISPIEL)
    assert r.exit_code == 0 and "Ergebnis: alle Zellen geschützt." in r.stdout


def test_audit_finds_the_leak_of_two_profile_sets(tmp_path, jena):
    """Two profile runs (one per scheme) each protect themselves; together they give small counts back.
    The independent attacker and audit both see it."""
    folders = {s: tmp_path / s for s in ("planungsraeume", "sozialraeume")}
    att = Attacker(jena)
    for schema, folder in folders.items():
        assert run("profile", BEISPIEL, "-s", schema, "--all", "--min-count", 5, "-o", folder).exit_code == 0
        _profile_equations(att, folder, schema)
    assert att.leaks(districts(), 5) != {}
    pages = [p for f in folders.values() for p in sorted(f.glob("*.html"))]
    r = run("audit", *pages, "--data", BEISPIEL)
    assert r.exit_code == 1 and "NICHT geschützt" in r.stdout
