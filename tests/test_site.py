"""`sozialraum site` (issue 16): a static, self-contained, accessible website of the profiles.

Every page is checked with axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium: the script
is added to a copy of the page, its result written into the page and read back with --dump-dom.
axe-core comes from AXE_CORE_JS, .ci/node (`.ci/run` installs it with npm) or a global npm install;
without it (or without Chromium) the accessibility test is skipped with the reason.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import BEISPIEL, ROOT

from sozialraum_cli.profile import find_chromium

CHROMIUM = find_chromium()


def _axe() -> Path | None:
    candidates = [os.environ.get("AXE_CORE_JS", ""), str(ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"),
                  "/usr/share/nodejs/axe-core/axe.min.js", "/usr/lib/node_modules/axe-core/axe.min.js"]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


AXE = _axe()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from typer.testing import CliRunner

    from sozialraum_cli.cli.app import app

    out = tmp_path_factory.mktemp("s") / "website"
    r = CliRunner().invoke(app, ["site", str(BEISPIEL), "--scheme", "sozialraeume", "--stand", "31.12.2021", "--output", str(out),
                                 "--quiet"])
    assert r.exit_code == 0, r.output
    return out


def test_site_has_every_page_and_the_data(site):
    names = sorted(p.name for p in site.iterdir())
    assert names == ["daten.html", "index.html", "profil-lobeda.html", "profil-nord.html", "profil-ost.html",
                     "profil-west-zentrum.html", "profil-winzerla.html", "raeume.csv", "raeume.xlsx"]
    rows = list(csv.DictReader(io.StringIO((site / "raeume.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    lobeda = next(r for r in rows if r["raum"] == "Lobeda")
    assert lobeda["einwohner"] == "25838"  # the sum of its seven districts (see test_profile_publication)
    assert "geheim" in rows[0]  # disclosure control always applies to a website


def test_no_page_requests_anything_outside_the_folder(site):
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "<link" not in text, page.name
        assert all(u.startswith("#") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", text)), page.name  # SVG clip paths only
        assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:|//|/|file:)""", text), page.name
        for ref in re.findall(r"""(?:src|href)="([^"#]+)""", text):
            assert (site / html.unescape(ref)).is_file(), (page.name, ref)


def test_maps_and_charts_have_text_alternatives(site):
    page = (site / "profil-lobeda.html").read_text(encoding="utf-8")
    for block in re.findall(r"<div class=\"(?:karte|chart)\"[^>]*>", page):
        assert 'role="img"' in block and 'aria-label="' in block
    assert page.count('role="img" aria-label="Einwohner je Raum') == 1  # the bar chart, with its data


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium fehlt (.ci/run installiert es, wo es geht)")
@pytest.mark.skipif(AXE is None, reason="axe-core fehlt (AXE_CORE_JS setzen oder .ci/run: npm install axe-core)")
def test_every_page_passes_axe_core(site):
    from concurrent.futures import ThreadPoolExecutor

    pages = sorted(site.glob("*.html"))
    with ThreadPoolExecutor(max_workers=len(pages)) as pool:  # one Chromium per page, all at once
        results = list(pool.map(_axe_violations, pages))
    assert len(pages) == 7
    for page, violations in zip(pages, results):
        assert violations == [], page.name


def test_axe_runner_finds_a_violation(tmp_path):
    """The check itself works: a page without language, with an image without text, is reported."""
    if CHROMIUM is None or AXE is None:
        pytest.skip("Chromium oder axe-core fehlt")
    bad = tmp_path / "x.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><img src="a.png"></body></html>', encoding="utf-8")
    ids = {v["id"] for v in _axe_violations(bad)}
    assert {"html-has-lang", "image-alt"} <= ids


def _axe_violations(page: Path) -> list:
    with tempfile.TemporaryDirectory() as d, tempfile.TemporaryDirectory() as profile:
        d = Path(d)
        for f in page.parent.iterdir():
            if f.is_file():
                shutil.copy(f, d / f.name)
        shutil.copy(AXE, d / "axe.min.js")
        # the maps and the development chart are images (role="img" with a text alternative): their
        # thousands of drawn paths are not content, and checking them only costs time
        runner = ('<script src="axe.min.js"></script><script>axe.run({include: [["html"]], exclude: [[".karte svg"], '
                  '[".chart svg"]]}, {runOnly: {type: "tag", values: '
                  '["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => { const p = document.createElement("pre"); '
                  'p.id = "axe-ergebnis"; p.textContent = JSON.stringify(r.violations.map(v => ({id: v.id, '
                  'nodes: v.nodes.map(n => n.target)}))); document.body.appendChild(p); });</script>')
        text = (d / page.name).read_text(encoding="utf-8").replace("</body>", runner + "</body>")
        (d / page.name).write_text(text, encoding="utf-8")
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
             "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", (d / page.name).as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    found = re.search(r'<pre id="axe-ergebnis">(.*?)</pre>', dom, re.S)
    assert found, "axe-core lieferte kein Ergebnis"
    return json.loads(html.unescape(found.group(1)))
