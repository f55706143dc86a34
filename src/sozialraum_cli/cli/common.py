"""Helpers shared by the commands: format choice, writing results, messages on stderr."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import AufrufError
from .options import SUFFIX_FORMAT, Format


def resolve_format(fmt: Format | None, output: Path | None) -> Format:
    if fmt is not None:
        implied = SUFFIX_FORMAT.get(output.suffix.lower()) if output is not None else None
        fits = implied is fmt or (implied is Format.csv and fmt is Format.csv_de)
        if implied is not None and not fits and output.suffix.lower() != ".txt":
            raise AufrufError(
                f"--format {fmt.value} passt nicht zur Endung von „{output.name}“ ({implied.value}).",
                hilfe="Bitte --format oder den Dateinamen anpassen.",
            )
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in SUFFIX_FORMAT:
            return SUFFIX_FORMAT[suffix]
        raise AufrufError(
            f"Das Format für „{output.name}“ ist unklar.",
            hilfe="Bitte --format angeben (table, csv, json, markdown).",
        )
    return Format.table if sys.stdout.isatty() else Format.csv


def terminal_width() -> int:
    if sys.stdout.isatty():
        return shutil.get_terminal_size((120, 24)).columns
    return int(os.environ.get("COLUMNS", "160"))


def use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def emit(
    data: str | bytes, output: Path | None, *, force: bool = False, inputs: Iterable[Path] = (), quiet: bool = False
) -> None:
    """Result data to stdout or, atomically, to the output file."""
    if output is None:
        try:
            sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            from ..errors import OutputError
            from ..sources import os_reason

            raise OutputError(f"Die Standardausgabe kann nicht geschrieben werden ({os_reason(exc)}).") from None
        return
    from ..output import write_atomic

    write_atomic(output, data, force=force, inputs=inputs)
    if not quiet:
        say(f"Geschrieben: {output}")


def say(message: str) -> None:
    """A message for people, on stderr (control characters from data escaped)."""
    from ..errors import printable

    import contextlib

    with contextlib.suppress(OSError):  # stderr on a full disk: a note that cannot be shown must not cost the result
        print(printable(message), file=sys.stderr)


def check_output(output: Path | None, *, force: bool, inputs: Iterable[Path]) -> None:
    """Before any work: an --output file that exists (without --force), is an input, a folder or has no folder
    to go to is refused now, not after the computation (write_atomic checks again when it writes)."""
    if output is not None:
        from ..output import check_target

        check_target(Path(output), force=force, inputs=inputs)


def write_result(
    fmt: Format,
    output: Path | None,
    *,
    force: bool,
    inputs: Iterable[Path],
    tabellen: Callable[[], list],
    records: Callable[[], list[dict]],
    json_doc: Callable[[], dict],
    markdown: Callable[[], str] | None = None,
    xlsx: Callable[[], bytes] | None = None,
    quiet: bool = False,
) -> None:
    """Render a result in the chosen format and write it (one dispatch for every command)."""
    from .. import render

    if fmt is Format.xlsx:
        if output is None:
            raise AufrufError("Das Format xlsx braucht --output DATEI.xlsx.")
        data = xlsx() if xlsx is not None else records_workbook(records(), tabellen(), inputs)
        emit(data, output, force=force, inputs=inputs, quiet=quiet)
        return
    if fmt is Format.table:
        text = render.render_rich(
            tabellen(), width=terminal_width() if output is None else 200, color=use_color() and output is None
        )
    elif fmt is Format.csv:
        text = render.render_csv(records())
    elif fmt is Format.csv_de:
        text = render.render_csv_de(records())
    elif fmt is Format.json:
        text = render.render_json(json_doc())
    else:
        text = markdown() if markdown else render.render_markdown(records())
    emit(text, output, force=force, inputs=inputs, quiet=quiet)


def write_mapping_result(config: Path | None, fmt: Format | None, output: Path | None, force: bool,
                         outputs: Callable[[Any], dict[str, Callable]]) -> None:
    """`schemes`, `districts`, `mapping check`: load the mapping and write what `outputs(zuordnung)` renders
    (write_result's tabellen, records, json_doc and, where a sheet of its own exists, xlsx)."""
    from ..mapping import load_mapping

    fmt = resolve_format(fmt, output)
    zuordnung = load_mapping(config)
    write_result(fmt, output, force=force, inputs=[zuordnung.datei], **outputs(zuordnung))


def options_text(ctx: Any) -> str:
    """The command and the options that were set, for the provenance in Metadaten."""
    parts = [ctx.command_path]
    for name, value in ctx.params.items():
        if name in ("force", "quiet", "output") or value is None or value is False or value == [] or value == ():
            continue
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        elif hasattr(value, "value"):  # enums
            value = value.value
        parts.append(f"{name}={value}")
    return "; ".join(parts)


# command parameter -> Eingabe field, for every input option the data commands share
_OPTIONEN = {
    "config": "config", "sheet": "sheet", "header_row": "header_row", "symbol": "symbole", "geometry": "geometrie",
    "verbose": "verbose", "year": "jahr", "code_column": "code_spalte", "name_column": "name_spalte", "strict": "strict",
    "indicator_column": "merkmal_spalten", "value_column": "wert_spalte", "year_column": "jahr_spalte",
    "code_property": "code_property",
}


@dataclass
class Eingabe:
    """The input options every data command shares, in one place (typer still needs each as a parameter).

    A command builds it from its parameters and hands it on: `zuordnung = eingabe.zuordnung()`,
    `daten = load_data(zuordnung, eingabe)`, `inputs=eingabe.inputs(zuordnung)`.
    """

    dateien: list[Path] = field(default_factory=list)
    config: Path | None = None
    sheet: str | None = None
    header_row: int | None = None
    symbole: list[str] | None = None
    geometrie: Path | None = None
    verbose: bool = False
    jahr: int | None = None
    code_spalte: str | None = None  # --code-column: the key column, by its header
    name_spalte: str | None = None  # --name-column
    strict: bool = False  # a name that does not fit its code: an error, not a note
    merkmal_spalten: list[str] | None = None  # --indicator-column (long files)
    wert_spalte: str | None = None  # --value-column
    jahr_spalte: str | None = None  # --year-column
    code_property: str = "id"  # --code-property: the GeoJSON property with the unit's key (grid, coordinates)
    pruefsumme: bool = True  # False: the output shows no checksum, so a large grid or record file is not hashed

    @classmethod
    def aus_optionen(cls, dateien: Any, optionen: dict[str, Any]) -> "Eingabe":
        """From a command's parameters (its `locals()`, before any option is reassigned): every shared input
        option it has, by its parameter name; the one table between option names and fields is _OPTIONEN."""
        return cls(list(dateien or []), **{feld: optionen[name] for name, feld in _OPTIONEN.items() if name in optionen})

    def zuordnung(self) -> Any:
        from ..mapping import load_mapping

        return load_mapping(self.config)

    def inputs(self, zuordnung: Any, *more: Path) -> list[Path]:
        """The files an output must not overwrite: the data, the mapping and any further input."""
        return [*self.dateien, zuordnung.datei, *more]


def load_data(zuordnung: Any, eingabe: Eingabe, *, merkmale: list[str] | None = None, nur_jahr: bool = False) -> Any:
    """Read and join the data files; with verbose, name the skipped lines on stderr.

    `merkmale` (the command's --value) and, with `nur_jahr`, the bundle's year let long files be read for
    those only. Zensus grid files are read together (their cells joined, so that a mean can be weighted
    per cell) and summed to the districts of the bundle's geometry.
    """
    from ..gridlayout import is_grid_file
    from ..reading import combine_bezirksdaten, parse_symbol_option, read_bezirksdaten, symbol_table

    try:
        overrides = dict(parse_symbol_option(s) for s in eingabe.symbole or [])
        symbol_table(overrides)
    except ValueError as exc:
        raise AufrufError(str(exc), parameter="symbole") from None
    dateien = eingabe.dateien
    grids = [d for d in dateien if is_grid_file(d)]
    teile = []
    if grids:
        from ..grid import read_grid

        teile.append(read_grid(grids, zuordnung, geometrie=eingabe.geometrie, symbole=overrides,
                               pruefsumme=eingabe.pruefsumme, code_property=eingabe.code_property))
    teile += [read_bezirksdaten(d, zuordnung, sheet=eingabe.sheet, header_row=eingabe.header_row, symbole=overrides,
                                merkmale=merkmale, jahr=eingabe.jahr if nur_jahr else None,
                                code_column=eingabe.code_spalte, name_column=eingabe.name_spalte, strict=eingabe.strict,
                                lang=(list(eingabe.merkmal_spalten or []), eingabe.wert_spalte, eingabe.jahr_spalte))
              for d in dateien if d not in grids]
    daten = combine_bezirksdaten(teile, zuordnung)
    if eingabe.verbose:
        for line in daten.details:
            say(f"Gelesen: {line}")
    return daten


def records_workbook(records: list[dict], tabellen: list, inputs: Iterable[Path]) -> bytes:
    """A command without a workbook of its own as one simple sheet: its records (numbers stay numbers,
    codes stay text), headed by the title of its first table."""
    from ..xlsx import Blatt, XSpalte, workbook_bytes

    titel = tabellen[0].titel if tabellen else "sozialraum"
    keys = list(dict.fromkeys(k for r in records for k in r))
    quelle = ", ".join(Path(p).name for p in inputs)
    blatt = Blatt(name=titel, spalten=[XSpalte(k) for k in keys], zeilen=[[r.get(k) for k in keys] for r in records],
                  titel=titel, quelle=f"Quelle: {quelle}" if quelle else "")
    return workbook_bytes([blatt], titel=titel, thema="sozialraum")


def say_notes(hinweise: Iterable[str] = (), warnungen: Iterable[str] = ()) -> None:
    """Notes and warnings on stderr (for machine formats; tables carry them in their footer)."""
    for h in dict.fromkeys(hinweise):
        say(f"Hinweis: {h}")
    for w in dict.fromkeys(warnungen):
        say(f"Warnung: {w}")


def add_geometry_areas(zuordnung: Any, daten: Any, wanted: list[str] | None, geometry: Path | None,
                       code_property: str = "id") -> Any:
    """Add the areas (km²) of indicators with `quelle: geometrie` that `wanted` asks for, directly or as a part."""
    if not wanted:
        return daten
    from ..geo import flaechen_km2, load_geometrie
    from ..reading import add_column

    merkmale = zuordnung.merkmale
    needed = set(wanted) | {p for w in wanted if w in merkmale for p in merkmale[w].teile}
    todo = [m for m in merkmale.values() if m.quelle == "geometrie" and m.name in needed and m.name not in daten.merkmale]
    if not todo:
        return daten
    geo = load_geo(zuordnung, geometry, code_property, quiet=True) if geometry is None else load_geometrie(geometry, code_property)
    areas = flaechen_km2(geo)
    for m in todo:
        werte = {nr: a for nr, a in areas.items() if nr in zuordnung.bezirke}
        nz = zuordnung.code_fuer("nicht_zugeordnet")
        if nz is not None:
            werte[nz] = 0.0  # what cannot be assigned to a district has no territory
        daten = add_column(daten, m.name, m.titel, werte, f"den Bezirksgrenzen ({geo.datei.name})")
    return daten


OHNE_GEOMETRIE = "Ohne --geometry: Profile ohne Karte und Fläche."


def load_geo(zuordnung: Any, geometry: Path | None, code_property: str, *, quiet: bool = False,
             optional: bool = False) -> Any:
    """The district polygons; their mismatches with the mapping as warnings on stderr.

    Without --geometry only the bundled mapping (Jena) has polygons, the bundled ones. Another city's
    mapping has none: `optional` commands (profiles) go on without (None, with a note), the others stop
    with a usage error naming --geometry."""
    from ..geo import bundled_geometry_fits, load_geometrie, require_geometrie

    if geometry is None and not bundled_geometry_fits(zuordnung):
        if optional:
            if not quiet:
                say_notes(hinweise=[OHNE_GEOMETRIE])
            return None
        raise AufrufError(
            f"Für die Zuordnung „{zuordnung.datei.name}“ gibt es keine mitgelieferten Flächen: "
            f"bitte --geometry mit einer GeoJSON-Datei der {zuordnung.mehrzahl} angeben.",
            hilfe="Mit --code-property die Eigenschaft der Objekte mit dem Schlüssel nennen, z. B. --code-property PLR_ID.",
        )
    geo = load_geometrie(geometry, code_property)
    warnungen = require_geometrie(zuordnung, geo)
    if not quiet:
        say_notes(warnungen=warnungen)
    return geo


@dataclass
class Datensaetze:
    """The --records options of aggregate: how a file with one row per person, address or case is counted."""

    an: bool = False
    code_spalte: str | None = None
    lat: str | None = None
    lon: str | None = None
    x: str | None = None
    y: str | None = None
    crs: str = "EPSG:25832"
    zaehlungen: list[str] | None = None
    summen: list[str] | None = None

    def check(self, min_count: int | None, explizit: bool = True) -> None:
        """Options that need --records, or that --records cannot protect yet, as usage errors."""
        if not self.an:
            if self.lat or self.lon or self.x or self.y or self.zaehlungen or self.summen:
                raise AufrufError("--lat, --lon, --x, --y, --count und --sum gelten nur mit --records.")
        elif self.summen and min_count is not None:
            wie = "mit --min-count" if explizit else "mit der Geheimhaltung der Zuordnung"
            raise AufrufError(f"--sum lässt sich {wie} noch nicht schützen: ein Betrag verrät den Betrag eines "
                              "einzelnen Falls. Bitte --sum weglassen oder "
                              + ("ohne --min-count rechnen." if explizit else "mit --no-disclosure rechnen (nicht zur Veröffentlichung)."))


def load_records(zuordnung: Any, eingabe: Eingabe, datensaetze: Datensaetze) -> Any:
    """A record file (one row per person, address or case) counted per district."""
    from ..records import parse_count_option, read_records

    if len(eingabe.dateien) != 1:
        raise AufrufError("Mit --records bitte genau eine Datei angeben.")
    d = datensaetze
    return read_records(eingabe.dateien[0], zuordnung, code_column=d.code_spalte, lat=d.lat, lon=d.lon, x=d.x, y=d.y,
                        crs=d.crs, counts=[parse_count_option(c) for c in d.zaehlungen or []],
                        sums=list(d.summen or []), geometrie=eingabe.geometrie, pruefsumme=eingabe.pruefsumme,
                        code_property=eingabe.code_property)
