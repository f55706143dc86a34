"""Scale benchmark: national grid, register extracts, a million points, start-up; each beside a baseline.

Run with `make bench` (or `.venv/bin/python bench/scale.py`). Generates its inputs in a temporary
folder (a national-size Zensus grid of ~3,1 million cells, 10 million records as CSV and Parquet,
1 million points), prints wall time (median of BENCH_SCALE_RUNS runs, each command run alternately with its
baseline after a warm-up run), CPU time and peak memory (max RSS) of
`sozialraum` and of a hand-written baseline side by side, and deletes the files. The goals of
issue 18 are printed beside the ratios; nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "3"))
GRID_CELLS = int(os.environ.get("BENCH_GRID_CELLS", "3100000"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "10000000"))
POINTS = int(os.environ.get("BENCH_POINTS", "1000000"))


def _run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time (s), peak RSS (MiB) and CPU time (user + system, s) of one run of a command."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: millions of notes must not block the child
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read()[-2000:].decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure_pair(ours: list[str], base: list[str], runs: int = RUNS) -> tuple[tuple[float, float, float], ...]:
    """(median wall time, peak RSS, median CPU time) of both commands, run alternately after one warm-up
    run each, so that other processes sharing the cores slow both alike.

    The CPU time shows the work done, also when other processes share the cores (wall time then grows)."""
    _run(ours), _run(base)  # page cache and bytecode warm for both
    got: tuple[list, list] = ([], [])
    for _ in range(runs):
        for i, cmd in enumerate((ours, base)):
            got[i].append(_run(cmd))
    return tuple((statistics.median(r[0] for r in g), max(r[1] for r in g), statistics.median(r[2] for r in g))
                 for g in got)


def jena_box_3035() -> tuple[float, float, float, float]:
    from sozialraum_cli.geo import ARBEITS_CRS, load_geometrie, project

    import shapely

    geo = load_geometrie()
    city = project(shapely.union_all(list(geo.polygone.values())), ARBEITS_CRS, "EPSG:3035")
    return city.bounds


def make_grid(path: Path, box: tuple[float, float, float, float]) -> None:
    """~GRID_CELLS cells over Germany (EPSG:3035), every 100 m cell of Jena's box among them."""
    import duckdb

    xmin, ymin, xmax, ymax = (int(v // 100) * 100 for v in box)
    local = f"""SELECT x * 100 + 50 AS x, y * 100 + 50 AS y FROM range({xmin // 100}, {xmax // 100 + 1}) a(x),
                range({ymin // 100}, {ymax // 100 + 1}) b(y)"""
    n_local = ((xmax - xmin) // 100 + 1) * ((ymax - ymin) // 100 + 1)
    rest = max(GRID_CELLS - n_local, 0)
    # distinct cells outside Jena's box (a real grid file lists every cell once; a duplicate inside the box is an error)
    national = f"""SELECT DISTINCT x, y FROM (SELECT (4030000 + (hash(i) % 6400) * 100 + 50)::BIGINT AS x,
                   (2680000 + (hash(i * 7 + 3) % 8700) * 100 + 50)::BIGINT AS y FROM range({rest}) t(i))
                   WHERE NOT (x BETWEEN {xmin} AND {xmax + 100} AND y BETWEEN {ymin} AND {ymax + 100})"""
    duckdb.sql(f"""COPY (SELECT 'CRS3035RES100mN' || (y - 50) || 'E' || (x - 50) AS GITTER_ID_100m, x AS x_mp_100m,
                   y AS y_mp_100m, (hash(x * 31 + y) % 40 + 1)::VARCHAR AS Einwohner
                   FROM ({local} UNION ALL {national})) TO '{path}' (DELIMITER ';', HEADER)""")


def make_records(csv: Path, parquet: Path, codes: list[int]) -> None:
    import duckdb

    codes_sql = "[" + ", ".join(map(str, codes)) + "]"
    duckdb.sql(f"""COPY (SELECT i AS FALL, {codes_sql}[1 + (hash(i) % {len(codes)})::INT] AS PLR,
                   CASE WHEN hash(i * 3) % 4 = 0 THEN 'Ja' ELSE 'Nein' END AS VERSUCH,
                   (hash(i * 5) % 2000)::BIGINT AS SCHADEN FROM range({RECORDS}) t(i)) TO '{csv}' (DELIMITER ';', HEADER)""")
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', delim=';')) TO '{parquet}' (FORMAT parquet)")


def make_points(path: Path) -> None:
    import duckdb

    duckdb.sql(f"""COPY (SELECT 50.86 + (hash(i) % 100000) / 100000.0 * 0.12 AS lat,
                   11.50 + (hash(i * 13 + 1) % 100000) / 100000.0 * 0.17 AS lon FROM range({POINTS}) t(i))
                   TO '{path}' (HEADER)""")


DUCKDB_GRID = """
import duckdb, sys
xmin, ymin, xmax, ymax = map(float, sys.argv[2:6])
rows = duckdb.sql(f"SELECT * FROM read_csv('{sys.argv[1]}', delim=';') "
                  f"WHERE x_mp_100m BETWEEN {xmin} AND {xmax} AND y_mp_100m BETWEEN {ymin} AND {ymax}").fetchall()
print(len(rows))
"""

# the same work the tool must do (README, record input): values compared after trimming spaces, and
# empty amounts counted (an empty amount makes a district's sum unknown, missing is not zero);
# the earlier baseline compared untrimmed texts and ignored empty amounts
DUCKDB_RECORDS = """
import duckdb, sys
src = sys.argv[1]
rel = f"read_parquet('{src}')" if src.endswith('.parquet') else f"read_csv('{src}', delim=';')"
print(duckdb.sql(f"SELECT PLR, count(*), count(*) FILTER (WHERE trim(VERSUCH) = 'Ja'), sum(SCHADEN), "
                 f"count(*) FILTER (WHERE SCHADEN IS NULL) FROM {rel} GROUP BY PLR").fetchall()[:1])
"""

PANDAS_RECORDS = """
import pandas as pd, sys
df = pd.read_csv(sys.argv[1], sep=';', usecols=['PLR', 'VERSUCH', 'SCHADEN'])
df['versuch'] = df['VERSUCH'].eq('Ja')
print(df.groupby('PLR').agg(faelle=('PLR', 'size'), versuche=('versuch', 'sum'), schaden=('SCHADEN', 'sum')).head(1))
"""

DUCKDB_RECORDS_SIMPLE = """
import duckdb, sys
src = sys.argv[1]
rel = f"read_parquet('{src}')" if src.endswith('.parquet') else f"read_csv('{src}', delim=';')"
print(duckdb.sql(f"SELECT PLR, count(*), count(*) FILTER (WHERE VERSUCH = 'Ja'), sum(SCHADEN) FROM {rel} GROUP BY PLR").fetchall()[:1])
"""

STRTREE_POINTS = """
import json, sys
import numpy as np, pandas as pd, shapely
from pyproj import Transformer
from shapely.geometry import shape
doc = json.load(open(sys.argv[1]))
t = Transformer.from_crs('EPSG:4326', 'EPSG:25832', always_xy=True)
polys = [shapely.transform(shape(f['geometry']), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))) for f in doc['features']]
codes = np.array([int(f['properties']['id']) for f in doc['features']])
df = pd.read_csv(sys.argv[2])
x, y = t.transform(df['lon'].to_numpy(), df['lat'].to_numpy())
tree = shapely.STRtree(polys)
pt, poly = tree.query(shapely.points(x, y), predicate='within')
out = np.full(len(df), -1); out[pt] = codes[poly]
print((out >= 0).sum())
"""

CORE_POINTS = """
import sys
import pandas as pd
from sozialraum_cli.geo import load_geometrie, locate_xy
geo = load_geometrie(sys.argv[1])
df = pd.read_csv(sys.argv[2])
codes, reasons = locate_xy(geo, df['lon'].to_numpy(), df['lat'].to_numpy())
print((codes >= 0).sum(), len(reasons))
"""

MIN_TYPER = """
import typer
app = typer.Typer()
@app.command()
def eins(name: str = "x"): print(name)
@app.command()
def zwei(name: str = "x"): print(name)
@app.command()
def drei(name: str = "x"): print(name)
app()
"""


def generate(tmp: Path) -> None:
    """Write the test files (in a child process, so that the parent stays small: max RSS of a
    forked child counts the parent's pages until exec)."""
    from sozialraum_cli.mapping import load_mapping

    box = jena_box_3035()
    make_grid(tmp / "zensus_100m.csv", box)
    make_records(tmp / "faelle.csv", tmp / "faelle.parquet", sorted(load_mapping().bezirke))
    make_points(tmp / "punkte.csv")
    (tmp / "box.txt").write_text(" ".join(map(str, box)))


def main() -> None:
    if sys.argv[1:2] == ["--generate"]:
        generate(Path(sys.argv[2]))
        return
    # bytecode as after a normal installation (PYTHONDONTWRITEBYTECODE would compile every module on each start)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True, stdout=subprocess.DEVNULL)
    sozialraum = str(BIN / "sozialraum")
    geometry = ROOT / "src" / "sozialraum_cli" / "data" / "statistische_bezirke.geojson"
    tmp = Path(tempfile.mkdtemp(prefix="sozialraum-scale-"))
    rows: list[tuple] = []

    def compare(label: str, ours: list[str], base_label: str, base: list[str], goal: str, runs: int = RUNS) -> None:
        (t1, m1, c1), (t2, m2, c2) = measure_pair(ours, base, runs)
        rows.append((label, base_label, t1, m1, t2, m2, t1 / t2, goal, c1, c2))
        print(f"  {label}: {t1:.2f} s (CPU {c1:.2f} s), {m1:.0f} MiB  |  {base_label}: {t2:.2f} s (CPU {c2:.2f} s), "
              f"{m2:.0f} MiB", flush=True)

    try:
        print(f"Erzeuge Testdaten in {tmp} …", flush=True)
        grid, recs_csv, recs_pq, pts = tmp / "zensus_100m.csv", tmp / "faelle.csv", tmp / "faelle.parquet", tmp / "punkte.csv"
        t = time.perf_counter()
        subprocess.run([PY, __file__, "--generate", str(tmp)], check=True)
        box = (tmp / "box.txt").read_text().split()
        print(f"  fertig in {time.perf_counter() - t:.0f} s: Gitter {grid.stat().st_size / 1e6:.0f} MB, "
              f"Datensätze {recs_csv.stat().st_size / 1e6:.0f} MB (CSV) / {recs_pq.stat().st_size / 1e6:.0f} MB (Parquet)", flush=True)
        (tmp / "duck_grid.py").write_text(DUCKDB_GRID)
        (tmp / "duck_rec.py").write_text(DUCKDB_RECORDS)
        (tmp / "duck_rec_simple.py").write_text(DUCKDB_RECORDS_SIMPLE)
        (tmp / "pandas_rec.py").write_text(PANDAS_RECORDS)
        (tmp / "strtree.py").write_text(STRTREE_POINTS)
        (tmp / "min_typer.py").write_text(MIN_TYPER)
        (tmp / "core_points.py").write_text(CORE_POINTS)

        compare(f"Gitter {GRID_CELLS / 1e6:.1f} Mio. Zellen → Sozialräume".replace(".", ",", 1),
                [sozialraum, "aggregate", str(grid), "--scheme", "sozialraeume", "--format", "csv"],
                "DuckDB-Scan mit Rechteckfilter", [PY, str(tmp / "duck_grid.py"), str(grid), *map(str, box)],
                "≤ 1,5× und ≤ 400 MB")
        records = ["--records", "--code-column", "PLR", "--count", "versuche:VERSUCH=Ja", "--sum", "SCHADEN",
                   "--scheme", "sozialraeume", "--format", "csv",
                   "--no-disclosure"]  # --sum is not yet protected by the mapping's disclosure rule
        compare(f"{RECORDS / 1e6:.0f} Mio. Datensätze (CSV) → Räume", [sozialraum, "aggregate", str(recs_csv), *records],
                "DuckDB-Abfrage", [PY, str(tmp / "duck_rec.py"), str(recs_csv)], "≤ 1,2× und ≤ 300 MB")
        compare(f"{RECORDS / 1e6:.0f} Mio. Datensätze (CSV) → Räume", [sozialraum, "aggregate", str(recs_csv), *records],
                "DuckDB, ohne Trimmen/Leerprüfung", [PY, str(tmp / "duck_rec_simple.py"), str(recs_csv)], "–", runs=1)
        compare(f"{RECORDS / 1e6:.0f} Mio. Datensätze (CSV) → Räume", [sozialraum, "aggregate", str(recs_csv), *records],
                "pandas-Skript", [PY, str(tmp / "pandas_rec.py"), str(recs_csv)], "–", runs=1)
        compare(f"{RECORDS / 1e6:.0f} Mio. Datensätze (Parquet) → Räume", [sozialraum, "aggregate", str(recs_pq), *records],
                "DuckDB-Abfrage", [PY, str(tmp / "duck_rec.py"), str(recs_pq)], "≤ 1,2× und ≤ 300 MB")
        compare(f"{POINTS / 1e6:.0f} Mio. Punkte verorten (locate)",
                [sozialraum, "locate", str(pts), "--lat", "lat", "--lon", "lon", "--format", "csv"],
                "shapely-STRtree-Skript", [PY, str(tmp / "strtree.py"), str(geometry), str(pts)], "≤ 2 s")
        compare(f"{POINTS / 1e6:.0f} Mio. Punkte, Kern (geo.locate_xy)",
                [PY, str(tmp / "core_points.py"), str(geometry), str(pts)],
                "shapely-STRtree-Skript", [PY, str(tmp / "strtree.py"), str(geometry), str(pts)], "≤ 2 s")
        compare("aggregate, 41 Bezirke", [sozialraum, "aggregate", "data/raw/privathaushalte_2006-2016.csv", "--year", "2016",
                                          "--format", "csv"],
                "python -c 'import pandas'", [PY, "-c", "import pandas"], "≤ 1,3×", runs=15)
        compare("sozialraum --help", [sozialraum, "--help"], "minimale typer-App (3 Befehle)",
                [PY, str(tmp / "min_typer.py"), "--help"], "≤ 1,1×", runs=15)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    load = f"{os.getloadavg()[0]:.1f}".replace(".", ",")  # other processes on the cores make wall times grow
    print(f"{RUNS} Läufe (Start: 15) abwechselnd mit dem Vergleich nach je einem Vorlauf, Median der Laufzeit und der CPU-Zeit, "
          f"max. RSS; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} Kerne, Last {load}")
    head = f"{'Aufgabe':<42} {'sozialraum':>17} {'Vergleich':<32} {'Vergleich':>17} {'Faktor':>7} {'CPU':>7}  Ziel"
    print(head)
    print("-" * len(head))
    for label, base_label, t1, m1, t2, m2, ratio, goal, c1, c2 in rows:
        ours = f"{t1:.2f} s {m1:4.0f} MiB".replace(".", ",")
        base = f"{t2:.2f} s {m2:4.0f} MiB".replace(".", ",")
        factor = f"{ratio:.2f}".replace(".", ",")
        cpu = f"{c1 / c2:.2f}".replace(".", ",")
        print(f"{label:<42} {ours:>17} {base_label:<32} {base:>17} {factor:>6}× {cpu:>6}×  {goal}")


if __name__ == "__main__":
    main()
