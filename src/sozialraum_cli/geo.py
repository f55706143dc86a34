"""Geometry of the districts: load, check against the mapping, dissolve to Räume, locate points.

Coordinates are kept in WGS84 (EPSG:4326) as delivered and projected to ETRS89 / UTM zone 32N
(EPSG:25832) for measuring and drawing, so that distances and proportions are true.

Longer than 400 lines because locating millions of points is one columnar pipeline (reading a
plain CSV fast, the bounding-box slices, the border raster) next to the polygons it needs; counting
the located places per Raum is orte.py, drawing is karte.py.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from .errors import AufrufError, InputError
from .mapping import Schema, Zuordnung

ARBEITS_CRS = "EPSG:25832"  # ETRS89 / UTM zone 32N: metres, true proportions for Jena
GRENZ_TOLERANZ_M = 0.5  # a point closer than this to a border between districts lies "on" it


def default_geometry_path() -> Path:
    from . import BEZIRKE_GEOJSON

    return BEZIRKE_GEOJSON


def bundled_geometry_fits(zuordnung: Zuordnung) -> bool:
    """Whether the bundled polygons (Jena's statistical districts) belong to this mapping: the bundled
    mapping itself, or a copy of it with the same units (codes and names, e.g. with a scheme added).
    Another city has no default geometry: its polygons come only from --geometry."""
    from .mapping import load_mapping
    from .mapping.model import default_mapping_path

    try:
        if zuordnung.datei.resolve() == default_mapping_path().resolve():
            return True
    except OSError:
        return False
    jena = load_mapping(None)
    return {nr: b.name for nr, b in zuordnung.bezirke.items()} == {nr: b.name for nr, b in jena.bezirke.items()}


@dataclass
class Geometrie:
    datei: Path
    polygone: dict[int, Any]  # district code -> shapely geometry in `crs` (EPSG:25832 unless asked otherwise)
    namen: dict[int, str] = field(default_factory=dict)  # the GeoJSON's own names, for messages
    crs: str = ARBEITS_CRS


@lru_cache(maxsize=16)
def _transformer(source: str, target: str):
    """A pyproj transformer, made once per pair (each costs milliseconds; the geometry needs one per district)."""
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def project(geometry, source: str = "EPSG:4326", target: str = ARBEITS_CRS):
    import shapely

    t = _transformer(source, target)
    return shapely.transform(geometry, lambda xy: _stack(*t.transform(xy[:, 0], xy[:, 1])))


def _stack(x, y):
    import numpy as np

    return np.column_stack([x, y])


def load_geometrie(path: str | Path | None = None, code_property: str = "id", ziel: str = ARBEITS_CRS) -> Geometrie:
    """District polygons from a GeoJSON file (the bundled one of Jena when path is None), projected to `ziel`
    (the grid asks for EPSG:3035: a WGS84 file is then projected by gridbox's formula, without pyproj)."""
    import shapely
    from shapely.geometry import shape

    from .sources import read_source

    datei = Path(path) if path is not None else default_geometry_path()
    raw = read_source(datei, was="Die Geometriedatei")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("Die Geometriedatei ist nicht UTF-8-kodiert.", datei=datei) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"Die Geometriedatei ist kein lesbares GeoJSON ({_json_reason(exc)}).", datei=datei) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise InputError(
            "Die Geometriedatei ist keine GeoJSON-FeatureCollection (es fehlt die Liste „features“).", datei=datei
        )
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name", "EPSG:4326") if isinstance(doc.get("crs"), dict) else "EPSG:4326"
    if not isinstance(crs, str):
        raise InputError(f"Das Koordinatensystem „{crs}“ der Geometriedatei ist unbekannt.", datei=datei)
    source = "EPSG:4326" if crs.endswith(("4326", "CRS84")) else crs.replace("urn:ogc:def:crs:", "").replace("::", ":")
    if source != "EPSG:4326":
        try:
            _transformer(source, ziel)
        except Exception:  # pyproj's CRSError and friends
            raise InputError(f"Das Koordinatensystem „{crs}“ der Geometriedatei ist unbekannt.", datei=datei) from None
    polygone, namen = {}, {}
    for k, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise InputError(f"Objekt {k} ist kein GeoJSON-Feature.", datei=datei)
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"Objekt {k}: „properties“ ist kein Objekt.", datei=datei)
        if code_property not in props:
            raise InputError(
                f"Objekt {k} hat keine Eigenschaft „{code_property}“ mit dem Schlüssel der Einheit.",
                datei=datei,
                hilfe="Mit --code-property die richtige Eigenschaft angeben.",
            )
        code = str(props[code_property]).strip()
        try:
            nr = int(code)
        except ValueError:
            raise InputError(f"Objekt {k}: „{props[code_property]}“ ist kein Schlüssel aus Ziffern.", datei=datei) from None
        if nr in polygone:
            raise InputError(f"Der Schlüssel {code} hat zwei Geometrien (Objekt {k}).", datei=datei)
        if not isinstance(feature.get("geometry"), dict):
            raise InputError(f"Objekt {k} (Schlüssel {code}) hat keine Geometrie.", datei=datei)
        try:
            geometry = shapely.make_valid(shape(feature["geometry"]))
            projected = _to(geometry, source, ziel)
        except Exception:  # shapely raises several types for broken coordinates
            raise InputError(
                f"Objekt {k} (Schlüssel {code}): Die Geometrie ist fehlerhaft.",
                datei=datei,
                hilfe="Erwartet wird ein Polygon oder MultiPolygon mit geschlossenen Ringen aus mindestens 4 Punkten.",
            ) from None
        if projected.is_empty or projected.area <= 0:
            raise InputError(f"Objekt {k} (Schlüssel {code}): Die Geometrie ist keine Fläche.", datei=datei)
        polygone[nr] = projected
        namen[nr] = str(props.get("statbez_name") or props.get("name") or nr)
    if not polygone:
        raise InputError("Die Geometriedatei enthält keine Objekte.", datei=datei)
    return Geometrie(datei=datei, polygone=polygone, namen=namen, crs=ziel)


