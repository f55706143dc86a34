"""The fast reader of large plain point lists gives the same rows as reading.read_table, or steps aside."""

from sozialraum_cli import geo
from sozialraum_cli.reading import read_table

PLAIN = "Name;lat;lon\nA;50,929;11,5897\nB;50,885;11,6074\nC;;11,6\n"


def test_plain_csv_equals_read_table(write, monkeypatch):
    monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0)
    path = write("orte.csv", PLAIN)
    assert geo._read_plain_csv(path) == read_table(path)
    g = geo.load_geometrie()
    lagen = geo.locate_file(g, path, lat="lat", lon="lon").lagen
    assert [l.bezirk_nr for l in lagen] == [41, 62, None]
    assert lagen[2].grund == "Koordinate fehlt (y/Breite)"


def test_quotes_blank_rows_and_ragged_rows_use_read_table(write, monkeypatch):
    monkeypatch.setattr(geo, "_FAST_CSV_BYTES", 0)
    for name, text in (("q.csv", 'Name;lat;lon\n"A";50,9;11,5\n'), ("b.csv", "Name;lat;lon\nA;50,9;11,5\n;;\nB;50,8;11,6\n"),
                       ("r.csv", "Name;lat;lon\nA;50,9;11,5;x\nB;50,8;11,6\n")):
        assert geo._read_plain_csv(write(name, text)) is None
