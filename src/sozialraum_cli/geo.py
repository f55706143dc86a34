"""Geometry of the districts: load, check against the mapping, dissolve to Räume, locate points.

Coordinates are kept in WGS84 (EPSG:4326) as delivered and projected to ETRS89 / UTM zone 32N
(EPSG:25832) for measuring and drawing, so that distances and proportions are true.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import AufrufError, InputError
from .mapping import Schema, Zuordnung

ARBEITS_CRS = "EPSG:25832"  # ETRS89 / UTM zone 32N: metres, true proportions for Jena
GRENZ_TOLERANZ_M = 0.5  # a point closer than this to a border between districts lies "on" it


def default_geometry_path() -> Path:
    return Path(str(resources.files("sozialraum_cli") / "data" / "statistische_bezirke.geojson"))


@dataclass
class Geometrie:
    datei: Path
    polygone: dict[int, Any]  # district code -> shapely geometry in EPSG:25832
    namen: dict[int, str] = field(default_factory=dict)  # the GeoJSON's own names, for messages


def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def project(geometry, source: str = "EPSG:4326", target: str = ARBEITS_CRS):
    import shapely

    t = _transformer(source, target)
    return shapely.transform(geometry, lambda xy: _stack(*t.transform(xy[:, 0], xy[:, 1])))


def _stack(x, y):
    import numpy as np

    return np.column_stack([x, y])


def load_geometrie(path: str | Path | None = None, code_property: str = "id") -> Geometrie:
    """District polygons from a GeoJSON file (the bundled one of Jena when path is None)."""
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
            _transformer(source, ARBEITS_CRS)
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
                f"Objekt {k} hat keine Eigenschaft „{code_property}“ mit der Bezirksnummer.",
                datei=datei,
                hilfe="Mit --code-property die richtige Eigenschaft angeben.",
            )
        try:
            nr = int(str(props[code_property]).strip())
        except ValueError:
            raise InputError(f"Objekt {k}: „{props[code_property]}“ ist keine Bezirksnummer.", datei=datei) from None
        if nr in polygone:
            raise InputError(f"Bezirk {nr} hat zwei Geometrien (Objekt {k}).", datei=datei)
        if not isinstance(feature.get("geometry"), dict):
            raise InputError(f"Objekt {k} (Bezirk {nr}) hat keine Geometrie.", datei=datei)
        try:
            geometry = shapely.make_valid(shape(feature["geometry"]))
            projected = project(geometry, source)
        except Exception:  # shapely raises several types for broken coordinates
            raise InputError(
                f"Objekt {k} (Bezirk {nr}): Die Geometrie ist fehlerhaft.",
                datei=datei,
                hilfe="Erwartet wird ein Polygon oder MultiPolygon mit geschlossenen Ringen aus mindestens 4 Punkten.",
            ) from None
        if projected.is_empty or projected.area <= 0:
            raise InputError(f"Objekt {k} (Bezirk {nr}): Die Geometrie ist keine Fläche.", datei=datei)
        polygone[nr] = projected
        namen[nr] = str(props.get("statbez_name") or props.get("name") or nr)
    if not polygone:
        raise InputError("Die Geometriedatei enthält keine Objekte.", datei=datei)
    return Geometrie(datei=datei, polygone=polygone, namen=namen)


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
            "Bezirke ohne Geometrie: " + ", ".join(f"{nr} ({zuordnung.bezirke[nr].name})" for nr in ohne) + "."
        )
    fremd = [nr for nr in geo.polygone if nr not in zuordnung.bezirke]
    if fremd:
        out.append(
            "Geometrien ohne Bezirk der Zuordnung: " + ", ".join(f"{nr} ({geo.namen.get(nr, nr)})" for nr in fremd) + "."
        )
    return out


def require_geometrie(zuordnung: Zuordnung, geo: Geometrie) -> list[str]:
    """The warnings of check_geometrie; an error when not a single district has a polygon."""
    if not set(zuordnung.bezirke) & set(geo.polygone):
        raise InputError(
            "Keine Fläche der Geometriedatei gehört zu einem Bezirk der Zuordnung.",
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


@dataclass(frozen=True)
class Lage:
    """Where one point lies: its district, or why it has none."""

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
    """
    import shapely

    try:
        transformer = _transformer(crs, ARBEITS_CRS)
    except Exception as exc:
        raise AufrufError(f"Das Koordinatensystem „{crs}“ ist unbekannt ({exc}).") from None
    codes = list(geo.polygone)
    shapes = [geo.polygone[nr] for nr in codes]
    tree = shapely.STRtree(shapes)
    out = []
    for line, x_raw, y_raw in punkte:
        x, y = parse_coordinate(x_raw), parse_coordinate(y_raw)
        if x is None or y is None:
            out.append(Lage(line, None, _coordinate_problem(x_raw, y_raw)))
            continue
        px, py = transformer.transform(x, y)
        if not (math.isfinite(px) and math.isfinite(py)):
            out.append(Lage(line, None, "Koordinaten lassen sich nicht umrechnen"))
            continue
        point = shapely.Point(px, py)
        near = [codes[i] for i in tree.query(point.buffer(GRENZ_TOLERANZ_M))]
        near = [nr for nr in near if geo.polygone[nr].distance(point) <= GRENZ_TOLERANZ_M]
        inside = [nr for nr in near if geo.polygone[nr].contains(point)]
        on_border = [nr for nr in near if geo.polygone[nr].boundary.distance(point) <= GRENZ_TOLERANZ_M]
        if len(on_border) >= 2:
            listed = " und ".join(str(nr) for nr in sorted(on_border))
            out.append(Lage(line, None, f"liegt auf der Grenze zwischen den Bezirken {listed}"))
        elif on_border and not inside:
            out.append(Lage(line, None, f"liegt auf der Stadtgrenze (Bezirk {on_border[0]})"))
        elif len(inside) == 1:
            out.append(Lage(line, inside[0]))
        elif inside:
            out.append(Lage(line, None, f"liegt in mehreren Bezirken ({', '.join(map(str, sorted(inside)))})"))
        else:
            out.append(Lage(line, None, AUSSERHALB))
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

    rows = []
    for k, lage in enumerate(lagen):
        if lage.bezirk_nr is None:
            continue
        for raum, anteil in schema.raeume_von(lage.bezirk_nr):
            rows.append((raum, kategorien[k] if kategorien else None, anteil))
    df = pd.DataFrame(rows, columns=["raum", "kategorie", "anteil"])
    names = schema.raum_namen
    out = pd.DataFrame({"raum": names})
    out["anzahl"] = df.groupby("raum")["anteil"].sum().reindex(names, fill_value=0.0).values
    cats: list[str] = []
    if kategorien:
        cats = sorted({c for c in kategorien if c}, key=str)
        for c in cats:
            sel = df[df["kategorie"] == c]
            out[c] = sel.groupby("raum")["anteil"].sum().reindex(names, fill_value=0.0).values
    total = {"raum": "Gesamt", "anzahl": out["anzahl"].sum(), **{c: out[c].sum() for c in cats}}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    if einwohner is not None:
        pop = out["raum"].map(lambda r: einwohner.get(r))
        out["je_1000_einwohner"] = [
            1000 * n / p if p is not None and p == p and p > 0 else float("nan") for n, p in zip(out["anzahl"], pop)
        ]
    return out, cats


