"""A bounding box of a WGS84 GeoJSON in EPSG:3035 (the Zensus grid), without shapely or pyproj.

A national grid file is scanned with the city's bounding box as filter. The exact box comes from
the projected district polygons, which need shapely and pyproj (~0,1 s to load). With this rough
box, padded by PUFFER_M, the scan starts first and runs (outside the GIL) while the geometry loads;
`grid.read_grid` then checks that the rough box contains the exact one (else it scans again with
the exact box). A box larger than needed changes no result: its extra cells lie outside every
district and are counted as outside the city, as cells outside the box are.

The projection is the ellipsoidal Lambert azimuthal equal-area of EPSG:3035 (GRS80, centre
52° N 10° E, false easting 4.321.000 m, false northing 3.210.000 m; EPSG Guidance Note 7-2). Every
vertex lies in the longitude/latitude box of all vertices; the projection maps that box onto a region
bounded by the image of its edges, so the box of the edges, sampled densely, contains every
projected vertex (a few hundred points are projected instead of every vertex).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

PUFFER_M = 500.0  # far above the difference to pyproj (below a millimetre) and to make_valid's vertices

_A = 6378137.0
_F = 1 / 298.257222101
_E2 = 2 * _F - _F * _F
_E = math.sqrt(_E2)
_LAT0, _LON0 = math.radians(52.0), math.radians(10.0)
_FE, _FN = 4321000.0, 3210000.0


def _q(phi: float) -> float:
    s = math.sin(phi)
    return (1 - _E2) * (s / (1 - _E2 * s * s) - math.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))


_QP = _q(math.pi / 2)
_RQ = _A * math.sqrt(_QP / 2)
_B0 = math.asin(_q(_LAT0) / _QP)
_D = _A * math.cos(_LAT0) / (math.sqrt(1 - _E2 * math.sin(_LAT0) ** 2) * _RQ * math.cos(_B0))


def laea_3035(lon: float, lat: float) -> tuple[float, float]:
    """(easting, northing) in EPSG:3035 of a WGS84 point (degrees)."""
    beta = math.asin(max(-1.0, min(1.0, _q(math.radians(lat)) / _QP)))
    dlon = math.radians(lon) - _LON0
    b = _RQ * math.sqrt(2 / (1 + math.sin(_B0) * math.sin(beta) + math.cos(_B0) * math.cos(beta) * math.cos(dlon)))
    return (_FE + b * _D * math.cos(beta) * math.sin(dlon),
            _FN + (b / _D) * (math.cos(_B0) * math.sin(beta) - math.sin(_B0) * math.cos(beta) * math.cos(dlon)))


def laea_3035_xy(xy):
    """laea_3035 for an (n, 2) array of WGS84 longitudes and latitudes (numpy, for shapely.transform): the
    grid path projects the district polygons straight to the grid's CRS, without loading pyproj."""
    import numpy as np

    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    s = np.sin(lat)
    q = (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))
    beta = np.arcsin(np.clip(q / _QP, -1.0, 1.0))
    dlon = lon - _LON0
    b = _RQ * np.sqrt(2 / (1 + math.sin(_B0) * np.sin(beta) + math.cos(_B0) * np.cos(beta) * np.cos(dlon)))
    return np.column_stack([_FE + b * _D * np.cos(beta) * np.sin(dlon),
                            _FN + (b / _D) * (math.cos(_B0) * np.sin(beta) - math.sin(_B0) * np.cos(beta) * np.cos(dlon))])


def rough_box_3035(path: Path) -> tuple[float, float, float, float] | None:
    """The padded EPSG:3035 box of all vertices of a WGS84 GeoJSON file, or None (another CRS, anything
    unreadable or unusual: the caller then waits for the exact box; errors are reported by the geometry reader)."""
    from .sources import MAX_DATEI

    try:
        if not path.is_file() or path.stat().st_size > MAX_DATEI:  # a pipe read here would be empty for the reader
            return None
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
        crs = ((doc.get("crs") or {}).get("properties") or {}).get("name", "EPSG:4326")
        if not str(crs).endswith(("4326", "CRS84")):
            return None
        lons, lats = [], []
        for feature in doc["features"]:
            _vertices(feature["geometry"]["coordinates"], lons, lats)
        w, s, e, n = min(lons), min(lats), max(lons), max(lats)
        if not (-180 <= w <= e <= 180 and -80 <= s <= n <= 80 and e - w < 20 and n - s < 20):
            return None  # far from a city: not worth the care
        steps = [k / _SCHRITTE for k in range(_SCHRITTE + 1)]
        edges = ([(w + (e - w) * t, s) for t in steps] + [(w + (e - w) * t, n) for t in steps]
                 + [(w, s + (n - s) * t) for t in steps] + [(e, s + (n - s) * t) for t in steps])
        xs, ys = zip(*(laea_3035(lon, lat) for lon, lat in edges))
    except Exception:  # any broken file: the geometry reader names the problem
        return None
    return (min(xs) - PUFFER_M, min(ys) - PUFFER_M, max(xs) + PUFFER_M, max(ys) + PUFFER_M)


_SCHRITTE = 256  # points per edge of the box (a city's edge of 20 km: chords off the curve by far less than 1 m)


def _vertices(coords: list, lons: list[float], lats: list[float]) -> None:
    if coords and isinstance(coords[0], (int, float)):
        lons.append(float(coords[0]))
        lats.append(float(coords[1]))
        return
    if coords and isinstance(coords[0], list) and coords[0] and isinstance(coords[0][0], (int, float)):
        lons += [float(p[0]) for p in coords]  # a ring or line at once (the box starts the scan: it must be quick)
        lats += [float(p[1]) for p in coords]
        return
    for c in coords:
        _vertices(c, lons, lats)


def contains(outer: tuple[float, float, float, float] | None, inner: tuple[float, float, float, float]) -> bool:
    return outer is not None and outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]
