"""The district mapping (districts.yaml): load, validate, look up.

Knows nothing of data files, pandas or the CLI. Every validation error names the
mapping file and, where the YAML parser tells us, the line.
"""

from __future__ import annotations

import functools
import hashlib
import math
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import MappingError
from .indexdef import IndexDefinition, build_indizes
from .symbole import symbol_table

GESAMT = "gesamt"
NICHT_ZUGEORDNET = "nicht_zugeordnet"
# indicator kinds (art) of the mapping's `merkmale:` section
ANZAHL = "anzahl"  # a count: summed
QUOTE = "quote"  # a rate: recomputed from summed numerator and denominator
ANTEIL = "anteil"  # a share: like a rate, or reconstructed from a known basis
VERHAELTNIS = "verhaeltnis"  # a ratio of two summable quantities
MITTELWERT = "mittelwert"  # a mean, recomputed weighted by a count
BEWEGUNG = "bewegung"  # a flow between units: not additive across levels
NICHT_AGGREGIERBAR = "nicht_aggregierbar"  # medians, prices, index values, classes, text
GEOMETRIE = "geometrie"  # `quelle:` of an indicator computed from the district polygons
ARTEN = (ANZAHL, QUOTE, ANTEIL, VERHAELTNIS, MITTELWERT, BEWEGUNG, NICHT_AGGREGIERBAR)
ABGELEITET = frozenset({QUOTE, ANTEIL, VERHAELTNIS, MITTELWERT})  # recomputed from summed parts
_STELLEN = {QUOTE: 1, ANTEIL: 1, VERHAELTNIS: 2, MITTELWERT: 1, BEWEGUNG: 0}
_SHARE_TOLERANCE = 1e-9


@functools.lru_cache(maxsize=65536)  # long files ask for the same few names once per line
def name_key(text: str) -> str:
    """Normalise a district name for matching: case, umlauts/ß, spaces and punctuation do not count."""
    s = unicodedata.normalize("NFC", str(text)).casefold()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch))


def format_share(x: float) -> str:
    return f"{x:.6g}".replace(".", ",")


@dataclass(frozen=True)
class Bezirk:
    nr: int
    name: str
    ortsteil: str = ""
    aliase: tuple[str, ...] = ()
    beleg: str = ""


@dataclass(frozen=True)
class Sondercode:
    nr: int
    art: str  # GESAMT or NICHT_ZUGEORDNET
    name: str
    aliase: tuple[str, ...] = ()


@dataclass(frozen=True)
class Raum:
    name: str
    anteile: dict[int, float]  # Bezirk number -> share of the district that belongs to this Raum

    @property
    def bezirke(self) -> list[int]:
        return list(self.anteile)


@dataclass(frozen=True)
class Schema:
    name: str
    titel: str
    quelle: str
    hinweis: str
    raeume: tuple[Raum, ...]

    @property
    def raum_namen(self) -> list[str]:
        return [r.name for r in self.raeume]

    def raum(self, name: str) -> Raum:
        for r in self.raeume:
            if r.name == name:
                return r
        raise KeyError(name)

    def mitglieder(self) -> list[tuple[str, int, float]]:
        """(Raum, Bezirk number, share) for every membership, in mapping order."""
        return [(r.name, nr, a) for r in self.raeume for nr, a in r.anteile.items()]

    @property
    def aufgeteilt(self) -> list[int]:
        """Districts split over several Räume."""
        seen: dict[int, int] = {}
        for _, nr, _ in self.mitglieder():
            seen[nr] = seen.get(nr, 0) + 1
        return [nr for nr, n in seen.items() if n > 1]

    def raeume_von(self, nr: int) -> list[tuple[str, float]]:
        return [(r.name, r.anteile[nr]) for r in self.raeume if nr in r.anteile]


