"""Record-level input: one row per person, address or case, counted and summed per district.

`sozialraum aggregate FILE --records` with the district of each record from a code column
(`--code-column`) or from coordinates (`--lat/--lon` in WGS84, `--x/--y` with `--crs`). Per
district it builds counts: the number of records (`faelle`), for each `--count NAME:SPALTE=WERT,…`
the number of records whose column holds one of the values (text compared exactly, after
trimming spaces), and for each `--sum SPALTE` the sum of that column. No expression is evaluated.

The result is the tidy district table of `reading.Bezirksdaten`; everything downstream works as
for district tables. Rules:
- a district without any record has the count 0 (a register extract lists every case);
- a record whose district is unknown (no valid code, outside the city, on a border) is counted
  in the mapping's row „nicht zugeordnet“ (when the mapping has one) and reported with its reason;
- an empty amount makes the district's sum unknown (missing is not zero); an amount that is
  no number is an error.

Engine: pandas for files below DUCKDB_AB_BYTES, DuckDB (in-process) for larger CSV files and
for Parquet; DuckDB groups by the code column in SQL, so a register of millions of rows is never
materialised in Python.

Longer than 400 lines because one input format is read here end to end (options, the DuckDB or
pandas scan, codes or coordinates, counts and sums per district, the notes on every record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .render import zahl as _de  # German thousands: 1.234
from .sources import OHNE_PRUEFSUMME, duckdb_reason, sha256_file
from .errors import AufrufError, InputError
from .mapping import ANZAHL, NICHT_ZUGEORDNET, Zuordnung, name_key
from .symbole import FEHLT, VORHANDEN

DUCKDB_AB_BYTES = 32 * 1024 * 1024  # CSV files from this size are read with DuckDB (Parquet always)
FAELLE = "faelle"


@dataclass(frozen=True)
class Zaehlung:
    """`--count NAME:SPALTE=WERT[,WERT…]`: records whose column holds one of the values."""

    name: str
    spalte: str
    werte: tuple[str, ...]


def parse_count_option(text: str) -> Zaehlung:
    """'versuche:VERSUCH=Ja' -> Zaehlung('versuche', 'VERSUCH', ('Ja',)); AufrufError if malformed."""
    name, sep, rest = text.partition(":")
    spalte, sep2, werte = rest.partition("=")
    values = tuple(v.strip() for v in werte.split(","))
    if not sep or not sep2 or not name.strip() or not spalte.strip() or not any(values):
        raise AufrufError(f"„{text}“: erwartet wird NAME:SPALTE=WERT[,WERT…], z. B. versuche:VERSUCH=Ja.", parameter="zaehlungen")
    from .reading import merkmal_slug

    slug = merkmal_slug(name)
    if not slug:
        raise AufrufError(f"„{text}“: „{name}“ taugt nicht als Name eines Merkmals.", parameter="zaehlungen")
    return Zaehlung(slug, spalte.strip(), tuple(v for v in values if v))


@dataclass
class _Quelle:
    """The columns of a record file and how to read it."""

    datei: Path
    header: list[str]
    engine: str  # "pandas" or "duckdb"
    parquet: bool
    delimiter: str = ","
    encoding: str = "utf-8"
    types: dict[str, str] | None = None  # DuckDB's column types (None: every column read as text)
    con: Any = field(default=None, repr=False, compare=False)  # the one DuckDB connection of the read
    head: bytes = field(default=b"", repr=False, compare=False)  # a CSV file's first 64 KiB
    whole: bool = False  # the head is the whole file
    rows: list[list[str]] | None = field(default=None, repr=False, compare=False)  # the head's records, parsed once
    frame: Any = field(default=None, repr=False, compare=False)  # pandas engine: the whole file as text, read once

    def column(self, name: str, option: str) -> str:
        keys = [name_key(h) for h in self.header]
        if name_key(name) not in keys:
            raise AufrufError(f"Die Spalte „{name}“ gibt es nicht. Vorhanden: {', '.join(self.header)}.",
                              datei=self.datei, parameter=option)
        return self.header[keys.index(name_key(name))]

    def close(self) -> None:
        self.frame = None
        if self.con is not None:
            self.con.close()
            self.con = None


def _connect() -> Any:
    """The one connection of a read. DuckDB's own number of threads (one per core): on two cores a third
    thread was no faster, and pandas' import beside the scan takes its share of a core anyway. Without
    DuckDB's progress bar: after 2 s it prints on stdout, into the CSV or JSON written there."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def _open(datei: Path, engine: str | None) -> _Quelle:
    from .sources import streamed_input

    streamed_input(datei)  # a regular file, protected from every output
    suffix = datei.suffix.lower()
    if suffix == ".parquet":
        try:
            import duckdb
        except ImportError:  # pragma: no cover - duckdb is a dependency
            raise InputError("Parquet-Dateien brauchen das Paket duckdb.", datei=datei) from None
        con = _connect()
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_sql_text(str(datei))})").fetchall()
        except duckdb.Error as exc:
            con.close()
            raise InputError(f"Die Parquet-Datei ist nicht lesbar ({duckdb_reason(exc)}).", datei=datei) from exc
        return _Quelle(datei, [r[0] for r in described], "duckdb", True, types={r[0]: str(r[1]) for r in described},
                       con=con)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(f"Unbekanntes Dateiformat „{datei.suffix}“ für --records.", datei=datei,
                         hilfe="Erwartet wird .csv oder .parquet.")
    with open(datei, "rb") as fh:
        head = fh.read(64 * 1024)
    if not head.strip():
        raise InputError("Die Datei ist leer.", datei=datei)
    from .gridlayout import first_line

    line, encoding, delimiter = first_line(head)
    import csv

    header = [h.strip() for h in next(csv.reader([line], delimiter=delimiter))]
    twice = next((h for k, h in enumerate(header) if h and name_key(h) in {name_key(x) for x in header[:k] if x}), None)
    if twice is not None:  # which of the two a count or sum means would be a guess (and DuckDB refuses the file)
        raise InputError(f"Die Kopfzeile nennt die Spalte „{twice}“ zweimal.", datei=datei, zeile=1,
                         hilfe="Bitte eine der beiden Spalten umbenennen.")
    chosen = engine or ("duckdb" if datei.stat().st_size >= DUCKDB_AB_BYTES and encoding == "utf-8" and _has_duckdb() else "pandas")
    q = _Quelle(datei, header, chosen, False, delimiter, encoding, head=head, whole=datei.stat().st_size <= len(head))
    if chosen == "duckdb":  # every column as text: DuckDB's integer and decimal readers take 41.7 as 42, 0x29 as 41
        q.con = _connect()
        q.types = {c: "VARCHAR" for c in header}
    return q


