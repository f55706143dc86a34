"""What-if changes to a scheme (`compare --move`): units moved to another Raum."""

from __future__ import annotations

from .model import (
    Raum,
    Schema,
    Zuordnung,
    name_key,
)


def move_districts(
    zuordnung: Zuordnung, schema: Schema, moves: list[tuple[str, str]]
) -> tuple[Schema, list[str]]:
    """A copy of `schema` with whole districts moved to other Räume ("what if").

    `moves` holds (district as code or name, target Raum). A target Raum that does not
    exist is created, with a warning. Returns the new scheme and the warnings.
    """
    from ..errors import AufrufError

    anteile = {r.name: dict(r.anteile) for r in schema.raeume}
    warnungen: list[str] = []
    labels = []
    for bezirk_text, ziel in moves:
        nr = int(bezirk_text) if bezirk_text.strip().isdigit() else zuordnung.finde(bezirk_text)
        if nr not in zuordnung.bezirke:
            raise AufrufError(f"{zuordnung.einzahl} „{bezirk_text}“ gibt es in der Zuordnung nicht.", parameter="verschiebungen")
        target = next((name for name in anteile if name_key(name) == name_key(ziel)), None)
        if target is None:
            target = ziel.strip()
            if not target:
                raise AufrufError(f"„{bezirk_text}=“: Der Zielraum fehlt.", parameter="verschiebungen")
            anteile[target] = {}
            warnungen.append(f"Raum „{target}“ gibt es im Schema „{schema.name}“ nicht; er wird neu angelegt.")
        for members in anteile.values():
            members.pop(nr, None)
        anteile[target][nr] = 1.0
        labels.append(f"{zuordnung.code(nr)} {zuordnung.bezirke[nr].name} → {target}")
    emptied = [name for name, members in anteile.items() if not members]
    for name in emptied:
        warnungen.append(f"Raum „{name}“ hat nach den Verschiebungen keine {zuordnung.mehrzahl} mehr und entfällt.")
    raeume = tuple(Raum(name, members) for name, members in anteile.items() if members)
    changed = Schema(
        name=schema.name,
        titel=f"{schema.titel} (geändert: {'; '.join(labels)})",
        quelle=schema.quelle,
        hinweis=schema.hinweis,
        raeume=raeume,
    )
    return changed, warnungen
