"""The mapping's vocabulary: indicator kinds, units (Bezirke), special codes, Räume, schemes,
indicators (Merkmale) and the mapping itself (Zuordnung), with their look-ups. No file access.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MappingError
from ..indexdef import IndexDefinition
from .spalten import Spalten

GESAMT = "gesamt"
NICHT_ZUGEORDNET = "nicht_zugeordnet"
# how statistics offices label the city's total row and the row of what no unit takes
GESAMT_NAMEN = ("Gesamt", "Insgesamt", "Summe", "Stadt", "Stadt gesamt", "Stadt insgesamt", "Gesamtstadt",
                "Stadtgebiet", "Stadtgebiet insgesamt")
NICHT_ZUGEORDNET_NAMEN = ("nicht zugeordnet", "nicht zuzuordnen", "ohne Zuordnung", "Stadtgebiet - nicht zuzuordnen")
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
STELLEN = {QUOTE: 1, ANTEIL: 1, VERHAELTNIS: 2, MITTELWERT: 1, BEWEGUNG: 0}
SHARE_TOLERANCE = 1e-9


_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65536)  # long files ask for the same few names once per line
def name_key(text: str) -> str:
    """Normalise a district name for matching: case, umlauts/ß, spaces and punctuation do not count."""
    if type(text) is str and text.isascii():  # the same as below, for ASCII in a fraction of the time
        s = text.lower()
        return s if s.isalnum() else _NOT_ASCII_ALNUM.sub("", s)
    s = unicodedata.normalize("NFC", str(text)).casefold()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch))


def dativ_plural(mehrzahl: str) -> str:
    """„mit den meisten Bezirken/Planungsräumen“: German dative plural adds -n unless the plural ends in -n or -s."""
    return mehrzahl if mehrzahl.endswith(("n", "s")) else mehrzahl + "n"


def format_share(x: float) -> str:
    return f"{x:.6g}".replace(".", ",")


@dataclass(frozen=True)
class Bezirk:
    nr: int
    name: str
    ortsteil: str = ""
    aliase: tuple[str, ...] = ()
    beleg: str = ""
    code: str = ""  # the code as written in the mapping (leading zeros kept); empty: str(nr)

    @property
    def schluessel(self) -> str:
        return self.code or str(self.nr)


@dataclass(frozen=True)
class Sondercode:
    nr: int
    art: str  # GESAMT or NICHT_ZUGEORDNET
    name: str
    aliase: tuple[str, ...] = ()
    code: str = ""  # as written in the mapping; empty: str(nr)

    @property
    def schluessel(self) -> str:
        return self.code or str(self.nr)


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
    codes: dict[str, str] = field(default_factory=dict)  # Raum -> its own code (`codes:`), e.g. "0101"
    praefix: int | None = None  # `praefix: N`: a Raum's code is the first N characters of its units' codes

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
        return self.stellen if self.stellen is not None else STELLEN.get(self.art, 0)

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
    geheimhaltung: Any = None  # publikation.Publikationsregel of `geheimhaltung:`, or None (no default rule)
    quelle: str = ""  # `quelle:`: the office named in the source line of maps and profiles
    profil: tuple = ()  # `profil: abschnitte`: (title, indicator names) of each profile section
    einzahl: str = "Bezirk"  # the unit's own name (`einheit: {einzahl, mehrzahl}`)
    mehrzahl: str = "Bezirke"
    stadt: str = ""  # `stadt:` the city's name, for people („Stadt Jena“ beside a Raum's value)
    spalten: Spalten = field(default_factory=Spalten)  # `spalten:`: the data files' columns when not recognised

    @property
    def stadt_name(self) -> str:
        """How outputs for people name the whole city: „Stadt Jena“, or „Gesamtstadt“ without `stadt:`."""
        return f"Stadt {self.stadt}" if self.stadt else "Gesamtstadt"

    @property
    def einem(self) -> str:
        """„einem Bezirk“, „einer Bezirksregion“: the unit's name in the dative with its article (German nouns
        ending like Region, Zelle, Einheit, Ortschaft are feminine)."""
        feminin = self.einzahl.lower().endswith(("ion", "ung", "heit", "keit", "schaft", "tät", "e"))
        return f"{'einer' if feminin else 'einem'} {self.einzahl}"

    def code(self, nr: int) -> str:
        """A unit's or special code's key as text, leading zeros kept (codes are text)."""
        if nr in self.bezirke:
            return self.bezirke[nr].schluessel
        if nr in self.sondercodes:
            return self.sondercodes[nr].schluessel
        return str(nr)

    @functools.cached_property
    def text_codes(self) -> bool:
        """True when some key is not a plain number (a leading zero): machine outputs write every key as text."""
        return any(b.code and b.code != str(b.nr) for b in (*self.bezirke.values(), *self.sondercodes.values()))

    def code_json(self, nr: int) -> int | str:
        """The key for JSON and records: a number for purely numeric mappings (Jena), else text."""
        return self.code(nr) if self.text_codes else int(nr)

    def einheit_name(self, nr: int) -> str:
        """„Code Name“ of a unit or special code for messages."""
        if nr in self.bezirke:
            return f"{self.code(nr)} ({self.bezirke[nr].name})"
        if nr in self.sondercodes:
            return f"{self.code(nr)} ({self.sondercodes[nr].name})"
        return self.code(nr)

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

    def finde_raum_code(self, code: str) -> list[tuple[str, str]]:
        """(scheme, Raum) pairs whose own code (`codes:` of a scheme) is `code` (leading zeros as written,
        else by number when that is unique); with `praefix`, also the area's code padded with zeros to a
        unit code's length (010000 is Bezirk 01's row in a table of 6-digit Bezirksregionen)."""
        code = str(code).strip()
        exact = [(s.name, r) for s in self.schemata.values() for r, c in s.codes.items() if c == code]
        if exact or not code.isdigit():
            return exact
        padded = [(s.name, r) for s in self.schemata.values() if s.praefix and len(code) > s.praefix
                  and not code[s.praefix:].strip("0") for r, c in s.codes.items() if c == code[: s.praefix]]
        if padded:
            return padded
        return [(s.name, r) for s in self.schemata.values() for r, c in s.codes.items() if c.isdigit() and int(c) == int(code)]

    def finde_rest(self, code: str) -> tuple[str, str] | None:
        """(scheme, Raum) whose remainder a row is: its code is no unit and no area, but starts with the
        code of an area of a scheme with `praefix` (e.g. 019900 in Bezirk 01). The finest such scheme."""
        code = str(code).strip()
        found = []
        for s in self.schemata.values():
            if s.praefix and len(code) > s.praefix:
                for raum, c in s.codes.items():
                    if c == code[: s.praefix]:
                        found.append((s.praefix, s.name, raum))
        if not found:
            return None
        _, scheme, raum = max(found)
        return scheme, raum

    def finde_raum(self, name: str) -> list[tuple[str, str]]:
        """(scheme, Raum) pairs whose Raum is called `name` (as written in a data file)."""
        key = name_key(name)
        if not key:
            return []
        return [(s.name, r.name) for s in self.schemata.values() for r in s.raeume if name_key(r.name) == key]


def default_mapping_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "districts.yaml"


def parse_key(value: Any) -> tuple[int, str] | None:
    """A unit key as written in the mapping: a number (11) or a text of digits ("01100101").

    Returns (the number the tool works with, the key as text with its leading zeros), or None.
    """
    if type(value) is str:
        if not (value.isdigit() and value.isascii()):  # the common case "01100101" needs no strip
            value = value.strip()
            if not (value.isdigit() and value.isascii()):
                return None
        return int(value), value
    if is_int(value) and value >= 0:
        return int(value), str(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # a str subclass
        return int(value.strip()), value.strip()
    return None


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