def _head_rows(q: _Quelle) -> list[list[str]]:
    """The records in a CSV file's first 64 KiB (without the header, and without the last line if it may be cut)."""
    import csv
    import io

    if q.rows is None:
        lines = q.head.decode(q.encoding, errors="replace").splitlines(keepends=True)[1:]
        if not q.whole:
            lines = lines[:-1]
        q.rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=q.delimiter))
    return q.rows


def _csv_options(q: _Quelle) -> str:
    """The dialect of a CSV file, as pandas reads it: our delimiter, RFC 4180 quotes, a header line, no comments."""
    return f"delim={_sql_text(q.delimiter)}, quote='\"', escape='\"', header=true, comment=''"


_INTEGRAL = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
_NUMERIC = (*_INTEGRAL, "FLOAT", "DOUBLE", "DECIMAL")


def _column_type(q: _Quelle, col: str) -> str:
    """DuckDB's type of a column: a Parquet file's own; every CSV column is text (VARCHAR)."""
    return (q.types or {}).get(col, "VARCHAR")


def _typed(q: _Quelle, col: str) -> bool:
    return _column_type(q, col) != "VARCHAR"


def _numeric(q: _Quelle, col: str) -> bool:
    return _column_type(q, col).startswith(_NUMERIC)


def _has_duckdb() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duckdb_source(q: _Quelle) -> str:
    if q.parquet:
        return f"read_parquet({_sql_text(str(q.datei))})"
    # a column without a name (a delimiter at the end of each line, as Excel writes) gets one of its own
    cols = ", ".join(f"{_sql_text(c or f'sozialraum_spalte_{k}')}: {_sql_text((q.types or {}).get(c, 'VARCHAR'))}"
                     for k, c in enumerate(q.header))
    return f"read_csv({_sql_text(str(q.datei))}, {_csv_options(q)}, auto_detect=false, columns={{{cols}}})"


