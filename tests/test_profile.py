"""Profiles: figures checked against the raw household file, self-contained HTML, Chromium, PDF."""

import re
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app
from sozialraum_cli.geo import load_geometrie
from sozialraum_cli.profile import build_profiles, find_chromium
from sozialraum_cli.reading import read_bezirksdaten

from conftest import BEISPIEL, HAUSHALTE
from test_aggregate import raw_household_sums


def de(n: float, places: int = 0) -> str:
    return f"{n:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


class Checker(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "path", "use", "rect", "circle", "line", "stop", "polyline", "polygon", "ellipse"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.refs, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value:
                self.refs.append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value:
                self.refs.append(value)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(text: str) -> Checker:
    c = Checker()
    c.feed(text)
    c.close()
    assert text.startswith("<!DOCTYPE html>")
    assert c.errors == [] and c.stack == []
    external = [r for r in c.refs if not (r.startswith("#") or re.fullmatch(r"(index|profil-[a-z0-9-]+)\.html", r))]
    assert external == []  # no external resources: works offline
    assert "<link" not in text and "<script" not in text and "url(http" not in text
    return c


def plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def geo():
    return load_geometrie()


@pytest.mark.parametrize(
    "schema,grouping,areas",
    [("planungsraeume", "planungsraum", ["Lobeda", "Ortschaften"]), ("sozialraeume", "sozialraum", ["West/Zentrum", "Ost"])],
)
def test_profile_figures(jena, geo, schema, grouping, areas):
    daten = read_bezirksdaten(HAUSHALTE, jena)
    result = build_profiles(jena, jena.schema(schema), daten, geo, raeume=areas, jahr=2016)
    sums = raw_household_sums(2016, grouping)
    total = sum(sums.values())
    ranked = sorted(sums, key=lambda a: -sums[a])
    for p in result.profile:
        text = plain(" ".join(check_html(p.html).text))
        value, share = sums[p.raum], 100 * sums[p.raum] / total
        expected = f"Privathaushalte {de(value)} {de(share, 1)} % {de(total)} {ranked.index(p.raum) + 1} von {len(sums)}"
        assert expected in text
        # the reference date as the file's column header writes it (31.12.2016), never "laut Datei"
        assert f"Sozialraumprofil {p.raum}" in text and "Stand 31.12.2016" in text and "laut Datei" not in text
        # the series: first and last year of the area
        first = raw_household_sums(2006, grouping)[p.raum]
        assert f"2006 {de(first)} {de(56501)}" in text and f"2016 {de(value)} {de(total)}" in text
    index = plain(" ".join(check_html(result.index_html).text))
    assert all(f"Sozialraumprofil {a}" in index for a in areas)


def test_rates_and_district_table(jena, geo):
    daten = read_bezirksdaten(BEISPIEL, jena)
    result = build_profiles(jena, jena.schema("sozialraeume"), daten, geo, raeume=["Lobeda"])
    text = plain(" ".join(check_html(result.profile[0].html).text))
    assert "SGB-II-Quote 13,0 % 6,4 % 1 von 5" in text
    assert "133 Ilmnitz" in text and "Entwicklung" not in text  # one year only: no chart
    # the sources say how every indicator was treated
    assert "Einwohner: summiert." in text
    assert ("SGB-II-Quote: neu berechnet aus „SGB-II-Personen“ und „Einwohner unter 65“ × 100 (Summen je Raum); "
            "Personen mit SGB-II-Leistungen je 100 Einwohner unter 65 Jahren.") in text


def test_suppression_applies_to_everything_published(jena, geo):
    daten = read_bezirksdaten(HAUSHALTE, jena)
    result = build_profiles(jena, jena.schema("planungsraeume"), daten, geo, raeume=["Ortschaften"], jahr=2016, min_count=4000)
    text = plain(" ".join(check_html(result.profile[0].html).text))
    assert "Privathaushalte * * 61.012" in text
    assert "3.101" not in text and "365" not in text  # neither the area nor its districts
    assert "Anzahlen von 1 bis 3999" in text


def test_command_writes_files(tmp_path):
    r = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--scheme", "sozialraeume", "--all", "--output", str(tmp_path / "p")])
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert names == ["index.html", "profil-lobeda.html", "profil-nord.html", "profil-ost.html", "profil-west-zentrum.html", "profil-winzerla.html"]
    again = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--output", str(tmp_path / "p")])
    assert again.exit_code == 1 and "gibt es schon" in again.stderr
    bad = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--area", "Mitte", "--output", str(tmp_path / "q")])
    assert bad.exit_code == 2 and "Den Raum „Mitte“ gibt es im Schema „sozialraeume“ nicht" in bad.stderr


CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium fehlt (.ci/run installiert es, wo es geht)")


def chromium_text(path) -> str:
    with __import__("tempfile").TemporaryDirectory() as profile:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", path.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    body = dom.split("<body>", 1)[1]
    return plain(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)))


@needs_chromium
def test_chromium_renders_index_and_profile(tmp_path):
    out = tmp_path / "p"
    r = CliRunner().invoke(app, ["profile", str(HAUSHALTE), "--scheme", "planungsraeume", "--year", "2016", "--area", "Lobeda", "--output", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "Privathaushalte 13.948 22,9 % 61.012 2 von 6" in chromium_text(out / "profil-lobeda.html")
    assert "Sozialraumprofil Lobeda" in chromium_text(out / "index.html")


@needs_chromium
def test_pdf_output(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    r = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--area", "Lobeda", "--format", "pdf", "--output", str(out)])
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.pdf", "profil-lobeda.pdf"]
    reader = PdfReader(out / "profil-lobeda.pdf")
    pages = len(reader.pages)
    assert 2 <= pages <= 4  # Lage, the sections with their bar charts, the districts, the sources
    text = plain(" ".join(page.extract_text() for page in reader.pages))
    assert f"Seite 1 von {pages}" in text and f"Seite {pages} von {pages}" in text  # the A4 footer
    assert "Sozialraumprofil Lobeda" in text
    assert "Einwohner 25.838 23,9 % 108.141 2 von 5" in text
    assert "SGB-II-Quote 13,0 % 6,4 % 1 von 5" in text


def test_resources_section(tmp_path):
    from test_geo import write_points

    points = write_points(tmp_path)
    out = tmp_path / "r"
    r = CliRunner().invoke(app, ["profile", str(BEISPIEL), "--area", "Lobeda", "--resources", str(points),
                                 "--category", "Art", "--output", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "Nicht zugeordnet: orte.csv, Zeile 7: liegt auf der Grenze zwischen den Flächen 42 und 44" in r.stderr
    c = check_html((out / "profil-lobeda.html").read_text(encoding="utf-8"))
    text = plain(" ".join(c.text))
    # Lobeda holds 62 (Treff) and 133 (Werkstatt); 25.838 inhabitants in the example
    assert f"Treff 1 Werkstatt 1 alle 2 {de(1000 * 2 / 25838, 2)}" in text
    assert "Orte aus orte.csv" in text and "SHA-256" in text
