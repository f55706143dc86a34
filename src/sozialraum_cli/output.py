"""Write output files atomically: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputError


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
) -> None:
    """Write data to path; never leaves a half-written file, never touches an input file."""
    target = Path(path)
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise OutputError(
            "Die Ausgabedatei ist zugleich eine Eingabedatei; Eingabedateien werden nie verändert.",
            datei=target,
            hilfe="Bitte einen anderen Namen für --output wählen.",
        )
    if target.is_dir():
        raise OutputError("Das ist ein Ordner; --output braucht einen Dateinamen.", datei=target)
    if target.exists() and not force:
        raise OutputError("Die Ausgabedatei gibt es schon.", datei=target, hilfe="Mit --force wird sie ersetzt.")
    if not target.parent.exists():
        raise OutputError(f"Den Ordner „{target.parent}“ gibt es nicht.", datei=target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"Die Ausgabedatei kann nicht geschrieben werden ({exc.strerror}).", datei=target) from None
        raise
