"""Recognising a Zensus grid file by its first line (GITTER_ID_…, x_mp_…, y_mp_…), without loading the grid
reader: every command that reads statistics asks this of each file, most of which are no grid files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FLAG_COLUMN = "werterlaeuternde_zeichen"
_ID = re.compile(r"^gitter_id_(\d+)(m|km)$", re.I)


@dataclass(frozen=True)
class GridLayout:
    """Column layout of a grid file, from its header line."""

    delimiter: str
    encoding: str
    columns: list[str]
    id_col: str
    x_col: str
    y_col: str
    value_cols: list[str]
    flag_col: str | None
    resolution: int  # cell size in metres


def first_line(head: bytes) -> tuple[str, str, str]:
    """(first line, encoding, delimiter) of a CSV file's first bytes: UTF-8 (BOM allowed) or else Windows-1252;
    the delimiter among ; , and tab that the line has most of."""
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        line, encoding = first.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        line, encoding = first.decode("cp1252"), "cp1252"
    return line, encoding, max((";", ",", "\t"), key=line.count)


def sniff(path: str | Path) -> GridLayout | None:
    """The grid layout of a CSV file, or None when it is no grid file (reads only its first line)."""
    datei = Path(path)
    if datei.suffix.lower() not in (".csv", ".txt") or not datei.is_file():  # never open a FIFO or device here
        return None
    try:
        with open(datei, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return None
    line, encoding, delimiter = first_line(head)
    columns = [c.strip().strip('"') for c in line.split(delimiter)]
    ids = [(c, _ID.match(c)) for c in columns]
    found = [(c, m) for c, m in ids if m]
    if len(found) != 1:
        return None
    id_col, m = found[0]
    suffix = f"{m.group(1)}{m.group(2)}".lower()
    resolution = int(m.group(1)) * (1000 if m.group(2).lower() == "km" else 1)
    lower = {c.lower(): c for c in columns}
    x_col, y_col = lower.get(f"x_mp_{suffix}"), lower.get(f"y_mp_{suffix}")
    if x_col is None or y_col is None:
        return None
    flag_col = lower.get(FLAG_COLUMN)
    values = [c for c in columns if c not in (id_col, x_col, y_col, flag_col) and c]
    return GridLayout(delimiter, encoding, columns, id_col, x_col, y_col, values, flag_col, resolution)


def is_grid_file(path: str | Path) -> bool:
    return sniff(path) is not None