# what Python's str.strip() removes (pandas' .str.strip() on the small-file path): DuckDB's trim() alone
# removes spaces only, and „Ja<Tab>“ or a non-breaking space must count alike with either engine
_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


# trim() with that set costs ten times the scan of the column: only texts with white space at an edge get it
_EDGE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
_AT_AN_EDGE = f"^{_EDGE}|{_EDGE}$"


def _trim_sql(expr: str) -> str:
    return (f"CASE WHEN regexp_matches({expr}, {_sql_text(_AT_AN_EDGE)}) THEN trim({expr}, {_sql_text(_WHITESPACE)}) "
            f"ELSE {expr} END")


def _text_sql(col: str, q: _Quelle) -> str:
    """A column as trimmed text (a typed Parquet column: its text, which has no white space to trim)."""
    return _value_sql(_sql_name(col), _typed(q, col))


# an amount as written in its column's number style, in both engines: thousands separators only between
# groups of three digits, one decimal separator; no exponent, nan, inf, hexadecimal or underscores (which
# DuckDB's and Python's casts would take), and no „1.5“ in a German column read as 15
ZAHL = {
    "de": r"[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]*)?|[+-]?,[0-9]+",
    "en": r"[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]*)?|[+-]?\.[0-9]+",
}


def _plain_sql(text: str, style: str) -> str:
    style = "en" if style == "num" else style  # a Parquet number column read as text: 12.5
    return f"replace(replace({text}, '.', ''), ',', '.')" if style == "de" else f"replace({text}, ',', '')"


def _number_sql(text: str, style: str) -> str:
    """The amount of a text in SQL (NULL: none): ZAHL of its style, then its separators made plain."""
    return (f"CASE WHEN regexp_full_match({text}, {_sql_text(ZAHL['de' if style == 'de' else 'en'])}) "
            f"THEN TRY_CAST({_plain_sql(text, style)} AS DOUBLE) END")


# ----------------------------------------------------------------------------- main entry


def read_records(
    path: str | Path,
    zuordnung: Zuordnung,
    *,
    code_column: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    x: str | None = None,
    y: str | None = None,
    crs: str = "EPSG:25832",
    counts: list[Zaehlung] | None = None,
    sums: list[str] | None = None,
    geometrie: str | Path | None = None,
    engine: str | None = None,
    pruefsumme: bool = True,
    code_property: str = "id",
):
    """Count (and sum) the records of a CSV or Parquet file per district into the tidy district table.

    `pruefsumme=False`: no SHA-256 of the file (a caller whose outputs do not show it; ~0,1 s per 100 MB)."""
    datei = Path(path)
    counts, sums = list(counts or []), list(sums or [])
    modes = [code_column is not None, lat is not None or lon is not None, x is not None or y is not None]
    if sum(modes) != 1 or (modes[1] and (lat is None or lon is None)) or (modes[2] and (x is None or y is None)):
        raise AufrufError("Bitte genau eines angeben: die Spalte mit der Bezirksnummer, Breite und Länge, "
                          "oder Rechts- und Hochwert (mit Koordinatensystem).",
                          parameter=("code_spalte", "lat", "lon", "x", "y"))
    from concurrent.futures import ThreadPoolExecutor

    from .sources import streamed_input

    streamed_input(datei)  # a regular file, protected from every output (before the checksum reads it)
    # hashlib releases the GIL: the checksum runs beside DuckDB's start, the scan and pandas' import
    with ThreadPoolExecutor(2) as pool:
        sha = pool.submit(sha256_file if pruefsumme else lambda _: OHNE_PRUEFSUMME, datei)
        q = _open(datei, engine)
        try:
            hinweise: list[str] = []
            counts = _declared_counts(zuordnung, q, counts, hinweise)
            names = [FAELLE]
            for z in counts:
                if z.name in names:
                    raise AufrufError(f"Der Name „{z.name}“ kommt zweimal vor (auch „faelle“ ist vergeben).", parameter="zaehlungen")
                names.append(z.name)
            from .reading import merkmal_slug

            sum_names = {}
            for col in sums:
                real = q.column(col, "summen")
                sum_name = merkmal_slug(real) or "summe"
                if sum_name in names:
                    raise AufrufError(f"„{col}“: der Name „{sum_name}“ ist schon vergeben.", parameter="summen")
                names.append(sum_name)
                sum_names[real] = sum_name
            count_cols = [(z, q.column(z.spalte, "zaehlungen")) for z in counts]
            if code_column is not None:
                q.column(code_column, "code_spalte")  # a missing key column is an error before any scan
            styles = {real: _number_style(q, real) for real in sum_names}

            args = (q, zuordnung, code_column, lat, lon, x, y, crs, count_cols, styles, geometrie, code_property)
            if code_column is not None and q.engine == "duckdb":
                # DuckDB releases the GIL while it reads: pandas (needed right after) loads meanwhile, if not yet loaded
                scan = pool.submit(_locate_records, *args)
                import pandas  # noqa: F401

                located = scan.result()
            else:
                located = _locate_records(*args)
        finally:
            q.close()
        _finite(q, located)
        daten = _bezirksdaten(q, zuordnung, located, [z for z, _ in count_cols], sum_names, sha.result())
    daten.hinweise += hinweise
    return daten


