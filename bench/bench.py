"""Measure start-up and run time of the installed `sozialraum`, beside `import pandas`.

Run with `make bench` (or `.venv/bin/python bench/bench.py`). Prints, for each command, the
median and best wall time of several runs and the peak memory (max RSS) of the process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def measure(cmd: list[str]) -> tuple[float, float, float]:
    times, rss = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        rss.append(usage.ru_maxrss / 1024)  # KiB -> MiB on Linux
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}")
    return statistics.median(times), min(times), max(rss)


def main() -> None:
    import tempfile

    sozialraum = str(BIN / "sozialraum")
    tmp = tempfile.mkdtemp(prefix="sozialraum-bench-")
    cases = [
        ("python -c 'import pandas' (Referenz)", [sys.executable, "-c", "import pandas"]),
        ("sozialraum --help", [sozialraum, "--help"]),
        (
            "sozialraum aggregate Haushalte 2016, beide Schemata",
            [sozialraum, "aggregate", "data/raw/privathaushalte_2006-2016.csv", "--year", "2016", "--format", "csv"],
        ),
        (
            "sozialraum aggregate Beispiel 2021, Tabelle",
            [sozialraum, "aggregate", "data/raw/beispiel_2021.csv", "--format", "table"],
        ),
        (
            "sozialraum export Haushalte 2010–2016 (xlsx)",
            [sozialraum, "export", "data/raw/privathaushalte_2006-2016.csv", "--years", "2010-2016",
             "--output", f"{tmp}/b.xlsx", "--force", "--quiet"],
        ),
        ("sozialraum map (PNG 1600 × 1200)", [sozialraum, "map", "--output", f"{tmp}/k.png", "--force"]),
        (
            "sozialraum profile, 5 Sozialräume (HTML)",
            [sozialraum, "profile", "data/raw/beispiel_2021.csv", "--output", f"{tmp}/p", "--force", "--quiet"],
        ),
    ]
    print(f"{RUNS} Läufe je Befehl, Python {sys.version.split()[0]}, {os.cpu_count()} Kerne")
    print(f"{'Befehl':<55} {'Median':>9} {'Bester':>9} {'max. RSS':>10}")
    for label, cmd in cases:
        median, best, rss = measure(cmd)
        print(f"{label:<55} {median * 1000:>7.0f} ms {best * 1000:>6.0f} ms {rss:>7.1f} MiB")


if __name__ == "__main__":
    main()
