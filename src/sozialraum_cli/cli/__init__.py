"""The command line: one small module per command; options -> core -> render.

`main` is the console script `sozialraum`. A run is one short process, and the fixed costs of its
start and exit are as large as the work on a district table, so it
- raises the thresholds of the garbage collector's older generations: their full passes over the
  ~10^6 objects the imports (pandas above all) leave behind cost ~30 ms and find nothing; young
  objects are still collected (threshold 700), and reference counting frees memory as always;
- starts the DuckDB scan of a large grid file named on the command line before typer loads
  (gridearly: typer, the mapping, numpy, shapely and pandas load while DuckDB reads);
- keeps numpy's BLAS to one thread unless OPENBLAS_NUM_THREADS is set (its threads only spin while
  numpy loads, ~60 ms CPU on two cores);
- exits without unloading the interpreter (`_exit`).
The library (import sozialraum_cli) and typer's test runner leave all of this alone.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    import gc
    import os

    _closed_streams()
    gc.set_threshold(700, 1000, 1000)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from ..gridearly import start

    start(sys.argv[1:])
    from .app import main as run

    try:
        run()
    except SystemExit as exc:
        _exit(exc.code)
    _exit(0)


def _closed_streams() -> None:
    """Started with stdout or stderr closed (`>&-`, `2>&-`), Python sets them to None: a message would then go to
    stdout (print(file=None)), and writing the result would be an internal error. A closed stderr swallows the
    messages; a closed stdout refuses the result with a German error (exit 1), as a full disk does."""
    import io
    import os

    class Closed(io.TextIOBase):
        def isatty(self) -> bool:
            return False

        def write(self, text: str) -> int:
            import errno

            raise OSError(errno.EBADF, "closed")

    if sys.stdout is None:
        sys.stdout = Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


def _exit(code: Any) -> None:
    """Exit as Python would, without unloading the interpreter (pandas, numpy and shapely take ~60 ms to
    tear down): the exit handlers run and the output is flushed first. With another thread still running,
    a normal exit."""
    import atexit
    import os
    import threading

    if any(t is not threading.main_thread() and not t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe
            status = 120  # as Python's own exit when it cannot flush stdout or stderr
    os._exit(status)
