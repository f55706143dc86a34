"""sozialraum: district statistics of Jena summed up to Sozialräume and Planungsräume."""

from pathlib import Path

__version__ = "0.1.0"

# Jena's statistical districts (WGS84), bundled; here so that the command line's early grid scan can name it
# before anything heavy loads (geo.default_geometry_path for everyone else)
BEZIRKE_GEOJSON = Path(__file__).resolve().parent / "data" / "statistische_bezirke.geojson"