def _declared_counts(zuordnung: Zuordnung, q: _Quelle, counts: list[Zaehlung], hinweise: list[str]) -> list[Zaehlung]:
    """The --count options plus the mapping's counts with `aus: {spalte, werte}` whose column is in the file."""
    given = {z.name for z in counts}
    keys = {name_key(h) for h in q.header}
    out = list(counts)
    for m in zuordnung.merkmale.values():
        if m.aus is None or m.name in given:
            continue
        spalte, werte = m.aus
        if name_key(spalte) in keys:
            out.append(Zaehlung(m.name, spalte, werte))
        else:
            hinweise.append(f"„{m.titel}“ (aus der Zuordnung) nicht gezählt: die Spalte „{spalte}“ fehlt in der Datei.")
    return out


def _locate_records(q, zuordnung, code_column, lat, lon, x, y, crs, count_cols, styles, geometrie, code_property="id"):
    if code_column is not None:
        code_col = q.column(code_column, "code_spalte")
        groups = (_groups_duckdb(q, code_col, count_cols, styles) if q.engine == "duckdb"
                  else _groups_pandas(q, code_col, count_cols, styles))
        located = _by_code(groups, zuordnung)
    else:
        if lat is not None:
            cx, cy, source = q.column(lon, "lon"), q.column(lat, "lat"), "EPSG:4326"
        else:
            cx, cy, source = q.column(x, "x"), q.column(y, "y"), crs
        located = _by_coordinates(q, cx, cy, source, count_cols, styles, geometrie, code_property)
    return located


def _number_style(q: _Quelle, col: str) -> str:
    """'de' or 'en' for a column of amounts, from up to 1,000 of its non-empty texts."""
    from .reading import number_style

    if _numeric(q, col):
        return "num"
    if not q.parquet and q.engine == "duckdb":  # the 64 KiB already read, when they hold enough (or all) texts
        i = q.header.index(col)
        texts = [c for r in _head_rows(q) if i < len(r) and (c := r[i].strip())]
        if len(texts) >= 1000 or q.whole:
            return number_style(texts[:1000])
    if q.parquet or q.engine == "duckdb":
        rows = q.con.execute(f"SELECT {_text_sql(col, q)} FROM {_duckdb_source(q)} WHERE {_text_sql(col, q)} <> '' LIMIT 1000").fetchall()
        texts = [r[0] for r in rows]
    else:
        s = _frame_pandas(q, [col])[col].str.strip()  # a file below DUCKDB_AB_BYTES: the first 1,000 texts as DuckDB
        texts = s[s != ""].head(1000).tolist()
    return number_style(texts)


# a group: (key text, records, {count name: n}, {sum column: (sum, empty, bad example or None)})
_Group = tuple[str, int, dict[str, int], dict[str, tuple[float, int, str | None]]]


# the query's own column names, beside the file's (DuckDB matches names regardless of case: a file's „V1“
# or „k0“ must not be taken for one of them)
_K, _V, _C, _N = "sozialraum_schluessel", "sozialraum_wert_", "sozialraum_zaehlung_", "sozialraum_anzahl"
_S, _U, _X = "sozialraum_summe_", "sozialraum_ohne_betrag_", "sozialraum_betrag_"


