"""Loading districts.yaml: bounded YAML parsing (node and depth limits, the line of every node),
then building and checking the mapping. Every error names the file and, where known, the line.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import MappingError
from ..indexdef import build_indizes
from ..symbole import symbol_table
from .merkmale import build_merkmale
from .publikation import build_geheimhaltung, build_profil, build_quelle, build_stadt
from .model import (
    GESAMT,
    NICHT_ZUGEORDNET,
    Bezirk,
    Sondercode,
    Zuordnung,
    default_mapping_path,
    name_key,
    parse_key,
)
from .schemata import build_schemata
from .spalten import build_spalten


class _Lines:
    """Line numbers of YAML nodes by their path of keys and indices."""

    def __init__(self) -> None:
        self.by_path: dict[tuple, int] = {}

    def __call__(self, *path: Any) -> int | None:
        while path:
            if path in self.by_path:
                return self.by_path[path]
            path = path[:-1]
        return None


_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")  # 01100101: octal or a lost leading zero in YAML 1.1
MAX_KNOTEN = 100_000  # YAML nodes of a mapping, counted with every alias expanded


def _walk(
    node: yaml.Node, path: tuple, lines: _Lines, datei: Path,
    sizes: dict[int, int] | None = None, active: set[int] | None = None,
) -> int:
    """Record line numbers and return the node count with aliases expanded, without expanding them."""
    sizes = {} if sizes is None else sizes
    active = set() if active is None else active
    if id(node) in active:
        raise MappingError(
            "Ein Alias verweist auf den Eintrag, in dem er selbst steht (Endlosschleife).",
            datei=datei,
            zeile=node.start_mark.line + 1,
        )
    if id(node) in sizes:  # reached again through an alias: counted, not walked again
        return sizes[id(node)]
    active.add(id(node))
    size = 1
    lines.by_path[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and not node.style and _LEADING_ZERO.fullmatch(node.value):
        raise MappingError(
            f"Die Zahl {node.value} beginnt mit einer Null und steht nicht in Anführungszeichen: YAML läse sie "
            f"als andere Zahl (oktal) oder ohne die führende Null.",
            datei=datei,
            zeile=node.start_mark.line + 1,
            hilfe=f"Schlüssel sind Text: bitte \"{node.value}\" schreiben (in Anführungszeichen).",
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise MappingError("Ein Schlüssel muss ein einfacher Text sein.", datei=datei, zeile=line)
            if key in seen:
                raise MappingError(
                    f"Der Schlüssel „{key}“ steht zweimal (zuerst in Zeile {seen[key]}).",
                    datei=datei,
                    zeile=line,
                )
            seen[key] = line
            size += 1 + _walk(value_node, path + (key,), lines, datei, sizes, active)
            lines.by_path[path + (key,)] = line  # errors about a value point at its key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            size += _walk(item, path + (i,), lines, datei, sizes, active)
    active.discard(id(node))
    sizes[id(node)] = size
    return size


def load_mapping(path: str | Path | None = None) -> Zuordnung:
    """Load and validate a mapping file; the bundled one when path is None."""
    datei = Path(path) if path is not None else default_mapping_path()
    from ..sources import read_source

    raw = read_source(datei, art=MappingError, was="Die Zuordnungsdatei")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError("Die Zuordnungsdatei ist nicht UTF-8-kodiert.", datei=datei) from None
    lines = _Lines()
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # the C parser where available: 5× faster
        try:
            node = loader.get_single_node()
            if node is not None and _walk(node, (), lines, datei) > MAX_KNOTEN:
                raise MappingError(
                    f"Die Zuordnungsdatei hat mit aufgelösten Aliasen mehr als {MAX_KNOTEN:,} Einträge.".replace(",", "."),
                    datei=datei,
                    hilfe="Bitte auf Aliase (*name) verzichten, die große Teile vervielfachen.",
                )
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        raise MappingError("Die Zuordnungsdatei ist zu tief verschachtelt.", datei=datei) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # the C parser's own limit
            raise MappingError("Die Zuordnungsdatei ist zu tief verschachtelt.", datei=datei) from None
        raise MappingError(
            f"Die Zuordnungsdatei ist kein gültiges YAML ({problem}).",
            datei=datei,
            zeile=mark.line + 1 if mark else None,
        ) from None
    return _build(data, datei, hashlib.sha256(raw).hexdigest(), lines)


def _build(data: Any, datei: Path, sha: str, lines: _Lines) -> Zuordnung:
    def fail(msg: str, *path: Any) -> MappingError:
        return MappingError(msg, datei=datei, zeile=lines(*path))

    if not isinstance(data, dict):
        raise fail("Die Zuordnungsdatei muss die Abschnitte „bezirke“ und „schemata“ enthalten.")
    for section in ("bezirke", "schemata"):
        if section not in data:
            raise fail(f"Der Abschnitt „{section}“ fehlt.")

    names: dict[str, tuple[int, str, int | None]] = {}  # key -> (nr, written name, line)

    def register(name: Any, nr: int, *path: Any) -> None:
        if not isinstance(name, str) or not name.strip():
            raise fail(f"Bezirk {nr}: Name oder Alias muss ein nicht leerer Text sein.", *path)
        key = name_key(name)
        if not key:
            raise fail(f"Bezirk {nr}: Der Name „{name}“ enthält weder Buchstaben noch Ziffern.", *path)
        if key in names and names[key][0] != nr:
            other_nr, other_name, other_line = names[key]
            raise fail(
                f"Der Name „{name}“ ist mehrdeutig: er passt zu Bezirk {other_nr} "
                f"(„{other_name}“, Zeile {other_line}) und zu Bezirk {nr}.",
                *path,
            )
        names.setdefault(key, (nr, name, lines(*path)))

    def aliases(entry: dict, *path: Any) -> tuple[str, ...]:
        value = entry.get("aliase", []) or []
        if not isinstance(value, list):
            raise fail("„aliase“ muss eine Liste sein, z. B. [Ammerb., Ammerbach].", *path, "aliase")
        return tuple(str(a) for a in value)

    # special codes
    sondercodes: dict[int, Sondercode] = {}
    for i, entry in enumerate(data.get("sondercodes") or []):
        path = ("sondercodes", i)
        key = parse_key(entry.get("nr")) if isinstance(entry, dict) else None
        if key is None:
            raise fail("Jeder Sondercode braucht eine ganze Zahl „nr“ (oder Ziffern in Anführungszeichen, z. B. \"000\").", *path)
        art = entry.get("art")
        if art not in (GESAMT, NICHT_ZUGEORDNET):
            raise fail(f"Sondercode {key[1]}: „art“ muss „{GESAMT}“ oder „{NICHT_ZUGEORDNET}“ sein.", *path)
        code = Sondercode(key[0], art, str(entry.get("name", art)), aliases(entry, *path), code=key[1])
        if code.nr in sondercodes:
            raise fail(f"Sondercode {code.nr} steht zweimal.", *path)
        sondercodes[code.nr] = code
        for j, n in enumerate((code.name, *code.aliase)):
            register(n, code.nr, *path, *(("aliase", j - 1) if j else ("name",)))

    # districts
    bezirke: dict[int, Bezirk] = {}
    raw_bezirke = data["bezirke"]
    if not isinstance(raw_bezirke, list) or not raw_bezirke:
        raise fail("„bezirke“ muss eine nicht leere Liste sein.", "bezirke")
    for i, entry in enumerate(raw_bezirke):
        path = ("bezirke", i)
        key = parse_key(entry.get("nr")) if isinstance(entry, dict) else None
        if isinstance(entry, dict) and "nr" not in entry and isinstance(entry.get("name"), str) and entry["name"].strip():
            key = (-(i + 1), entry["name"].strip())  # a list without codes: the name is the key
        if key is None:
            raise fail("Jeder Bezirk braucht eine ganze Zahl „nr“ (oder Ziffern in Anführungszeichen, z. B. \"01100101\").", *path)
        nr, code_text = key
        if nr in sondercodes:
            raise fail(f"Die Nummer {code_text} ist ein Sondercode ({sondercodes[nr].name}) und kein Bezirk.", *path)
        if nr in bezirke:
            other = bezirke[nr].schluessel
            same = "" if other == code_text else f" (als „{other}“; Schlüssel, die sich nur in führenden Nullen unterscheiden, sind gleich)"
            raise fail(f"Bezirk {code_text} steht zweimal in „bezirke“{same}.", *path)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"Bezirk {nr} braucht einen Namen („name“).", *path)
        bezirk = Bezirk(
            nr=nr,
            name=name.strip(),
            ortsteil=str(entry.get("ortsteil") or ""),
            aliase=aliases(entry, *path),
            beleg=str(entry.get("beleg") or ""),
            code=code_text,
        )
        bezirke[nr] = bezirk
        register(bezirk.name, nr, *path, "name")
        for j, alias in enumerate(bezirk.aliase):
            register(alias, nr, *path, "aliase", j)
        if nr >= 0:
            register(str(nr), nr, *path, "nr")  # a bare code written in a name column
        if code_text != str(nr) and nr >= 0:
            register(code_text, nr, *path, "nr")

    merkmale = build_merkmale(data.get("merkmale") or {}, fail)
    symbole = data.get("symbole") or {}
    if not isinstance(symbole, dict):
        raise fail("„symbole“ muss eine Zuordnung Zeichen → Bedeutung sein, z. B. {\"-\": unterdrueckt}.", "symbole")
    try:
        symbol_table(symbole)
    except ValueError as exc:
        raise fail(str(exc), "symbole") from None
    schemata = build_schemata(data["schemata"], bezirke, fail, lines, datei)
    einzahl, mehrzahl = _einheit(data.get("einheit"), fail)
    return Zuordnung(
        datei=datei,
        sha256=sha,
        bezirke=bezirke,
        sondercodes=sondercodes,
        schemata=schemata,
        merkmale=merkmale,
        _namen={k: v[0] for k, v in names.items()},
        symbole={str(k): str(v) for k, v in symbole.items()},
        indizes=build_indizes(data.get("indizes"), fail),
        geheimhaltung=build_geheimhaltung(data.get("geheimhaltung"), fail),
        quelle=build_quelle(data.get("quelle"), fail),
        einzahl=einzahl,
        mehrzahl=mehrzahl,
        profil=build_profil(data.get("profil"), fail, merkmale),
        spalten=build_spalten(data.get("spalten"), fail),
        stadt=build_stadt(data.get("stadt"), fail),
    )


def _einheit(raw: Any, fail) -> tuple[str, str]:
    """The unit's own name (`einheit: {einzahl: Planungsraum, mehrzahl: Planungsräume}`); „Bezirk“ without."""
    if raw is None:
        return "Bezirk", "Bezirke"
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) and raw[k].strip() for k in ("einzahl", "mehrzahl")):
        raise fail("„einheit“ braucht „einzahl“ und „mehrzahl“, z. B. {einzahl: Planungsraum, mehrzahl: Planungsräume}.",
                   "einheit")
    return raw["einzahl"].strip(), raw["mehrzahl"].strip()