@dataclass(frozen=True)
class Merkmal:
    name: str
    titel: str
    art: str  # one of ARTEN
    zaehler: str | None = None
    nenner: str | None = None
    faktor: float = 1.0
    einheit: str = ""
    definition: str = ""
    aliase: tuple[str, ...] = ()
    basis: str | None = None  # ANTEIL/QUOTE: the count the share refers to (numerator reconstructed)
    gewicht: str | None = None  # MITTELWERT: the count that weights the mean
    ganzzahlig: bool = True  # ANZAHL: values must be whole numbers (false e.g. for an area in km²)
    grund: str = ""  # NICHT_AGGREGIERBAR: why, in the user's words
    quelle: str = ""  # "geometrie": ANZAHL computed from the district polygons (area in km²)
    stellen: int | None = None  # decimal places for people; None: by kind
    aus: tuple[str, tuple[str, ...]] | None = None  # ANZAHL from records (--records): (column, values) to count

    @property
    def schreibweisen(self) -> tuple[str, ...]:
        """Every way a column header may name this indicator."""
        return (self.name, self.titel, *self.aliase)

    @property
    def nachkommastellen(self) -> int:
        return self.stellen if self.stellen is not None else _STELLEN.get(self.art, 0)

    @property
    def teile(self) -> tuple[str, ...]:
        """The counts a derived indicator is recomputed from."""
        if self.art == MITTELWERT:
            return (self.gewicht,) if self.gewicht else ()
        if self.basis:
            return (self.basis,)
        return tuple(p for p in (self.zaehler, self.nenner) if p)


@dataclass
class Zuordnung:
    """The whole mapping: districts, special codes, schemes and indicator definitions."""

    datei: Path
    sha256: str
    bezirke: dict[int, Bezirk]
    sondercodes: dict[int, Sondercode]
    schemata: dict[str, Schema]
    merkmale: dict[str, Merkmal]
    _namen: dict[str, int] = field(default_factory=dict, repr=False)
    symbole: dict[str, str] = field(default_factory=dict)  # symbol -> meaning, over the defaults
    indizes: dict[str, IndexDefinition] = field(default_factory=dict)  # composite indices (`indizes:`)

    def finde(self, name: str) -> int | None:
        """District or special code for a name as written in a data file, or None."""
        return self._namen.get(name_key(name))

    def code_fuer(self, art: str) -> int | None:
        for code in self.sondercodes.values():
            if code.art == art:
                return code.nr
        return None

    def schema(self, name: str) -> Schema:
        try:
            return self.schemata[name]
        except KeyError:
            known = ", ".join(self.schemata)
            raise MappingError(
                f"Schema „{name}“ gibt es nicht in {self.datei}. Vorhanden: {known}."
            ) from None

    def quoten(self) -> list[Merkmal]:
        """Indicators that are recomputed from summed parts (rates, shares, ratios, means)."""
        return [m for m in self.merkmale.values() if m.art in ABGELEITET]

    def finde_raum(self, name: str) -> list[tuple[str, str]]:
        """(scheme, Raum) pairs whose Raum is called `name` (as written in a data file)."""
        key = name_key(name)
        if not key:
            return []
        return [(s.name, r.name) for s in self.schemata.values() for r in s.raeume if name_key(r.name) == key]


def default_mapping_path() -> Path:
    return Path(str(resources.files("sozialraum_cli") / "data" / "districts.yaml"))