def _groups_duckdb(q: _Quelle, key_col: str, count_cols: list, styles: dict[str, str]) -> list[_Group]:
    import duckdb

    # the key (and the counted columns) are grouped as written and trimmed (or, a typed Parquet column, made
    # text) once per group, not once per record: 10 million trims saved
    key = _value_sql(_K, _typed(q, key_col))
    compared = list(dict.fromkeys(col for _, col in count_cols))
    grouped = [f"{_sql_name(key_col)} AS {_K}"]
    if compared and _few_values(q, compared):  # also by the counted columns' values, compared once per group
        grouped += [f"{_sql_name(col)} AS {_V}{i}" for i, col in enumerate(compared)]
        counted = [f"{_V}{compared.index(col)}" for _, col in count_cols]
    else:  # too many values: compared per record, inside
        counted = [f"{_C}{i}" for i in range(len(count_cols))]
    inner, parts = [*grouped, f"count(*) AS {_N}"], [f"{key} AS {_K}_text", f"sum({_N})"]
    for i, (z, col) in enumerate(count_cols):
        marks = ", ".join("?" for _ in z.werte)
        value = _value_sql(counted[i], _typed(q, col))
        if counted[i].startswith(_C):
            inner.append(f"count(*) FILTER (WHERE {_text_sql(col, q)} IN ({marks})) AS {_C}{i}")
            parts.append(f"sum({_C}{i})")
        else:
            parts.append(f"coalesce(sum({_N}) FILTER (WHERE {value} IN ({marks})), 0)")
    for i, col in enumerate(styles):  # the sum and the records without an amount (empty or no number)
        inner += [f"{_sum_fn(q, col)}({_X}{i}) AS {_S}{i}", f"count(*) FILTER (WHERE {_X}{i} IS NULL) AS {_U}{i}"]
        parts += [f"{_sum_fn(q, col)}({_S}{i})", f"sum({_U}{i})"]
    amounts = _amounts_sql(q, styles)
    params = [v for z, _ in count_cols for v in z.werte]  # the marks stand all outside or all inside
    query = (f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(inner)} FROM (SELECT *{amounts} FROM {_duckdb_source(q)}) "
             f"GROUP BY {', '.join(g.rsplit(' AS ', 1)[1] for g in grouped)}) GROUP BY {key}")
    try:
        rows = q.con.execute(query, params).fetchall()
    except duckdb.Error as exc:
        raise InputError(f"Die Datei ist nicht lesbar ({duckdb_reason(exc)}).", datei=q.datei) from exc
    gaps = {col: _gaps_duckdb(q, key_col, col, i, styles) for i, col in enumerate(styles)
            if any(row[2 + len(count_cols) + 2 * i + 1] for row in rows)}
    out = []
    for row in rows:
        k, n, rest = row[0], row[1], list(row[2:])
        cnt = {z.name: int(rest[i]) for i, (z, _) in enumerate(count_cols)}
        rest = rest[len(count_cols):]
        sm = {col: (float(rest[2 * i] or 0.0), *gaps.get(col, {}).get(k, (0, None))) for i, col in enumerate(styles)}
        out.append(("" if k is None else str(k), int(n), cnt, sm))
    return out


def _amounts_sql(q: _Quelle, styles: dict[str, str]) -> str:
    """The amounts of each record beside the file's columns (under names no office gives a column)."""
    return "".join(f", {_amount_sql(q, col, style)} AS {_X}{i}" for i, (col, style) in enumerate(styles.items()))


def _gaps_duckdb(q: _Quelle, key_col: str, col: str, i: int, styles: dict[str, str]) -> dict[str, tuple[int, str | None]]:
    """Per key (trimmed) the records whose amount in `col` is empty, and a text that is no number (or None): a
    second pass over the records without an amount, only where there are any (most files have none)."""
    key = _text_sql(key_col, q)
    text = f"coalesce({_text_sql(col, q)}, '')"
    rows = q.con.execute(
        f"SELECT {key} AS {_K}, count(*) FILTER (WHERE {text} = ''), min({text}) FILTER (WHERE {text} <> '') "
        f"FROM (SELECT *{_amounts_sql(q, styles)} FROM {_duckdb_source(q)}) WHERE {_X}{i} IS NULL GROUP BY {_K}"
    ).fetchall()
    return {("" if k is None else str(k)): (int(e), b) for k, e, b in rows}


