"""The rows of one file -> its tidy district table (`Bezirksdaten`).

Finds the header, matches every data row to a district, a special code or a Raum whose
published subtotal it is (`teilsummen`), skips title and footnote lines, and makes anything
else an error naming file and line, never dropped; then reads the value columns by layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import AufrufError, InputError
from ..mapping import GESAMT, NICHT_ZUGEORDNET, Zuordnung, name_key
from ..mapping.model import GESAMT_NAMEN
from .cells import parse_code, text
from .header import LONG_COLUMNS, OPTIONEN, find_header, header_parts, parse_stichtag
from .layouts import long_records, wide_records
from .model import LAYOUT_MERKMALE, LAYOUT_STICHTAGE, Bezirksdaten


def tidy_rows(
    datei: Path,
    sha: str,
    rows: list[tuple[int, list[Any]]],
    zuordnung: Zuordnung,
    hinweise: list[str],
    header_row: int | None,
    symbole: dict[str, str],
    *,
    code_column: str | None = None,
    name_column: str | None = None,
    strict: bool = False,
    lang: tuple[list[str], str | None, str | None] | None = None,
    herkunft: dict[str, str] | None = None,
) -> Bezirksdaten:
    """`code_column`/`name_column`: the key columns by header (else recognised); `strict`: a name that does
    not fit its row's code is an error (else a note: the code decides); `lang`: the indicator column(s),
    the value and the year column of a long file by header (--indicator-column, --value-column, --year-column);
    `herkunft`: how errors name where each chosen column came from (an option or the mapping's `spalten:`)."""
    import pandas as pd

    herkunft = {**OPTIONEN, **(herkunft or {})}
    warnungen: list[str] = []
    rows = [(line, cells) for line, cells in rows if any(text(c) for c in cells)]
    if not rows:
        raise InputError("Die Datei ist leer.", datei=datei)
    h, code_col, name_col = find_header(rows, header_row, datei, code_column, name_column, herkunft, zuordnung)
    if h < 0:
        raise InputError(
            "Keine Spalte mit Bezirksnummer oder Bezirksname gefunden.",
            datei=datei,
            hilfe="Erwartet wird eine Kopfzeile mit z. B. „bezirk_nr“ oder „bezirk“ (oder --header-row angeben).",
        )
    details: list[str] = []
    header_line = rows[h][0]
    key_cols = {c for c in (code_col, name_col) if c is not None}
    parts, own, above, below = header_parts(rows, h, key_cols)
    # the column's own header rows, without group titles that may span it only by position
    # (its longest own part, e.g. „Fortzüge“ rather than the short name „Fortz“, names it best for people)
    ungrouped = [" ".join(dict.fromkeys(text(cells[i]) for _, cells in rows[h : h + below + 1] if i < len(cells) and text(cells[i])))
                 for i in range(len(parts))]
    named = [max((parse_stichtag(text(cells[i]))[0] for _, cells in rows[h : h + below + 1] if i < len(cells)),
                 key=len, default="") for i in range(len(parts))]
    for line, cells in rows[: h - above]:
        details.append(f"Titelzeile {line} übersprungen: {' '.join(text(c) for c in cells if text(c))}")
    if above or below:
        first, last = rows[h - above][0], rows[h + below][0]
        what = "Zweizeilige" if above + below == 1 else f"{above + below + 1}-zeilige"
        details.append(f"{what} Kopfzeile (Zeilen {first} {'und' if above + below == 1 else 'bis'} {last}) zusammengefasst.")
    titles = [" ".join(p) for p in parts]
    body = rows[h + below + 1 :]
    if not body:
        raise InputError("Die Datei enthält nur die Kopfzeile und keine Daten.", datei=datei, zeile=header_line)
    for line, cells in body:
        for i in range(len(titles), len(cells)):
            if text(cells[i]):
                raise InputError(
                    f"Wert „{text(cells[i])}“ in Spalte {i + 1}, die keine Überschrift hat.",
                    datei=datei,
                    zeile=line,
                )
    keys = [name_key(t) for t in titles]
    long_cols = {role: next((i for i, k in enumerate(keys) if k in names and i not in key_cols), None)
                 for role, names in LONG_COLUMNS.items()}
    if lang is not None and (lang[0] or lang[1] or lang[2]):
        body = _explicit_long(datei, titles, keys, long_cols, key_cols, body, header_line, *lang, herkunft)
    is_long = long_cols["merkmal"] is not None and long_cols["wert"] is not None

    # match rows to districts and published subtotals of Räume; separate trailing footnotes
    value_cols = [i for i, t in enumerate(titles) if i not in key_cols and t]
    matched: list[tuple[int | str, int, list[Any]]] = []  # (district code or Raum label, line, cells)
    unknown: list[tuple[int, str, bool]] = []  # (line, label, has values)
    seen: dict[Any, int] = {}
    in_subtotals = False
    ambiguous: list[tuple[int, str]] = []  # (line, label) of rows named like both a district and a Raum
    rest_labels: list[tuple[tuple, int, str]] = []  # (key, line, name) of remainder rows

    def row_key_of(cells: list[Any]) -> tuple:
        return (*(text(cells[long_cols[r]]) for r in ("jahr", "merkmal") if long_cols[r] is not None),) if is_long else ()

    rows_matched = [(line, cells, *_match_row(cells, code_col, name_col, zuordnung, datei, line, strict, warnungen))
                    for line, cells in body]
    twins = _twins(rows_matched, zuordnung, [long_cols["wert"]] if is_long else value_cols, row_key_of, symbole)
    for line, cells, nr, label, raum in rows_matched:
        if (raum and nr in zuordnung.bezirke and line not in twins
                and parse_code(cells[code_col] if code_col is not None and code_col < len(cells) else None) is None):
            ambiguous.append((line, label))
        has_values = any(text(cells[i]) for i in value_cols if i < len(cells))
        row_key = row_key_of(cells)
        if isinstance(nr, tuple):  # an area's remainder (hierarchical codes)
            _once(seen, (nr, *row_key), line, f"Der Rest „{label}“", datei)
            details.append(f"Zeile {line} „{label}“ als Rest des Raums „{nr[2]}“ (Schema „{nr[1]}“) gelesen.")
            rest_labels.append((nr, line, text(cells[name_col]) if name_col is not None and name_col < len(cells) else ""))
            matched.append((nr, line, cells))
            continue
        if line in twins and not twins[line]:  # named like a unit and a Raum: the values say it is the unit
            raum = None
        if raum and (nr is None or twins.get(line) or (nr, *row_key) in seen or (in_subtotals and nr in zuordnung.bezirke)):
            key: Any = ("raum", name_key(raum), *row_key)
            if key in seen and nr in zuordnung.bezirke:
                raise InputError(
                    f"„{label}“ ist der Name einer Einheit ({zuordnung.einzahl}) und eines Raums und steht zweimal (Zeilen "
                    f"{seen[key]} und {line}); an den Werten lässt sich nicht erkennen, welche Zeile die Teilsumme ist.",
                    datei=datei, zeile=line,
                    hilfe="Bitte eine Schlüsselspalte mitliefern (--code-column) oder die Teilsummenzeilen entfernen.",
                )
            schemes = [sname for sname, _ in zuordnung.finde_raum(raum)]
            if key in seen and len(schemes) > 1:  # Jena: „Lobeda“ is a Planungsraum and a Sozialraum
                raise InputError(
                    f"Die Teilsumme „{raum}“ steht zweimal in der Datei (Zeilen {seen[key]} und {line}); „{raum}“ ist ein "
                    f"Raum in mehreren Schemata ({', '.join(schemes)}), welche Zeile zu welchem gehört, lässt sich nicht "
                    "erkennen.",
                    datei=datei, zeile=line,
                    hilfe="Bitte die Teilsummen nur eines Schemas in der Datei lassen oder ihre Zeilen mit einer "
                          "Nummer des Raums versehen (codes: in der Zuordnung).",
                )
            _once(seen, key, line, f"Die Teilsumme „{raum}“", datei)
            in_subtotals = True
            unit = f"{zuordnung.einzahl} {zuordnung.code(nr)}" if nr is not None else ""
            also = f" (nicht als {unit}, der schon in Zeile {seen[(nr, *row_key)]} steht)" if (nr, *row_key) in seen else (
                f" (nicht als {unit}: sie steht im Block der Teilsummen)" if nr is not None else "")
            details.append(f"Zeile {line} „{label}“ als veröffentlichte Teilsumme des Raums „{raum}“ gelesen{also}.")
            matched.append((raum, line, cells))
            continue
        if nr is None:
            unknown.append((line, label, has_values))
            continue
        key = (nr, *row_key)
        _once(seen, key, line, _label(zuordnung, nr) + (f" mit {' / '.join(row_key)}" if is_long else ""), datei)
        matched.append((nr, line, cells))
    _check_ambiguous_names(matched, ambiguous, datei)
    last_matched = max((line for _, line, _ in matched), default=0)
    footnotes = {u[0] for u in unknown if u[0] > last_matched and not u[2]}
    for line, label, _ in unknown:
        if line in footnotes:
            details.append(f"Fußnote Zeile {line} übersprungen: {label}")
    unknown = [u for u in unknown if u[0] not in footnotes]
    if unknown:
        listed = "; ".join(f"Zeile {line}: „{label}“" for line, label, _ in unknown[:10])
        more = f" und {len(unknown) - 10} weitere" if len(unknown) > 10 else ""
        raise InputError(
            f"{len(unknown)} Zeile(n) passen weder zu einer Einheit ({zuordnung.mehrzahl}) noch zu einem Raum der "
            f"Zuordnung ({listed}{more}).",
            datei=datei,
            zeile=unknown[0][0],
            hilfe=_unknown_help(zuordnung, [label for _, label, _ in unknown]),
        )
    if not any(isinstance(k, int) for k, _, _ in matched):
        raise InputError(f"Die Datei enthält keine Zeile einer Einheit der Zuordnung ({zuordnung.mehrzahl}).", datei=datei)
    nullzeichen: dict[tuple[str, int | None], dict[str, int]] = {}
    if is_long:
        spalten, records = long_records(datei, titles, long_cols, matched, zuordnung, symbole, nullzeichen)
    else:
        short = own if above or below else [""] * len(own)
        spalten, records = wide_records(datei, titles, parts, short, ungrouped, named, value_cols, matched, zuordnung, hinweise, symbole, nullzeichen)
    layout = LAYOUT_STICHTAGE if any(s.jahr is not None for s in spalten) else LAYOUT_MERKMALE
    columns = ["bezirk_nr", "jahr", "merkmal", "wert", "status", "zeile"]
    daten = pd.DataFrame.from_records(
        [r for r in records if isinstance(r[0], int)], columns=columns
    ).astype({"bezirk_nr": "int64", "jahr": "Int64", "wert": "float64", "zeile": "int64"})
    teilsummen = pd.DataFrame.from_records(
        [r for r in records if isinstance(r[0], str)], columns=["raum", *columns[1:]]
    ).astype({"jahr": "Int64", "wert": "float64", "zeile": "int64"})
    labels = {line: label for key, line, label in rest_labels}
    reste = pd.DataFrame.from_records(
        [(r[0][1], r[0][2], f"{r[0][3]} {labels.get(r[5], '')}".strip(), *r[1:]) for r in records if isinstance(r[0], tuple)],
        columns=["schema", "raum", "rest", *columns[1:]],
    ).astype({"jahr": "Int64", "wert": "float64", "zeile": "int64"})
    return Bezirksdaten(
        datei=datei,
        sha256=sha,
        layout=layout,
        daten=daten,
        spalten=spalten,
        zeilen={nr: line for nr, line, _ in matched if isinstance(nr, int)},
        hinweise=hinweise,
        warnungen=warnungen,
        details=details,
        teilsummen=teilsummen,
        nullzeichen=nullzeichen,
        reste=reste if not reste.empty else None,
    )


def _explicit_long(
    datei: Path, titles: list[str], keys: list[str], long_cols: dict, key_cols: set[int], body: list,
    header_line: int, merkmal_spalten: list[str], wert_spalte: str | None, jahr_spalte: str | None,
    herkunft: dict[str, str],
) -> list:
    """Long-file columns chosen by the user; several indicator columns form one indicator name
    („Bevölkerung / Einwohner insgesamt“), as an added column. Updates titles, keys and long_cols in place."""
    def col(name: str, option: str) -> int:
        key = name_key(name)
        if key in keys and keys.index(key) not in key_cols:
            return keys.index(key)
        raise (AufrufError if option.startswith("--") else InputError)(
            f"Die Spalte „{name}“ ({option}) steht nicht in der Kopfzeile (vorhanden: {', '.join(t for t in titles if t)}).",
            datei=datei, zeile=header_line,
        )

    if wert_spalte:
        long_cols["wert"] = col(wert_spalte, herkunft["wert"])
    if jahr_spalte:
        long_cols["jahr"] = col(jahr_spalte, herkunft["jahr"])
    if merkmal_spalten:
        idxs = [col(m, herkunft["merkmal"]) for m in merkmal_spalten]
        if len(idxs) == 1:
            long_cols["merkmal"] = idxs[0]
        else:
            titles.append(" / ".join(titles[i] for i in idxs))
            keys.append(name_key(titles[-1]))
            long_cols["merkmal"] = len(titles) - 1
            width = len(titles) - 1
            body = [(line, [*cells, *([None] * (width - len(cells))),
                            " / ".join(text(cells[i]) for i in idxs if i < len(cells) and text(cells[i]))])
                    for line, cells in body]
    roles = {"merkmal": "Merkmal", "wert": "Wert", "jahr": "Jahr"}
    used: dict[int, str] = {}
    for role, i in long_cols.items():
        if i is not None and i in used:  # `--value-column jahr` beside the recognised year column
            raise AufrufError(f"Die Spalte „{titles[i]}“ wäre zugleich {roles[used[i]]}- und {roles[role]}spalte.",
                              datei=datei, zeile=header_line,
                              hilfe="Bitte für Merkmal, Wert und Jahr verschiedene Spalten angeben.")
        if i is not None:
            used[i] = role
    if long_cols["merkmal"] is None or long_cols["wert"] is None:
        feld = "merkmal" if long_cols["merkmal"] is None else "wert"
        missing = OPTIONEN[feld]
        raise InputError(f"Für eine lange Datei fehlt die Spalte {missing} (sie wurde an der Überschrift nicht erkannt).",
                         datei=datei, zeile=header_line,
                         hilfe=f"Bitte {missing} SPALTE angeben (oder dauerhaft „spalten: {{{feld}: SPALTE}}“ in der Zuordnung).")
    return body


def _check_ambiguous_names(matched: list[tuple[int | str, int, list[Any]]], ambiguous: list[tuple[int, str]], datei: Path) -> None:
    """Names that fit a district and a Raum are read by position only when the subtotals follow the districts.

    If a subtotal row stands among or before the district rows, position says nothing: an error, not a guess.
    """
    if not ambiguous:
        return
    districts = [line for key, line, _ in matched if isinstance(key, int)]
    subtotals = [line for key, line, _ in matched if isinstance(key, str)]
    if subtotals and districts and min(subtotals) < max(districts):
        listed = "; ".join(f"Zeile {line}: „{label}“" for line, label in ambiguous[:5])
        raise InputError(
            f"Die Teilsummen der Räume stehen zwischen den Zeilen der Einheiten, und manche Namen passen zu einer Einheit "
            f"und zu einem Raum ({listed}); welche Zeile was ist, lässt sich nicht erkennen.",
            datei=datei,
            zeile=ambiguous[0][0],
            hilfe="Bitte eine Schlüsselspalte ergänzen (--code-column) oder die Teilsummen unter die Zeilen der Einheiten stellen.",
        )


def _twins(rows: list[tuple], zuordnung: Zuordnung, value_cols: list[int], row_key_of, symbole: dict[str, str]) -> dict[int, bool]:
    """Rows named like both a unit and a Raum that stand twice (a Köln Stadtteil „Rodenkirchen“ in the
    Stadtbezirk „Rodenkirchen“, the block followed by its subtotal): line -> True for the subtotal, False
    for the unit, decided by the values only: the subtotal is the sum of the Raum's units, the twin among
    them. Undecided (no value to check, or both or neither fit) stays out: the caller's rules apply."""
    from .cells import number_style, parse_cell

    groups: dict[tuple, list[tuple[int, list[Any]]]] = {}
    for line, cells, nr, _label, raum in rows:
        if raum and nr in zuordnung.bezirke:
            groups.setdefault((nr, raum, row_key_of(cells)), []).append((line, cells))
    twins = {k: v for k, v in groups.items() if len(v) == 2}
    if not twins:
        return {}
    styles = {i: number_style([text(c[i]) for _, c, *_ in rows if i < len(c)]) for i in value_cols if i is not None}

    def value(cells: list[Any], i: int) -> float | None:
        parsed = parse_cell(cells[i] if i < len(cells) else None, styles[i], symbole)
        return parsed[0] if parsed else None

    units: dict[tuple, list[list[Any]]] = {}  # (nr, row key) -> cells of plain unit rows
    for _line, cells, nr, _label, raum in rows:
        if isinstance(nr, int) and nr in zuordnung.bezirke and not raum:
            units.setdefault((nr, row_key_of(cells)), []).append(cells)
    def decide(members: dict[int, float], nr: int, key: tuple, c1: list[Any], c2: list[Any]) -> bool | None:
        """True: the first row is the unit, the second the subtotal; False: the other way; None: the values
        do not say. A column where only one reading adds up speaks for it; a deviating published subtotal
        (no reading adds up in that column) speaks for neither."""
        if any(a != 1 for a in members.values()):
            return None
        only = {True: 0, False: 0}
        for i in styles:
            others = [value(c, i) for m in members if m != nr for c in units.get((m, key), [])]
            v1, v2 = value(c1, i), value(c2, i)
            if v1 is None or v2 is None or any(v is None for v in others):
                continue
            rest = sum(others)
            first, second = abs(v1 + rest - v2) < 0.5, abs(v2 + rest - v1) < 0.5
            if first != second:
                only[first] += 1
        if only[True] and not only[False]:
            return True
        if only[False] and not only[True]:
            return False
        return None

    out: dict[int, bool] = {}
    for (nr, raum, key), ((l1, c1), (l2, c2)) in twins.items():
        # every scheme with a Raum of that name (Jena: „Winzerla“ is a Sozialraum and a Planungsraum)
        verdicts = {decide(s.raum(raum).anteile, nr, key, c1, c2) for s in zuordnung.schemata.values()
                    if raum in s.raum_namen} - {None}
        if len(verdicts) == 1:
            first_is_unit = verdicts.pop()
            out[l1], out[l2] = not first_is_unit, first_is_unit
    return out


def _once(seen: dict, key: Any, line: int, what: str, datei: Path) -> None:
    """Remember the line of a row key; a second row with the same key is an error."""
    if key in seen:
        raise InputError(
            f"{what} steht zweimal in der Datei (Zeilen {seen[key]} und {line}).",
            datei=datei,
            zeile=line,
            hilfe="Bitte die doppelte Zeile entfernen.",
        )
    seen[key] = line


def _unknown_help(zuordnung: Zuordnung, labels: list[str]) -> str:
    """What to do about rows that fit nothing; a row named like a city total gets the YAML that declares it."""
    for label in labels:
        code, _, name = label.rpartition(" / ")
        key = name_key(name)
        if zuordnung.code_fuer(GESAMT) is None and (key in {name_key(n) for n in GESAMT_NAMEN} or key.endswith("gesamt")
                                                  or (code.isdigit() and not int(code))):
            code = code or "0"
            return (f"„{name}“ ist wohl die Zeile der ganzen Stadt; die Zuordnung kennt keine. Bitte eintragen: "
                    f"sondercodes: [{{nr: \"{code}\", art: gesamt, name: \"{name}\"}}] "
                    "(`mapping import` schreibt diesen Eintrag selbst).")
    return "Bitte Nummer oder Schreibweise prüfen oder den Namen als Alias in der Zuordnung eintragen."


def _label(zuordnung: Zuordnung, nr: int) -> str:
    if nr in zuordnung.bezirke:
        return f"{zuordnung.einzahl} {zuordnung.code(nr)} ({zuordnung.bezirke[nr].name})"
    return f"Die Zeile „{zuordnung.sondercodes[nr].name}“ ({nr})"


def _match_row(
    cells: list[Any], code_col: int | None, name_col: int | None, zuordnung: Zuordnung, datei: Path, line: int,
    strict: bool = False, hinweise: list[str] | None = None,
) -> tuple[int | None, str, str | None]:
    """(district or special code, label as written, Raum the row names) of one data row.

    With a code, the code decides: a name that does not fit it is a note naming both (an error
    with `strict`), never a rematch to another unit of that name.
    """
    def cell(i: int | None) -> Any:
        return cells[i] if i is not None and i < len(cells) else None

    known = set(zuordnung.bezirke) | set(zuordnung.sondercodes)
    code_text, name_text = text(cell(code_col)), text(cell(name_col))
    label = " / ".join(t for t in (code_text, name_text) if t) or "(leer)"
    raum_text = name_text or (code_text if parse_code(cell(code_col)) is None else "")
    raeume = zuordnung.finde_raum(raum_text) if raum_text else []
    raum = raeume[0][1] if raeume else None
    code = parse_code(cell(code_col)) if code_col is not None else None
    by_name = None
    if name_text:
        by_name = parse_code(name_text) if name_text.isdigit() else zuordnung.finde(name_text)
    if code is not None:
        if code not in known:
            by_code = zuordnung.finde_raum_code(code_text)  # a coarser level's row: the Raum's subtotal
            if len(by_code) > 1 and raum is not None:  # nested schemes, both padded: the name decides
                by_code = [p for p in by_code if p[1] == raum] or by_code
            if len(by_code) == 1:
                area = by_code[0][1]
                if name_text and name_key(name_text) != name_key(area) and not any(
                        r == area for _, r in zuordnung.finde_raum(name_text)):
                    what = (f"Nummer {code_text} und Name „{name_text}“ passen nicht zusammen: {code_text} ist der Raum "
                            f"„{area}“ (Schema „{by_code[0][0]}“).")
                    if strict:
                        raise InputError(what, datei=datei, zeile=line, hilfe="Bitte Nummer oder Name korrigieren.")
                    if hinweise is not None:
                        hinweise.append(f"Zeile {line}: {what} Gelesen als Teilsumme von „{area}“ (der Schlüssel entscheidet).")
                return None, label, area
            rest = zuordnung.finde_rest(code_text)  # 019900 „Bezirk (Mi) – nicht zuzuordnen“: Bezirk 01's remainder
            if rest is not None:
                return ("rest", rest[0], rest[1], code_text), label, None  # type: ignore[return-value]
            nz = zuordnung.finde(name_text) if name_text else None
            if nz is not None and nz in zuordnung.sondercodes and zuordnung.sondercodes[nz].art == NICHT_ZUGEORDNET:
                return nz, label, None  # a city-wide remainder under a code of its own: the not-assignable row
            return None, label, raum
        if name_text and by_name != code and not (name_text.isdigit() and by_name is None) and not _fits(zuordnung, code, name_text):
            other = f", „{name_text}“ ist {zuordnung.code(by_name)}" if by_name is not None and by_name in known else ""
            what = (f"Nummer {zuordnung.code(code)} und Name „{name_text}“ passen nicht zusammen: "
                    f"{zuordnung.code(code)} ist „{_name(zuordnung, code)}“{other}.")
            if strict:
                raise InputError(what, datei=datei, zeile=line,
                                 hilfe="Bitte Nummer oder Name korrigieren (oder den Namen als Alias in der Zuordnung eintragen).")
            if hinweise is not None:
                hinweise.append(f"Zeile {line}: {what} Gelesen als {zuordnung.code(code)} (der Schlüssel entscheidet).")
        return code, label, None
    if code_text and not raum:  # a code column with something that is not a code
        return None, label, None
    if code_col is not None and by_name in zuordnung.bezirke and raum:
        # the file has codes: a row without one, named like a district and a Raum, is the Raum's subtotal
        return None, label, raum
    if by_name is not None and by_name in known:
        return by_name, label, raum
    return None, label, raum


def _fits(zuordnung: Zuordnung, nr: int, name_text: str) -> bool:
    """The unit's name or one of its aliases (spelling normalised as everywhere) fits its code; so does the
    list's own name of a unit that `mapping import` labelled with its code („Heerstraße“ for
    „Heerstraße (041002)“, since two units share that name)."""
    key = name_key(name_text)
    names = (zuordnung.bezirke[nr].name, *zuordnung.bezirke[nr].aliase) if nr in zuordnung.bezirke else (
        zuordnung.sondercodes[nr].name, *zuordnung.sondercodes[nr].aliase)
    suffix = f" ({zuordnung.code(nr)})"
    names = (*names, *(n[: -len(suffix)] for n in names if n.endswith(suffix)))
    return any(name_key(n) and (key == name_key(n)) for n in names)


def _name(zuordnung: Zuordnung, nr: int) -> str:
    return zuordnung.bezirke[nr].name if nr in zuordnung.bezirke else zuordnung.sondercodes[nr].name
