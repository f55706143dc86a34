"""The DuckDB pass over a large Zensus grid file: its totals and the rows inside a bounding box.

Kept apart from `grid` (which loads the mapping model, rendering and pandas-facing code) so that
`gridearly` can start this scan before the command line is parsed, importing nothing heavy first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .gridlayout import GridLayout

DUCKDB_AB_BYTES = 32 * 1024 * 1024  # files from this size are scanned with DuckDB (when installed)


@dataclass
class _Scan:
    """What one pass over a grid file found: its totals and the rows inside the bounding box."""

    zellen: int  # data rows in the file
    ohne_koordinate: list[str]  # ids of rows whose centre is no number (rejected)
    extent: tuple[float, float, float, float] | None  # min x, min y, max x, max y of the cell centres
    ids: Any  # numpy arrays of the rows inside the box
    x: Any
    y: Any
    werte: dict[str, Any]  # value column -> texts
    flags: Any | None
    engine: str


class Abbruch:
    """Lets another thread stop a running scan (a scan started early that nobody takes, at exit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._con: Any = None
        self.stopped = False

    def attach(self, con: Any) -> None:
        with self._lock:
            if self.stopped:
                raise _Stopped
            self._con = con

    def detach(self) -> None:
        with self._lock:
            self._con = None

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._con is not None:
                self._con.interrupt()


class _Stopped(Exception):
    """The scan was stopped by `Abbruch.stop` (its result is not wanted)."""


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scan_duckdb(datei: Path, layout: GridLayout, box: tuple[float, float, float, float],
                 abbruch: Abbruch | None = None) -> _Scan:
    """One DuckDB pass; cell centres read as numbers (fast), or as text when that fails (decimal commas)."""
    import duckdb

    try:
        return _scan_duckdb_typed(datei, layout, box, typed=True, abbruch=abbruch)
    except duckdb.Error:
        if abbruch is not None and abbruch.stopped:
            raise _Stopped from None
        return _scan_duckdb_typed(datei, layout, box, typed=False, abbruch=abbruch)


def _scan_duckdb_typed(datei: Path, layout: GridLayout, box: tuple[float, float, float, float], typed: bool,
                       abbruch: Abbruch | None = None) -> _Scan:
    import duckdb

    def number(col: str) -> str:
        if typed:
            return _sql_name(col)
        return f"TRY_CAST(replace(trim({_sql_name(col)}), ',', '.') AS DOUBLE)"

    def sql_type(col: str) -> str:
        return "DOUBLE" if typed and col in (layout.x_col, layout.y_col) else "VARCHAR"

    inner = ", ".join(
        [f"{_sql_name(layout.id_col)} AS gid", f"{number(layout.x_col)} AS x", f"{number(layout.y_col)} AS y"]
        + [f"{_sql_name(c)} AS v{k}" for k, c in enumerate(layout.value_cols)]
        + ([f"{_sql_name(layout.flag_col)} AS flag"] if layout.flag_col else [])
    )
    inbox = "x BETWEEN $xmin AND $xmax AND y BETWEEN $ymin AND $ymax"
    lists = ["gid", "x", "y", *(f"v{k}" for k in range(len(layout.value_cols))), *(["flag"] if layout.flag_col else [])]
    query = (
        "SELECT count(*), min(x), min(y), max(x), max(y), "
        "list(gid) FILTER (WHERE x IS NULL OR y IS NULL), "
        + ", ".join(f"list({c}) FILTER (WHERE {inbox})" for c in lists)
        + f" FROM (SELECT {inner} FROM read_csv({_sql_text(str(datei))}, delim={_sql_text(layout.delimiter)}, "
        "header=true, all_varchar=true, auto_detect=false, "
        f"columns={{{', '.join(f'{_sql_text(c)}: ' + _sql_text(sql_type(c)) for c in layout.columns)}}}))"
    )
    con = duckdb.connect()
    try:
        if abbruch is not None:
            abbruch.attach(con)
        con.execute("SET threads TO 2")
        con.execute("SET enable_progress_bar = false")  # after 2 s it would print on stdout, into the output
        row = con.execute(query, {"xmin": box[0], "ymin": box[1], "xmax": box[2], "ymax": box[3]}).fetchone()
    except duckdb.Error as exc:
        if typed or (abbruch is not None and abbruch.stopped):
            raise
        from .sources import duckdb_reason

        raise InputError(f"Die Gitterdatei ist nicht lesbar ({duckdb_reason(exc)}).", datei=datei) from exc
    finally:
        if abbruch is not None:
            abbruch.detach()
        con.close()
    import numpy as np  # after the query: its import does not compete with the scan

    n, xmin, ymin, xmax, ymax, bad, *cols = row
    got = {name: (values or []) for name, values in zip(lists, cols)}
    return _Scan(
        zellen=int(n),
        ohne_koordinate=list(bad or []),
        extent=None if xmin is None else (xmin, ymin, xmax, ymax),
        ids=np.asarray(got["gid"], dtype=object),
        x=np.asarray(got["x"], dtype=float),
        y=np.asarray(got["y"], dtype=float),
        werte={c: np.asarray(got[f"v{k}"], dtype=object) for k, c in enumerate(layout.value_cols)},
        flags=np.asarray(got["flag"], dtype=object) if layout.flag_col else None,
        engine="DuckDB",
    )