# --------------------------------------------------------------------------- loading


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
    from .sources import read_source

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
        if not isinstance(entry, dict) or not _is_int(entry.get("nr")):
            raise fail("Jeder Sondercode braucht eine ganze Zahl „nr“.", *path)
        art = entry.get("art")
        if art not in (GESAMT, NICHT_ZUGEORDNET):
            raise fail(f"Sondercode {entry['nr']}: „art“ muss „{GESAMT}“ oder „{NICHT_ZUGEORDNET}“ sein.", *path)
        code = Sondercode(int(entry["nr"]), art, str(entry.get("name", art)), aliases(entry, *path))
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
        if not isinstance(entry, dict) or not _is_int(entry.get("nr")):
            raise fail("Jeder Bezirk braucht eine ganze Zahl „nr“.", *path)
        nr = int(entry["nr"])
        if nr in sondercodes:
            raise fail(f"Die Nummer {nr} ist ein Sondercode ({sondercodes[nr].name}) und kein Bezirk.", *path)
        if nr in bezirke:
            raise fail(f"Bezirk {nr} steht zweimal in „bezirke“.", *path)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"Bezirk {nr} braucht einen Namen („name“).", *path)
        bezirk = Bezirk(
            nr=nr,
            name=name.strip(),
            ortsteil=str(entry.get("ortsteil") or ""),
            aliase=aliases(entry, *path),
            beleg=str(entry.get("beleg") or ""),
        )
        bezirke[nr] = bezirk
        register(bezirk.name, nr, *path, "name")
        for j, alias in enumerate(bezirk.aliase):
            register(alias, nr, *path, "aliase", j)
        register(str(nr), nr, *path, "nr")  # a bare code written in a name column

    merkmale = _build_merkmale(data.get("merkmale") or {}, fail)
    symbole = data.get("symbole") or {}
    if not isinstance(symbole, dict):
        raise fail("„symbole“ muss eine Zuordnung Zeichen → Bedeutung sein, z. B. {\"-\": unterdrueckt}.", "symbole")
    try:
        symbol_table(symbole)
    except ValueError as exc:
        raise fail(str(exc), "symbole") from None
    schemata = _build_schemata(data["schemata"], bezirke, fail, lines, datei)
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
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _build_merkmale(raw: Any, fail) -> dict[str, Merkmal]:
    if not isinstance(raw, dict):
        raise fail("„merkmale“ muss eine Zuordnung Name → Angaben sein.", "merkmale")
    merkmale: dict[str, Merkmal] = {}
    for name, entry in raw.items():
        path = ("merkmale", name)
        if not isinstance(entry, dict):
            raise fail(f"Merkmal „{name}“: Angaben fehlen (z. B. {{titel: ..., art: anzahl}}).", *path)
        art = entry.get("art", ANZAHL)
        if art not in ARTEN:
            raise fail(f"Merkmal „{name}“: „art“ muss eine von {', '.join(ARTEN)} sein, nicht „{art}“.", *path, "art")
        faktor = entry.get("faktor", 1)
        if not isinstance(faktor, (int, float)) or isinstance(faktor, bool) or not (faktor > 0 and math.isfinite(faktor)):
            raise fail(f"Merkmal „{name}“: „faktor“ muss eine positive Zahl sein.", *path, "faktor")
        stellen = entry.get("stellen")
        if stellen is not None and (not _is_int(stellen) or not 0 <= stellen <= 6):
            raise fail(f"Merkmal „{name}“: „stellen“ muss eine ganze Zahl von 0 bis 6 sein.", *path, "stellen")
        ganzzahlig = entry.get("ganzzahlig", True)
        if not isinstance(ganzzahlig, bool):
            raise fail(f"Merkmal „{name}“: „ganzzahlig“ muss true oder false sein.", *path, "ganzzahlig")
        quelle = entry.get("quelle") or ""
        if quelle not in ("", GEOMETRIE) or (quelle and art != ANZAHL):
            raise fail(f"Merkmal „{name}“: „quelle“ kann nur „{GEOMETRIE}“ sein, für ein Merkmal der Art anzahl "
                       "(die Fläche in km² aus den Bezirksgrenzen).", *path, "quelle")
        aus = _parse_aus(entry.get("aus"), art, name, path, fail)
        refs = {k: entry.get(k) for k in ("zaehler", "nenner", "basis", "gewicht")}
        for k, v in refs.items():
            if v is not None and not isinstance(v, str):
                raise fail(f"Merkmal „{name}“: „{k}“ muss der Name eines Merkmals sein.", *path, k)
        merkmale[str(name)] = Merkmal(
            name=str(name),
            titel=str(entry.get("titel") or name),
            art=art,
            faktor=float(faktor),
            einheit=str(entry.get("einheit") or ""),
            definition=str(entry.get("definition") or ""),
            aliase=tuple(str(a) for a in entry.get("aliase") or ()),
            ganzzahlig=ganzzahlig and not quelle,
            grund=str(entry.get("grund") or ""),
            quelle=quelle,
            stellen=stellen,
            aus=aus,
            **refs,
        )
    for m in merkmale.values():
        _check_parts(m, merkmale, fail)
    return merkmale


