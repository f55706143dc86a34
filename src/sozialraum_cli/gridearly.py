"""The DuckDB scan of a large Zensus grid file, started from the command line before typer loads.

Reading a national grid file takes a few tenths of a second of DuckDB (outside the GIL); loading
typer, the mapping, numpy, shapely and pandas takes about as long. `start` looks at the raw
arguments: the first one that is a large grid file (`gridlayout.sniff`, at least
`gridscan.DUCKDB_AB_BYTES`) is scanned at once in a thread, with the rough box of the geometry named
by `--geometry` (else the bundled one; `gridbox.rough_box_3035`). `grid.read_grid` takes that scan
(`take`) when it is for the same file, unchanged since, and the same layout; its box is then checked
like any early box (it must hold the exact one, else the file is scanned again). A scan nobody takes
is stopped when `take` finds another file, and at exit. Nothing here reports errors: the regular
path does.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path
from typing import Any

from . import BEZIRKE_GEOJSON
from .gridlayout import GridLayout, sniff
from .gridscan import DUCKDB_AB_BYTES, Abbruch, _Scan, _scan_duckdb

_HILFE = {"--help", "-h", "--version"}
_AUSGABE = {"--output", "-o", "--points-output"}  # the files an output goes to
_running: list["Vorab"] = []


def _identity(datei: Path) -> tuple:
    st = datei.stat()
    return (os.path.realpath(datei), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class Vorab:
    """One scan started early: `result()` waits for it (and raises what it raised)."""

    def __init__(self, datei: Path, layout: GridLayout, box: tuple[float, float, float, float]) -> None:
        self.identity = _identity(datei)
        self.layout = layout
        self.box = box
        self.abbruch = Abbruch()
        self._scan: _Scan | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(datei,), name="gitter-vorab", daemon=True)

    def _run(self, datei: Path) -> None:
        try:
            self._scan = _scan_duckdb(datei, self.layout, self.box, self.abbruch)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> _Scan:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._scan is not None
        return self._scan

    def stop(self) -> None:
        self.abbruch.stop()
        self._thread.join()


def start(argv: list[str]) -> None:
    """Start the scan of the first large grid file among the raw arguments (none with --help or --version)."""
    if _running or _HILFE & set(argv):
        return
    try:
        geometrie = _option(argv, "--geometry")
        for k, arg in enumerate(argv):
            if arg.startswith("-") or not arg.lower().endswith((".csv", ".txt")):
                continue
            if k and argv[k - 1] in _AUSGABE:  # the file an output goes to is never read
                continue
            datei = Path(arg)
            layout = sniff(datei)  # never opens a FIFO or device
            if layout is None or not layout.value_cols or datei.stat().st_size < DUCKDB_AB_BYTES:
                continue
            try:  # here, not in the thread: its import holds the GIL, the scan then runs beside everything else
                import duckdb  # noqa: F401
            except ImportError:
                return
            from .gridbox import rough_box_3035

            box = rough_box_3035(Path(geometrie) if geometrie is not None else BEZIRKE_GEOJSON)
            if box is None:
                return
            vorab = Vorab(datei, layout, box)
            _running.append(vorab)
            vorab._thread.start()
            return
    except Exception:  # anything odd: the regular path reads the file (and reports)
        return


def _option(argv: list[str], name: str) -> str | None:
    for k, arg in enumerate(argv):
        if arg == name and k + 1 < len(argv):
            return argv[k + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1:]
    return None


def take(datei: Path, layout: GridLayout) -> Vorab | None:
    """The early scan of this file (unchanged since it started, same layout), or None; any other is stopped."""
    if not _running:
        return None
    try:
        identity = _identity(datei)
    except OSError:
        identity = None
    found = None
    for vorab in list(_running):
        _running.remove(vorab)
        if found is None and vorab.identity == identity and vorab.layout == layout:
            found = vorab
        else:
            vorab.stop()
    return found


def _stop_all() -> None:
    while _running:
        _running.pop().stop()


atexit.register(_stop_all)  # a daemon thread inside DuckDB must not outlive the interpreter


def running() -> list[Any]:
    """The scans started early and not yet taken (for tests)."""
    return list(_running)
