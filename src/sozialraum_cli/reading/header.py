"""The header of an input file: where it is, its key columns (district code and name), headers of
up to five rows combined per column, reference dates in titles, and the indicator a title names."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import AufrufError, InputError
from ..mapping import Zuordnung, name_key
from .cells import text


_CODE_SUFFIXES = ("nr", "nummer", "code", "schluessel", "kennziffer")
_CODE_WORDS = ("schluessel", "kennziffer", "nummer")  # „LOR-Schlüssel (Bezirksregion)“


def _is_code_header(key: str) -> bool:
    return key == "id" or key.endswith(_CODE_SUFFIXES) or any(w in key for w in _CODE_WORDS)


def _is_code_title(text: str) -> bool:
    """A key column such as `PLR-ID`, `Bezirk ID` (the key alone is too short to tell)."""
    return bool(re.search(r"(^|[\s_-])id$", text.strip(), re.I))


def _is_name_header(key: str) -> bool:
    return (("name" in key or "bezirk" in key or "bezeichnung" in key or key in ("gebiet", "district", "stadtteil"))
            and not _is_code_header(key))


# further headers of a name column, taken only in files without a code column and without a column
# above (a Planungsraum or Ortsteil column beside the district is an assignment, not its name)
_MORE_NAMES = ("stadtgebiet", "ortsteil", "planungsraum", "bezirksregion", "raum", "quartier", "viertel",
               "wohnbezirk", "stadtbezirk", "lorname", "plrname", "einheit")
_MORE_CODES = ("lor", "plr", "plrid", "lorid", "ags", "gkz")


LONG_COLUMNS = {
    "jahr": {"jahr", "year", "stichtag", "berichtsjahr"},
    "merkmal": {"merkmal", "indikator", "indicator", "variable", "kennzahl", "merkmalname", "zeile", "zeilentext",
                "auspraegung", "merkmalsauspraegung"},
    "wert": {"wert", "value", "werte", "anzahl", "zahl"},
}


def _key_columns(cells: list[Any], code: int | None = None, name: int | None = None) -> tuple[int | None, int | None]:
    """The code and the name column of a header row; `code`/`name` given: chosen by the user (kept)."""
    texts = [text(c) for c in cells]
    keys = [name_key(t) for t in texts]
    long_names = set().union(*LONG_COLUMNS.values())
    chosen = {i for i in (code, name) if i is not None}
    if code is None:
        codes = [i for i, k in enumerate(keys)
                 if k and i not in chosen and (_is_code_header(k) or _is_code_title(texts[i]) or k in _MORE_CODES)]
        # a bare `id` is often the row's own number: any other key column comes first
        code = next((i for i in codes if keys[i] != "id"), codes[0] if codes else None)
    if name is None:
        free = [i for i, k in enumerate(keys) if k and i != code and i not in chosen and k not in long_names]
        name = next((i for i in free if _is_name_header(keys[i])), None)
        if name is None and code is None:  # beside a code such a column is data (an Ortsteil per district)
            name = next((i for i in free if keys[i] in _MORE_NAMES and not _is_code_header(keys[i])), None)
    return code, name


# where a column chosen by its header came from, for errors: the option (or the mapping's `spalten:`)
OPTIONEN = {"code": "--code-column", "name": "--name-column", "merkmal": "--indicator-column",
            "wert": "--value-column", "jahr": "--year-column"}
_SEARCH_ROWS = 100  # an explicit key column is looked for in the first rows only


_SAMPLE = 60  # data rows below a header that decide between candidate key columns


def _has_ortsteile(zuordnung: Zuordnung) -> bool:
    """The mapping gives units an Ortsteil (Jena): an `Ortsteil` column is then data, never the name."""
    return any(b.ortsteil for b in zuordnung.bezirke.values())


def _names_hit(body: list[list[Any]], i: int, zuordnung: Zuordnung) -> bool:
    """Most filled cells of column i name a unit, a Raum or a special row of the mapping."""
    texts = [text(cells[i]) for cells in body if i < len(cells) and text(cells[i])]
    hits = sum(1 for t in texts if zuordnung.finde(t) is not None or zuordnung.finde_raum(t))
    return bool(texts) and hits * 2 > len(texts)


def _by_content(rows: list[tuple[int, list[Any]]], idx: int, code: int | None, name: int | None,
                zuordnung: Zuordnung, name_fest: bool = False) -> tuple[int | None, int | None]:
    """Between several columns that could be the key by their header, the one whose values are the mapping's
    codes; beside a code, a column of unit names (`Planungsraum` beside `PLR-ID`) is the name column when
    its values are the names of the units the codes give, else it stays data (a Planungsraum per district)."""
    from .cells import parse_code

    header = [name_key(text(c)) for c in rows[idx][1]]
    body = [cells for _, cells in rows[idx + 1: idx + 1 + _SAMPLE]]
    units = set(zuordnung.bezirke)
    unit_codes = {zuordnung.code(nr) for nr in zuordnung.bezirke if nr >= 0}  # names-only units have no code
    area_codes = {c for s in zuordnung.schemata.values() for c in s.codes.values()}

    def cell(cells: list[Any], i: int) -> Any:
        return cells[i] if i < len(cells) else None

    def code_hits(i: int) -> int:
        """Three for a unit's code as the mapping writes it, two for an area's code as written (a BZR-ID
        column before the PLR-ID), one for a code equal only as a number (a table number 1 equals the area
        code 01 as a number, not as written)."""
        hits = 0
        for cells in body:
            t = text(cell(cells, i))
            if t in unit_codes:
                hits += 3
            elif t in area_codes:
                hits += 2
            else:
                nr = parse_code(cell(cells, i))
                hits += (nr is not None and nr in units) or bool(t and zuordnung.finde_raum_code(t))
        return hits

    unit_word = name_key(zuordnung.einzahl)

    def names_unit(i: int) -> bool:
        """The header names the units (`Bezirk Nr.` beside `Ortsteil Nr.`, `PLR-ID` for Planungsräume)."""
        return bool(unit_word) and unit_word in header[i] or (unit_word == "bezirk" and header[i].startswith("bezirk"))

    candidates = [i for i, k in enumerate(header) if k and i != name and (
        _is_code_header(k) or _is_code_title(text(rows[idx][1][i])) or k in _MORE_CODES)]
    if code is not None and candidates:
        scores = {i: code_hits(i) for i in candidates}
        rank = {i: (scores[i], names_unit(i)) for i in candidates}
        best = max(candidates, key=lambda i: (*rank[i], i == code))
        if rank[best] > rank.get(code, (0, False)):
            code = best
        if not scores[code]:  # codes the mapping does not know (a names-only mapping): the names are the key
            if name is None:
                name = next((i for i, k in enumerate(header) if k in _MORE_NAMES and _names_hit(body, i, zuordnung)), None)
            if name is not None and any(text(cells[name]) for cells in body if name < len(cells)):
                code = None
    if code is not None:
        def fit(i: int) -> float:
            """The share of rows with a unit's code whose cell in column i names that unit."""
            pairs = [(parse_code(cell(cells, code)), text(cell(cells, i))) for cells in body]
            pairs = [(nr, t) for nr, t in pairs if nr is not None and nr in zuordnung.bezirke and t]
            return sum(1 for nr, t in pairs if zuordnung.finde(t) == nr) / len(pairs) if pairs else 0.0

        # the header's choice (`Bezirk` before `Planungsraum` in a Berlin list) unless its names are not the
        # units' and another name-like column's are; an Ortsteil column of a mapping with Ortsteile is data
        if not name_fest and (name is None or fit(name) < 0.75):
            others = [i for i, k in enumerate(header) if i not in (code, name) and k
                      and (k in _MORE_NAMES or _is_name_header(k)) and not (k == "ortsteil" and _has_ortsteile(zuordnung))]
            better = next((i for i in others if fit(i) >= 0.75), None)
            if better is not None:
                name = better
            elif name is not None and fit(name) < 0.25:
                texts = [text(cell(cells, name)) for cells in body if text(cell(cells, name))]
                areas = {name_key(re.sub(r" \([^()]*\)$", "", r.name)) for sch in zuordnung.schemata.values() for r in sch.raeume}
                if texts and sum(1 for t in texts if name_key(t) in areas) > 0.75 * len(texts):
                    name = None  # the Raum each unit lies in (`Bezirksregion` beside `PLR-ID`): data, not its name
    return code, name


