"""Zensus grid files (100 m, 1 km, 10 km cells) summed to the districts that contain the cell centres.

A grid file has one row per cell: ``GITTER_ID_100m;x_mp_100m;y_mp_100m;<Merkmal>...`` with the
cell centre in ETRS89-LAEA (EPSG:3035), decimal commas and symbols such as „–“. The whole
(national) file is streamed; only the rows inside the bounding box of the districts are kept
(DuckDB for large files, pandas in chunks for small ones or without DuckDB). Each cell goes to
the district whose polygon contains its centre; cells outside every district are counted and
reported. The result is the tidy district table of `reading.Bezirksdaten`, so everything
downstream works as for district tables.

Rules (see README, „Gitterdaten des Zensus“):
- counts are summed over the cells of a district; one unknown cell (secret, blocked, empty)
  makes the district's value unknown with that cell's status;
- a mean, share or rate is weighted per cell with its declared weight (`gewicht`, `basis`)
  when that weight is a column of the grid files read together; otherwise it is left out;
- a district without any cell has the true value 0 only if the file covers it (the extent of
  the file's cells contains the district); otherwise it is missing;
- in grid files „–“ means „empty or secret“ and is read as unknown (`--symbol '–=null'` to
  read it as 0).

Longer than 400 lines because one input format is read here end to end: layout recognition, the
streamed scan (DuckDB or pandas chunks), symbols, cell-to-district assignment and the notes on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .render import zahl as _de  # German thousands: 1.234
from .sources import OHNE_PRUEFSUMME, sha256_file
from .errors import InputError
from .gridlayout import FLAG_COLUMN, GridLayout, is_grid_file, sniff  # noqa: F401 (is_grid_file: for callers)
from .gridearly import Vorab, take
from .gridscan import DUCKDB_AB_BYTES, _Scan, _scan_duckdb, _scan_duckdb_typed  # noqa: F401 (tests patch _scan_duckdb here)
from .mapping import ABGELEITET, ANTEIL, MITTELWERT, QUOTE, Zuordnung
from .mapping.model import dativ_plural
from .symbole import BEKANNT, EINGESCHRAENKT, FEHLT, GEHEIM, NULL, VORHANDEN, symbol_table

GRID_CRS = "EPSG:3035"
CHUNK_ROWS = 500_000  # rows per chunk of the pandas reader
GRID_SYMBOLE = {"–": GEHEIM, "-": GEHEIM, "—": GEHEIM}  # Zensus grid: „–“ is empty or secret
_ABSENT = "nicht_in_datei"  # a cell another grid file lists but this one does not: an empty cell of this file
_LIMITED_FLAGS = {"klammern", "()", "eingeschraenkt", "eingeschränkt"}


# ----------------------------------------------------------------------------- scanning


def _scan_pandas(datei: Path, layout: GridLayout, box: tuple[float, float, float, float]) -> _Scan:
    import pandas as pd

    wanted = [layout.id_col, layout.x_col, layout.y_col, *layout.value_cols, *([layout.flag_col] if layout.flag_col else [])]
    n, bad = 0, []
    lo_x = lo_y = float("inf")
    hi_x = hi_y = float("-inf")
    parts = []
    try:
        reader = pd.read_csv(datei, sep=layout.delimiter, dtype=str, usecols=wanted, keep_default_na=False,
                             encoding=layout.encoding, chunksize=CHUNK_ROWS)
        for chunk in reader:
            n += len(chunk)
            x = pd.to_numeric(chunk[layout.x_col].str.strip().str.replace(",", ".", regex=False), errors="coerce")
            y = pd.to_numeric(chunk[layout.y_col].str.strip().str.replace(",", ".", regex=False), errors="coerce")
            missing = x.isna() | y.isna()
            if missing.any():
                bad += chunk.loc[missing, layout.id_col].tolist()
            if (~missing).any():
                lo_x, hi_x = min(lo_x, x.min()), max(hi_x, x.max())
                lo_y, hi_y = min(lo_y, y.min()), max(hi_y, y.max())
            inside = x.between(box[0], box[2]) & y.between(box[1], box[3])
            if inside.any():
                part = chunk[inside.values].copy()
                part["_x"], part["_y"] = x[inside], y[inside]
                parts.append(part)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"Die Gitterdatei ist nicht lesbar ({exc}).", datei=datei) from None
    kept = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*wanted, "_x", "_y"])
    return _Scan(
        zellen=n,
        ohne_koordinate=bad,
        extent=None if lo_x == float("inf") else (lo_x, lo_y, hi_x, hi_y),
        ids=kept[layout.id_col].to_numpy(dtype=object),
        x=kept["_x"].to_numpy(dtype=float),
        y=kept["_y"].to_numpy(dtype=float),
        werte={c: kept[c].to_numpy(dtype=object) for c in layout.value_cols},
        flags=kept[layout.flag_col].to_numpy(dtype=object) if layout.flag_col else None,
        engine="pandas",
    )


def choose_engine(datei: Path, engine: str | None = None) -> str:
    """'duckdb' for files of DUCKDB_AB_BYTES and more (when DuckDB is installed), else 'pandas'."""
    if engine in ("duckdb", "pandas"):
        return engine
    try:
        size = datei.stat().st_size
    except OSError:
        size = 0
    if size < DUCKDB_AB_BYTES:
        return "pandas"
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return "pandas"
    return "duckdb"


# ----------------------------------------------------------------------------- districts


def assign_xy(polygone: dict[int, Any], x: Any, y: Any) -> tuple[Any, Any]:
    """Index into list(polygone) of the polygon containing each point (-1: none), and a mask of points
    contained in more than one polygon. Vectorised: bounds prefilter, then shapely.contains_xy."""
    import numpy as np
    import shapely

    owner = np.full(len(x), -1, dtype=np.int64)
    several = np.zeros(len(x), dtype=bool)
    for k, poly in enumerate(polygone.values()):
        xmin, ymin, xmax, ymax = poly.bounds
        cand = np.flatnonzero((x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
        if not len(cand):
            continue
        shapely.prepare(poly)
        hit = cand[shapely.contains_xy(poly, x[cand], y[cand])]
        several[hit[owner[hit] >= 0]] = True
        owner[hit] = np.where(owner[hit] >= 0, owner[hit], k)
    return owner, several


def _parse_values(texts: Any, symbole: dict[str, str], datei: Path, titel: str, ids: Any) -> tuple[Any, Any]:
    """(values, status codes as strings) of one column of cell texts, vectorised."""
    import numpy as np
    import pandas as pd

    from .reading import number_style

    if not any(k.isdigit() for k in symbole) and all(
        type(t) is str and t.isdigit() and t.isascii() and len(t) <= 15 for t in texts
    ):  # plain counts (the usual grid file): exactly what the rules below give them, ~10× faster
        return np.array([float(t) for t in texts]), np.full(len(texts), VORHANDEN, dtype=object)
    s = pd.Series(texts, dtype=object).fillna("").astype(str).str.strip()
    status = np.full(len(s), VORHANDEN, dtype=object)
    values = np.full(len(s), np.nan)
    empty = (s == "").to_numpy()
    status[empty] = FEHLT
    sym = s.map(symbole).to_numpy(dtype=object)
    is_sym = pd.notna(sym) & ~empty
    status[is_sym] = sym[is_sym]
    values[is_sym & (sym == NULL)] = 0.0
    rest = ~empty & ~is_sym
    if rest.any():
        r = s[rest]
        limited = (r.str.startswith("(") & r.str.endswith(")")).to_numpy()
        r = r.where(~limited, r.str[1:-1])
        sample = r.head(1000).tolist()
        if number_style(sample) == "de":
            r = r.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        else:
            r = r.str.replace(",", "", regex=False)
        num = pd.to_numeric(r, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(num)
        if bad.any():
            k = np.flatnonzero(rest)[np.flatnonzero(bad)[0]]
            raise InputError(
                f"„{s.iloc[k]}“ ist keine Zahl (Gitterzelle {ids[k]}).",
                datei=datei,
                spalte=titel,
                hilfe="Erlaubt sind Zahlen (auch 51,6), leere Zellen und die Zeichen – . x / … * (auch mit --symbol).",
            )
        idx = np.flatnonzero(rest)
        values[idx] = num
        status[idx[limited]] = EINGESCHRAENKT
    return values, status


@dataclass
class _Column:
    titel: str
    merkmal: str
    values: Any  # per cell
    status: Any  # per cell


def read_grid(
    paths: list[str | Path] | str | Path,
    zuordnung: Zuordnung,
    *,
    geometrie: str | Path | None = None,
    symbole: dict[str, str] | None = None,
    engine: str | None = None,
    pruefsumme: bool = True,
    code_property: str = "id",
):
    """Read one or more grid files (the same cells, e.g. population and mean age) into the tidy district table.

    The checksums (hashlib releases the GIL) start first and run beside the geometry, the scans and the
    pandas import (`pruefsumme=False`: none, for a caller whose outputs do not show it); a DuckDB scan runs
    outside the GIL too: the first file's scan starts before the
    geometry loads, with a box computed from the GeoJSON alone (`gridbox`), and pandas loads meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    from .sources import streamed_input

    dateien = [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    for datei in dateien:
        streamed_input(datei)  # a regular file, protected from every output
    hasher, scanner = ThreadPoolExecutor(1), ThreadPoolExecutor(1)
    early = None
    try:
        shas = [hasher.submit(sha256_file if pruefsumme else lambda _: OHNE_PRUEFSUMME, datei) for datei in dateien]
        early = _early_scan(dateien[0], geometrie, engine, scanner) if dateien else None
        return _read_grid(dateien, shas, scanner, early, zuordnung, geometrie, symbole, engine, code_property)
    finally:
        if early is not None and isinstance(early[1], Vorab):
            early[1].stop()  # done when it was used; else (an error, a box too small) not read further
        hasher.shutdown(cancel_futures=True)
        scanner.shutdown(cancel_futures=True)


def _early_scan(datei: Path, geometrie: str | Path | None, engine: str | None, scanner: Any) -> tuple | None:
    """(rough box, running DuckDB scan) of a large grid file, started before the geometry is loaded (or even before
    the command line was parsed: `gridearly`); or None."""
    from .geo import default_geometry_path
    from .gridbox import rough_box_3035

    layout = sniff(datei)
    if layout is None or not layout.value_cols or choose_engine(datei, engine) != "duckdb":
        return None
    vorab = take(datei, layout)  # started by the command line before typer loaded
    if vorab is not None:
        return vorab.box, vorab
    box = rough_box_3035(Path(geometrie) if geometrie is not None else default_geometry_path())
    return None if box is None else (box, scanner.submit(_scan_duckdb, datei, layout, box))


def _read_grid(dateien: list[Path], shas: list, scanner: Any, early: tuple | None, zuordnung: Zuordnung,
               geometrie: str | Path | None, symbole: dict[str, str] | None, engine: str | None, code_property: str):
    import numpy as np

    from .geo import load_geometrie
    from .gridbox import contains
    from .mapping import ANZAHL
    from .treatment import classify

    geo = load_geometrie(geometrie, code_property, ziel=GRID_CRS)  # straight to the grid's CRS
    polygone = {nr: poly for nr, poly in geo.polygone.items() if nr in zuordnung.bezirke}
    if not polygone:
        raise InputError(f"Keine Fläche der Geometriedatei gehört zu {zuordnung.einem} der Zuordnung.", datei=geo.datei,
                         hilfe="Bitte --geometry prüfen.")
    codes = list(polygone)
    bounds = np.array([p.bounds for p in polygone.values()])
    box = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    try:
        table = symbol_table(GRID_SYMBOLE, zuordnung.symbole, symbole)
    except ValueError as exc:
        raise InputError(str(exc)) from None

    hinweise: list[str] = []
    quellen: list[tuple[Path, str]] = []
    columns: list[_Column] = []
    cells: pd.DataFrame | None = None  # cell id -> district index, over all files
    extents = []
    for nr_datei, (datei, sha) in enumerate(zip(dateien, shas)):
        layout = sniff(datei)
        if layout is None:
            raise InputError("Die Datei ist keine Gitterdatei (Spalten GITTER_ID_…, x_mp_…, y_mp_… fehlen).", datei=datei)
        if not layout.value_cols:
            raise InputError("Die Gitterdatei enthält keine Merkmalsspalte.", datei=datei)
        # DuckDB releases the GIL while it reads: pandas loads meanwhile (the first time)
        if early is not None and nr_datei == 0 and contains(early[0], box):
            running = early[1]  # its box holds the exact one: the extra cells are outside every district
        elif choose_engine(datei, engine) == "duckdb":
            running = scanner.submit(_scan_duckdb, datei, layout, box)
        else:
            running = None
        import pandas as pd

        from .reading import LAYOUT_MERKMALE, Bezirksdaten, Spalte, merkmal_slug
        from .reading.header import merkmal_for_header as _merkmal_for_header

        scan = running.result() if running is not None else _scan_pandas(datei, layout, box)
        quellen.append((datei, sha.result()))
        if scan.extent is not None:
            h = layout.resolution / 2
            e = scan.extent
            extents.append((e[0] - h, e[1] - h, e[2] + h, e[3] + h))
        owner, several = assign_xy(polygone, scan.x, scan.y)
        assigned = (owner >= 0) & ~several
        outside_box = scan.zellen - len(scan.ohne_koordinate) - len(scan.x)
        outside = int((owner < 0).sum()) + outside_box
        text = (f"{datei.name}: {_de(scan.zellen)} Gitterzellen ({layout.resolution} m, gelesen mit {scan.engine}), "
                f"{_de(int(assigned.sum()))} {zuordnung.einem} zugeordnet, {_de(outside)} außerhalb der Stadt")
        if several.any():
            text += f", {_de(int(several.sum()))} in mehreren {dativ_plural(zuordnung.mehrzahl)} (nicht gezählt)"
        if scan.ohne_koordinate:
            text += (f", {_de(len(scan.ohne_koordinate))} ohne lesbaren Mittelpunkt (nicht gezählt, z. B. "
                     f"{', '.join(map(str, scan.ohne_koordinate[:3]))})")
        hinweise.append(text + ".")
        if several.any():
            hinweise.append(f"{datei.name}: Gitterzellen in mehreren {dativ_plural(zuordnung.mehrzahl)}: "
                            f"{', '.join(map(str, scan.ids[several][:5]))} – bitte die Geometrie prüfen.")
        ids = scan.ids[assigned]
        frame = pd.DataFrame({"gid": ids, "d": owner[assigned]})
        for c in layout.value_cols:
            values, status = _parse_values(scan.werte[c][assigned], table, datei, c, ids)
            if scan.flags is not None:
                values, status = _apply_flags(scan.flags[assigned], values, status, table, hinweise, datei.name)
            merkmal = _merkmal_for_header(c, zuordnung) or merkmal_slug(c) or "wert"
            if any(col.merkmal == merkmal for col in columns):
                raise InputError(f"Das Merkmal „{merkmal}“ steht in zwei Gitterdateien.", datei=datei, spalte=c)
            frame[merkmal] = np.arange(len(ids))
            columns.append(_Column(c, merkmal, values, status))
        twice = frame["gid"].duplicated()
        if twice.any():
            raise InputError(f"Die Gitterzelle „{frame['gid'][twice].iloc[0]}“ steht zweimal in der Datei.", datei=datei,
                             hilfe="Bitte die doppelte Zeile entfernen.")
        # one cell table over all files: the position of each cell's value in each column
        cells = frame if cells is None else cells.merge(frame, on=["gid", "d"], how="outer")

    assert cells is not None
    n_cells = len(cells)
    d_index = cells["d"].to_numpy(dtype=np.int64)
    # covered districts: the extent common to all files contains the district
    if extents:
        e = np.array(extents)
        ext = (e[:, 0].max(), e[:, 1].max(), e[:, 2].min(), e[:, 3].min())
    covered = {
        codes[k] for k in range(len(codes))
        if extents and bounds[k, 0] >= ext[0] and bounds[k, 1] >= ext[1] and bounds[k, 2] <= ext[2] and bounds[k, 3] <= ext[3]
    }
    with_cells = set(np.unique(d_index).tolist())
    present = sorted({codes[k] for k in with_cells} | covered)
    leer = [nr for nr in present if codes.index(nr) not in with_cells]
    nicht_gedeckt = [nr for nr in zuordnung.bezirke if nr not in present]
    if leer:
        hinweise.append(f"{zuordnung.mehrzahl} ohne Gitterzelle, von der Datei abgedeckt (Anzahlen 0): "
                        + ", ".join(zuordnung.einheit_name(nr) for nr in leer) + ".")
    if nicht_gedeckt:
        hinweise.append(f"{zuordnung.mehrzahl} ohne Gitterzelle außerhalb der Ausdehnung der Datei (fehlen): "
                        + ", ".join(zuordnung.einheit_name(nr) for nr in nicht_gedeckt) + ".")

    # per cell, per column: values and status aligned on the joined cell table
    aligned: dict[str, tuple[Any, Any]] = {}
    for col in columns:
        pos = cells[col.merkmal].to_numpy(dtype=float)
        have = ~np.isnan(pos)
        v = np.full(n_cells, np.nan)
        st = np.full(n_cells, _ABSENT, dtype=object)
        v[have] = col.values[pos[have].astype(np.int64)]
        st[have] = col.status[pos[have].astype(np.int64)]
        aligned[col.merkmal] = (v, st)

    spalten, records = [], []
    for nr_col, col in enumerate(columns, start=1):
        v, st = aligned[col.merkmal]
        known_values = v[np.isin(st, list(BEKANNT))]
        declared = zuordnung.merkmale.get(col.merkmal)
        negative, fractional = known_values[known_values < 0], known_values[known_values % 1 != 0]
        if declared is not None and declared.art == ANZAHL and (negative.size or (declared.ganzzahlig and fractional.size)):
            bad = float(negative[0] if negative.size else fractional[0])
            raise InputError(
                f"„{f'{bad:g}'.replace('.', ',')}“ ist {'negativ' if negative.size else 'keine ganze Zahl'}, "
                f"„{declared.titel}“ ist aber als Anzahl erklärt.",
                datei=", ".join(str(d) for d in dateien),
                spalte=col.titel,
                hilfe="Anzahlen sind ganze Zahlen ≥ 0 (für Flächen u. Ä. in der Zuordnung „ganzzahlig: false“ angeben).",
            )
        # every cell decides: the first values plus any negative or fractional one
        sample = known_values[:10000].tolist() + negative[:1].tolist() + fractional[:1].tolist()
        einordnung = classify(col.merkmal, col.titel, sample, declared)
        art = einordnung.art
        spalten.append(Spalte(merkmal=col.merkmal, titel=col.titel, art=art, nr=nr_col, grund=einordnung.grund,
                              vorschlag=einordnung.vorschlag))
        weight = _weight_of(declared, art)
        if art in ABGELEITET and weight not in aligned:
            hinweise.append(f"„{col.titel}“ ({art}) lässt sich ohne Gewicht je Zelle nicht zu Bezirken zusammenfassen"
                            + (f": „{weight}“ fehlt in den Gitterdateien" if weight else ": in der Zuordnung ist kein Gewicht erklärt")
                            + "; ausgelassen.")
            records += [(nr, None, col.merkmal, float("nan"), FEHLT, 0) for nr in present]
            continue
        if art in ABGELEITET:
            w, wst = aligned[weight]
            per_district = _weighted(d_index, v, st, w, wst, len(codes))
        else:
            per_district = _summed(d_index, v, st, len(codes))
        for nr in present:
            k = codes.index(nr)
            if k in per_district:
                wert, status = per_district[k]
            else:  # a covered district without cells: nothing there
                wert, status = (0.0, VORHANDEN) if art not in ABGELEITET else (0.0, NULL)
            records.append((nr, None, col.merkmal, wert, status, 0))
    daten = pd.DataFrame.from_records(records, columns=["bezirk_nr", "jahr", "merkmal", "wert", "status", "zeile"]).astype(
        {"bezirk_nr": "int64", "jahr": "Int64", "wert": "float64", "zeile": "int64"})
    return Bezirksdaten(
        datei=dateien[0],
        sha256=quellen[0][1],
        layout=LAYOUT_MERKMALE,
        daten=daten,
        spalten=spalten,
        zeilen={nr: 0 for nr in present},
        hinweise=hinweise,
        quellen=quellen,
    )


def _weight_of(declared: Any, art: str) -> str | None:
    if declared is None:
        return None
    if art == MITTELWERT:
        return declared.gewicht
    if art in (ANTEIL, QUOTE):
        return declared.basis
    return None


def _summed(d: Any, v: Any, st: Any, n: int) -> dict[int, tuple[float, str]]:
    """Per district index: (sum, status); an unknown cell makes the district unknown with its status."""
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"d": d, "v": v, "st": st})
    df = df[df["st"] != _ABSENT]  # the grid lists occupied cells only: a cell this file lacks has nothing
    known = df["st"].isin(BEKANNT)
    out: dict[int, tuple[float, str]] = {}
    sums = df[known].groupby("d")["v"].sum()
    limited = set(df.loc[df["st"] == EINGESCHRAENKT, "d"].tolist())
    unknown = df[~known].groupby("d")["st"].first()
    for k in np.unique(d).tolist():
        if k in unknown.index:
            out[k] = (float("nan"), unknown[k])
        elif k not in sums.index and k not in limited:
            out[k] = (0.0, VORHANDEN)
        else:
            out[k] = (float(sums.get(k, 0.0)), EINGESCHRAENKT if k in limited else VORHANDEN)
    return out


