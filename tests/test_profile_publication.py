"""Profiles a committee accepts (issue 16): header, sections, city comparison, bars, area, overview,
relative links in HTML and PDF, exact chart ticks, A4 print.

Numbers are computed here from the raw file data/raw/beispiel_2021.csv: Sozialraum Lobeda is
the districts 61, 62, 63, 100, 131, 132, 133 (config/districts.yaml).
"""

from __future__ import annotations

import csv
import html
import re
import subprocess
import tempfile

import pytest
from conftest import BEISPIEL, HAUSHALTE, MINI

from sozialraum_cli.profile import find_chromium

LOBEDA = [61, 62, 63, 100, 131, 132, 133]
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium fehlt (.ci/run installiert es, wo es geht)")


def de(x: float, places: int = 0) -> str:
    return f"{x:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def column(name: str) -> dict[int, float]:
    with open(BEISPIEL, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    head = [h.strip() for h in rows[0]]
    col = head.index(name)
    return {int(r[0]): float(r[col].replace(".", "")) for r in rows[1:]}


def text_of(path) -> str:
    t = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg).*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)))
    return " ".join(t.split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from typer.testing import CliRunner

    from sozialraum_cli.cli.app import app

    out = tmp_path_factory.mktemp("p") / "profile"
    r = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--scheme", "sozialraeume", "--all", "--output", str(out),
                                 "--stand", "31.12.2021", "--source", "Stadt Jena, Fachdienst Statistik", "--quiet"])
    assert r.exit_code == 0, r.output
    return out


def test_header_names_area_scheme_date_and_source(pages):
    text = text_of(pages / "profil-lobeda.html")
    assert "Sozialraumprofil Lobeda" in text
    assert "Raum Lobeda Gliederung 5 Sozialräume Stand 31.12.2021 Quelle Stadt Jena, Fachdienst Statistik" in text


def test_without_stand_the_page_says_what_to_add(run, tmp_path):
    r = run("profile", BEISPIEL, "--area", "Lobeda", "--output", tmp_path / "o", "--quiet")
    assert r.exit_code == 0, r.output
    text = text_of(tmp_path / "o" / "profil-lobeda.html")
    assert "Stand nicht angegeben (mit --stand nennen)" in text and "laut Datei" not in text


def test_sections_from_the_mapping_in_order(pages):
    page = (pages / "profil-lobeda.html").read_text(encoding="utf-8")
    heads = re.findall(r"<h2>(.*?)</h2>", page)
    assert heads[:3] == ["Lage", "Bevölkerung", "Soziale Lage"]
    assert "Wohnen" not in heads  # the file has no households: an empty section is left out


