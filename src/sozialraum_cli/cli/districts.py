"""`sozialraum districts`: every district with its Raum in each scheme."""

from __future__ import annotations

from .common import resolve_format, write_result
from .options import ConfigOption, ForceOption, FormatOption, OutputOption

EPILOG = "Beispiel: sozialraum districts --format markdown"


def districts(
    config: ConfigOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Alle Bezirke mit ihrem Raum in jedem Schema auflisten."""
    from ..mapping import load_mapping
    from ..render import zuordnung as darstellung

    fmt = resolve_format(fmt, output)
    zuordnung = load_mapping(config)
    write_result(
        fmt, output, force=force, inputs=[zuordnung.datei],
        tabellen=lambda: darstellung.bezirke_tabellen(zuordnung),
        records=lambda: darstellung.bezirke_records(zuordnung),
        json_doc=lambda: darstellung.bezirke_json(zuordnung),
        xlsx=lambda: darstellung.bezirke_xlsx(zuordnung),
    )
