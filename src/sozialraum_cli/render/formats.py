"""Formats shared by every result: German numbers for people (108.141, 6,2 %), plain numbers
for scripts, and the writers for terminal tables (rich), CSV (plain and for German spreadsheets),
JSON and Markdown. Computes nothing; each result type has its own module beside this one.
"""

from __future__ import annotations

import csv
import io
import json
import math
import textwrap
from dataclasses import dataclass, field
from typing import Any, Iterable

from .. import __version__

FEHLT_ZEICHEN = "."  # Zeichenerklärung: value unknown or secret (the same meaning as "." on input)
GEHEIM_ZEICHEN = "*"  # suppressed by disclosure control
UNVOLLSTAENDIG_ZEICHEN = "≥"
LEGENDE = f"„{UNVOLLSTAENDIG_ZEICHEN}“ = Summe unvollständig (mindestens), „{FEHLT_ZEICHEN}“ = Wert unbekannt oder geheim (nicht veröffentlicht)."
_MACHINE_DIGITS = 4


# ----------------------------------------------------------------------------- numbers


def missing(x: Any) -> bool:
    """None, NaN or pandas.NA (checked by type name, so that pandas is not imported here)."""
    return x is None or (isinstance(x, float) and math.isnan(x)) or type(x).__name__ == "NAType"


def zahl(x: float | None, stellen: int = 0) -> str:
    """German number: 108141 -> '108.141', 6.25 with 1 place -> '6,3'."""
    if missing(x):
        return FEHLT_ZEICHEN
    text = f"{x:,.{stellen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def anzahl(x: float | None, vollstaendig: bool = True) -> str:
    """A count; fractional (allocated) counts get one decimal; incomplete sums get '≥'."""
    if missing(x):
        return FEHLT_ZEICHEN
    text = zahl(x, 0 if float(x).is_integer() else 1)
    return text if vollstaendig else f"{UNVOLLSTAENDIG_ZEICHEN} {text}"


def prozent(x: float | None, stellen: int = 1) -> str:
    if missing(x):
        return FEHLT_ZEICHEN
    return f"{zahl(x, stellen)} %"


def maschinenzahl(x: Any) -> Any:
    """Plain number for csv/json: ints stay ints, floats are rounded, missing becomes None."""
    if missing(x):
        return None
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    if f.is_integer():
        return int(f)
    return round(f, _MACHINE_DIGITS)


def zellwert(x: Any) -> float | int | None:
    """A number for a workbook cell, unrounded (the cell's format rounds); missing becomes None (empty)."""
    if missing(x):
        return None
    f = float(x)
    return int(f) if f.is_integer() else f


# ----------------------------------------------------------------------------- tables


@dataclass
class Spalte:
    titel: str
    rechts: bool = True


@dataclass
class Tabelle:
    """A table for people: every cell already formatted as German text."""

    titel: str
    spalten: list[Spalte]
    zeilen: list[list[str]]
    summenzeilen: list[list[str]] = field(default_factory=list)  # shown below a rule, in bold
    fussnoten: list[str] = field(default_factory=list)


def render_rich(tabellen: Iterable[Tabelle], width: int | None = None, color: bool = False) -> str:
    """Tables for the terminal as text (rich boxes, no colours unless asked), never wider than `width`.

    A table that does not fit wraps its text columns (names, lists) at spaces; if that is not
    enough, long headers of number columns become numbers "(1)", "(2)" explained below the table;
    if even that is too wide, each row is shown as a block of "header: value" lines. Numbers are
    never cut or squeezed.
    """
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    width = width or 200
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
    )
    for i, t in enumerate(tabellen):
        if i:
            console.print()
        legende: list[str] = []
        table, kurz = _rich_table(t, abgekuerzt=False), {}
        if _min_width(t, kurz) > width:
            table, kurz, legende = _rich_table(t, abgekuerzt=True), _abkuerzen(t), _kurz_legende(t)
        if _min_width(t, kurz) > width:
            _print_vertical(console, t, width)
        else:
            console.print(table)
            for line in legende:
                console.print(Text(line), soft_wrap=False, overflow="fold")
        for note in t.fussnoten:
            console.print(Text(note), soft_wrap=False, overflow="fold")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def _kurz(k: int) -> str:
    return f"({k})"


def _abkuerzen(t: Tabelle) -> dict[int, str]:
    """Column index -> short header for number columns whose header is wider than their widest value."""
    out, k = {}, 0
    for j, s in enumerate(t.spalten):
        widest = max((len(r[j]) for r in [*t.zeilen, *t.summenzeilen] if j < len(r)), default=0)
        if s.rechts and max(len(w) for w in s.titel.split() or [""]) > max(widest, 4):
            k += 1
            out[j] = _kurz(k)
    return out


def _kurz_legende(t: Tabelle) -> list[str]:
    kurz = _abkuerzen(t)
    return [f"{kurz[j]} {t.spalten[j].titel}" for j in kurz]