@dataclass
class Ortsliste:
    """A file of places (one row per facility or offer), each located in a district."""

    datei: Path
    sha256: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    lagen: list[Lage]
    kategorien: list[str] | None


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
        raise AufrufError("Bitte entweder --lat und --lon oder --x und --y angeben.")
    header, rows = read_table(path, sheet=sheet)
    keys = [name_key(h) for h in header]

    def column(name: str | None, guesses: tuple[str, ...], option: str) -> int:
        if name is not None:
            if name_key(name) not in keys:
                raise InputError(f"Die Spalte „{name}“ ({option}) gibt es nicht. Vorhanden: {', '.join(header)}.", datei=path)
            return keys.index(name_key(name))
        found = [k for k, key in enumerate(keys) if key in {name_key(g) for g in guesses}]
        if len(found) != 1:
            raise InputError(f"Keine eindeutige Koordinatenspalte gefunden; bitte {option} angeben.", datei=path)
        return found[0]

    if x is not None:
        cx, cy, source = column(x, (), "--x"), column(y, (), "--y"), crs
    else:
        cx, cy, source = column(lon, LON_NAMEN, "--lon"), column(lat, LAT_NAMEN, "--lat"), "EPSG:4326"
    cc = column(category, (), "--category") if category else None

    def cell(cells: list, k: int) -> Any:
        return cells[k] if k < len(cells) else None

    return Ortsliste(
        datei=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        header=header,
        rows=rows,
        lagen=locate(geo, [(line, cell(c, cx), cell(c, cy)) for line, c in rows], crs=source),
        kategorien=[str(cell(c, cc) or "").strip() for _, c in rows] if cc is not None else None,
    )
