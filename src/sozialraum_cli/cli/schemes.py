"""`sozialraum schemes`: the schemes of the mapping with their Räume and districts."""

from __future__ import annotations

from .common import write_mapping_result
from .options import ConfigOption, ForceOption, FormatOption, OutputOption

EPILOG = "Beispiel: sozialraum schemes --format csv > raeume.csv"


def resolve_schemes(zuordnung, name: str, *, nur_eines: bool = False, option: str = "--scheme") -> list:
    """The schemes named on the command line ('all' = every scheme of the mapping, unless the command
    works on exactly one: nur_eines)."""
    from pathlib import Path

    from ..errors import AufrufError
    from ..mapping import name_key

    if name == "all":
        if nur_eines:
            raise AufrufError(f"{option} all passt hier nicht: bitte genau ein Schema nennen "
                              f"({', '.join(zuordnung.schemata)}).")
        from ..mapping.nesting import verschachtelung

        schemata = list(zuordnung.schemata.values())
        if verschachtelung(zuordnung):  # nested levels: from fine to coarse (more Räume first), else mapping order
            schemata.sort(key=lambda s: -len(s.raeume))
        return schemata
    if name in zuordnung.schemata:
        return [zuordnung.schemata[name]]
    # case, umlauts and punctuation do not count, and the title works too ("sozialräume", "6 Planungsräume")
    key = name_key(name)
    found = [s for s in zuordnung.schemata.values() if key in (name_key(s.name), name_key(s.titel))]
    if len(found) == 1:
        return found
    vorhanden = ", ".join(zuordnung.schemata) + ("" if nur_eines else ", all")
    hilfe = ("Erst die Schemata, dann die Dateien angeben, z. B. sozialraum compare planungsraeume sozialraeume DATEI."
             if Path(name).suffix and Path(name).exists() else None)
    raise AufrufError(f"Das Schema „{name}“ gibt es in der Zuordnung nicht. Vorhanden: {vorhanden}.", hilfe=hilfe)


def schemes(
    config: ConfigOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Schemata der Zuordnung mit ihren Räumen und Bezirken auflisten."""
    from ..render import zuordnung as d

    write_mapping_result(config, fmt, output, force, lambda z: dict(
        tabellen=lambda: d.schemata_tabellen(z), records=lambda: d.schemata_records(z),
        json_doc=lambda: d.schemata_json(z), xlsx=lambda: d.schemata_xlsx(z)))