def _amount_sql(q: _Quelle, col: str, style: str) -> str:
    """The amount of each record (NULL: empty or no number). The usual cells – a whole number, or one with
    the column's decimal separator and nothing else – are read straight away (a full match of such a
    pattern costs DuckDB next to nothing); every other cell is trimmed (white space of every kind,
    _trim_sql) and checked against ZAHL of its style."""
    if _numeric(q, col):
        return _sql_name(col)
    raw = f"CAST({_sql_name(col)} AS VARCHAR)"
    decimal = {"de": ("-?[0-9]+,[0-9]+", f"replace({raw}, ',', '.')"), "en": ("-?[0-9]+[.][0-9]+", raw)}.get(style)
    fast = f"WHEN regexp_full_match({raw}, '-?[0-9]+') THEN TRY_CAST({raw} AS DOUBLE) "
    if decimal is not None:
        fast += f"WHEN regexp_full_match({raw}, {_sql_text(decimal[0])}) THEN TRY_CAST({decimal[1]} AS DOUBLE) "
    return f"CASE {fast}ELSE {_number_sql(_text_sql(col, q), style)} END"


def _sum_fn(q: _Quelle, col: str) -> str:
    """sum for integers (exact), fsum for decimals: compensated, so that the sum does not depend on the
    order the threads add in (the same file gives the same sum, to the last digit)."""
    return "sum" if _column_type(q, col).startswith(_INTEGRAL) else "fsum"


def _value_sql(expr: str, typed: bool) -> str:
    """An expression as text, trimmed unless it is a typed column's."""
    return f"CAST({expr} AS VARCHAR)" if typed else _trim_sql(f"CAST({expr} AS VARCHAR)")


_FEW = 100  # counted columns with at most this many distinct values (in the first rows) are grouped by them


def _few_values(q: _Quelle, cols: list[str]) -> bool:
    """Whether the counted columns have few distinct values (together) in the file's first rows: of a CSV
    file those in its first 64 KiB (already read), of a Parquet file its first 20,000 rows."""
    import duckdb

    if not q.parquet:
        at = [q.header.index(c) for c in cols]
        return len({tuple(r[i] if i < len(r) else "" for i in at) for r in _head_rows(q)}) <= _FEW
    names = ", ".join(_sql_name(c) for c in cols)
    try:
        row = q.con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {names} FROM "
                            f"(SELECT {names} FROM {_duckdb_source(q)} LIMIT 20000))").fetchone()
    except duckdb.Error:
        return False
    return row is not None and row[0] <= _FEW


def _frame_pandas(q: _Quelle, cols: list[str]):
    """The columns `cols` as text, named as _open read the header (without the spaces around the names)."""
    import pandas as pd

    # every column is read, so that a record with more fields than the header is refused, as DuckDB refuses it
    # (read with usecols, pandas dropped the extra field unnoticed)
    if q.frame is None:  # once for the number styles and the groups
        try:
            q.frame = pd.read_csv(q.datei, sep=q.delimiter, dtype=str, keep_default_na=False, encoding=q.encoding,
                                  header=0, names=[h or f"sozialraum_spalte_{k}" for k, h in enumerate(q.header)])
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise InputError(f"Die Datei ist nicht lesbar ({pandas_reason(exc, q.encoding)}).", datei=q.datei) from exc
    return q.frame[list(dict.fromkeys(cols))]


def pandas_reason(exc: Exception, encoding: str) -> str:
    """A German reason for pandas' error on reading a CSV file (its text is English)."""
    import re

    text = str(exc)
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if fields:
        return f"Zeile {fields[2]} hat {fields[3]} statt {fields[1]} Spalten"
    if isinstance(exc, UnicodeDecodeError):
        return f"sie ist nicht {encoding}-kodiert"
    if "EOF inside string" in text:
        return "ein Anführungszeichen endet nicht"
    return "pandas kann sie nicht lesen; den Grund zeigt --debug"


def _numbers(texts: Any, style: str):
    import pandas as pd

    t = texts.str.strip()
    t = t.where(t.str.fullmatch(ZAHL["de" if style == "de" else "en"]))
    t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False) if style == "de" else t.str.replace(",", "", regex=False)
    return pd.to_numeric(t, errors="coerce")


