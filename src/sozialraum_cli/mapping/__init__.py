"""The district mapping (districts.yaml): load, validate, look up.

`model` holds the types, `load` reads and checks the YAML (with `merkmale` and `schemata` for
those sections), `changes` the what-if moves of `compare --move`. Knows nothing of data files,
pandas or the CLI. Every validation error names the mapping file and, where the YAML parser
tells us, the line.
"""

from .changes import move_districts
from .load import MAX_KNOTEN, load_mapping
from .model import (
    ABGELEITET,
    ANTEIL,
    ANZAHL,
    ARTEN,
    BEWEGUNG,
    GEOMETRIE,
    GESAMT,
    MITTELWERT,
    NICHT_AGGREGIERBAR,
    NICHT_ZUGEORDNET,
    QUOTE,
    SHARE_TOLERANCE,
    STELLEN,
    VERHAELTNIS,
    Bezirk,
    Merkmal,
    Raum,
    Schema,
    Sondercode,
    Zuordnung,
    default_mapping_path,
    format_share,
    is_int,
    name_key,
)

__all__ = [
    "ABGELEITET",
    "ANTEIL",
    "ANZAHL",
    "ARTEN",
    "BEWEGUNG",
    "Bezirk",
    "GEOMETRIE",
    "GESAMT",
    "MAX_KNOTEN",
    "MITTELWERT",
    "Merkmal",
    "NICHT_AGGREGIERBAR",
    "NICHT_ZUGEORDNET",
    "QUOTE",
    "Raum",
    "SHARE_TOLERANCE",
    "STELLEN",
    "Schema",
    "Sondercode",
    "VERHAELTNIS",
    "Zuordnung",
    "default_mapping_path",
    "format_share",
    "is_int",
    "load_mapping",
    "move_districts",
    "name_key",
]