def find_header(
    rows: list[tuple[int, list[Any]]], header_row: int | None, datei: Path,
    code_column: str | None = None, name_column: str | None = None, herkunft: dict[str, str] | None = None,
    zuordnung: Zuordnung | None = None,
) -> tuple[int, int | None, int | None]:
    """Index into rows of the header row, and the code and name column indices.

    `code_column`/`name_column` (--code-column, --name-column) name the key columns by their header;
    the header row is then the first row that has them. `herkunft` says how an error names where a
    column came from (default: the options).
    """
    herkunft = herkunft or OPTIONEN
    if code_column or name_column:
        wanted = [(c, opt) for c, opt in ((code_column, "code"), (name_column, "name")) if c]
        candidates = rows[:_SEARCH_ROWS] if header_row is None else [r for r in rows if r[0] == header_row]
        for idx, (_, cells) in enumerate(candidates):
            keys = [name_key(text(c)) for c in cells]
            found = {opt: keys.index(name_key(c)) for c, opt in wanted if name_key(c) and name_key(c) in keys}
            if len(found) == len(wanted):
                if header_row is not None:
                    idx = next(i for i, (line, _) in enumerate(rows) if line == header_row)
                code, name = _key_columns(cells, found.get("code"), found.get("name"))
                if zuordnung is not None and "code" not in found:  # only the name chosen: is the code the key?
                    code, name = _by_content(rows, idx, code, name, zuordnung, name_fest="name" in found)
                return idx, code, name
        missing = next((c for c, opt in wanted if not any(
            name_key(c) in [name_key(text(x)) for x in cells] for _, cells in candidates)), wanted[0][0])
        opt = herkunft["code" if missing == code_column else "name"]
        heads = [text(x) for x in (candidates[0][1] if candidates else []) if text(x)]
        # a column an option names is a usage error (exit 2); one the mapping names, an error of the data (1)
        raise (AufrufError if opt.startswith("--") else InputError)(
            f"Die Spalte „{missing}“ ({opt}) steht in keiner Kopfzeile der Datei"
            + (f" (erste Zeile: {', '.join(heads[:12])})." if heads else "."),
            datei=datei,
            zeile=header_row,
            hilfe="Bitte die Überschrift so angeben, wie sie in der Datei steht.",
        )
    if header_row is not None:
        idx = next((i for i, (line, _) in enumerate(rows) if line == header_row), None)
        if idx is None:
            raise AufrufError(f"{header_row}: Die Zeile ist leer oder fehlt.", datei=datei, parameter="kopfzeile")
        code, name = _key_columns(rows[idx][1])
        if code is None and name is None:
            raise InputError(
                "In der angegebenen Kopfzeile steht keine Spalte mit Bezirksnummer oder Bezirksname.",
                datei=datei,
                zeile=header_row,
            )
        return idx, code, name
    for idx, (_, cells) in enumerate(rows):
        if sum(1 for c in cells if text(c)) < 2:  # a title line, not a header
            continue
        code, name = _key_columns(cells)
        if code is not None or name is not None:
            if zuordnung is not None:
                code, name = _by_content(rows, idx, code, name, zuordnung)
            return idx, code, name
    return -1, None, None