def test_mapping_without_sections_has_one_default_section(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("Nr.;Bezirk;einwohner\n1;Altstadt;10\n2;Neustadt;20\n3;Oberdorf;30\n4;Unterdorf;40\n", encoding="utf-8")
    geo = tmp_path / "g.geojson"
    # four unit squares (metres), one per district
    feats = ",".join(
        f'{{"type":"Feature","properties":{{"id":{i + 1}}},"geometry":{{"type":"Polygon","coordinates":'
        f'[[[{11.0 + i * 0.01},50.0],[{11.01 + i * 0.01},50.0],[{11.01 + i * 0.01},50.01],[{11.0 + i * 0.01},50.01],[{11.0 + i * 0.01},50.0]]]}}}}'
        for i in range(4))
    geo.write_text(f'{{"type":"FeatureCollection","features":[{feats}]}}', encoding="utf-8")
    r = run("profile", data, "--config", MINI, "--geometry", geo, "--output", tmp_path / "o", "--quiet", "--all")
    assert r.exit_code == 0, r.output
    page = next((tmp_path / "o").glob("profil-*.html")).read_text(encoding="utf-8")
    assert "<h2>Kennzahlen</h2>" in page


def test_city_comparison_deviation_and_rank(pages):
    sgb2, u65 = column("sgb2_personen"), column("Einwohner unter 65 Jahren")
    area = 100 * sum(sgb2[n] for n in LOBEDA) / sum(u65[n] for n in LOBEDA)
    city = 100 * sgb2[0] / u65[0]
    d = round(area, 1) - round(city, 1)
    text = text_of(pages / "profil-lobeda.html")
    expected = f"SGB-II-Quote {de(area, 1)} % {de(city, 1)} % 1 von 5 +{de(area - city, 1)} Pp. (Index {de(100 * area / city)})"
    assert expected in text, (expected, d)


def test_bar_chart_of_all_areas_highlights_this_one(pages):
    page = (pages / "profil-lobeda.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="[^"]*" role="img" aria-label="(.*?)">(.*?)</svg>', page, re.S)
    einwohner = next(body for label, body in charts if html.unescape(label).startswith("Einwohner je Raum"))
    bars = re.findall(r'<rect [^>]*fill="(#[0-9A-Fa-f]+)"', einwohner)
    assert len(bars) == 5 and bars.count("#0072B2") == 1  # five Räume, Lobeda highlighted
    ew = column("Einwohner")
    label = html.unescape(next(label for label, _ in charts if html.unescape(label).startswith("Einwohner je Raum")))
    assert f"Lobeda: {de(sum(ew[n] for n in LOBEDA))}" in label  # the text alternative names every value


def test_area_and_density_from_the_geometry(pages):
    from sozialraum_cli.geo import load_geometrie

    geo = load_geometrie()
    km2 = sum(geo.polygone[n].area for n in LOBEDA) / 1e6  # UTM metres
    ew = sum(column("Einwohner")[n] for n in LOBEDA)
    text = text_of(pages / "profil-lobeda.html")
    assert f"Fläche: {de(km2, 1)} km²; Einwohner je km²: {de(ew / km2)}" in text


def test_overview_is_a_ranked_table_with_a_map(pages):
    page = (pages / "index.html").read_text(encoding="utf-8")
    text = text_of(pages / "index.html")
    ew = column("Einwohner")
    # ranked by Einwohner: West/Zentrum has the most (summed over its 13 districts)
    order = re.findall(r'<a href="profil-[a-z-]+\.html">([^<]+)</a></td>', page)
    assert order[0] == "West/Zentrum" and len(order) == 5
    assert f"Stadt Jena 41 {de(ew[0])}" in text
    assert 'role="img" aria-label="Karte der Räume' in page and "<svg" in page


def test_chart_ticks_are_exact():
    from sozialraum_cli.karte import series_svg

    svg = series_svg([2010, 2011, 2012, 2013], {"A": [100.0, 103.0, 105.0, 107.5], "B": [100.0, 101.0, 102.0, 104.0]}, "x")
    labels = [t for t in re.findall(r">([0-9.,]+)</text>", svg) if not re.fullmatch(r"20\d\d", t)]
    values = [float(t.replace(".", "").replace(",", ".")) for t in labels]
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    assert len(values) >= 3 and len(steps) == 1  # evenly spaced labels: each label is its gridline's value
    step = steps.pop()
    assert step in (0.5, 1, 2, 5, 10)


@needs_chromium
def test_pdf_links_are_relative_and_resolve(run, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    r = run("profile", BEISPIEL, "--scheme", "sozialraeume", "--area", "Lobeda", "--area", "Nord", "--format", "pdf",
            "--output", out, "--quiet")
    assert r.exit_code == 0, r.output
    seen = 0
    for pdf in sorted(out.glob("*.pdf")):
        reader = PdfReader(pdf)  # still a valid PDF after the links were rewritten
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                uri = annot.get_object()["/A"]["/URI"]
                assert "://" not in uri and not uri.startswith("/"), uri
                assert (out / uri).exists(), uri
                seen += 1
    assert seen >= 2 + 2  # index → both profiles (list and table), each profile → index


@needs_chromium
def test_chromium_screenshot_of_a_profile(pages, tmp_path):
    shot = tmp_path / "profil.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
                        f"--screenshot={shot}", "--window-size=900,1400", (pages / "profil-lobeda.html").resolve().as_uri()],
                       capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_development_is_shown_under_disclosure_and_counted(run, tmp_path):
    """Households 2006–2016 by Planungsraum with N = 4000: Ortschaften (2.886–3.101) is hidden in every
    year and in its change; the page still shows the development, and its note counts every "*"."""
    out = tmp_path / "p"
    r = run("profile", HAUSHALTE, "-s", "planungsraeume", "--year", "2016", "--area", "Ortschaften", "--area", "Lobeda",
            "--min-count", "4000", "--output", out, "--quiet")
    assert r.exit_code == 0, r.output
    for name in ("profil-ortschaften.html", "profil-lobeda.html"):
        page = html.unescape((out / name).read_text(encoding="utf-8"))
        assert "<h2>Entwicklung</h2>" in page or name == "profil-ortschaften.html"
        stars = sum(c.strip() == "*" for c in re.findall(r"<td[^>]*>(.*?)</td>", page))
        stars += sum(c.strip() == "*" for c in re.findall(r"<text[^>]*>(.*?)</text>", page))
        change = re.search(r"Veränderung \d{4}–\d{4}: (.*?)</p>", page)
        if change:
            stars += sum(tok.strip("();.") == "*" for tok in change[1].split())
        noted = [int(p) + int(s) for p, s in re.findall(r"Unterdrückt: (\d+) Zellen primär, (\d+) sekundär", " ".join(page.split()))]
        assert noted == [stars], name
    lobeda = text_of(out / "profil-lobeda.html")
    assert "2016 13.948 61.012" in lobeda  # Lobeda's and the city's households in 2016 (see test_profile)
