"""`sozialraum index`: a composite social index per district and per Raum."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .common import Eingabe, check_output, load_data, options_text, resolve_format, say_notes, write_result
from .options import (
    ConfigOption,
    FilesArgument,
    ForceOption,
    Format,
    FormatOption,
    CodeColumnOption,
    HeaderRowOption,
    NameColumnOption,
    IndicatorColumnOption,
    ValueColumnOption,
    YearColumnOption,
    OutputOption,
    SheetOption,
    SymbolOption,
    VerboseOption,
    YearOption,
)

EPILOG = (
    "Beispiel: sozialraum index data/raw/beispiel_2021.csv --indicator sgb2_quote --min-population einwohner=300 "
    "--classes 'hoch<-1<=mittel<=1<niedrig' --scheme sozialraeume"
)


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    from ..errors import AufrufError

    out = []
    for text in values or []:
        col, sep, value = text.rpartition("=")
        if not sep or not col.strip() or not value.strip():
            raise AufrufError(f"{option} „{text}“: erwartet wird MERKMAL=WERT, z. B. {option} alq=2.")
        out.append((col.strip(), value.strip()))
    return out


def _number(text: str, option: str, whole: str) -> float:
    from ..errors import AufrufError

    try:
        return float(text.replace(",", ".").replace("−", "-"))
    except ValueError:
        raise AufrufError(f"{option} „{whole}“: „{text}“ ist keine Zahl.") from None


def build_definition(
    zuordnung,
    *,
    index_name: str | None,
    indicators: list[str] | None,
    weights: list[str] | None,
    directions: list[str] | None,
    no_standardize: bool,
    mean: bool,
    min_population: str | None,
    population: str | None,
    classes: str | None,
):
    """The index definition from the mapping (--index) and/or the options; options win."""
    import dataclasses

    from ..errors import AufrufError
    from ..indexdef import IndexDefinition, parse_klassen

    if index_name is not None:
        if indicators:
            raise AufrufError("Bitte entweder --index oder --indicator angeben, nicht beides.")
        if index_name not in zuordnung.indizes:
            known = ", ".join(zuordnung.indizes) or "keine"
            raise AufrufError(f"Den Index „{index_name}“ gibt es nicht in {zuordnung.datei}. Vorhanden: {known}.")
        d = zuordnung.indizes[index_name]
    else:
        if not indicators:
            raise AufrufError(
                "Bitte Indikatoren angeben (--indicator MERKMAL, mehrfach) oder einen Index der Zuordnung (--index NAME)."
            )
        doubles = sorted({i for i in indicators if indicators.count(i) > 1})
        if doubles:
            raise AufrufError(f"--indicator „{doubles[0]}“ steht zweimal.")
        d = IndexDefinition(name="index", titel="Index", indikatoren=tuple(indicators))
    gewichte, richtungen = dict(d.gewichte), dict(d.richtungen)
    for col, text in _pairs(weights, "--weight"):
        w = _number(text, "--weight", f"{col}={text}")
        if not w > 0:
            raise AufrufError(f"--weight {col}={text}: Das Gewicht muss größer als 0 sein (die Richtung steht in --direction).")
        gewichte[col] = w
    for col, text in _pairs(directions, "--direction"):
        r = _number(text, "--direction", f"{col}={text}")
        if r not in (1, -1):
            raise AufrufError(f"--direction {col}={text}: Die Richtung muss 1 oder -1 sein.")
        richtungen[col] = int(r)
    for col in list(gewichte) + list(richtungen):
        if col not in d.indikatoren:
            raise AufrufError(f"„{col}“ hat ein Gewicht oder eine Richtung, ist aber kein Indikator ({', '.join(d.indikatoren)}).")
    changes: dict = {"gewichte": gewichte, "richtungen": richtungen}
    if min_population is not None:
        ((col, text),) = _pairs([min_population], "--min-population")
        n = _number(text, "--min-population", min_population)
        if n < 0:
            raise AufrufError(f"--min-population {min_population}: Die Mindestzahl darf nicht negativ sein.")
        changes["mindest_einwohner"] = (col, n)
    if population is not None:
        changes["einwohner"] = population
    if classes is not None:
        try:
            changes["klassen"] = parse_klassen(classes)
        except ValueError as exc:
            raise AufrufError(f"--classes: {exc}") from None
    if no_standardize:
        changes["standardisieren"] = False
    if mean:
        changes["mittelwert"] = True
    return dataclasses.replace(d, **changes)


def index(
    ctx: typer.Context,
    dateien: FilesArgument,
    index_name: Annotated[
        Optional[str],
        typer.Option("--index", help="Index aus dem Abschnitt „indizes“ der Zuordnung.", metavar="NAME", show_default=False),
    ] = None,
    indicator: Annotated[
        Optional[list[str]],
        typer.Option("--indicator", "-i", help="Indikator (Merkmal der Datei oder Quote der Zuordnung), mehrfach möglich.", metavar="MERKMAL", show_default=False),
    ] = None,
    weight: Annotated[
        Optional[list[str]],
        typer.Option("--weight", help="Gewicht eines Indikators (Standard 1), z. B. alq=2; mehrfach möglich.", metavar="MERKMAL=W", show_default=False),
    ] = None,
    direction: Annotated[
        Optional[list[str]],
        typer.Option("--direction", help="Richtung eines Indikators: 1 (Standard) oder -1, z. B. kita=-1.", metavar="MERKMAL=1|-1", show_default=False),
    ] = None,
    no_standardize: Annotated[
        bool, typer.Option("--no-standardize", help="Die Werte sind schon z-Werte: nicht standardisieren.")
    ] = False,
    mean: Annotated[bool, typer.Option("--mean", help="Gewichtetes Mittel statt Summe der z-Werte.")] = False,
    min_population: Annotated[
        Optional[str],
        typer.Option("--min-population", help="Bezirke unter dieser Größe bekommen keinen Index, z. B. einwohner=300.", metavar="MERKMAL=N", show_default=False),
    ] = None,
    population: Annotated[
        Optional[str],
        typer.Option("--population", help="Gewicht der Bezirke in den Räumen (Standard: das Merkmal von --min-population).", metavar="MERKMAL", show_default=False),
    ] = None,
    classes: Annotated[
        Optional[str],
        typer.Option("--classes", help="Klassen aufsteigend, z. B. 'hoch<-1<=mittel<=1<niedrig<=1.5<sehr niedrig'.", metavar="REGEL", show_default=False),
    ] = None,
    change: Annotated[
        Optional[str],
        typer.Option("--change", help="Dynamischer Index: Veränderung zwischen zwei Jahren, z. B. 2011-2016.",
                     metavar="VON-BIS", show_default=False),
    ] = None,
    scheme: Annotated[
        Optional[str],
        typer.Option("--scheme", "-s", help="Schema: dazu je Raum die Anteile der Klassen und den mittleren Index.", metavar="SCHEMA", show_default=False),
    ] = None,
    year: YearOption = None,
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
) -> None:
    """Zusammengesetzten Sozialindex je Bezirk und je Raum berechnen (z-Werte, Summe, Index, Klasse)."""
    from ..render import index as darstellung
    from ..errors import AufrufError
    from ..index import compute_index

    fmt = resolve_format(fmt, output)
    change_from, change_to = (None, None)
    if change is not None:
        from ..jahre import parse_range

        change_from, change_to = parse_range(change, offen=False)
        if change_from == change_to:
            raise AufrufError(f"--change „{change}“: bitte zwei Jahre angeben, z. B. 2011-2016.")
    eingabe = Eingabe.aus_optionen(dateien, locals())
    zuordnung = eingabe.zuordnung()
    check_output(output, force=force, inputs=eingabe.inputs(zuordnung))
    definition = build_definition(
        zuordnung, index_name=index_name, indicators=indicator, weights=weight, directions=direction,
        no_standardize=no_standardize, mean=mean, min_population=min_population, population=population, classes=classes,
    )
    schema = None
    if scheme is not None:
        from .schemes import resolve_schemes

        (schema,) = resolve_schemes(zuordnung, scheme, nur_eines=True)
    daten = load_data(zuordnung, eingabe)
    ergebnis = compute_index(
        zuordnung, daten, definition, jahr=year, von=change_from, bis=change_to, schema=schema, sheet=sheet
    )
    if fmt is not Format.table:  # tables carry them in their footer
        say_notes(ergebnis.hinweise, ergebnis.warnungen)
        for u in ergebnis.ausgeschlossen:
            say_notes([f"Ohne Index: {u.code} {u.name} – {'; '.join(u.ausschluss)}"])
    write_result(
        fmt,
        output,
        force=force,
        inputs=[*dateien, zuordnung.datei],
        tabellen=lambda: darstellung.tabellen(ergebnis),
        records=lambda: darstellung.records(ergebnis),
        json_doc=lambda: darstellung.json_doc(ergebnis, str(zuordnung.datei)),
        markdown=lambda: darstellung.markdown(ergebnis),
        xlsx=lambda: darstellung.workbook(ergebnis, zuordnung, optionen=options_text(ctx)),
    )
