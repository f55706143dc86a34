"""Loading districts.yaml: bounded YAML parsing (node and depth limits, the line of every node),
then building and checking the mapping. Every error names the file and, where known, the line.

Two paths read the YAML. The fast one builds plain values straight from the parser's events and keeps
no line numbers; it checks what the slow one checks (duplicate keys, leading zeros, aliases, depth) but,
on anything it finds wrong or does not handle itself (tags, merge keys, odd anchors), leaves the file to
the slow one. The slow one composes nodes and records the line of every key path (`_walk`): it raises
the YAML errors with their lines, and validation errors of a fast load ask it for their line (`_Lines`).
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
from .publikation import build_geheimhaltung, build_profil, build_text
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

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where available: 5× faster


class _Lines:
    """Line numbers of YAML nodes by their path of keys and indices; with `text`, found only when first
    asked for (a fast load that raises no error never composes the nodes)."""

    def __init__(self, text: str | None = None, datei: Path | None = None) -> None:
        self.by_path: dict[tuple, int] = {}
        self._text, self._datei = text, datei

    def __call__(self, *path: Any) -> int | None:
        if self._text is not None:
            text, self._text = self._text, None
            _parse_with_lines(text, self._datei, self)
        while path:
            if path in self.by_path:
                return self.by_path[path]
            path = path[:-1]
        return None


_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")  # 01100101: octal or a lost leading zero in YAML 1.1
MAX_KNOTEN = 100_000  # YAML nodes of a mapping, counted with every alias expanded
_DEPTH = 100  # deeper nesting goes the slow way (which knows the parser's limits)


def load_mapping(path: str | Path | None = None) -> Zuordnung:
    """Load and validate a mapping file; the bundled one when path is None."""
    datei = Path(path) if path is not None else default_mapping_path()
    from ..sources import read_source

    raw = read_source(datei, art=MappingError, was="Die Zuordnungsdatei")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError("Die Zuordnungsdatei ist nicht UTF-8-kodiert.", datei=datei) from None
    try:
        data = _parse_fast(text)
        lines = _Lines(text, datei)
    except _Slow:
        lines = _Lines()
        data = _parse_with_lines(text, datei, lines)
    return _build(data, datei, hashlib.sha256(raw).hexdigest(), lines)


class _Slow(Exception):
    """The fast path found something wrong or unusual: the slow path decides (and names the line)."""


_NONE = object()  # no value yet (None is a YAML value)
_STR = "tag:yaml.org,2002:str"
_NOT_PLAIN = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")  # `<<` and `=` need the constructor's rules


def _parse_fast(text: str) -> Any:
    """The plain data of a YAML text, built from the parser's events as SafeLoader builds it; raises _Slow
    on any YAML error, duplicate key, leading zero, alias problem, too many nodes or deep nesting."""
    loader = _Loader(text)
    try:
        return _from_events(loader)
    except yaml.YAMLError:
        raise _Slow from None
    finally:
        loader.dispose()


def _from_events(loader: Any) -> Any:
    get = loader.get_event
    resolve, constructors = loader.resolve, loader.yaml_constructors
    scalar_ev, alias_ev = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    leading_zero = _LEADING_ZERO.fullmatch
    plain: dict[str, Any] = {}  # plain scalar -> its value (the same few keys and numbers recur)
    anchors: dict[str, tuple[Any, int] | None] = {}  # anchor -> (value, node count); None while open
    # open collections: [value, is mapping, node count, pending key, raw keys seen, anchor]
    stack: list[list] = []
    get()  # StreamStartEvent
    ev = get()
    if type(ev) is yaml.StreamEndEvent:
        return None
    if type(ev) is not yaml.DocumentStartEvent:
        raise _Slow
    result = _NONE
    while True:
        ev = get()
        t = type(ev)
        key_text = None
        if t is scalar_ev:
            if ev.tag is not None:
                raise _Slow
            value = key_text = ev.value
            if ev.implicit[0]:  # plain, not quoted: resolved by YAML 1.1 rules
                value = plain.get(key_text, _NONE)
                if value is _NONE:
                    if leading_zero(key_text):
                        raise _Slow
                    tag = resolve(yaml.ScalarNode, key_text, (True, False))
                    if tag == _STR:
                        value = key_text
                    elif tag in _NOT_PLAIN:
                        raise _Slow
                    else:
                        value = constructors[tag](loader, yaml.ScalarNode(tag, key_text))
                    plain[key_text] = value
            size = 1
            if ev.anchor is not None:
                if ev.anchor in anchors:
                    raise _Slow
                anchors[ev.anchor] = (value, 1)
        elif t is map_start or t is seq_start:
            if ev.tag is not None or len(stack) >= _DEPTH or (ev.anchor is not None and ev.anchor in anchors):
                raise _Slow
            if ev.anchor is not None:
                anchors[ev.anchor] = None
            stack.append([{} if t is map_start else [], t is map_start, 1, _NONE, set(), ev.anchor])
            continue
        elif t in ends:
            value, is_map, size, key, _, anchor = stack.pop()
            if is_map and key is not _NONE:
                raise _Slow
            if anchor is not None:
                anchors[anchor] = (value, size)
        elif t is alias_ev:
            got = anchors.get(ev.anchor)
            if got is None:  # unknown, or the collection it stands in
                raise _Slow
            value, size = got
        elif t is yaml.DocumentEndEvent:
            if result is _NONE or type(get()) is not yaml.StreamEndEvent:
                raise _Slow
            return result
        else:
            raise _Slow
        if not stack:
            result = value
            continue
        top = stack[-1]
        if top[1]:
            if top[3] is _NONE:  # a key: a scalar written once
                if key_text is None or key_text in top[4]:
                    raise _Slow
                top[4].add(key_text)
                top[3] = value
                top[2] += 1
                continue
            top[0][top[3]] = value
            top[3] = _NONE
        else:
            top[0].append(value)
        top[2] += size
        if top[2] > MAX_KNOTEN:
            raise _Slow


def _parse_with_lines(text: str, datei: Path, lines: _Lines) -> Any:
    """The slow path: compose the nodes, record every key path's line in `lines`, raise each error with
    its line, construct the data."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None and _walk(node, (), lines, datei) > MAX_KNOTEN:
                raise MappingError(
                    f"Die Zuordnungsdatei hat mit aufgelösten Aliasen mehr als {MAX_KNOTEN:,} Einträge.".replace(",", "."),
                    datei=datei,
                    hilfe="Bitte auf Aliase (*name) verzichten, die große Teile vervielfachen.",
                )
            return loader.construct_document(node) if node is not None else None
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



