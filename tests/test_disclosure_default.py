"""Disclosure control is on by default (issue 16): the mapping's rule, `--min-count` over it, `--no-disclosure`.

Known from the file: in data/raw/beispiel_2021.csv the row 999 ("nicht zugeordnet") has 1 SGB-II
person, so the bundled rule (counts 1 and 2 hidden) must hide it in every output without any option.
"""

from __future__ import annotations

import html

import pytest
from conftest import BEISPIEL, HAUSHALTE, check_profile_pages, table_stars
from conftest import noted as _noted

from sozialraum_cli.errors import MappingError
from sozialraum_cli.mapping import load_mapping

OFF = "Geheimhaltung ausgeschaltet (--no-disclosure)"


def _row(text: str, raum: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith("│") and f" {raum} " in line)
    return [c.strip() for c in line.split("│")[1:-1]]


def test_bundled_mapping_holds_the_rule_with_its_source(jena):
    assert jena.geheimhaltung.min_count == 3
    assert "Bundesagentur für Arbeit" in jena.geheimhaltung.quelle


def test_mapping_without_the_section_has_no_default(mini):
    assert mini.geheimhaltung is None


@pytest.mark.parametrize("section, fragment", [
    ("geheimhaltung: 3\n", "muss eine Zuordnung sein"),
    ("geheimhaltung: {min_count: 1}\n", "ganze Zahl ab 2"),
    ("geheimhaltung: {min_count: drei}\n", "ganze Zahl ab 2"),
    ("geheimhaltung: {min_count: 3, schwelle: 4}\n", "kennt „schwelle“ nicht"),
])
def test_a_bad_rule_is_an_error_with_its_line(tmp_path, section, fragment):
    from conftest import MINI

    text = MINI.read_text(encoding="utf-8")
    path = tmp_path / "z.yaml"
    path.write_text(text + "\n" + section, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert fragment in str(info.value)
    assert f"Zeile {len(text.splitlines()) + 2}" in str(info.value)


def test_aggregate_hides_small_counts_without_any_option(run):
    r = run("aggregate", BEISPIEL, "-s", "sozialraeume", "--value", "sgb2_personen", "--format", "table")
    assert r.exit_code == 0, r.output
    assert _row(r.stdout, "nicht zugeordnet")[-2:] == ["*", "*"]  # count 1 and its share
    (noted,) = _noted(r.stdout)
    assert noted == table_stars(r.stdout) >= 2
    assert "Anzahlen von 1 bis 2" in " ".join(r.stdout.split())


def test_no_disclosure_shows_everything_and_says_so(run):
    r = run("aggregate", BEISPIEL, "-s", "sozialraeume", "--value", "sgb2_personen", "--no-disclosure", "--format", "table")
    assert r.exit_code == 0, r.output
    assert _row(r.stdout, "nicht zugeordnet")[3] == "1"
    assert table_stars(r.stdout) == 0 and not _noted(r.stdout)
    assert OFF in " ".join(r.stdout.split())
    r = run("aggregate", BEISPIEL, "-s", "sozialraeume", "--no-disclosure", "--format", "csv")
    assert r.exit_code == 0 and OFF in r.stderr


def test_min_count_overrides_the_mapping(run):
    r = run("aggregate", HAUSHALTE, "--year", "2016", "-s", "planungsraeume", "--min-count", "4000", "--format", "table")
    assert r.exit_code == 0
    # Ortschaften has 3.101 households in 2016: below 4.000, above the mapping's 3
    assert _row(r.stdout, "Ortschaften")[3] == "*"
    r = run("aggregate", HAUSHALTE, "--year", "2016", "-s", "planungsraeume", "--format", "table")
    assert _row(r.stdout, "Ortschaften")[3] == "3.101"


def test_min_count_and_no_disclosure_together_are_a_usage_error(run):
    r = run("aggregate", BEISPIEL, "--min-count", "5", "--no-disclosure")
    assert r.exit_code == 2 and "entweder --min-count oder --no-disclosure" in r.stderr


def test_compare_default(run):
    r = run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--value", "sgb2_personen", "--format", "table")
    assert r.exit_code == 0, r.output
    (noted,) = _noted(r.stdout)
    # the table cells, and the value of the row "nicht zugeordnet" (1 person) in its note: "(*)"
    assert "Die Zeile „nicht zugeordnet“ (*)" in r.stdout
    assert noted == table_stars(r.stdout) + 1 > 1
    r = run("compare", "planungsraeume", "sozialraeume", BEISPIEL, "--value", "sgb2_personen", "--no-disclosure",
            "--format", "table")
    assert table_stars(r.stdout) == 0 and OFF in " ".join(r.stdout.split())


def test_trend_default_and_off(run):
    r = run("trend", HAUSHALTE, "-s", "planungsraeume", "--years", "2014-", "--format", "table")
    assert r.exit_code == 0, r.output
    (noted,) = _noted(r.stdout)  # the rule is stated even when nothing is this small
    assert noted == table_stars(r.stdout)
    r = run("trend", HAUSHALTE, "-s", "planungsraeume", "--years", "2014-", "--no-disclosure", "--format", "table")
    assert OFF in " ".join(r.stdout.split()) and not _noted(r.stdout)


def test_export_default_empties_what_no_disclosure_shows(run, tmp_path):
    from openpyxl import load_workbook

    shown, default = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path, extra in ((shown, ["--no-disclosure"]), (default, [])):
        r = run("export", BEISPIEL, "--scheme", "all", "--output", path, *extra)
        assert r.exit_code == 0, r.output

    def cells(path):
        wb = load_workbook(path)
        meta = " ".join(str(c.value) for row in wb["Metadaten"].iter_rows() for c in row if c.value)
        return {(ws.title, c.coordinate): c.value for ws in wb if ws.title != "Metadaten"
                for row in ws.iter_rows() for c in row}, meta

    before, meta_shown = cells(shown)
    after, meta = cells(default)
    emptied = [k for k, v in before.items() if isinstance(v, (int, float)) and after.get(k) is None]
    (noted,) = _noted(meta)
    assert noted == len(emptied) > 0
    assert OFF in meta_shown and not _noted(meta_shown)


def test_profile_default_and_off(run, tmp_path):
    out = tmp_path / "p"
    r = run("profile", BEISPIEL, "--scheme", "planungsraeume", "--all", "--output", out, "--quiet")
    assert r.exit_code == 0, r.output
    assert check_profile_pages(sorted(out.glob("profil-*.html"))) > 0
    off = tmp_path / "q"
    r = run("profile", BEISPIEL, "--scheme", "planungsraeume", "--area", "Ortschaften", "--no-disclosure",
            "--output", off, "--quiet")
    assert r.exit_code == 0, r.output
    assert OFF in html.unescape((off / "profil-ortschaften.html").read_text(encoding="utf-8"))


def test_map_default_hides_and_off_says_so(run, tmp_path, monkeypatch):
    from sozialraum_cli import karte

    seen = []
    monkeypatch.setattr(karte, "draw_map", lambda geo, schemata, **kw: seen.append(kw) or b"")
    for extra in ([], ["--no-disclosure"]):
        r = run("map", BEISPIEL, "-s", "planungsraeume", "--rate", "sgb2_quote", "--output", tmp_path / "k.png",
                "--force", *extra)
        assert r.exit_code == 0, r.output
    hidden, shown = seen
    # the rate of Ortschaften is hidden with the row "nicht zugeordnet" (1 person): see README, aggregate
    assert "Ortschaften" in hidden["werte"][0].unvollstaendig and hidden["zusatz"] is None
    assert "Ortschaften" not in shown["werte"][0].unvollstaendig and OFF in shown["zusatz"]


def test_records_sum_needs_no_disclosure(run, tmp_path):
    path = tmp_path / "faelle.csv"
    path.write_text("bezirk;schaden\n11;10\n12;5\n", encoding="utf-8")
    r = run("aggregate", path, "--records", "--code-column", "bezirk", "--sum", "schaden")
    assert r.exit_code == 2 and "--no-disclosure" in r.stderr
    r = run("aggregate", path, "--records", "--code-column", "bezirk", "--sum", "schaden", "--no-disclosure",
            "--format", "csv")
    assert r.exit_code == 0, r.output