def _is_year_like(v: Any) -> bool:
    return header_year(v) is not None


def _is_header_row(cells: list[Any], key_cols: set[int]) -> bool:
    """A row of column titles over the value columns: nothing in the key columns, only text or dates."""
    if any(text(cells[i]) for i in key_cols if i < len(cells)):
        return False
    values = [c for i, c in enumerate(cells) if i not in key_cols and text(c)]
    return bool(values) and all(isinstance(v, str) or _is_year_like(v) for v in values)


_MAX_HEADER_ROWS = 2  # group rows above and definition rows below the row with the key columns


def header_parts(
    rows: list[tuple[int, list[Any]]], h: int, key_cols: set[int]
) -> tuple[list[list[str]], list[str], int, int]:
    """The title parts of every column of a header of up to five rows.

    Rows right above the key row whose key cells are empty are group titles (merged cells: a title
    stands for the columns to its right up to the next one); up to two rows below are sub-titles
    or definitions. Returns the parts per column, each column's own cell of the key row, and the
    number of rows above and below.
    """
    above = 0
    while above < _MAX_HEADER_ROWS and h - above - 1 >= 0 and _is_header_row(rows[h - above - 1][1], key_cols):
        above += 1
    below = 0
    while below < _MAX_HEADER_ROWS and h + below + 1 < len(rows) - 1 and _is_header_row(rows[h + below + 1][1], key_cols):
        below += 1
    block = [cells for _, cells in rows[h - above : h + below + 1]]
    width = max(len(cells) for cells in block)
    filled = []
    for k, cells in enumerate(block):
        texts = [text(cells[i]) if i < len(cells) else "" for i in range(width)]
        if k < above or (k == above and below):  # a group title spans the empty cells to its right
            group = ""
            for i in range(width):
                if i in key_cols:
                    group = ""
                elif texts[i]:
                    group = texts[i]
                elif k == above:  # the key row: only over columns that have a sub-title
                    texts[i] = group if any(text(r[i]) for r in block[above + 1 :] if i < len(r)) else ""
                else:
                    texts[i] = group
        filled.append(texts)
    parts = []
    for i in range(width):
        if i in key_cols:
            parts.append([filled[above][i]])
            continue
        column: list[str] = []
        for texts in filled:
            if texts[i] and texts[i] not in column:
                column.append(texts[i])
        parts.append(column)
    own = [filled[above][i] if text(block[above][i] if i < len(block[above]) else None) else "" for i in range(width)]
    return parts, own, above, below


