"""Property tests (hypothesis) for the core invariants of aggregation."""


from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialraum_cli.aggregate import aggregate
from sozialraum_cli.reading import combine_bezirksdaten, read_bezirksdaten

NAMES = {1: "Altstadt", 2: "Neustadt", 3: "Oberdorf", 4: "Unterdorf"}
counts = st.integers(min_value=0, max_value=100_000)
district = st.tuples(counts, counts, counts)  # einwohner, einwohner_unter_65, sgb2_personen


def csv_text(rows: dict[int, tuple[int, int, int]], order: list[int], columns=(0, 1, 2)) -> str:
    names = ["einwohner", "einwohner_unter_65", "sgb2_personen"]
    head = "nr;name;" + ";".join(names[c] for c in columns)
    body = [f"{nr};{NAMES.get(nr, 'nicht zugeordnet')};" + ";".join(f"{rows[nr][c]:,}".replace(",", ".") for c in columns) for nr in order]
    return "\n".join([head, *body]) + "\n"


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({1: district, 2: district, 3: district, 4: district, 999: district}), st.randoms())
def test_invariants(tmp_path_factory, mini, rows, rnd):
    folder = tmp_path_factory.mktemp("p")
    order = list(rows)
    base = read_bezirksdaten(_write(folder / "a.csv", csv_text(rows, order)), mini)
    rnd.shuffle(order)
    shuffled = read_bezirksdaten(_write(folder / "b.csv", csv_text(rows, order)), mini)
    split = combine_bezirksdaten(
        [
            read_bezirksdaten(_write(folder / "c.csv", csv_text(rows, order, (0,))), mini),
            read_bezirksdaten(_write(folder / "d.csv", csv_text(rows, order[::-1], (1, 2))), mini),
        ]
    )
    for schema in ("stadt_land", "geteilt"):
        t = aggregate(mini, schema, base)
        areas = t.raeume
        total = t.zeile("Gesamt")
        nz = t.zeile("nicht zugeordnet") if t.hat("nicht zugeordnet") else None
        for k, name in enumerate(["einwohner", "einwohner_unter_65", "sgb2_personen"]):
            # areas plus the unassigned row make up the city
            assert sum(z.wert(name) for z in areas) + (nz.wert(name) if nz is not None else 0) == pytest.approx(total.wert(name))
            assert total.wert(name) == sum(r[k] for r in rows.values())
        # rates are the ratio of the summed numerator and denominator
        for row in areas:
            raum = row.raum
            members = dict(mini.schema(schema).raum(raum).anteile)
            num = sum(rows[nr][2] * a for nr, a in members.items())
            den = sum(rows[nr][1] * a for nr, a in members.items())
            if den:
                assert row.wert("sgb2_quote") == pytest.approx(100 * num / den)
            else:
                assert row.wert("sgb2_quote") is None  # NaN, not a division by zero
        # neither row order nor splitting the file changes anything
        for other in (shuffled, split):
            o = aggregate(mini, schema, other)
            assert [replace(z, fehlend="") for z in o.zeilen] == [replace(z, fehlend="") for z in t.zeilen]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


KINDS_YAML = """
bezirke:
  - {nr: 1, name: Altstadt}
  - {nr: 2, name: Neustadt}
  - {nr: 3, name: Oberdorf}
  - {nr: 4, name: Unterdorf}
schemata:
  s: {raeume: {Stadt: [1, 2], Land: [3, 4]}}
merkmale:
  ew: {titel: Einwohner, art: anzahl}
  hh: {titel: Haushalte, art: anzahl}
  u18: {titel: Anteil unter 18 in %, art: anteil, basis: ew, faktor: 100}
  pjh: {titel: Personen je Haushalt, art: verhaeltnis, zaehler: ew, nenner: hh}
  alter: {titel: Durchschnittsalter, art: mittelwert, gewicht: ew}
  zuzuege: {titel: Zuzüge, art: bewegung}
  preis: {titel: Bodenpreis, art: nicht_aggregierbar}
"""
# undeclared columns of every non-count kind: never summed, never output
UNDECLARED = ["Quote der Arbeitslosen", "Einwohner je Arzt", "Ø Alter der Mütter", "Fortzüge", "Mietpreis EUR",
              "Sozialindex", "Median Einkommen", "Dichte"]
unit = st.tuples(
    st.integers(1, 50_000),  # ew
    st.integers(1, 20_000),  # hh
    st.integers(0, 1000),  # u18 share in 0.1 %
    st.integers(150, 900),  # age × 10
    st.integers(0, 5_000),  # in-migration
    st.lists(st.integers(0, 99_999), min_size=len(UNDECLARED), max_size=len(UNDECLARED)),
)


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({1: unit, 2: unit, 3: unit, 4: unit}))
def test_non_counts_are_recomputed_or_absent_never_summed(tmp_path_factory, rows):
    from sozialraum_cli.mapping import load_mapping

    folder = tmp_path_factory.mktemp("k")
    mapping = load_mapping(_write(folder / "k.yaml", KINDS_YAML))
    head = ["Nr.", "Einwohner", "Haushalte", "Anteil unter 18 in %", "Durchschnittsalter", "Zuzüge", "Bodenpreis", *UNDECLARED]
    lines = [";".join(head)]
    for nr, (ew, hh, u18, alter, zuz, other) in rows.items():
        # whole numbers in the undeclared columns: only their headers keep them from being summed
        cells = [nr, ew, hh, f"{u18 / 10:.1f}", f"{alter / 10:.1f}", zuz, "123,5", *other]
        lines.append(";".join(str(c).replace(".", ",") for c in cells))
    t = aggregate(mapping, "s", read_bezirksdaten(_write(folder / "d.csv", "\n".join(lines) + "\n"), mapping))
    cols = {m for z in t.zeilen for m in z.werte}
    assert not any(c.startswith(("quote", "einwohner_je", "alter_der", "fortz", "mietpreis", "sozialindex", "median", "dichte", "preis"))
                   for c in cols)
    for raum, members in (("Stadt", (1, 2)), ("Land", (3, 4))):
        row = t.zeile(raum)
        ew = sum(rows[n][0] for n in members)
        hh = sum(rows[n][1] for n in members)
        assert row.wert("ew") == ew and row.wert("hh") == hh
        assert row.wert("u18") == pytest.approx(100 * sum(rows[n][0] * rows[n][2] / 1000 for n in members) / ew)
        assert row.wert("pjh") == pytest.approx(ew / hh)
        assert row.wert("alter") == pytest.approx(sum(rows[n][0] * rows[n][3] / 10 for n in members) / ew)
        assert row.wert("zuzuege") is None  # two districts: a flow is never summed (NaN)
