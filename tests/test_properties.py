"""Property tests (hypothesis) for the core invariants of aggregation."""


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
        areas = t.raeume.set_index("raum")
        total = t.zeile("Gesamt")
        nz = t.zeile("nicht zugeordnet") if "nicht zugeordnet" in set(t.zeilen["raum"]) else None
        for k, name in enumerate(["einwohner", "einwohner_unter_65", "sgb2_personen"]):
            # areas plus the unassigned row make up the city
            assert areas[name].sum() + (nz[name] if nz is not None else 0) == pytest.approx(total[name])
            assert total[name] == sum(r[k] for r in rows.values())
        # rates are the ratio of the summed numerator and denominator
        for raum, row in areas.iterrows():
            members = dict(mini.schema(schema).raum(raum).anteile)
            num = sum(rows[nr][2] * a for nr, a in members.items())
            den = sum(rows[nr][1] * a for nr, a in members.items())
            if den:
                assert row["sgb2_quote"] == pytest.approx(100 * num / den)
            else:
                assert row["sgb2_quote"] != row["sgb2_quote"]  # NaN, not a division by zero
        # neither row order nor splitting the file changes anything
        for other in (shuffled, split):
            o = aggregate(mini, schema, other)
            cols = [c for c in t.zeilen.columns if c != "fehlend"]
            assert o.zeilen[cols].fillna(-1).values.tolist() == t.zeilen[cols].fillna(-1).values.tolist()


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