@functools.lru_cache(maxsize=65536)
def merkmal_slug(text: str) -> str:
    s = unicodedata.normalize("NFC", text).casefold()
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


_MONTHS = r"(?:jan|feb|m[aä]r|mrz|apr|mai|jun|jul|aug|sep|okt|nov|dez)[a-zä]*\.?"
_DATE = rf"(?:(?:stand|stichtag|jahr)[:\s]*)?(?:\d{{1,2}}\.\d{{1,2}}\.\s?|{_MONTHS}\s*|\d{{1,2}}/)?((?:19|20)\d{{2}})"
_ONLY_DATE = re.compile(rf"^{_DATE}$", re.I)
_TRAILING_DATE = re.compile(rf"^(.*?\S)[\s_,]+({_DATE})$", re.I)
_PAREN_DATE = re.compile(rf"^(.*?)\s*\(\s*({_DATE})\s*\)\s*(.*)$", re.I)
# "Sozialwohnungen mit Bindungsauslauf bis 2019": a year after these words is part of the definition
_NOT_A_DATE = {"bis", "ab", "seit", "vor", "nach", "von", "zwischen", "und", "bzw", "oder", "ende", "anfang"}


def header_year(header: Any) -> int | None:
    if isinstance(header, (int, float)) and not isinstance(header, bool) and float(header).is_integer():
        return int(header) if 1900 <= header <= 2099 else None
    m = _ONLY_DATE.match(text(header))
    return int(m.group(1)) if m else None


