"""Load and validate a generated mapping of 10.000 units with four nested schemes (issue 15: ≤ 0,3 s).

Run with `.venv/bin/python bench/mapping_load.py`. Writes the mapping (8-digit codes with leading zeros,
quoted, as `mapping import` writes them) to a temporary folder and times `load_mapping` BENCH_RUNS times
two ways: cold, the first load in a fresh Python process (as the CLI loads it; the time of the load
itself, not of starting Python), and warm, repeated loads in one process (caches such as the one of
name keys filled). Prints median and best of each and of the nesting check. Nothing is asserted; no
load is cached on disk.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sozialraum_cli.mapping import load_mapping  # noqa: E402
from sozialraum_cli.mapping.nesting import verschachtelung  # noqa: E402

UNITS = 10_000
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def mapping_text() -> str:
    units = [f"0{i:07d}" for i in range(1, UNITS + 1)]
    lines = ["einheit: {einzahl: Planungsraum, mehrzahl: Planungsräume}", "bezirke:"]
    lines += [f'  - {{nr: "{c}", name: "Planungsraum {c}"}}' for c in units]
    lines.append("schemata:")
    for key, size in (("bezirke", 2000), ("prognoseraeume", 500), ("bezirksregionen", 100), ("stadtteile", 20)):
        lines += [f"  {key}:", f"    titel: {key}", "    raeume:"]
        for start in range(0, UNITS, size):
            members = ", ".join(f'"{c}"' for c in units[start:start + size])
            lines.append(f'      "{key} {start // size + 1}": [{members}]')
    return "\n".join(lines) + "\n"


COLD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from sozialraum_cli.mapping import load_mapping
start = time.perf_counter()
load_mapping(sys.argv[2])
print(time.perf_counter() - start)
"""


def figures(times: list[float]) -> str:
    return f"Median {statistics.median(times):.3f} s, bestes {min(times):.3f} s"


def main() -> None:
    src = str(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gross.yaml"
        path.write_text(mapping_text(), encoding="utf-8")
        cold = [
            float(subprocess.run([sys.executable, "-c", COLD, src, str(path)], check=True, capture_output=True,
                                 text=True).stdout)
            for _ in range(RUNS)
        ]
        times, nest = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            z = load_mapping(path)
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            pairs = verschachtelung(z)
            nest.append(time.perf_counter() - start)
        print(f"Zuordnung mit {len(z.bezirke):,} Einheiten und {len(z.schemata)} Schemata ({path.stat().st_size / 1e6:.1f} MB)".replace(",", "."))
        print(f"  laden und prüfen, kalt (neuer Prozess): {figures(cold)} (Ziel ≤ 0,3 s)")
        print(f"  laden und prüfen, warm (im Prozess):    {figures(times)}")
        print(f"  Verschachtelung:                        {figures(nest)} ({len(pairs)} Paare)")


if __name__ == "__main__":
    main()
