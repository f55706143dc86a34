"""Domain exceptions. Messages are German because users read them; the CLI prints them as is."""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text for the terminal: control characters from data (escape sequences, line breaks) as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class SozialraumError(Exception):
    """Base class: an error in the user's data or configuration (exit code 1)."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        datei: str | Path | None = None,
        zeile: int | None = None,
        spalte: str | None = None,
        hilfe: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.datei = str(datei) if datei is not None else None
        self.zeile = zeile
        self.spalte = spalte
        self.hilfe = hilfe

    def __str__(self) -> str:
        where = []
        if self.datei:
            where.append(self.datei)
        if self.zeile is not None:
            where.append(f"Zeile {self.zeile}")
        if self.spalte is not None:
            where.append(f"Spalte „{self.spalte}“")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.hilfe:
            text += f" {self.hilfe}"
        return text


class MappingError(SozialraumError):
    """The district mapping (districts.yaml) is malformed or inconsistent."""


class InputError(SozialraumError):
    """A data file cannot be read or does not fit the mapping."""


class OutputError(SozialraumError):
    """An output file cannot be written."""


class AufrufError(SozialraumError):
    """A parameter does not fit the data or mapping, e.g. an unknown scheme or indicator (exit code 2).

    `parameter` names the core's parameter (`jahr`, `merkmale`, `schema`, or a tuple of them when they
    conflict); the core writes its message without command-line flags, and the CLI puts the flag in
    front (`flag`, set by the CLI's error handler from its table parameter → flag). `siehe` names
    further parameters that can help; the CLI lists their flags after the message (`siehe_flags`).
    """

    exit_code = 2

    def __init__(
        self, message: str, *, parameter: str | tuple[str, ...] | None = None, siehe: tuple[str, ...] = (), **where
    ) -> None:
        super().__init__(message, **where)
        self.parameter = parameter
        self.siehe = siehe
        self.flag: str | None = None
        self.siehe_flags: list[str] = []

    def __str__(self) -> str:
        if not self.flag:
            return super().__str__()
        glue = " " if self.message[:1] in "„\"'0123456789-" else ": "
        hilfe = " ".join(h for h in (self.hilfe, f"Siehe {', '.join(self.siehe_flags)}." if self.siehe_flags else None) if h)
        inner = SozialraumError(f"{self.flag}{glue}{self.message}", datei=self.datei, zeile=self.zeile,
                                spalte=self.spalte, hilfe=hilfe or None)
        return str(inner)