def _build(data: Any, datei: Path, sha: str, lines: _Lines) -> Zuordnung:
    def fail(msg: str, *path: Any) -> MappingError:
        return MappingError(msg, datei=datei, zeile=lines(*path))

    if not isinstance(data, dict):
        raise fail("Die Zuordnungsdatei muss die Abschnitte „bezirke“ und „schemata“ enthalten.")
    for section in ("bezirke", "schemata"):
        if section not in data:
            raise fail(f"Der Abschnitt „{section}“ fehlt.")
    einzahl, mehrzahl = _einheit(data.get("einheit"), fail)  # first: messages name the units by it

    names: dict[str, int] = {}  # name key -> nr
    written: dict[str, tuple[str, tuple]] = {}  # name key -> (name as first written, its path)
    shown: dict[int, str] = {}  # nr -> its key as written (leading zeros kept): how messages name it

    def register(name: Any, nr: int, path: tuple) -> None:
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{einzahl} {shown[nr]}: Name oder Alias muss ein nicht leerer Text sein.", *path)
        key = name_key(name)
        if not key:
            raise fail(f"{einzahl} {shown[nr]}: Der Name „{name}“ enthält weder Buchstaben noch Ziffern.", *path)
        other_nr = names.get(key)
        if other_nr is None:
            names[key] = nr
            written[key] = (name, path)
        elif other_nr != nr:
            other_name, other_path = written[key]
            raise fail(
                f"Der Name „{name}“ ist mehrdeutig: er passt zu {einzahl} {shown[other_nr]} "
                f"(„{other_name}“, Zeile {lines(*other_path)}) und zu {einzahl} {shown[nr]}.",
                *path,
            )

    def twice(what: str, first: str, code_text: str, first_path: tuple, path: tuple) -> MappingError:
        """A key written twice (perhaps once without its leading zeros), named as first written."""
        if first == code_text:
            return fail(f"{what} {first} steht zweimal in „{path[0]}“ (zuerst in Zeile {lines(*first_path)}).", *path)
        return fail(f"{what} {first} steht zweimal in „{path[0]}“: in Zeile {lines(*first_path)} als „{first}“ und hier als "
                    f"„{code_text}“ (Schlüssel, die sich nur in führenden Nullen unterscheiden, sind gleich).", *path)

    def aliases(entry: dict, *path: Any) -> tuple[str, ...]:
        value = entry.get("aliase")
        if not value:
            return ()
        if not isinstance(value, list):
            raise fail("„aliase“ muss eine Liste sein, z. B. [Ammerb., Ammerbach].", *path, "aliase")
        return tuple(str(a) for a in value)

    # special codes
    sondercodes: dict[int, Sondercode] = {}
    first_path: dict[int, tuple] = {}  # nr -> the path of its entry
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
            raise twice("Sondercode", sondercodes[code.nr].schluessel, key[1], first_path[code.nr], path)
        sondercodes[code.nr] = code
        shown[code.nr], first_path[code.nr] = key[1], path
        for j, n in enumerate((code.name, *code.aliase)):
            register(n, code.nr, path + (("aliase", j - 1) if j else ("name",)))

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
            raise fail(f"Jeder {einzahl} braucht eine ganze Zahl „nr“ (oder Ziffern in Anführungszeichen, z. B. \"01100101\").", *path)
        nr, code_text = key
        if nr in sondercodes:
            raise fail(f"Die Nummer {code_text} ist ein Sondercode ({sondercodes[nr].name}) und kein {einzahl}.", *path)
        if nr in bezirke:
            raise twice(einzahl, bezirke[nr].schluessel, code_text, first_path[nr], path)
        shown[nr], first_path[nr] = code_text, path
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"{einzahl} {code_text} braucht einen Namen („name“).", *path)
        bezirk = Bezirk(
            nr=nr,
            name=name.strip(),
            ortsteil=str(entry.get("ortsteil") or ""),
            aliase=aliases(entry, *path),
            beleg=str(entry.get("beleg") or ""),
            code=code_text,
        )
        bezirke[nr] = bezirk
        register(bezirk.name, nr, path + ("name",))
        for j, alias in enumerate(bezirk.aliase):
            register(alias, nr, path + ("aliase", j))
        if nr >= 0:  # a bare code written in a name column; digits are their own name key
            number = str(nr)
            for code in (number,) if code_text == number else (number, code_text):
                if names.setdefault(code, nr) != nr:
                    register(code, nr, path + ("nr",))  # names the unit it belongs to
                if code not in written:
                    written[code] = (code, path + ("nr",))

    merkmale = build_merkmale(data.get("merkmale") or {}, fail)
    symbole = data.get("symbole") or {}
    if not isinstance(symbole, dict):
        raise fail("„symbole“ muss eine Zuordnung Zeichen → Bedeutung sein, z. B. {\"-\": unterdrueckt}.", "symbole")
    try:
        symbol_table(symbole)
    except ValueError as exc:
        raise fail(str(exc), "symbole") from None
    schemata = build_schemata(data["schemata"], bezirke, fail, lines, datei, einzahl, mehrzahl)
    return Zuordnung(
        datei=datei,
        sha256=sha,
        bezirke=bezirke,
        sondercodes=sondercodes,
        schemata=schemata,
        merkmale=merkmale,
        _namen=names,
        symbole={str(k): str(v) for k, v in symbole.items()},
        indizes=build_indizes(data.get("indizes"), fail),
        geheimhaltung=build_geheimhaltung(data.get("geheimhaltung"), fail),
        quelle=build_text(data.get("quelle"), fail, "quelle", "ein Text", 'quelle: "Stadt Jena, Statistik"'),
        einzahl=einzahl,
        mehrzahl=mehrzahl,
        profil=build_profil(data.get("profil"), fail, merkmale),
        spalten=build_spalten(data.get("spalten"), fail),
        stadt=build_text(data.get("stadt"), fail, "stadt", "der Name der Stadt", "stadt: Jena"),
    )


def _einheit(raw: Any, fail) -> tuple[str, str]:
    """The unit's own name (`einheit: {einzahl: Planungsraum, mehrzahl: Planungsräume}`); „Bezirk“ without."""
    if raw is None:
        return "Bezirk", "Bezirke"
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) and raw[k].strip() for k in ("einzahl", "mehrzahl")):
        raise fail("„einheit“ braucht „einzahl“ und „mehrzahl“, z. B. {einzahl: Planungsraum, mehrzahl: Planungsräume}.",
                   "einheit")
    return raw["einzahl"].strip(), raw["mehrzahl"].strip()