def _group_frame(keys: Any, df: Any, count_cols: list, styles: dict[str, str]) -> list[_Group]:
    """Groups of a pandas frame by `keys` (a Series aligned with df)."""
    import pandas as pd

    work = pd.DataFrame({"k": keys.values})
    for z, col in count_cols:
        work[f"c:{z.name}"] = df[col].str.strip().isin(z.werte).values
    for col, style in styles.items():
        text = df[col].fillna("").astype(str).str.strip()
        num = _numbers(text, style)
        work[f"s:{col}"] = num.values
        work[f"e:{col}"] = (text == "").values
        work[f"b:{col}"] = text.where((text != "") & num.isna()).values
    g = work.groupby("k", sort=False, dropna=False)
    n = g.size()
    # amounts summed compensated, as DuckDB's fsum: 1e16 + 1 - 1e16 is 1 in both engines
    how = {c: (_fsum if c.startswith("s:") else "min" if c.startswith("b:") else "sum") for c in work.columns if c != "k"}
    agg = g.agg(how) if len(work.columns) > 1 else None
    out = []
    for k in n.index:
        cnt = {z.name: int(agg.at[k, f"c:{z.name}"]) for z, _ in count_cols}
        sm = {}
        for col in styles:
            bad = agg.at[k, f"b:{col}"]
            sm[col] = (float(agg.at[k, f"s:{col}"]), int(agg.at[k, f"e:{col}"]), None if pd.isna(bad) else str(bad))
        out.append((str(k), int(n[k]), cnt, sm))
    return out


def _fsum(values: Any) -> float:
    import math

    return math.fsum(values[values.notna()])


def _groups_pandas(q: _Quelle, key_col: str, count_cols: list, styles: dict[str, str]) -> list[_Group]:
    df = _frame_pandas(q, [key_col, *(c for _, c in count_cols), *styles])
    return _group_frame(df[key_col].str.strip(), df, count_cols, styles)


def _finite(q: _Quelle, located: list) -> None:
    """A sum that is no finite number (an amount too large for a number, or NaN and inf in a Parquet column) is
    an error, never a value."""
    import math

    for _, _, (_, _, _, sums) in located:
        for col, (total, _, _) in sums.items():
            if not math.isfinite(total):
                raise InputError(f"In „{col}“ steht ein Betrag, der keine endliche Zahl ist (unendlich, NaN oder zu groß).",
                                 datei=q.datei, spalte=col)


def _by_code(groups: list[_Group], zuordnung: Zuordnung) -> list[tuple[int | None, str, _Group]]:
    """(district or None, reason, group) of each group of a code column."""
    from .reading import parse_code

    out = []
    for g in groups:
        code = parse_code(g[0]) if g[0] else None
        if code is not None and code in zuordnung.bezirke:
            out.append((code, "", g))
        elif not g[0]:
            out.append((None, "Code fehlt", g))
        else:
            out.append((None, f"Code „{g[0]}“ ist kein {zuordnung.einzahl} der Zuordnung", g))
    return out


def _by_coordinates(q: _Quelle, cx: str, cy: str, crs: str, count_cols: list, styles: dict[str, str], geometrie,
                    code_property: str = "id"):
    """Locate every record (vectorised), then group by district, or by the reason it has none."""
    import numpy as np
    import pandas as pd

    from .geo import load_geometrie, locate_xy, parse_coordinates

    geo = load_geometrie(geometrie, code_property)
    if q.engine == "duckdb":
        import duckdb

        try:
            cols = [cx, cy, *(c for _, c in count_cols), *styles]
            df = q.con.execute(
                f"SELECT {', '.join(f'{_text_sql(c, q)} AS {_sql_name(c)}' for c in dict.fromkeys(cols))} FROM {_duckdb_source(q)}"
            ).df()
        except duckdb.Error as exc:
            raise InputError(f"Die Datei ist nicht lesbar ({duckdb_reason(exc)}).", datei=q.datei) from exc
        df = df.fillna("")
    else:
        df = _frame_pandas(q, [cx, cy, *(c for _, c in count_cols), *styles])
    xs, ys = parse_coordinates(df[cx].tolist()), parse_coordinates(df[cy].tolist())
    codes, gruende = locate_xy(geo, xs, ys, crs)
    keys = np.where(codes >= 0, codes.astype(str), "").astype(object)
    missing = np.isnan(xs) | np.isnan(ys)
    for k in np.flatnonzero(missing).tolist():
        keys[k] = "!Koordinate fehlt oder ist keine Zahl"
    for k, grund in gruende.items():
        keys[k] = "!" + grund
    groups = _group_frame(pd.Series(keys), df, count_cols, styles)
    return [(int(k), "", g) if not k.startswith("!") else (None, k[1:], g) for g in groups for k in [g[0]]]


