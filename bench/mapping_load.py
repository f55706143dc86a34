"""Load and validate a generated mapping of 10.000 units with four nested schemes (issue 15: ≤ 0,3 s).

Run with `.venv/bin/python bench/mapping_load.py`. Writes the mapping (8-digit codes with leading zeros,
quoted, as `mapping import` writes them) to a temporary folder, loads it BENCH_RUNS times in this process
and prints the median and best time of `load_mapping` and of the nesting check. Nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gross.yaml"
        path.write_text(mapping_text(), encoding="utf-8")
        times, nest = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            z = load_mapping(path)
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            pairs = verschachtelung(z)
            nest.append(time.perf_counter() - start)
        print(f"Zuordnung mit {len(z.bezirke):,} Einheiten und {len(z.schemata)} Schemata ({path.stat().st_size / 1e6:.1f} MB)".replace(",", "."))
        print(f"  laden und prüfen:  Median {statistics.median(times):.3f} s, bestes {min(times):.3f} s (Ziel ≤ 0,3 s)")
        print(f"  Verschachtelung:   Median {statistics.median(nest):.3f} s ({len(pairs)} Paare)")


if __name__ == "__main__":
    main()
