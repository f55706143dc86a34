"""Generate data/raw/beispiel_2021.csv: ILLUSTRATIVE district figures for 2021 (not official).

The city totals are the report's (108.141 inhabitants, 5.307 SGB II persons, 2021); the
per-district figures are made up from the 2016 household counts with assumed persons per
household, shares under 65 and SGB II rates per Planungsraum, chosen so that the ranking of
the 6 Planungsräume matches the orders published in the report. Deterministic; run with
`python data/raw/make_beispiel_2021.py`.
"""

import csv
from pathlib import Path

HERE = Path(__file__).parent
TOTAL_EW, TOTAL_SGB2 = 108_141, 5_307
NZ = {"einwohner": 23, "einwohner_unter_65": 18, "sgb2_personen": 1}  # row 999, illustrative

# Planungsraum: (persons per household, share under 65, SGB II rate of under 65)
ASSUMED = {
    "West/Zentrum": (1.75, 0.82, 0.030),
    "Lobeda": (1.85, 0.72, 0.145),
    "Nord": (1.80, 0.80, 0.055),
    "Ost": (2.00, 0.76, 0.026),
    "Winzerla": (1.85, 0.70, 0.110),
    "Ortschaften": (2.30, 0.78, 0.008),
}


def largest_remainder(targets: dict[int, float], total: int) -> dict[int, int]:
    scale = total / sum(targets.values())
    scaled = {k: v * scale for k, v in targets.items()}
    out = {k: int(v) for k, v in scaled.items()}
    rest = total - sum(out.values())
    for k in sorted(scaled, key=lambda k: (out[k] - scaled[k], k))[:rest]:
        out[k] += 1
    return out


def main() -> None:
    ref = {int(r["bezirk_nr"]): r for r in csv.DictReader(open(HERE / "jena-bezirke-referenz.csv", encoding="utf-8"))}
    hh = {int(r["statistischer_Bezirk_Nr"]): int(r["31.12.2016"])
          for r in csv.DictReader(open(HERE / "privathaushalte_2006-2016.csv", encoding="utf-8"))}
    area = {nr: ref[nr]["planungsraum"] for nr in ref}
    ew = largest_remainder({nr: hh[nr] * ASSUMED[area[nr]][0] for nr in ref}, TOTAL_EW - NZ["einwohner"])
    u65 = {nr: round(ew[nr] * ASSUMED[area[nr]][1]) for nr in ref}
    sgb2 = largest_remainder({nr: u65[nr] * ASSUMED[area[nr]][2] for nr in ref}, TOTAL_SGB2 - NZ["sgb2_personen"])

    def de(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    rows = [["Nr.", "Statistischer Bezirk", "Einwohner", "Einwohner unter 65 Jahren", "sgb2_personen"]]
    rows.append(["0", "Jena (gesamt)", de(TOTAL_EW), de(sum(u65.values()) + NZ["einwohner_unter_65"]), de(TOTAL_SGB2)])
    for nr in ref:
        rows.append([str(nr), ref[nr]["bezirk_name"], de(ew[nr]), de(u65[nr]), de(sgb2[nr])])
    rows.append(["999", "außerhalb / sonstiges / nicht zugeordnet",
                 *(de(NZ[k]) for k in ("einwohner", "einwohner_unter_65", "sgb2_personen"))])
    with open(HERE / "beispiel_2021.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)


if __name__ == "__main__":
    main()