def _bezirksdaten(q: _Quelle, zuordnung: Zuordnung, located: list, counts: list[Zaehlung], sum_names: dict[str, str],
                  sha256: str):
    import pandas as pd

    from .reading import LAYOUT_MERKMALE, Bezirksdaten, Spalte

    n_total = sum(g[1] for _, _, g in located)
    per: dict[int, dict[str, float]] = {}
    empty: dict[int, dict[str, int]] = {}
    nz = zuordnung.code_fuer(NICHT_ZUGEORDNET)
    reasons: dict[str, int] = {}
    for nr, reason, (_, n, cnt, sm) in located:
        for col, (_, _, bad) in sm.items():
            if bad is not None:
                raise InputError(f"„{bad}“ ist keine Zahl.", datei=q.datei, spalte=col,
                                 hilfe="Summiert werden nur Zahlen (auch 1.234,50); leere Zellen gelten als fehlend.")
        if nr is None:
            reasons[reason] = reasons.get(reason, 0) + n
            if nz is None:
                continue
            nr = nz
        row = per.setdefault(nr, {m: 0.0 for m in [FAELLE, *(z.name for z in counts), *sum_names.values()]})
        e = empty.setdefault(nr, {})
        row[FAELLE] += n
        for z in counts:
            row[z.name] += cnt[z.name]
        for col, (s, n_empty, _) in sm.items():
            row[sum_names[col]] += s
            e[col] = e.get(col, 0) + n_empty
    bezirke = list(zuordnung.bezirke)
    records = []
    for nr in [*bezirke, *([nz] if nz is not None and nz in per else [])]:
        row = per.get(nr)
        for m in [FAELLE, *(z.name for z in counts)]:
            records.append((nr, None, m, float(row[m]) if row else 0.0, VORHANDEN, 0))
        for col, m in sum_names.items():
            n_empty = empty.get(nr, {}).get(col, 0) if row else 0
            if n_empty:
                records.append((nr, None, m, float("nan"), FEHLT, 0))
            else:
                records.append((nr, None, m, float(row[m]) if row else 0.0, VORHANDEN, 0))
    spalten = [Spalte(merkmal=FAELLE, titel="Fälle", art=ANZAHL, nr=0)]
    spalten += [Spalte(merkmal=z.name, titel=f"{z.name} ({z.spalte} = {', '.join(z.werte)})", art=ANZAHL, nr=0) for z in counts]
    spalten += [Spalte(merkmal=m, titel=f"Summe {col}", art=ANZAHL, nr=0) for col, m in sum_names.items()]
    hinweise = []
    assigned = n_total - sum(reasons.values())
    text = (f"{_de(n_total)} Datensätze (gelesen mit {'DuckDB' if q.engine == 'duckdb' else 'pandas'}), "
            f"{_de(assigned)} {zuordnung.einem} zugeordnet, {_de(n_total - assigned)} nicht")
    if reasons:
        where = "in der Zeile „nicht zugeordnet“ gezählt" if nz is not None else "nicht gezählt"
        listed = "; ".join(f"{_de(n)}: {r}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
        more = f"; {len(reasons) - 10} weitere Gründe" if len(reasons) > 10 else ""
        text += f" ({where}; {listed}{more})"
    hinweise.append(text + ".")
    for col in sum_names:
        n_empty = sum(v.get(col, 0) for v in empty.values())
        if n_empty:
            hinweise.append(f"{_de(n_empty)} {'Datensatz' if n_empty == 1 else 'Datensätze'} ohne Betrag in „{col}“: "
                            f"die Summe der betroffenen {zuordnung.mehrzahl} fehlt.")
    daten = pd.DataFrame.from_records(records, columns=["bezirk_nr", "jahr", "merkmal", "wert", "status", "zeile"]).astype(
        {"bezirk_nr": "int64", "jahr": "Int64", "wert": "float64", "zeile": "int64"})
    return Bezirksdaten(
        datei=q.datei,
        sha256=sha256,
        layout=LAYOUT_MERKMALE,
        daten=daten,
        spalten=spalten,
        zeilen={nr: 0 for nr in daten["bezirk_nr"].unique().tolist()},
        hinweise=hinweise,
    )




__all__ = ["FAELLE", "Zaehlung", "parse_count_option", "read_records"]