def _rich_table(t: Tabelle, *, abgekuerzt: bool):
    from rich.table import Table
    from rich.text import Text

    kurz = _abkuerzen(t) if abgekuerzt else {}
    table = Table(title=Text(t.titel, style="bold"), title_justify="left", show_lines=False)
    for j, s in enumerate(t.spalten):
        # long headers break at spaces; numbers never break, text columns (names, lists) may
        titel = kurz.get(j) or textwrap.fill(s.titel, width=max(12, *(len(w) for w in s.titel.split() or [""])))
        table.add_column(Text(titel), justify="right" if s.rechts else "left", no_wrap=s.rechts, overflow="fold")
    for k, row in enumerate(t.zeilen):
        last = k == len(t.zeilen) - 1
        table.add_row(*(Text(c) for c in row), end_section=last and bool(t.summenzeilen))
    for row in t.summenzeilen:
        table.add_row(*(Text(c, style="bold") for c in row))
    return table


def _min_width(t: Tabelle, kurz: dict[int, str]) -> int:
    """The narrowest the table can be drawn without cutting a number or a word: number columns keep
    their widest cell whole, text columns their longest word; plus borders and padding."""
    total = 1
    for j, s in enumerate(t.spalten):
        cells = [r[j] for r in [*t.zeilen, *t.summenzeilen] if j < len(r)]
        titel = kurz.get(j) or s.titel
        if s.rechts:
            need = max([len(c) for c in cells] + [max((len(w) for w in titel.split()), default=0)], default=0)
            need = max(need, min(len(titel), max(12, need)) if not kurz.get(j) else len(titel))
        else:
            need = max((len(w) for c in [*cells, titel] for w in c.split()), default=0)
        total += need + 3
    return total


def _print_vertical(console: Any, t: Tabelle, width: int) -> None:
    """One block per row: the first column as its heading, then "header: value" lines, wrapped to the width."""
    from rich.text import Text

    console.print(Text(t.titel, style="bold"), soft_wrap=False, overflow="fold")
    keys = [" ".join(s.titel.split()) for s in t.spalten[1:]]
    key_width = min(max((len(k) for k in keys), default=0), max(8, width // 2))
    rows = [(r, False) for r in t.zeilen] + [(r, True) for r in t.summenzeilen]
    first = next((j for j, s in enumerate(t.spalten) if not s.rechts), 0)  # the name column heads each block
    for row, bold in rows:
        console.print(Text("─" * min(width, 40)))
        console.print(Text(row[first] if first < len(row) else "", style="bold"), soft_wrap=False, overflow="fold")
        value_width = max(8, width - key_width - 4)
        numbers = max((len(row[j]) for j, s in enumerate(t.spalten) if s.rechts and j < len(row)), default=0)
        for j, s in enumerate(t.spalten):
            if j == first or j >= len(row) or not row[j]:
                continue
            key = " ".join(s.titel.split())
            lines = textwrap.wrap(key, key_width) or [""]
            values = textwrap.wrap(row[j], value_width, break_long_words=True, break_on_hyphens=False) or [""]
            if s.rechts and len(values) == 1 and numbers <= value_width:  # numbers right-aligned, as in the table
                values = [values[0].rjust(numbers)]
            for n in range(max(len(lines), len(values))):
                k = lines[n] if n < len(lines) else ""
                v = values[n] if n < len(values) else ""
                console.print(Text(f"  {k:<{key_width}}  {v}", style="bold" if bold else ""), soft_wrap=False,
                              overflow="fold")
    console.print(Text("─" * min(width, 40)))


def _fields(records: list[dict[str, Any]]) -> list[str]:
    """Every key of the records, in order of first appearance."""
    fields = list(records[0])
    for r in records[1:]:
        fields += [k for k in r if k not in fields]
    return fields


def render_csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    buf = io.StringIO()
    fields = _fields(records)
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: csv_value(v) for k, v in r.items()})
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv_de(records: list[dict[str, Any]]) -> str:
    """CSV for a German spreadsheet: semicolons, decimal comma, UTF-8 with BOM.

    A text field that a spreadsheet would take for a formula (starting with = + - @, tab or CR)
    gets a leading apostrophe, so that opening the file never runs anything a data file chose.
    """
    if not records:
        return ""
    buf = io.StringIO()
    fields = _fields(records)
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([_excel_text(f) for f in fields])
    for r in records:
        writer.writerow([_excel_cell(r.get(f)) for f in fields])
    return "\ufeff" + buf.getvalue()


def _excel_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _excel_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "wahr" if v else "falsch"
    if isinstance(v, (int, float)):
        return str(v).replace(".", ",")
    return _excel_text(str(v))


def csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def render_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def render_markdown(records: list[dict[str, Any]], titel: str | None = None) -> str:
    if not records:
        return ""
    fields = list(records[0])
    lines = []
    if titel:
        lines += [f"## {titel}", ""]
    lines.append("| " + " | ".join(fields) + " |")
    lines.append("|" + "|".join("---:" if _numeric_column(records, f) else "---" for f in fields) + "|")
    for r in records:
        lines.append("| " + " | ".join(_md_cell(r.get(f)) for f in fields) + " |")
    return "\n".join(lines) + "\n"


def _numeric_column(records: list[dict[str, Any]], f: str) -> bool:
    values = [r.get(f) for r in records if r.get(f) is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _md_cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).replace("|", "\\|").replace("\n", " ")


def meta() -> dict[str, Any]:
    return {"programm": "sozialraum", "version": __version__}