def _parse_aus(raw: Any, art: str, name: Any, path: tuple, fail) -> tuple[str, tuple[str, ...]] | None:
    """`aus: {spalte: VERSUCH, werte: [Ja]}`: a count of the records whose column holds one of the values."""
    if raw is None:
        return None
    werte = raw.get("werte") if isinstance(raw, dict) else None
    if (art != ANZAHL or not isinstance(raw, dict) or not isinstance(raw.get("spalte"), str) or not raw["spalte"].strip()
            or not isinstance(werte, list) or not werte
            or any(isinstance(w, bool) or not isinstance(w, (str, int, float)) for w in werte)):
        raise fail(f"Merkmal „{name}“: „aus“ braucht die Art anzahl und die Form {{spalte: NAME, werte: [WERT, …]}} "
                   "(Werte als Text, z. B. \"Ja\").", *path, "aus")
    return raw["spalte"].strip(), tuple(str(w).strip() for w in werte)


# the parts each kind needs: (required sets, allowed keys)
_PARTS = {
    QUOTE: ((("zaehler", "nenner"), ("basis",)), {"zaehler", "nenner", "basis"}),
    ANTEIL: ((("zaehler", "nenner"), ("basis",)), {"zaehler", "nenner", "basis"}),
    VERHAELTNIS: ((("zaehler", "nenner"),), {"zaehler", "nenner"}),
    MITTELWERT: ((("gewicht",),), {"gewicht"}),
}


def _check_parts(m: Merkmal, merkmale: dict[str, Merkmal], fail) -> None:
    given = {k for k in ("zaehler", "nenner", "basis", "gewicht") if getattr(m, k)}
    required, allowed = _PARTS.get(m.art, ((), set()))
    stray = sorted(given - allowed)
    if stray:
        raise fail(f"Merkmal „{m.name}“ der Art {m.art}: „{stray[0]}“ gehört nicht dazu.", "merkmale", m.name, stray[0])
    if required and not any(set(r) == given for r in required):
        forms = " oder ".join(" und ".join(f"„{k}“" for k in r) for r in required)
        raise fail(f"Merkmal „{m.name}“ der Art {m.art} braucht {forms} (Merkmale der Art anzahl).", "merkmale", m.name)
    for rolle in [k for k in ("zaehler", "nenner", "basis", "gewicht") if k in given]:
        ref = getattr(m, rolle)
        if ref not in merkmale or merkmale[ref].art != ANZAHL:
            raise fail(
                f"Merkmal „{m.name}“: {rolle} „{ref}“ ist kein Merkmal der Art anzahl in „merkmale“.",
                "merkmale",
                m.name,
                rolle,
            )


