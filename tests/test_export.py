"""export: the Excel summary read back with openpyxl, reproducibility, safety, LibreOffice."""

import csv
import hashlib
import re
import shutil
import subprocess
from collections import defaultdict

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app
from sozialraum_cli.jahre import parse_years
from sozialraum_cli.errors import AufrufError

from conftest import BEISPIEL, HAUSHALTE, REFERENZ, ROOT

YEARS = range(2010, 2017)


def raw():
    """Household counts per district and year, and the city total, straight from the file."""
    with open(HAUSHALTE, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    values = {int(r["statistischer_Bezirk_Nr"]): {y: int(r[f"31.12.{y}"]) for y in YEARS} for r in rows}
    return values


def area_sums(grouping):
    with open(REFERENZ, encoding="utf-8") as f:
        area = {int(r["bezirk_nr"]): r[grouping] for r in csv.DictReader(f)}
    values = raw()
    sums = defaultdict(lambda: defaultdict(int))
    for nr, raum in area.items():
        for y in YEARS:
            sums[raum][y] += values[nr][y]
    return sums


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("x") / "haushalte.xlsx"
    r = run("export", HAUSHALTE, "--years", "2010-2016", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    return out


def sheet_rows(ws):
    """The table of a sheet: below its title row and source row (issue 16)."""
    return list(ws.iter_rows(values_only=True))[2:]


@pytest.mark.parametrize("sheet,grouping", [("6 Planungsräume", "planungsraum"), ("5 Sozialräume", "sozialraum")])
def test_scheme_sheets_hold_every_number(workbook, sheet, grouping):
    wb = load_workbook(workbook)
    ws = wb[sheet]
    header, *rows = sheet_rows(ws)
    assert header[:5] == ("Raum", "Bezirke", "Privathaushalte 2010", "Anteil Privathaushalte 2010 (%)", "Rang 2010")
    assert header[-1] == "Status"
    sums = area_sums(grouping)
    totals = {y: raw()[0][y] for y in YEARS}
    by_area = {r[0]: r for r in rows}
    for raum, per_year in sums.items():
        row = by_area[raum]
        for k, y in enumerate(YEARS):
            value, share, rank = row[2 + 3 * k : 5 + 3 * k]
            assert value == per_year[y]
            assert share == pytest.approx(100 * per_year[y] / totals[y])
            assert rank == 1 + sum(1 for other in sums.values() if other[y] > per_year[y])
    gesamt = by_area["Gesamt"]
    assert [gesamt[2 + 3 * k] for k in range(len(YEARS))] == [totals[y] for y in YEARS]
    # rows are in the rank order of the last year
    assert [r[0] for r in rows[: len(sums)]] == sorted(sums, key=lambda a: -sums[a][2016])
    # title and source rows, real numbers with formats, bold frozen header, autofilter over the areas
    assert ws["A1"].value.startswith(f"{sheet} – privathaushalte_2006-2016.csv – Stand 2010–2016") and ws["A1"].font.b
    assert ws["A2"].value.startswith("Quelle: ") and "privathaushalte_2006-2016.csv" in ws["A2"].value
    assert ws["C4"].data_type == "n" and ws["C4"].number_format == "#,##0"
    assert ws["D4"].number_format == "0.0"
    assert ws["A3"].font.b and ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:{ws.cell(3, ws.max_column).column_letter}{3 + len(sums)}"
    # seven year blocks do not fit one A4 width at 8 pt: a fixed scale (never below 8 pt of the 10 pt cells),
    # pages side by side, the names and title rows on every page
    assert ws.page_setup.orientation == "landscape" and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert 80 <= ws.page_setup.scale <= 100
    assert ws.print_title_rows.replace("$", "") == "1:3" and ws.print_title_cols.replace("$", "") == "A:A"
    assert "&P" in ws.oddFooter.right.text and "&F" in ws.oddFooter.left.text


def test_district_sheet(workbook):
    ws = load_workbook(workbook)["Bezirke"]
    header, *rows = sheet_rows(ws)
    assert header == ("Nr.", "Bezirk", "Ortsteil", "5 Sozialräume", "6 Planungsräume", *(f"Privathaushalte {y}" for y in YEARS))
    values = raw()
    assert len(rows) == 41 + 2
    for row in rows:
        assert list(row[5:]) == [values[row[0]][y] for y in YEARS]
    ilmnitz = next(r for r in rows if r[0] == 133)
    assert ilmnitz[1:5] == ("Ilmnitz", "Ilmnitz", "Lobeda", "Ortschaften")


def test_comparison_sheet(workbook):
    header, *rows = sheet_rows(load_workbook(workbook)["Vergleich"])
    assert header == ("5 Sozialräume \\ 6 Planungsräume", "West/Zentrum", "Lobeda", "Nord", "Ost", "Winzerla", "Ortschaften", "Gesamt")
    by_area = {r[0]: r[1:] for r in rows}
    assert by_area["Lobeda"] == (0, 13948, 0, 0, 0, 365 + 206, 14519)
    assert by_area["Gesamt"][-1] == 61012


def test_metadata(workbook):
    wb = load_workbook(workbook)
    meta = dict(sheet_rows(wb["Metadaten"])[1:])
    assert meta["Eingabedatei 1 SHA-256"] == hashlib.sha256(HAUSHALTE.read_bytes()).hexdigest()
    assert meta["Zuordnung SHA-256"] == hashlib.sha256((ROOT / "config" / "districts.yaml").read_bytes()).hexdigest()
    assert meta["Jahr(e)"] == "2010–2016"
    assert meta["Abgleich Privathaushalte 2016"] == "stimmt (61.012)"
    # relative file names (the tests run from the project folder), the bundled mapping by name
    assert meta["Eingabedatei 1"] == "data/raw/privathaushalte_2006-2016.csv"
    assert meta["Zuordnung"] == "districts.yaml (mitgeliefert)"
    # the document date is the data's reference date: 31.12. of the last year
    assert wb.properties.created.date().isoformat() == "2016-12-31"
    assert "31.12.2016" in meta["Erstellt"]
    assert meta["Programm"].startswith("sozialraum ")
    assert "years=2010-2016" in meta["Aufruf"]
    assert wb.properties.title == "Sozialräumliche Übersicht 2010–2016"
    assert "6 Planungsräume" in wb.properties.subject


def test_same_inputs_give_identical_bytes(workbook, tmp_path):
    again = tmp_path / "haushalte.xlsx"
    shutil.copy(workbook, again)
    r = run("export", HAUSHALTE, "--years", "2010-2016", "--output", again, "--force")
    assert r.exit_code == 0
    assert again.read_bytes() == workbook.read_bytes()
    stamped = tmp_path / "mit_zeit.xlsx"
    assert run("export", HAUSHALTE, "--years", "2010-2016", "-o", stamped, "--timestamp").exit_code == 0
    assert load_workbook(stamped).properties.created.year >= 2024


def test_refuses_to_overwrite_without_force(workbook, tmp_path):
    target = tmp_path / "vorhanden.xlsx"
    target.write_bytes(b"alt")
    r = run("export", HAUSHALTE, "-o", target)
    assert r.exit_code == 1 and "Die Ausgabedatei gibt es schon" in r.stderr
    assert target.read_bytes() == b"alt"


def test_bad_input_leaves_no_file(tmp_path, write):
    bad = write("kaputt.csv", "nr,einwohner\n11,5\n11,6\n")
    out = tmp_path / "summary.xlsx"
    r = run("export", bad, "-o", out)
    assert r.exit_code == 1 and "steht zweimal" in r.stderr
    assert list(tmp_path.iterdir()) == [bad]


def test_quiet_prints_nothing(tmp_path):
    r = run("export", BEISPIEL, "-o", tmp_path / "q.xlsx", "--quiet")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
    r = run("export", HAUSHALTE, "-o", tmp_path / "laut.xlsx")
    assert "Hinweis: Kein --year angegeben" in r.stderr and "Geschrieben:" in r.stderr


def test_missing_values_are_empty_and_explained(tmp_path, write):
    text = BEISPIEL.read_text(encoding="utf-8-sig").replace("133;Ilmnitz;", "133;Ilmnitz;*;").replace("*;451;", "*;")
    src = write("geheim.csv", text)
    out = tmp_path / "g.xlsx"
    assert run("export", src, "-o", out, "--scheme", "sozialraeume").exit_code == 0
    wb = load_workbook(out)
    rows = {r[0]: r for r in sheet_rows(wb["5 Sozialräume"])}
    assert rows["Lobeda"][2] is None and rows["Lobeda"][3] is None  # incomplete: empty, never 0
    assert rows["Lobeda"][-1] == "unvollständig"
    assert rows["Winzerla"][2] is not None
    bezirke = {r[0]: r for r in sheet_rows(wb["Bezirke"])[1:]}
    assert bezirke[133][4] is None
    meta = [v for k, v in sheet_rows(wb["Metadaten"]) if k == "Fehlender Wert"]
    assert meta == ["Bezirk 133 (Ilmnitz), einwohner: aus Datenschutzgründen unterdrückt"]


def test_several_files_are_joined(tmp_path, write):
    lines = BEISPIEL.read_text(encoding="utf-8-sig").splitlines()
    first = write("ew.csv", "\n".join(";".join(l.split(";")[:4]) for l in lines) + "\n")
    second = write("sgb2.csv", "\n".join(";".join(l.split(";")[:2] + l.split(";")[4:]) for l in lines) + "\n")
    out = tmp_path / "zwei.xlsx"
    r = run("export", first, second, "-o", out)
    assert r.exit_code == 0, r.stderr
    single = tmp_path / "eins.xlsx"
    assert run("export", BEISPIEL, "-o", single).exit_code == 0
    a, b = load_workbook(out), load_workbook(single)
    for name in ("5 Sozialräume", "6 Planungsräume", "Bezirke", "Vergleich"):
        assert sheet_rows(a[name]) == sheet_rows(b[name])
    meta = dict(sheet_rows(a["Metadaten"])[1:])
    assert meta["Eingabedatei 2 SHA-256"] == hashlib.sha256(second.read_bytes()).hexdigest()
    conflict = write("konflikt.csv", "\n".join(lines[:3] + [lines[3].replace(";1.713;", ";1.714;")]) + "\n")
    r = run("export", BEISPIEL, conflict, "-o", tmp_path / "k.xlsx")
    assert r.exit_code == 1 and "mit verschiedenen Werten für Bezirk 12" in r.stderr


def test_aggregate_and_compare_write_xlsx(tmp_path):
    out = tmp_path / "a.xlsx"
    assert run("aggregate", BEISPIEL, "-s", "planungsraeume", "-o", out).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["6 Planungsräume", "Abgleich", "Metadaten"]
    rows = {r[0]: r for r in sheet_rows(wb["6 Planungsräume"])}
    assert rows["Gesamt"][2] == 108141
    # the file's total row 108.141 / 82.669 / 5.307 equals the sum of its districts (hand-checked)
    abgleich = [r[2:] for r in sheet_rows(wb["Abgleich"])[1:]]
    assert abgleich == [("Gesamt", "Einwohner", 108141, 108141, 0, 0, "stimmt", None),
                        ("Gesamt", "Einwohner unter 65", 82669, 82669, 0, 0, "stimmt", None),
                        ("Gesamt", "SGB-II-Personen", 5307, 5307, 0, 0, "stimmt", None)]
    meta = dict(sheet_rows(wb["Metadaten"])[1:])
    assert meta["Merkmal SGB-II-Quote"].startswith("neu berechnet aus „SGB-II-Personen“ und „Einwohner unter 65“ × 100")
    out = tmp_path / "c.xlsx"
    assert run("compare", "planungsraeume", "sozialraeume", "-o", out).exit_code == 0
    rows = {r[0]: r for r in sheet_rows(load_workbook(out)["Vergleich"])}
    assert rows["Ortschaften"][1:] == (2, 2, 8, 2, 2, 16)
    r = run("aggregate", BEISPIEL, "-f", "xlsx")
    assert r.exit_code == 2 and "xlsx braucht --output" in r.stderr


@pytest.mark.parametrize("text,years", [("2010-2016", list(range(2010, 2017))), ("2016", [2016]), ("2012–2013", [2012, 2013])])
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_year_options(tmp_path):
    with pytest.raises(AufrufError):
        parse_years("2016-2010")
    r = run("export", HAUSHALTE, "--years", "2000-2003", "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 1 and "Die Jahre 2000, 2001, 2002, 2003 gibt es in der Datei nicht" in r.stderr
    r = run("export", HAUSHALTE, "--years", "2010-2011", "--year", "2016", "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 2
    r = run("export", HAUSHALTE, "-o", tmp_path / "x.csv")
    assert r.exit_code == 2 and "Endung .xlsx" in r.stderr


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice fehlt (.ci/run installiert libreoffice-calc-nogui, wo es geht)")
def test_libreoffice_reads_the_workbook(workbook, tmp_path):
    profile = tmp_path / "profil"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    sheets = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert len(sheets) == 7, sheets
    planung = next(tmp_path.glob("*Planungsr*.csv"))
    with open(planung, encoding="utf-8") as f:
        rows = {r[0]: r for r in csv.reader(f)}
    sums = area_sums("planungsraum")
    for raum, per_year in sums.items():
        assert [int(rows[raum][2 + 3 * k]) for k in range(len(YEARS))] == [per_year[y] for y in YEARS]
    assert rows["Gesamt"][2 + 3 * 6] == "61012"


def test_development_sheet(workbook):
    header, *rows = sheet_rows(load_workbook(workbook)["Entwicklung"])
    assert header[:3] == ("Schema", "Raum", "Privathaushalte 2010")
    by = {(r[0], r[1]): r for r in rows}
    ort = by[("6 Planungsräume", "Ortschaften")]
    assert ort[2] == 2886 and ort[8] == 3101 and ort[9] == 215
    assert ort[10] == pytest.approx(100 * 215 / 2886)


def test_export_with_disclosure_control(tmp_path):
    out = tmp_path / "geheim.xlsx"
    r = run("export", HAUSHALTE, "--year", "2016", "--min-count", "4000", "-o", out)
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(out)
    rows = {r[0]: r for r in sheet_rows(wb["6 Planungsräume"])}
    assert rows["Ortschaften"][2] is None and rows["Ost"][2] is None
    # linked tables (issue 13): Sozialraum Nord − Planungsraum Nord would give the Ortschaften districts
    # in Nord (355 < 4.000), so Planungsraum Nord is hidden while Sozialraum Nord is published
    assert rows["Nord"][2] is None
    assert {r[0]: r for r in sheet_rows(wb["5 Sozialräume"])}["Nord"][2] == 11393
    bezirke = {r[0]: r for r in sheet_rows(wb["Bezirke"])[1:]}
    assert all(r[5] is None or r[5] >= 4000 for r in bezirke.values() if r[5] != 0)
    meta = [v for k, v in sheet_rows(wb["Metadaten"]) if k == "Hinweis" and v.startswith("Geheimhaltung")]
    assert len(meta) == 1 and "Anzahlen von 1 bis 3999" in meta[0]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice fehlt (.ci/run installiert libreoffice-calc-nogui, wo es geht)")
def test_printed_workbook_is_readable(workbook, tmp_path):
    """The workbook as LibreOffice prints it (PDF): every glyph at 8 pt or more, the title row on every page,
    the page footer with the file name and the page number."""
    from pypdf import PdfReader

    profile = tmp_path / "profil"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = PdfReader(tmp_path / "haushalte.pdf")
    assert len(pdf.pages) >= 7  # seven sheets, the wide ones on several pages
    titles = ("6 Planungsräume – ", "5 Sozialräume – ", "Bezirke – ", "Vergleich – ", "Entwicklung – ", "Abgleich – ", "Metadaten – ")
    for number, page in enumerate(pdf.pages, start=1):
        sizes: list[float] = []

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                # the size on paper: font size × the vertical scale of text and current matrices
                scale_tm = (tm[2] ** 2 + tm[3] ** 2) ** 0.5
                scale_cm = (cm[2] ** 2 + cm[3] ** 2) ** 0.5
                sizes.append(size * scale_tm * scale_cm)

        text = page.extract_text(visitor_text=visit)
        assert sizes, number
        assert min(sizes) >= 8 - 0.05, (number, min(sizes))
        assert any(t in text for t in titles), (number, text[:200])
        assert re.search(r"Seite \d+ von \d+", text), number  # the page footer
        if text.lstrip().startswith(("6 Planungsräume", "5 Sozialräume")):
            # year blocks are never split: each year's count, share and rank stand on the same page
            for y in range(2011, 2016):
                assert len(re.findall(rf"\b{y}\b", text)) in (0, 3), (number, y)