def _weighted(d: Any, v: Any, st: Any, w: Any, wst: Any, n: int) -> dict[int, tuple[float, str]]:
    """Per district index: Σ(value × weight) / Σ weight over its cells.

    A cell with weight 0 does not count; an unknown weight, or an unknown value with a weight > 0,
    makes the district unknown. Without any weight the district has no mean („nichts vorhanden“).
    """
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"d": d, "v": v, "st": st, "w": w, "wst": wst})
    absent_w = df["wst"] == _ABSENT  # no row in the weight's file: weight 0
    df.loc[absent_w, "w"], df.loc[absent_w, "wst"] = 0.0, VORHANDEN
    df.loc[df["st"] == _ABSENT, "st"] = FEHLT  # no value for a cell with weight: unknown
    w_known = df["wst"].isin(BEKANNT)
    v_known = df["st"].isin(BEKANNT)
    matters = ~w_known | (df["w"].fillna(0) > 0)
    bad = matters & ~(w_known & v_known)
    first_bad = df[bad].assign(s=np.where(~w_known[bad], df["wst"][bad], df["st"][bad])).groupby("d")["s"].first()
    good = df[~bad & (df["w"] > 0)]
    num = (good["v"] * good["w"]).groupby(good["d"]).sum()
    den = good["w"].groupby(good["d"]).sum()
    out: dict[int, tuple[float, str]] = {}
    for k in np.unique(d).tolist():
        if k in first_bad.index:
            out[k] = (float("nan"), first_bad[k])
        elif k in den.index and den[k] > 0:
            out[k] = (float(num[k] / den[k]), VORHANDEN)
        else:
            out[k] = (0.0, NULL)
    return out