def _to(geometry, source: str, ziel: str):
    if source == "EPSG:4326" and ziel == "EPSG:3035":
        import shapely

        from .gridbox import laea_3035_xy

        return shapely.transform(geometry, laea_3035_xy)
    return project(geometry, source, ziel)


def _json_reason(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"Syntaxfehler in Zeile {exc.lineno}, Spalte {exc.colno}"
    if isinstance(exc, RecursionError):
        return "zu tief verschachtelt"
    return "ungültiger Inhalt"


def flaechen_km2(geo: Geometrie) -> dict[int, float]:
    """Area of every district polygon in km² (the polygons are in metres, EPSG:25832)."""
    return {nr: float(poly.area) / 1e6 for nr, poly in geo.polygone.items()}


def check_geometrie(zuordnung: Zuordnung, geo: Geometrie) -> list[str]:
    """Warnings: districts of the mapping without geometry, polygons without district."""
    out = []
    ohne = [nr for nr in zuordnung.bezirke if nr not in geo.polygone]
    if ohne:
        out.append(
            f"{zuordnung.mehrzahl} ohne Geometrie: " + ", ".join(zuordnung.einheit_name(nr) for nr in ohne) + "."
        )
    fremd = [nr for nr in geo.polygone if nr not in zuordnung.bezirke]
    if fremd:
        out.append(
            f"Geometrien ohne {zuordnung.einzahl} der Zuordnung: " + ", ".join(f"{nr} ({geo.namen.get(nr, nr)})" for nr in fremd) + "."
        )
    return out


def require_geometrie(zuordnung: Zuordnung, geo: Geometrie) -> list[str]:
    """The warnings of check_geometrie; an error when not a single district has a polygon."""
    if not set(zuordnung.bezirke) & set(geo.polygone):
        raise InputError(
            f"Keine Fläche der Geometriedatei gehört zu {zuordnung.einem} der Zuordnung.",
            datei=geo.datei,
            hilfe="Bitte --geometry und --code-property prüfen.",
        )
    return check_geometrie(zuordnung, geo)


def raum_formen(schema: Schema, geo: Geometrie) -> dict[str, Any]:
    """The shape of each Raum: the union of its districts' polygons (a split district counts whole)."""
    import shapely

    return {
        r.name: shapely.union_all([geo.polygone[nr] for nr in r.anteile if nr in geo.polygone])
        for r in schema.raeume
    }


# ----------------------------------------------------------------------------- points

AUSSERHALB = "außerhalb der Stadt"
LAT_NAMEN = ("lat", "latitude", "breite", "breitengrad", "y")
LON_NAMEN = ("lon", "lng", "long", "longitude", "laenge", "längengrad", "laengengrad", "x")


class Lage(NamedTuple):
    """Where one point lies: its district, or why it has none (a named tuple: millions are made fast)."""

    zeile: int
    bezirk_nr: int | None
    grund: str = ""


def parse_coordinate(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace(" ", "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def locate(geo: Geometrie, punkte: list[tuple[int, Any, Any]], crs: str = "EPSG:4326") -> list[Lage]:
    """District of each point (line, x or lon, y or lat) by polygon containment.

    A point outside every district, with a missing or unreadable coordinate, or within
    GRENZ_TOLERANZ_M of a border between two districts gets no district and a reason.
    Vectorised (see locate_xy): millions of points take seconds, not minutes.
    """
    return locate_columns(geo, [p[0] for p in punkte], [p[1] for p in punkte], [p[2] for p in punkte], crs)


def locate_columns(geo: Geometrie, lines: list[int], x_raw: list[Any], y_raw: list[Any], crs: str = "EPSG:4326") -> list[Lage]:
    """locate() for the three columns of a point list (line numbers, raw x or lon, raw y or lat)."""
    return list(_locate_lagen(geo, lines, x_raw, y_raw, crs))


def _locate_lagen(geo: Geometrie, lines: Any, x_raw: Any, y_raw: Any, crs: str, x: Any = None, y: Any = None) -> Lagen:
    """The Lagen of raw coordinate columns (x, y: the parsed numbers when already known)."""
    import numpy as np

    x = parse_coordinates(x_raw) if x is None else x
    y = parse_coordinates(y_raw) if y is None else y
    codes, gruende = locate_xy(geo, x, y, crs)
    for k in np.flatnonzero(codes < 0).tolist():
        if k not in gruende:  # no coordinate or no number: the reason names the raw texts
            gruende[k] = _coordinate_problem(x_raw[k], y_raw[k])
    return Lagen(np.asarray(lines, dtype=np.int64), codes, gruende)


class Lagen(Sequence):
    """The Lage of every point of a list, kept as columns (millions of points need no Python object each):
    line numbers, district codes (-1: none) and the reason of each point without a district."""

    def __init__(self, zeilen: Any, codes: Any, gruende: dict[int, str]):
        self.zeilen = zeilen  # numpy int64
        self.codes = codes  # numpy int64, -1: no district
        self.gruende = gruende  # index -> reason, for every point without a district

    def __len__(self) -> int:
        return len(self.codes)

    def _lage(self, k: int, line: int, nr: int) -> Lage:
        return tuple.__new__(Lage, (line, nr, "")) if nr >= 0 else Lage(line, None, self.gruende[k])

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        k = range(len(self))[k]
        return self._lage(k, int(self.zeilen[k]), int(self.codes[k]))

    def __iter__(self) -> Iterator[Lage]:
        new, gruende = tuple.__new__, self.gruende
        for k, (line, nr) in enumerate(zip(self.zeilen.tolist(), self.codes.tolist())):
            yield new(Lage, (line, nr, "")) if nr >= 0 else Lage(line, None, gruende[k])

    def ohne_bezirk(self) -> Lagen:
        """The points without a district, in the order of the list (again columnar)."""
        import numpy as np

        idx = np.flatnonzero(self.codes < 0)
        return Lagen(self.zeilen[idx], self.codes[idx], dict(enumerate(map(self.gruende.__getitem__, idx.tolist()))))

    def grund_liste(self) -> list[str]:
        """The reason of every point, "" for a point with a district."""
        return [self.gruende.get(k, "") for k in range(len(self))] if len(self.gruende) < len(self) else list(
            map(self.gruende.__getitem__, range(len(self))))


def parse_coordinates(values: list[Any]):
    """parse_coordinate over a list, vectorised for plain numbers and numeric texts (NaN: none)."""
    import numpy as np
    import pandas as pd

    if not any(type(v) is bool or type(v) is str for v in values):
        try:  # plain numbers (and None): no text rules needed
            num = np.array([np.nan if v is None else v for v in values], dtype=float)
            num[~np.isfinite(num)] = np.nan
            return num
        except (TypeError, ValueError):
            pass
    arr = values if isinstance(values, np.ndarray) else np.array(values, dtype=object)
    if arr.dtype == object and all(type(v) is str for v in arr.tolist()):
        try:  # numeric texts as Python's float() reads them; parse_coordinate gives the same for these
            num = arr.astype(float)
        except (TypeError, ValueError):
            pass
        else:
            num[~np.isfinite(num)] = np.nan
            return num
    s = pd.Series(arr, dtype=object)
    is_bool = s.map(type).eq(bool).to_numpy() if len(s) else np.zeros(0, dtype=bool)
    num = np.array(pd.to_numeric(s.where(~is_bool), errors="coerce"), dtype=float)
    num[~np.isfinite(num)] = np.nan
    slow = np.flatnonzero(np.isnan(num) & ~is_bool & s.notna().to_numpy())
    for k in slow.tolist():  # "51,2", "1 000", …: the rules of parse_coordinate
        v = parse_coordinate(values[k])
        num[k] = np.nan if v is None else v
    return num


def locate_xy(geo: Geometrie, x: Any, y: Any, crs: str = "EPSG:4326") -> tuple[Any, dict[int, str]]:
    """District code of each point (numpy arrays, NaN for a missing coordinate) and the reasons of points
    with a coordinate but without a district: index -> reason. Code -1: no district.

    Transformation with pyproj on whole arrays; per polygon a bounds prefilter, then
    shapely.contains_xy, and for the border tolerance the distance to the boundary only for
    points in a narrow band around it.
    """
    import numpy as np
    import shapely

    try:
        transformer = _transformer(crs, ARBEITS_CRS)
    except Exception:
        raise AufrufError(f"Das Koordinatensystem „{crs}“ ist unbekannt (erwartet wird z. B. EPSG:25832).",
                          parameter="crs") from None
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    have = np.isfinite(x) & np.isfinite(y)
    px, py = np.full(n, np.nan), np.full(n, np.nan)
    if have.any():
        tx, ty = transformer.transform(x[have], y[have])
        px[have], py[have] = tx, ty
    ok = np.isfinite(px) & np.isfinite(py)
    gruende: dict[int, str] = {int(k): "Koordinaten lassen sich nicht umrechnen" for k in np.flatnonzero(have & ~ok)}
    tol = GRENZ_TOLERANZ_M
    first = np.full(n, -1, dtype=np.int64)
    n_inside = np.zeros(n, dtype=np.int64)
    inside_pairs, border_pairs = [], []
    pts_ok = np.flatnonzero(ok)
    by_x = np.argsort(px[pts_ok])  # sorted by x: a polygon's candidates are one slice
    pts_ok = pts_ok[by_x]
    qx, qy = px[pts_ok], py[pts_ok]
    may_be_near = _near_lines(list(geo.polygone.values()), qx, qy, tol * 1.01)
    for nr, poly in geo.polygone.items():
        xmin, ymin, xmax, ymax = poly.bounds
        lo, hi = int(np.searchsorted(qx, xmin - tol, "left")), int(np.searchsorted(qx, xmax + tol, "right"))
        cand = np.flatnonzero((qy[lo:hi] >= ymin - tol) & (qy[lo:hi] <= ymax + tol)) + lo
        if not len(cand):
            continue
        shapely.prepare(poly)
        hit = pts_ok[cand[shapely.contains_xy(poly, qx[cand], qy[cand])]]
        n_inside[hit] += 1
        first[hit] = np.where(first[hit] >= 0, first[hit], nr)
        inside_pairs.append((hit, nr))
        boundary = poly.boundary
        near = cand[may_be_near[cand]]
        if len(near):
            band = boundary.buffer(tol * 1.01)
            shapely.prepare(band)
            near = near[shapely.contains_xy(band, qx[near], qy[near])]
        if len(near):
            dist = shapely.distance(boundary, shapely.points(qx[near], qy[near]))
            near = near[dist <= tol]
            if len(near):
                border_pairs.append((pts_ok[near], nr))
    on_border: dict[int, list[int]] = {}
    for idx, nr in border_pairs:
        for k in idx.tolist():
            on_border.setdefault(k, []).append(nr)
    several = set(np.flatnonzero(n_inside > 1).tolist())
    inside_of: dict[int, list[int]] = {}
    if several:
        for idx, nr in inside_pairs:
            for k in idx.tolist():
                if k in several:
                    inside_of.setdefault(k, []).append(nr)
    codes = np.where(n_inside == 1, first, -1)
    for k in set(on_border) | several:
        border = on_border.get(k, [])
        inside = inside_of[k] if k in several else ([int(first[k])] if n_inside[k] == 1 else [])
        if len(border) >= 2:
            gruende[k] = f"liegt auf der Grenze zwischen den Flächen {' und '.join(str(nr) for nr in sorted(border))}"
            codes[k] = -1
        elif border and not inside:
            gruende[k] = f"liegt auf der Stadtgrenze (Fläche {border[0]})"
        elif len(inside) > 1:
            gruende[k] = f"liegt in mehreren Flächen ({', '.join(map(str, sorted(inside)))})"
    outside = dict.fromkeys(np.flatnonzero(ok & (n_inside == 0)).tolist(), AUSSERHALB)
    outside.update(gruende)  # a reason found above comes first
    return codes, outside


def _near_lines(polygone: list[Any], x: Any, y: Any, reach: float) -> Any:
    """Mask of the points that may lie within `reach` of a polygon boundary (a superset; no point nearer
    is left out), from a raster of cells around the boundary vertices: the exact test then runs for few points.

    The boundaries get a vertex at least every c/2 (c: cell size, > 4/3 reach), so a point within reach of a
    boundary is closer than c to a vertex and lies in that vertex's cell or one of its eight neighbours."""
    import numpy as np
    import shapely

    coords = np.concatenate([shapely.get_coordinates(shapely.boundary(p)) for p in polygone])
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    c = max(25.0, 2 * reach, float((hi - lo).max()) / 2000)
    coords = np.concatenate([shapely.get_coordinates(shapely.segmentize(shapely.boundary(p), c / 2)) for p in polygone])
    origin = lo - 2 * c
    shape = (int((hi[1] - origin[1]) // c) + 3, int((hi[0] - origin[0]) // c) + 3)
    raster = np.zeros(shape, dtype=bool)
    iy = ((coords[:, 1] - origin[1]) // c).astype(np.int64)
    ix = ((coords[:, 0] - origin[0]) // c).astype(np.int64)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            raster[iy + dy, ix + dx] = True
    py = np.floor((np.asarray(y) - origin[1]) / c)
    px = np.floor((np.asarray(x) - origin[0]) / c)
    inside = (py >= 0) & (py < shape[0]) & (px >= 0) & (px < shape[1])
    out = np.zeros(len(px), dtype=bool)
    out[inside] = raster[py[inside].astype(np.int64), px[inside].astype(np.int64)]
    return out


def _coordinate_problem(x_raw: Any, y_raw: Any) -> str:
    empty = [n for n, raw in (("x/Länge", x_raw), ("y/Breite", y_raw)) if raw is None or str(raw).strip() == ""]
    if empty:
        return f"Koordinate fehlt ({', '.join(empty)})"
    bad = [f"„{raw}“" for raw in (x_raw, y_raw) if parse_coordinate(raw) is None]
    return f"Koordinate ist keine Zahl ({', '.join(bad)})"


def count_points(
    lagen: list[Lage], schema: Schema, kategorien: list[str] | None = None, einwohner: dict[str, float | None] | None = None
):
    """Points per Raum (and per category); a point in a split district counts with its share."""
    import pandas as pd

    members = pd.DataFrame(schema.mitglieder(), columns=["raum", "bezirk_nr", "anteil"])
    if isinstance(lagen, Lagen):  # columnar: no Python object per point
        df = pd.DataFrame({"bezirk_nr": lagen.codes, "kategorie": kategorien if kategorien else None})
        df = df[lagen.codes >= 0].merge(members, on="bezirk_nr")
    else:
        df = pd.DataFrame({"bezirk_nr": pd.array([l.bezirk_nr for l in lagen], dtype="Int64"),
                           "kategorie": kategorien if kategorien else None})
        df = df.dropna(subset=["bezirk_nr"]).astype({"bezirk_nr": "int64"}).merge(members, on="bezirk_nr")
    names = schema.raum_namen
    out = pd.DataFrame({"raum": names})
    out["anzahl"] = df.groupby("raum")["anteil"].sum().reindex(names, fill_value=0.0).values
    cats: list[str] = []
    if kategorien:
        cats = sorted({c for c in kategorien if c}, key=str)
        by = df.groupby(["kategorie", "raum"])["anteil"].sum()
        for c in cats:
            out[c] = by[c].reindex(names, fill_value=0.0).values if c in by.index.get_level_values(0) else 0.0
    total = {"raum": "Gesamt", "anzahl": out["anzahl"].sum(), **{c: out[c].sum() for c in cats}}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    if einwohner is not None:
        pop = out["raum"].map(lambda r: einwohner.get(r))
        out["je_1000_einwohner"] = [
            1000 * n / p if p is not None and p == p and p > 0 else float("nan") for n, p in zip(out["anzahl"], pop)
        ]
    return out, cats


class Ortsliste:
    """A file of places (one row per facility or offer), each located in a district.

    `lagen` is columnar (see Lagen); `rows` (header cells and line numbers as reading.read_table gives
    them) is read only when asked for, e.g. for --points-output."""

    def __init__(self, datei: Path, sha256: str, header: list[str], rows: Any, lagen: Lagen | list[Lage],
                 kategorien: list[str] | None, sheet: str | None = None):
        self.datei, self.sha256, self.header = datei, sha256, header
        self._rows, self._sheet = rows, sheet
        self.lagen, self.kategorien = lagen, kategorien

    @property
    def rows(self) -> list[tuple[int, list[Any]]]:
        if self._rows is None:
            from .reading import read_table

            fast = _read_plain_csv(self.datei) if self._sheet is None else None
            self._rows = (fast if fast is not None else read_table(self.datei, sheet=self._sheet))[1]
        return self._rows


def locate_file(
    geo: Geometrie,
    path: Path,
    *,
    lat: str | None = None,
    lon: str | None = None,
    x: str | None = None,
    y: str | None = None,
    crs: str = ARBEITS_CRS,
    category: str | None = None,
    sheet: str | None = None,
) -> Ortsliste:
    """Read a list of places and locate every row (WGS84 lat/lon, or x/y in `crs`)."""
    import hashlib

    from .mapping import name_key
    from .reading import read_table

    if (x is None) != (y is None) or (lat is None) != (lon is None) or (x is not None and lat is not None):
        raise AufrufError("Bitte entweder Breite und Länge oder Rechts- und Hochwert angeben.",
                          parameter=("lat", "lon", "x", "y"))
    plain = _plain_csv_head(path) if sheet is None else None
    if plain is not None:
        header, rows = plain.header, None
    else:
        header, rows = read_table(path, sheet=sheet)
    keys = [name_key(h) for h in header]

    def column(name: str | None, guesses: tuple[str, ...], option: str) -> int:
        if name is not None:
            if name_key(name) not in keys:
                raise AufrufError(f"Die Spalte „{name}“ gibt es nicht. Vorhanden: {', '.join(header)}.", datei=path,
                                  parameter=option)
            return keys.index(name_key(name))
        found = [k for k, key in enumerate(keys) if key in {name_key(g) for g in guesses}]
        if len(found) != 1:
            raise AufrufError("Keine eindeutige Koordinatenspalte gefunden; bitte die Spalten nennen.", datei=path,
                                  parameter=("lat", "lon") if option in ("lat", "lon") else option)
        return found[0]

    if x is not None:
        cx, cy, source = column(x, (), "x"), column(y, (), "y"), crs
    else:
        cx, cy, source = column(lon, LON_NAMEN, "lon"), column(lat, LAT_NAMEN, "lat"), "EPSG:4326"
    cc = column(category, (), "kategorie") if category else None

    frame = plain.columns({cx, cy} - {cc}) if plain is not None else None
    if frame is not None:
        (xs, x_raw), (ys, y_raw) = frame[cx], frame[cy]
        lagen = _locate_lagen(geo, range(2, len(x_raw) + 2), x_raw, y_raw, source, xs, ys)
        kategorien = [v.strip() for v in frame[cc][1].tolist()] if cc is not None else None
        sha = hashlib.sha256(plain.raw).hexdigest()
    else:
        if rows is None:  # not as plain as it looked: the careful reader
            header, rows = read_table(path, sheet=sheet)

        def cell(cells: list, k: int) -> Any:
            return cells[k] if k < len(cells) else None

        lagen = _locate_lagen(geo, [line for line, _ in rows], [cell(c, cx) for _, c in rows],
                              [cell(c, cy) for _, c in rows], source)
        kategorien = [str(cell(c, cc) or "").strip() for _, c in rows] if cc is not None else None
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Ortsliste(datei=path, sha256=sha, header=header, rows=rows, lagen=lagen, kategorien=kategorien, sheet=sheet)


_FAST_CSV_BYTES = 4 * 1024 * 1024


def _read_plain_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]] | None:
    """A large, plain CSV file (UTF-8, no quotes, no blank rows) read by pandas: the same header and
    rows with line numbers as reading.read_table, ten times faster. None: use read_table."""
    try:
        if path.suffix.lower() not in (".csv", ".txt", ".tsv") or path.stat().st_size < _FAST_CSV_BYTES:
            return None
        from .sources import read_source

        text = read_source(path).decode("utf-8-sig")  # size limit; protected from every output
    except (OSError, UnicodeDecodeError):
        return None
    if '"' in text:
        return None  # quoted fields may span lines: line numbers need the csv module
    import pandas as pd

    from .reading.cells import text as _text
    from .reading.decode import delimiter as _delimiter

    delim = _delimiter(text[:200_000])
    try:
        df = pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False, header=None,
                         skip_blank_lines=False)
    except (ValueError, pd.errors.ParserError):
        return None
    if len(df) < 2 or df.isna().any().any() or (df == "").all(axis=1).any():
        return None  # ragged or blank rows
    values = df.values.tolist()
    header = values.pop(0)
    return [_text(c) for c in header], list(zip(range(2, len(values) + 2), values))


class _PlainCsv:
    """A large, plain CSV file (UTF-8, no quotes): its header now, its columns when asked for."""

    def __init__(self, raw: bytes, delimiter: str, header: list[str]):
        self.raw, self.delimiter, self.header = raw, delimiter, header

    def columns(self, numeric: set[int]) -> dict[int, tuple[Any, Any]] | None:
        """Column index -> (numbers or None, texts or None) for every column; the columns in `numeric`
        parsed by pandas' C reader when they hold plain numbers only. None: not plain after all (blank
        or ragged rows, a header of another width): read_table decides."""
        import numpy as np
        import pandas as pd

        body = self.raw[3:] if self.raw.startswith(b"\xef\xbb\xbf") else self.raw
        width = len(self.header)
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
        if body.count(self.delimiter.encode()) != lines * (width - 1):
            return None  # a ragged or blank row (a longer row after a shorter one pandas refuses)
        try:
            df = pd.read_csv(io.BytesIO(body), sep=self.delimiter, header=None, skiprows=1, keep_default_na=False,
                             skip_blank_lines=False, dtype={k: str for k in range(width) if k not in numeric},
                             engine="c")
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
            return None
        if len(df) < 1 or df.shape[1] != width:
            return None
        out: dict[int, tuple[Any, Any]] = {}
        texts = []
        for k in range(width):
            col = df[k]
            if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                values = col.to_numpy(dtype=object)
                if any(type(v) is not str for v in values.tolist()):
                    return None  # a missing field (NaN): a ragged or blank row
                texts.append(values)
                out[k] = (None, values)
            elif col.dtype.kind in "if":
                num = col.to_numpy(dtype=float)
                if not np.isfinite(num).all():
                    return None  # "inf", "nan": the messages name the texts
                out[k] = (num, None)
            else:
                return None
        if len(texts) == width and np.logical_and.reduce([t == "" for t in texts]).any():
            return None  # a row of empty fields: read_table drops it
        for k in numeric:  # the texts of numeric columns are only needed for messages: none without problems
            num, values = out[k]
            if values is None:
                out[k] = (num, _NoTexts(num))
        return out


class _NoTexts:
    """The raw values of a column of plain numbers, for messages about the other coordinate: the numbers
    themselves (a finite number is neither missing nor unreadable, so a message never quotes it)."""

    def __init__(self, numbers: Any):
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, k: int) -> Any:
        return float(self.numbers[k])


def _plain_csv_head(path: Path) -> _PlainCsv | None:
    """The header of a large, plain CSV file (see _read_plain_csv); None: use read_table."""
    try:
        if path.suffix.lower() not in (".csv", ".txt", ".tsv") or path.stat().st_size < _FAST_CSV_BYTES:
            return None
        from .sources import read_source

        raw = read_source(path)  # size limit; protected from every output
        if b'"' in raw:
            return None  # quoted fields may span lines: line numbers need the csv module
        head = raw[:200_000].decode("utf-8-sig", errors="ignore")
        raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    from .reading.cells import text as _text
    from .reading.decode import delimiter as _delimiter

    first = head.split("\n", 1)[0].rstrip("\r")
    if "\r" in first or not first.strip():
        return None
    delim = _delimiter(head)
    header = [_text(c) for c in first.split(delim)]
    if not any(header):
        return None  # read_table skips a first row of empty fields
    return _PlainCsv(raw, delim, header)