def _build_schemata(
    raw: Any, bezirke: dict[int, Bezirk], fail, lines: _Lines, datei: Path
) -> dict[str, Schema]:
    if not isinstance(raw, dict) or not raw:
        raise fail("„schemata“ muss mindestens ein Schema enthalten.", "schemata")
    schemata: dict[str, Schema] = {}
    for sname, entry in raw.items():
        spath = ("schemata", sname)
        if not isinstance(entry, dict) or not isinstance(entry.get("raeume"), dict) or not entry["raeume"]:
            raise fail(f"Schema „{sname}“ braucht „raeume“: Raumname → Liste der Bezirksnummern.", *spath)
        raeume: list[Raum] = []
        where: dict[int, list[tuple[str, float, int | None, bool]]] = {}
        for rname, members in entry["raeume"].items():
            rpath = spath + ("raeume", rname)
            if not members:
                raise fail(f"Raum „{rname}“ im Schema „{sname}“ hat keine Bezirke.", *rpath)
            if not isinstance(members, list):
                raise fail(f"Raum „{rname}“ im Schema „{sname}“: erwartet wird eine Liste von Bezirksnummern.", *rpath)
            anteile: dict[int, float] = {}
            for k, item in enumerate(members):
                ipath = rpath + (k,)
                explicit = isinstance(item, dict)
                nr, anteil = (item.get("nr"), item.get("anteil")) if explicit else (item, 1.0)
                if not _is_int(nr):
                    raise fail(
                        f"Raum „{rname}“ im Schema „{sname}“: „{nr}“ ist keine Bezirksnummer.", *ipath
                    )
                if nr not in bezirke:
                    raise fail(
                        f"Raum „{rname}“ im Schema „{sname}“ nennt Bezirk {nr}, den es unter „bezirke“ nicht gibt.",
                        *ipath,
                    )
                if not isinstance(anteil, (int, float)) or isinstance(anteil, bool) or not (
                    0 < anteil <= 1 and math.isfinite(anteil)
                ):
                    raise fail(
                        f"Bezirk {nr} im Raum „{rname}“ (Schema „{sname}“): Der Anteil muss größer als 0 "
                        f"und höchstens 1 sein, nicht „{anteil}“.",
                        *ipath,
                    )
                if nr in anteile:
                    raise fail(f"Bezirk {nr} steht zweimal im Raum „{rname}“ (Schema „{sname}“).", *ipath)
                anteile[nr] = float(anteil)
                where.setdefault(nr, []).append((rname, float(anteil), lines(*ipath), explicit))
            raeume.append(Raum(str(rname), anteile))
        for nr, places in where.items():
            b = bezirke[nr]
            if len(places) > 1 and not all(p[3] for p in places):
                (r1, _, l1, _), (r2, _, l2, _) = places[:2]
                raise MappingError(
                    f"Bezirk {nr} ({b.name}) steht im Schema „{sname}“ in zwei Räumen: „{r1}“ (Zeile {l1}) "
                    f"und „{r2}“ (Zeile {l2}). Soll er aufgeteilt werden, in jedem Raum einen Anteil angeben, "
                    f"z. B. {{nr: {nr}, anteil: 0.5}}.",
                    datei=datei,
                    zeile=l2,
                )
            total = sum(p[1] for p in places)
            if abs(total - 1) > _SHARE_TOLERANCE:
                raise fail(
                    f"Die Anteile von Bezirk {nr} ({b.name}) im Schema „{sname}“ ergeben zusammen "
                    f"{format_share(total)} statt 1.",
                    *spath,
                    "raeume",
                    places[0][0],
                )
        missing = [nr for nr in bezirke if nr not in where]
        if missing:
            listed = ", ".join(f"{nr} ({bezirke[nr].name})" for nr in missing)
            raise fail(f"Im Schema „{sname}“ ist kein Raum für diese Bezirke angegeben: {listed}.", *spath)
        schemata[str(sname)] = Schema(
            name=str(sname),
            titel=str(entry.get("titel") or sname),
            quelle=" ".join(str(entry.get("quelle") or "").split()),
            hinweis=" ".join(str(entry.get("hinweis") or "").split()),
            raeume=tuple(raeume),
        )
    return schemata


def move_districts(
    zuordnung: Zuordnung, schema: Schema, moves: list[tuple[str, str]]
) -> tuple[Schema, list[str]]:
    """A copy of `schema` with whole districts moved to other Räume ("what if").

    `moves` holds (district as code or name, target Raum). A target Raum that does not
    exist is created, with a warning. Returns the new scheme and the warnings.
    """
    from .errors import AufrufError

    anteile = {r.name: dict(r.anteile) for r in schema.raeume}
    warnungen: list[str] = []
    labels = []
    for bezirk_text, ziel in moves:
        nr = int(bezirk_text) if bezirk_text.strip().isdigit() else zuordnung.finde(bezirk_text)
        if nr not in zuordnung.bezirke:
            raise AufrufError(f"Den Bezirk „{bezirk_text}“ gibt es in der Zuordnung nicht.", parameter="verschiebungen")
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
        labels.append(f"{nr} {zuordnung.bezirke[nr].name} → {target}")
    emptied = [name for name, members in anteile.items() if not members]
    for name in emptied:
        warnungen.append(f"Raum „{name}“ hat nach den Verschiebungen keine Bezirke mehr und entfällt.")
    raeume = tuple(Raum(name, members) for name, members in anteile.items() if members)
    changed = Schema(
        name=schema.name,
        titel=f"{schema.titel} (geändert: {'; '.join(labels)})",
        quelle=schema.quelle,
        hinweis=schema.hinweis,
        raeume=raeume,
    )
    return changed, warnungen