def _apply_flags(flags: Any, values: Any, status: Any, table: dict[str, str], hinweise: list[str], name: str):
    """The column `werterlaeuternde_Zeichen`: a symbol sets the cell's status, „KLAMMERN“ limits it."""
    import numpy as np
    import pandas as pd

    f = pd.Series(flags, dtype=object).fillna("").astype(str).str.strip()
    sym = f.map(table).to_numpy(dtype=object)
    is_sym = pd.notna(sym) & (f != "").to_numpy()
    values, status = values.copy(), status.copy()
    status[is_sym] = sym[is_sym]
    values[is_sym & (sym != NULL)] = np.nan
    values[is_sym & (sym == NULL)] = 0.0
    limited = f.str.casefold().isin(_LIMITED_FLAGS).to_numpy() & np.isin(status, [VORHANDEN])
    status[limited] = EINGESCHRAENKT
    other = (f != "").to_numpy() & ~is_sym & ~f.str.casefold().isin(_LIMITED_FLAGS).to_numpy()
    if other.any():
        seen = sorted(set(f[other].tolist()))
        hinweise.append(f"{name}: unbekannte werterläuternde Zeichen ({', '.join(seen[:5])}) in {_de(int(other.sum()))} "
                        "Zellen; die Werte wurden unverändert gelesen.")
    return values, status
