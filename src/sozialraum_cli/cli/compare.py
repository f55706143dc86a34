"""`sozialraum compare`: two schemes against each other, with what-if changes to scheme B."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import Eingabe, check_output, load_data, options_text, resolve_format, say_notes, write_result
from .geheimhaltung import schutz
from .options import (
    ConfigOption,
    ForceOption,
    Format,
    FormatOption,
    CodeColumnOption,
    HeaderRowOption,
    NameColumnOption,
    IndicatorColumnOption,
    ValueColumnOption,
    YearColumnOption,
    MinCountOption,
    NoDisclosureOption,
    OutputOption,
    SheetOption,
    SymbolOption,
    VerboseOption,
    YearOption,
)

EPILOG = (
    "Beispiel: sozialraum compare planungsraeume sozialraeume data/raw/privathaushalte_2006-2016.csv --year 2016 "
    "--move 133=Winzerla"
)


def compare(
    ctx: typer.Context,
    scheme_a: Annotated[str, typer.Argument(help="Schema A (Zeilen), z. B. planungsraeume.", metavar="SCHEMA_A", show_default=False)],
    scheme_b: Annotated[str, typer.Argument(help="Schema B (Spalten), z. B. sozialraeume.", metavar="SCHEMA_B", show_default=False)],
    dateien: Annotated[
        Optional[list[Path]],
        typer.Argument(
            help="Datei(en) mit Bezirksstatistik; ohne Datei wird nach Zahl der Bezirke verglichen.",
            metavar="DATEI...",
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        Optional[str],
        typer.Option("--value", help="Anzahl, nach der verglichen wird (Standard: die erste Anzahl der Datei).", metavar="MERKMAL", show_default=False),
    ] = None,
    year: YearOption = None,
    move: Annotated[
        Optional[list[str]],
        typer.Option(
            "--move",
            help="Bezirk in Schema B versetzen: NR=RAUM oder NAME=RAUM (mehrfach möglich); ein unbekannter Raum wird angelegt.",
            metavar="BEZIRK=RAUM",
            show_default=False,
        ),
    ] = None,
    config_b: Annotated[
        Optional[Path],
        typer.Option("--config-b", help="Schema B aus dieser Zuordnungsdatei nehmen (z. B. ein Vorschlag).", metavar="DATEI", show_default=False),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    config: ConfigOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    code_column: CodeColumnOption = None,
    name_column: NameColumnOption = None,
    indicator_column: IndicatorColumnOption = None,
    value_column: ValueColumnOption = None,
    year_column: YearColumnOption = None,
    symbol: SymbolOption = None,
    verbose: VerboseOption = False,
    min_count: MinCountOption = None,
    no_disclosure: NoDisclosureOption = False,
) -> None:
    """Zwei Schemata vergleichen: Überleitung, wechselnde Bezirke, Ränge nebeneinander."""
    from ..render import vergleich as darstellung
    from ..compare import check_same_districts
    from ..compare import compare as compare_core
    from ..export import comparison_workbook
    from ..errors import AufrufError
    from ..mapping import load_mapping, move_districts
    from .schemes import resolve_schemes

    fmt = resolve_format(fmt, output)
    eingabe = Eingabe.aus_optionen(dateien, locals())
    zuordnung = eingabe.zuordnung()
    check_output(output, force=force, inputs=eingabe.inputs(zuordnung))
    inputs = [zuordnung.datei]
    if "all" in (scheme_a, scheme_b):
        raise AufrufError("compare vergleicht genau zwei Schemata; „all“ ist hier nicht möglich.")
    (schema_a,) = resolve_schemes(zuordnung, scheme_a, nur_eines=True, option="SCHEMA_A")
    notes = []
    if config_b is not None:
        zuordnung_b = load_mapping(config_b)
        check_same_districts(zuordnung, zuordnung_b)
        (schema_b,) = resolve_schemes(zuordnung_b, scheme_b, nur_eines=True, option="SCHEMA_B")
        inputs.append(zuordnung_b.datei)
        notes.append(f"Schema B „{schema_b.name}“ stammt aus {zuordnung_b.datei} (geänderte Gliederung).")
    else:
        (schema_b,) = resolve_schemes(zuordnung, scheme_b, nur_eines=True, option="SCHEMA_B")
    if move:
        pairs = []
        for item in move:
            bezirk, sep, raum = item.partition("=")
            if not sep or not bezirk.strip():
                raise AufrufError(f"--move „{item}“: erwartet wird BEZIRK=RAUM, z. B. --move 133=Winzerla.")
            pairs.append((bezirk.strip(), raum.strip()))
        schema_b, warnings = move_districts(zuordnung, schema_b, pairs)
        notes += warnings
        notes.append(f"Schema B wurde für diesen Vergleich geändert: {schema_b.titel}.")
    daten = None
    if dateien:
        daten = load_data(zuordnung, eingabe)
        inputs += dateien
    vergleich = compare_core(
        zuordnung, schema_a, schema_b, daten, merkmal=value, jahr=year, geaendert=bool(move or config_b),
    )
    regel = schutz(zuordnung, min_count, no_disclosure)
    if regel.min_count is not None and daten is not None:
        from ..publication import protect

        (vergleich,) = protect(zuordnung, daten, [vergleich], regel.min_count).ergebnisse
    if regel.hinweis and daten is not None:
        notes.append(regel.hinweis)
    vergleich.warnungen[:0] = [n for n in notes if "angelegt" in n or "entfällt" in n]
    vergleich.hinweise[:0] = [n for n in notes if n not in vergleich.warnungen]
    if fmt is not Format.table:
        say_notes(vergleich.hinweise, vergleich.warnungen)
    write_result(
        fmt,
        output,
        force=force,
        inputs=inputs,
        tabellen=lambda: darstellung.tabellen(vergleich),
        records=lambda: darstellung.records(vergleich),
        json_doc=lambda: darstellung.json_doc(vergleich, str(zuordnung.datei)),
        markdown=lambda: darstellung.markdown(vergleich),
        xlsx=lambda: comparison_workbook(zuordnung, vergleich, daten, optionen=options_text(ctx)).to_bytes(),
    )
