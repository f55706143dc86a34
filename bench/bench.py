"""Measure start-up and run time of the installed `sozialraum`, beside `import pandas`.

Run with `make bench` (or `.venv/bin/python bench/bench.py`). Prints, for each command, the
median and best wall time of several runs and the peak memory (max RSS) of the process.
Then the hostile inputs of issue 12 (each refused with one German line), and with BENCH_GROSS=1
a long-format file of 1,6 million rows (41 districts × 20 years × 2.000 indicators), run once.
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


def measure(cmd: list[str], *, runs: int = RUNS, fails: bool = False) -> tuple[float, float, float]:
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        rss.append(usage.ru_maxrss / 1024)  # KiB -> MiB on Linux
        if (os.waitstatus_to_exitcode(status) != 0) != fails:
            raise SystemExit(f"{'succeeded' if fails else 'failed'}: {' '.join(cmd)}")
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
    print("Feindselige Eingaben (jede endet mit einer deutschen Fehlerzeile, Exit-Code 1):")
    for label, cmd in hostile_cases(Path(tmp), sozialraum):
        median, best, rss = measure(cmd, runs=max(1, RUNS // 3), fails="Fußnoten" not in label)
        print(f"{label:<55} {median * 1000:>7.0f} ms {best * 1000:>6.0f} ms {rss:>7.1f} MiB")
    if os.environ.get("BENCH_GROSS"):
        for merkmale in (2000, 6000):  # 1,64 and 4,92 million rows (64 and 193 MB)
            path = long_file(Path(tmp), merkmale)
            label = f"aggregate Langformat {path.stat().st_size / 1024**2:.0f} MB, 1 Merkmal, 1 Jahr"
            median, best, rss = measure([sozialraum, "aggregate", str(path), "--value", "merkmal_7", "--year", "2020",
                                         "--scheme", "sozialraeume", "--format", "csv"], runs=1)
            print(f"{label:<55} {median * 1000:>7.0f} ms {best * 1000:>6.0f} ms {rss:>7.1f} MiB")
            path.unlink()


def hostile_cases(tmp: Path, sozialraum: str) -> list[tuple[str, list[str]]]:
    """The severe cases of issue 12, generated (small files that cost a lot when read naively)."""
    import zipfile

    bomb = tmp / "bombe.yaml"
    bomb.write_text(
        "\n".join(['a: &a ["x","x","x","x","x","x","x","x","x"]']
                  + [f"{b}: &{b} [{','.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]) + "\n",
        encoding="utf-8",
    )
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nr.</t></is></c></row>')

    def workbook(path: Path, rows: str, padding_mib: int = 0) -> Path:
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                       '<Default Extension="xml" ContentType="application/xml"/>'
                       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
            z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       f'xmlns:r="{rel}"><sheets><sheet name="Daten" sheetId="1" r:id="rId1"/></sheets></workbook>')
            z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write((head + rows).encode())
                for _ in range(padding_mib):
                    f.write(b" " * 1024**2)
                f.write(b"</sheetData></worksheet>")
        return path

    far = workbook(tmp / "weit.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    zipbomb = workbook(tmp / "zipbombe.xlsx", "", padding_mib=3000)
    notes = tmp / "fussnoten.csv"
    ROOT_DATA = (ROOT / "data/raw/beispiel_2021.csv").read_text(encoding="utf-8-sig")
    notes.write_text(ROOT_DATA + "".join(f"Fußnote {i};;;;\n" for i in range(40_000)), encoding="utf-8")
    return [
        ("schemes: YAML-Aliasbombe (9 Zeilen)", [sozialraum, "schemes", "--config", str(bomb)]),
        (f"aggregate: xlsx mit Zelle XFD1048576 ({far.stat().st_size} B)", [sozialraum, "aggregate", str(far)]),
        (f"aggregate: xlsx {zipbomb.stat().st_size / 1024**2:.0f} MB, entpackt 3 GB", [sozialraum, "aggregate", str(zipbomb)]),
        ("aggregate /dev/zero", [sozialraum, "aggregate", "/dev/zero"]),
        ("aggregate: 40.000 Fußnoten (gelingt)", [sozialraum, "aggregate", str(notes), "--format", "csv"]),
    ]


def long_file(tmp: Path, merkmale: int = 2000) -> Path:
    rows = [line.split(";")[:2] for line in (ROOT / "data/raw/beispiel_2021.csv").read_text(encoding="utf-8-sig").splitlines()[2:]]
    path = tmp / "lang.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("bezirk_nr;bezirk;jahr;merkmal;wert\n")
        for nr, name in rows[:41]:
            for y in range(2005, 2025):
                out.writelines(f"{nr};{name};{y};merkmal_{m};{(int(nr) * 7 + m + y) % 5000}\n" for m in range(merkmale))
    return path


if __name__ == "__main__":
    main()
