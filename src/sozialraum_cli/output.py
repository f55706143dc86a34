"""Write output files atomically: a temporary file in the same folder, then a rename.

No output ever replaces a file that the command read (also not through a symbolic or hard link),
nor a device, FIFO or socket; a new file gets the mode the umask allows, a replaced file keeps its mode.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputError

_inputs: dict[Path, tuple[int, int] | None] = {}  # every file read by the running command


def note_input(path: str | Path) -> None:
    """Remember a file the command reads; no output may replace it."""
    p = Path(path)
    _inputs[_resolve(p)] = _identity(p)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        return path.absolute()


def reset_inputs() -> None:
    """Forget the inputs of a previous command (several commands may run in one process)."""
    _inputs.clear()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        s = os.stat(path)
    except (OSError, ValueError):
        return None
    return (s.st_dev, s.st_ino)


def _is_input(target: Path, inputs: Iterable[str | Path]) -> bool:
    known = dict(_inputs)
    for p in inputs:
        if p is not None:
            known[_resolve(Path(p))] = _identity(Path(p))
    if _resolve(target) in known:
        return True
    ident = _identity(target)
    return ident is not None and ident in set(known.values())


def check_target(target: Path, *, force: bool, inputs: Iterable[str | Path] = (), option: str = "--output") -> None:
    """Refuse an output path that is an input, a folder, a special file, or exists without force."""
    if _is_input(target, inputs):
        raise OutputError(
            "Die Ausgabedatei ist zugleich eine Eingabedatei; Eingabedateien werden nie verändert.",
            datei=target,
            hilfe=f"Bitte einen anderen Namen für {option} wählen.",
        )
    if target.is_dir():
        raise OutputError(f"Das ist ein Ordner; {option} braucht einen Dateinamen.", datei=target)
    if target.exists() and not target.is_file():
        raise OutputError(
            "Das ist keine gewöhnliche Datei (sondern ein Gerät, eine FIFO oder ein Socket); sie wird nicht ersetzt.",
            datei=target,
            hilfe=f"Bitte für {option} den Namen einer gewöhnlichen Datei angeben.",
        )
    if target.exists() and not force:
        raise OutputError("Die Ausgabedatei gibt es schon.", datei=target, hilfe="Mit --force wird sie ersetzt.")
    if not target.parent.is_dir():
        what = "ist eine Datei, kein Ordner" if target.parent.exists() else "gibt es nicht"
        raise OutputError(f"„{target.parent}“ {what}; dort kann nichts geschrieben werden.", datei=target)


def new_file_mode() -> int:
    """The mode of a new file under the current umask (0666 minus the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
    option: str = "--output",
) -> None:
    """Write data to path; never leaves a half-written file, never touches an input file."""
    from .sources import os_reason

    target = Path(path)
    check_target(target, force=force, inputs=inputs, option=option)
    mode = stat.S_IMODE(target.stat().st_mode) if target.is_file() else new_file_mode()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"Die Ausgabedatei kann nicht geschrieben werden ({os_reason(exc)}).", datei=target) from None
        raise


def check_folder(folder: Path, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an output folder that is a file or an input, or whose parent is missing."""
    if folder.exists() and not folder.is_dir():
        raise OutputError("Das ist eine Datei; --output braucht hier einen Ordner.", datei=folder)
    if _is_input(folder, inputs):
        raise OutputError("Der Ausgabeordner ist zugleich eine Eingabe.", datei=folder)


def write_folder(folder: Path, files: dict[str, bytes | str], *, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Write a set of files into folder: all of them or none (first into a temporary folder, then moved)."""
    from .sources import os_reason

    inputs = list(inputs)
    check_folder(folder, inputs)
    parent = folder.parent
    if folder.is_dir():
        for name in files:
            check_target(folder / name, force=force, inputs=inputs)
    mode = new_file_mode()
    tmp = None
    try:
        parent.mkdir(parents=True, exist_ok=True)  # the folder is created, as before
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".tmp"))
        for name, data in files.items():
            payload = data.encode("utf-8") if isinstance(data, str) else data
            (tmp / name).write_bytes(payload)
            os.chmod(tmp / name, mode)
        if not folder.exists():
            os.chmod(tmp, 0o777 & ~os.umask(os.umask(0)))  # mkdtemp made it 0700
            os.rename(tmp, folder)  # the whole set appears at once
            tmp = None
            return
        for name in files:
            existing = folder / name
            if existing.is_file():
                os.chmod(tmp / name, stat.S_IMODE(existing.stat().st_mode))
            os.replace(tmp / name, existing)
    except OSError as exc:
        raise OutputError(f"Der Ausgabeordner kann nicht geschrieben werden ({os_reason(exc)}).", datei=folder) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
