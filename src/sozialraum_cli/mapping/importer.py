"""`sozialraum mapping import`: a crosswalk (one row per unit, a column per scheme) -> a commented mapping.

Reads a CSV file or a sheet of a spreadsheet, builds the units (by code, or by name when the list has
no codes) and one scheme per `--scheme KEY=COL`, and writes YAML that `load_mapping` reads back:
codes quoted, areas that share a name labelled with their area code, every conflict an error naming
the lines. No pandas: the rows come from reading.decode.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AufrufError, InputError
from .model import GESAMT_NAMEN, NICHT_ZUGEORDNET_NAMEN, name_key


@dataclass
class Importauftrag:
    """What `mapping import` was asked for: the columns and the names of the result."""

    code: str | None  # column of the unit key; None: the names are the keys
    name: str  # column of the unit name
    schemata: list[tuple[str, str]]  # (scheme key, column with the area names)
    flaechencodes: dict[str, str] = field(default_factory=dict)  # scheme key -> column with the area codes
    titel: dict[str, str] = field(default_factory=dict)  # scheme key -> title
    einheit: tuple[str, str] | None = None  # (einzahl, mehrzahl)
    praefixe: dict[str, int] = field(default_factory=dict)  # scheme key -> the first N characters of the unit code
    sheet: str | None = None
    stadt: str | None = None  # the city's name: its total row in data files may carry it


@dataclass
class _Einheit:
    key: str  # code or name
    name: str
    line: int
    areas: dict[str, tuple[str, str]]  # scheme -> (area code or "", area name)
    aliase: list[str] = field(default_factory=list)
    listenname: str = ""  # the name in the list, when `name` was labelled with the key (units that share a name)


_BEISPIELE = {  # an example of each KEY=VALUE option, for its usage error
    "--scheme": "--scheme bezirke=Bezirk (Schema „bezirke“ aus der Spalte mit den Namen der Bezirke)",
    "--area-code": "--area-code bezirke=BEZ-ID (die Spalte mit den Nummern der Bezirke)",
    "--prefix": "--prefix bezirke=2 (die ersten 2 Stellen der Schlüssel sind die Nummer des Bezirks)",
    "--title": "--title bezirke=\"Bezirke der Stadt\"",
    "--area": "--area bezirke=Mitte (die Einheiten des Raums Mitte im Schema bezirke)",
}


def parse_pairs(values: list[str] | None, option: str) -> list[tuple[str, str]]:
    """KEY=VALUE options in order; a malformed one is a usage error naming the option."""
    out = []
    for v in values or []:
        key, sep, value = v.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise AufrufError(f"{option} erwartet SCHLÜSSEL=WERT, nicht „{v}“.",
                              hilfe=f"z. B. {_BEISPIELE.get(option, option + ' bezirke=WERT')}")
        out.append((key.strip(), value.strip()))
    return out


def _rows(datei: Path, sheet: str | None) -> tuple[list[tuple[int, list[str]]], set[int]]:
    """The non-empty rows of the list as text, and the columns with a cell stored as a number (a
    spreadsheet's); fewer than two rows (a header and a unit) is an error naming, in a spreadsheet, the
    sheet read and the others."""
    from ..reading.cells import text
    from ..reading.decode import SPREADSHEETS, csv_rows, sheet_rows
    from ..sources import check_spreadsheet, read_source

    raw = read_source(datei)
    hinweise: list[str] = []
    if datei.suffix.lower() in SPREADSHEETS:
        check_spreadsheet(datei, raw)
        rows = sheet_rows(datei, sheet, hinweise)
    else:
        if sheet is not None:
            raise AufrufError("--sheet gilt nur für Tabellendateien (.xlsx, .xls, .ods).")
        rows = csv_rows(datei, raw, hinweise)
    out = [(line, [text(c) for c in cells]) for line, cells in rows if any(text(c) for c in cells)]
    zahlen = {i for _, cells in rows[1:] for i, c in enumerate(cells) if isinstance(c, (int, float)) and not isinstance(c, bool)}
    if len(out) < 2:
        if datei.suffix.lower() not in SPREADSHEETS:
            raise InputError("Die Datei hat keine Zeilen unter der Kopfzeile.", datei=datei)
        from python_calamine import CalamineWorkbook

        names = list(CalamineWorkbook.from_path(str(datei)).sheet_names)  # readable: sheet_rows read it
        read = sheet if sheet is not None else names[0]
        others = [n for n in names if n != read]
        raise InputError(
            f"Das Tabellenblatt „{read}“ hat keine Zeilen unter der Kopfzeile (Tabellenblätter der Datei: "
            f"{', '.join(f'„{n}“' for n in names)}).", datei=datei,
            hilfe=(f"Ein anderes Blatt mit --sheet NAME lesen, z. B. --sheet \"{others[0]}\"." if others
                   else "Die Datei hat nur dieses Tabellenblatt: bitte die Liste dort eintragen."),
        )
    return out, zahlen


def _column(header: list[str], wanted: str, option: str, datei: Path, line: int) -> int:
    keys = [name_key(h) for h in header]
    if wanted in header:
        return header.index(wanted)
    if name_key(wanted) in keys:
        return keys.index(name_key(wanted))
    raise AufrufError(
        f"Die Spalte „{wanted}“ ({option}) steht nicht in der Kopfzeile (vorhanden: {', '.join(h for h in header if h)}).",
        datei=datei, zeile=line,
    )


def read_crosswalk(datei: Path, auftrag: Importauftrag) -> tuple[list[_Einheit], dict[str, dict[str, str]]]:
    """The units of a crosswalk and, per scheme, area label -> area code (""), in file order.

    Identical repeated rows (a coarser unit level read from a finer list) collapse; a repeated key with
    another name or area is an error naming both lines.
    """
    rows, zahlen = _rows(datei, auftrag.sheet)
    header_line, header = rows[0]
    name_col = _column(header, auftrag.name, "--name", datei, header_line)
    code_col = _column(header, auftrag.code, "--code", datei, header_line) if auftrag.code else None
    keys = [k for k, _ in auftrag.schemata]
    for option, d in (("--area-code", auftrag.flaechencodes), ("--title", auftrag.titel), ("--prefix", auftrag.praefixe)):
        unknown = [k for k in d if k not in keys]
        if unknown:
            raise AufrufError(f"{option} {unknown[0]}=…: ein Schema „{unknown[0]}“ gibt es nicht (--scheme: {', '.join(keys)}).")
    twice = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
    if twice is not None:
        raise AufrufError(f"Das Schema „{twice}“ steht zweimal mit --scheme: jeder Schlüssel darf nur einmal stehen.",
                          hilfe="Für ein zweites Schema aus einer anderen Spalte bitte einen anderen Schlüssel wählen.")
    both = next((k for k in auftrag.praefixe if k in auftrag.flaechencodes), None)
    if both is not None:
        raise AufrufError(
            f"--prefix {both}={auftrag.praefixe[both]} und --area-code {both}={auftrag.flaechencodes[both]} "
            f"widersprechen sich: die Nummern der Räume von „{both}“ kommen entweder aus den ersten Stellen der "
            "Schlüssel oder aus einer Spalte.",
            hilfe=f"Bitte nur eines angeben – --area-code {both}=SPALTE, wenn die Liste die Nummern der Räume enthält.")
    if auftrag.praefixe and code_col is None:
        raise AufrufError("--prefix braucht --code: die Räume stecken in den Schlüsseln der Einheiten.")
    scheme_cols = {k: _column(header, c, "--scheme", datei, header_line) for k, c in auftrag.schemata}
    code_cols = {k: _column(header, c, "--area-code", datei, header_line) for k, c in auftrag.flaechencodes.items()}

    units: dict[str, _Einheit] = {}
    by_name: dict[str, list[_Einheit]] = {}
    for line, cells in rows[1:]:
        def cell(i: int | None) -> str:
            return cells[i].strip() if i is not None and i < len(cells) else ""

        name = cell(name_col)
        key = cell(code_col) if code_col is not None else name
        if not key or not name:
            what = "Schlüssel" if not key else "Name"
            raise InputError(f"Die Zeile hat keinen {what} der Einheit.", datei=datei, zeile=line)
        areas = {}
        for k, col in scheme_cols.items():
            area = cell(col)
            if not area:
                raise InputError(f"Die Zeile hat keinen Raum im Schema „{k}“ (Spalte „{header[col]}“).", datei=datei, zeile=line)
            if k in auftrag.praefixe:
                code = key[: auftrag.praefixe[k]]
            else:
                code = cell(code_cols[k]) if k in code_cols else ""
            areas[k] = (code, area)
        unit = _Einheit(key, name, line, areas)
        if key in units:
            old = units[key]
            if (old.name, old.areas) != (name, areas):
                diff = "Namen" if old.name != name else "Raum"
                what = f"Der Schlüssel „{key}“" if code_col is not None else (
                    f"Der Name „{key}“ (ohne --code sind die Namen die Schlüssel)")
                raise InputError(
                    f"{what} steht in den Zeilen {old.line} und {line} mit verschiedenem {diff} "
                    f"(„{old.name}“ {_areas(old.areas)} gegenüber „{name}“ {_areas(areas)}).",
                    datei=datei, zeile=line,
                    hilfe="Gleiche Zeilen werden zusammengefasst; widersprüchliche bitte in der Datei klären." if code_col
                    is not None else "Sind es verschiedene Einheiten gleichen Namens, unterscheidet sie --code SPALTE "
                    "(die Spalte mit ihren Schlüsseln); sonst bitte in der Datei klären.",
                )
            continue
        units[key] = unit
        by_name.setdefault(name_key(name), []).append(unit)
    if code_col is not None:
        bad = next((u for u in units.values() if not (u.key.isascii() and u.key.isdigit())), None)
        if bad is not None:
            raise InputError(f"Der Schlüssel „{bad.key}“ besteht nicht nur aus Ziffern.", datei=datei, zeile=bad.line,
                             hilfe="Ohne --code werden die Namen zu Schlüsseln.")
        seen: dict[int, _Einheit] = {}
        for u in units.values():
            if int(u.key) in seen:
                raise InputError(f"Die Schlüssel „{seen[int(u.key)].key}“ (Zeile {seen[int(u.key)].line}) und „{u.key}“ "
                                 f"unterscheiden sich nur in führenden Nullen.", datei=datei, zeile=u.line)
            seen[int(u.key)] = u
        if auftrag.praefixe:
            _check_prefix(list(units.values()), auftrag, header[code_col], datei)
    # a spreadsheet that stored the codes as numbers dropped their leading zeros
    zeros = (f" Die Spalte „{header[code_col]}“ enthält Zahlen: fehlen den Schlüsseln führende Nullen (z. B. hat Excel "
             "sie als Zahlen gespeichert), bitte die Spalte als Text formatieren und die Nullen ergänzen."
             if code_col is not None and code_col in zahlen else "")
    for same in by_name.values():  # units that share a name are labelled with their code, as areas are
        if len(same) > 1:
            for u in same:
                u.listenname, u.name = u.name, f"{u.name} ({u.key})"
    einheiten = list(units.values())
    labels = {k: _labels(einheiten, k, header[scheme_cols[k]], auftrag, datei, zeros) for k in keys}
    return einheiten, labels


def _check_prefix(einheiten: list[_Einheit], auftrag: Importauftrag, column: str, datei: Path) -> None:
    """--prefix needs unit codes of one length, longer than N: a code that lost its leading zeros (a
    spreadsheet that stored it as a number) would put its unit under another area."""
    short = min(einheiten, key=lambda u: len(u.key))
    long = max(einheiten, key=lambda u: len(u.key))
    scheme, n = next(iter(auftrag.praefixe.items()))
    if len(short.key) != len(long.key):
        raise InputError(
            f"--prefix {scheme}={n}: die Schlüssel in der Spalte „{column}“ sind verschieden lang (z. B. „{short.key}“ in "
            f"Zeile {short.line}, „{long.key}“ in Zeile {long.line}), so dass die ersten {n} Stellen nicht überall "
            "dasselbe bedeuten. Vermutlich sind führende Nullen verloren gegangen (z. B. hat Excel die Schlüssel "
            "als Zahlen gespeichert).",
            datei=datei, zeile=short.line,
            hilfe=f"Bitte die Spalte „{column}“ als Text formatieren und die Schlüssel mit führenden Nullen eintragen "
                  f"(oder die Nummern der Räume mit --area-code {scheme}=SPALTE aus einer eigenen Spalte nehmen).",
        )
    for scheme, n in auftrag.praefixe.items():
        if n >= len(short.key):
            raise AufrufError(
                f"--prefix {scheme}={n}: N muss kürzer sein als die Schlüssel der Einheiten (hier {len(short.key)} "
                f"Stellen, z. B. „{short.key}“); sonst wäre jede Einheit ihr eigener Raum.",
                hilfe=f"Bitte die Zahl der Stellen angeben, die die Nummer des Raums bilden, z. B. --prefix {scheme}=2 "
                      f"für „{short.key[:2]}“.",
            )


def _areas(areas: dict[str, tuple[str, str]]) -> str:
    return "(" + ", ".join(f"{k}: {n}" for k, (_, n) in areas.items()) + ")"


def _labels(einheiten: list[_Einheit], scheme: str, column: str, auftrag: Importauftrag, datei: Path,
            zeros: str = "") -> dict[str, str]:
    """Label of each area of a scheme -> its code; unit.areas[scheme] is rewritten to (code, label).
    `zeros`: a hint for --prefix when the unit codes were stored as numbers."""
    coded = scheme in auftrag.flaechencodes or scheme in auftrag.praefixe
    if coded:
        names: dict[str, tuple[str, int]] = {}
        for u in einheiten:
            code, name = u.areas[scheme]
            if code in names and names[code][0] != name:
                raise InputError(
                    f"Der Raum {code} im Schema „{scheme}“ heißt in Zeile {names[code][1]} „{names[code][0]}“ "
                    f"und in Zeile {u.line} „{name}“.", datei=datei, zeile=u.line)
            names.setdefault(code, (name, u.line))
        count: dict[str, int] = {}
        for name, _ in names.values():
            count[name_key(name)] = count.get(name_key(name), 0) + 1
        split = [code for code, (name, _) in names.items() if count[name_key(name)] > 1]
        if scheme in auftrag.praefixe and len({name_key(names[c][0]) for c in split}) * 2 > len(count):
            n, example = auftrag.praefixe[scheme], names[split[0]][0]
            codes = [c for c, (name, _) in names.items() if name_key(name) == name_key(example)]
            raise InputError(
                f"--prefix {scheme}={n}: die meisten Räume von „{column}“ zerfallen in mehrere Nummern, z. B. "
                f"„{example}“ in {', '.join(codes)}: die Zahl der Stellen passt vermutlich nicht zu den Nummern der Räume.",
                datei=datei, zeile=names[codes[1]][1],
                hilfe=f"Bitte N so wählen, dass die ersten N Stellen der Schlüssel genau einen Raum bezeichnen – oder "
                      f"--area-code {scheme}=SPALTE mit der Spalte der Nummern der Räume angeben.{zeros}",
            )
        label = {code: (f"{name} ({code})" if count[name_key(name)] > 1 else name) for code, (name, _) in names.items()}
        for u in einheiten:
            code, _ = u.areas[scheme]
            u.areas[scheme] = (code, label[code])
        return {label[c]: c for c in names}
    # without area codes: an area name under two areas of a scheme the others nest in is two areas
    for other, _ in auftrag.schemata:
        if other == scheme:
            continue
        parents: dict[str, set[str]] = {}
        lines: dict[str, list[int]] = {}
        for u in einheiten:
            parents.setdefault(u.areas[scheme][1], set()).add(u.areas[other][1])
            lines.setdefault(u.areas[scheme][1], []).append(u.line)
        split = [n for n, p in parents.items() if len(p) > 1]
        if split and len(split) * 2 < len(parents):
            n = split[0]
            raise InputError(
                f"Im Schema „{scheme}“ liegt „{n}“ in mehreren Räumen von „{other}“ ({', '.join(sorted(parents[n]))}), "
                f"während die übrigen Räume ganz in einem liegen: vermutlich verschiedene Räume gleichen Namens.",
                datei=datei, zeile=lines[n][0],
                hilfe=f"Bitte mit --area-code {scheme}=SPALTE (Spalte mit den Nummern der Räume von „{column}“) "
                      f"oder --prefix {scheme}=N die Räume unterscheiden.",
            )
    return {u.areas[scheme][1]: "" for u in einheiten}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def mapping_yaml(datei: Path, auftrag: Importauftrag, einheiten: list[_Einheit], labels: dict[str, dict[str, str]]) -> str:
    """The mapping as commented YAML (codes quoted)."""
    sha = hashlib.sha256(datei.read_bytes()).hexdigest()
    einzahl, mehrzahl = auftrag.einheit or ("Bezirk", "Bezirke")
    lines = [
        f"# Zuordnung, erzeugt mit `sozialraum mapping import` aus {datei.name}",
        f"# (SHA-256 {sha}).",
        f"# {len(einheiten)} {mehrzahl}; Schemata: "
        + ", ".join(f"{k} ({len(labels[k])} Räume, Spalte „{c}“)" for k, c in auftrag.schemata) + ".",
        "# Prüfen mit: sozialraum mapping check DIESE_DATEI.yaml",
        "#",
        "# bezirke   die Einheiten: Schlüssel (nr, in Anführungszeichen: führende Nullen bleiben), Name",
        "#           und weitere Schreibweisen (aliase)." if auftrag.code else
        "# bezirke   die Einheiten: die Liste hat keine Schlüssel, der Name ist der Schlüssel.",
        "# schemata  je Schema die Räume mit den Schlüsseln ihrer Einheiten.",
        "",
    ]
    if auftrag.einheit:
        lines += ["# der Name der Einheiten in allen Ausgaben",
                  f"einheit: {{einzahl: {_q(einzahl)}, mehrzahl: {_q(mehrzahl)}}}", ""]
    if auftrag.stadt:
        lines += ["# der Name der Stadt in Profilen („Stadt …“ neben dem Wert eines Raums)", f"stadt: {_q(auftrag.stadt)}", ""]
    lines += _sondercodes(auftrag, einheiten, labels)
    lines.append("bezirke:")
    for u in einheiten:
        if auftrag.code:
            listed = f"  # in der Liste: {' '.join(u.listenname.split())}" if u.listenname else ""
            lines.append(f"  - {{nr: {_q(u.key)}, name: {_q(u.name)}}}{listed}")
        else:
            lines.append(f"  - {{name: {_q(u.name)}}}")
    lines += ["", "schemata:"]
    for k, column in auftrag.schemata:
        titel = auftrag.titel.get(k, column)
        lines += [f"  {k}:", f"    titel: {_q(titel)}", f"    quelle: {_q(f'{datei.name}, Spalte „{column}“')}"]
        if any(labels[k].values()):
            how = (f"den ersten {auftrag.praefixe[k]} Stellen der Schlüssel" if k in auftrag.praefixe
                   else f"der Spalte „{auftrag.flaechencodes[k]}“")
            lines.append(f"    hinweis: {_q(f'Nummern der Räume aus {how}')}")
            if k in auftrag.praefixe:
                lines.append(f"    praefix: {auftrag.praefixe[k]}  # Zeilen wie 019900, die mit der Nummer eines Raums "
                             "beginnen, sind dessen Rest")
            lines.append(f"    codes: {{{', '.join(f'{_q(label)}: {_q(code)}' for label, code in labels[k].items())}}}")
        lines.append("    raeume:")
        members: dict[str, list[str]] = {label: [] for label in labels[k]}
        for u in einheiten:
            members[u.areas[k][1]].append(u.key)
        for label, keys in members.items():
            lines.append(f"      {_q(label)}: [{', '.join(_q(x) for x in keys)}]")
    return "\n".join(lines) + "\n"


def _sondercodes(auftrag: Importauftrag, einheiten: list[_Einheit], labels: dict[str, dict[str, str]]) -> list[str]:
    """The city's total row and the not-assignable row, recognised in data files by a code of zeros (nines)
    or by the usual labels (and the city's name); a label that names a unit or an area is left out."""
    width = max((len(u.key) for u in einheiten), default=1) if auftrag.code else 1
    taken = {name_key(u.name) for u in einheiten} | {name_key(u.key) for u in einheiten}
    taken |= {name_key(label) for k in labels for label in labels[k]}
    keys = {int(u.key) for u in einheiten} if auftrag.code else set()
    stadt = (auftrag.stadt or "").strip()
    gesamt = [*GESAMT_NAMEN, *((stadt, f"{stadt} gesamt", f"{stadt} insgesamt") if stadt else ())]
    nz = [*NICHT_ZUGEORDNET_NAMEN, *((f"{stadt} - nicht zuzuordnen", f"Stadtgebiet {stadt} - nicht zuzuordnen") if stadt else ())]
    out = ["# die Zeilen der ganzen Stadt und des nicht Zuordenbaren in Datendateien: erkannt am Schlüssel",
           "# (nur Nullen bzw. Neunen) oder an einem dieser Namen",
           "sondercodes:"]
    for digit, art, names in (("0", "gesamt", gesamt), ("9", "nicht_zugeordnet", nz)):
        # without unit codes a data file's number column is no key: the not-assignable row gets a code no
        # such column has (a single 9 would catch row 9 of a numbered list)
        code = digit * (width if auftrag.code or digit == "0" else 9)
        names = list(dict.fromkeys(n for n in names if name_key(n) not in taken))
        if int(code) in keys or not names:
            continue
        taken |= {name_key(n) for n in names}
        out.append(f"  - {{nr: {_q(code)}, art: {art}, name: {_q(names[0])}, aliase: [{', '.join(_q(n) for n in names[1:])}]}}")
    return [*out, ""] if len(out) > 3 else []