# a footnote marker after a header („… 1)“, „…*“); not a superscript, which may be a unit (m², m³)
_FOOTNOTE = re.compile(r"(\s+\(?\d{1,2}\)|\s*\*+\)?)$")
_CONNECTIVE = re.compile(r"(^|\s+)(am|zum|vom|per|stand|stichtag)\s*:?$", re.I)


def parse_stichtag(header: str) -> tuple[str, str | None, int | None]:
    """A header's label, its reference date as written and its year.

    '31.12.2016' -> ('', '31.12.2016', 2016); 'EW 31.12.2020' -> ('EW', '31.12.2020', 2020);
    'Arbeitslose (Dez 2013)' -> ('Arbeitslose', 'Dez 2013', 2013); 'Wohnungen bis 2019' has no date.
    """
    text = _FOOTNOTE.sub("", header.strip())  # „Personen mit SGB-II-Leistungen 1)“: the marker is no part of the name
    m = _ONLY_DATE.match(text)
    if m:
        return "", text, int(m.group(1))
    m = _PAREN_DATE.match(text)
    if m:
        label = " ".join(p for p in (m.group(1).strip(), m.group(4).strip()) if p)
        return label, m.group(2).strip(), int(m.group(3))
    m = _TRAILING_DATE.match(text)
    if m and m.group(1).split()[-1].casefold().strip(".") not in _NOT_A_DATE:
        label = _CONNECTIVE.sub("", m.group(1).strip(" _,"))  # „Einwohner am 31.12.2021“ names „Einwohner“
        return label.strip(" _,"), m.group(2).strip(), int(m.group(3))
    return text, None, None


def split_header(header: str) -> tuple[str, int | None]:
    """'31.12.2016' -> ('', 2016); 'Einwohner 2016' -> ('Einwohner', 2016); 'Einwohner' -> ('Einwohner', None)."""
    label, _, jahr = parse_stichtag(header)
    return label, jahr


def column_title(parts: list[str]) -> tuple[str, str | None, int | None, list[str]]:
    """(label, reference date, year, label parts) of a column from its header parts."""
    labels, stichtag, jahr = [], None, None
    for part in parts:
        label, tag, year = parse_stichtag(part)
        if tag is not None and stichtag is None:
            stichtag, jahr = tag, year
        elif tag is not None:
            label = part
        if label and label not in labels:
            labels.append(label)
    return " ".join(labels), stichtag, jahr, labels


def merkmal_for_header(header: str, zuordnung: Zuordnung, parts: list[str] | None = None) -> str | None:
    """The declared indicator a header names (by the whole title or one of its parts), else None."""
    keys = [name_key(t.replace("%", "")) for t in [header, *(parts or [])]]
    index = _merkmal_keys(zuordnung)
    found = [index[k] for k in keys if k and k in index]
    return min(found)[1] if found else None  # the first in mapping order


def _merkmal_keys(zuordnung: Zuordnung) -> dict[str, tuple[int, str]]:
    """name_key of every way of writing an indicator -> (position, name) of the first indicator so named;
    built once per mapping, because long files ask once per line."""
    cached = zuordnung.__dict__.get("_merkmal_keys")
    if cached is None or cached[0] is not zuordnung.merkmale or cached[1] != len(zuordnung.merkmale):
        keys: dict[str, tuple[int, str]] = {}
        for i, m in enumerate(zuordnung.merkmale.values()):
            for s in m.schreibweisen:
                keys.setdefault(name_key(s), (i, m.name))
        cached = (zuordnung.merkmale, len(zuordnung.merkmale), keys)
        zuordnung.__dict__["_merkmal_keys"] = cached
    return cached[2]


def file_merkmal(datei: Path) -> str:
    stem = re.sub(r"[_\-\s]*(19|20)\d{2}([_\-\s]+(19|20)\d{2})?$", "", datei.stem)
    return merkmal_slug(stem) or "wert"
