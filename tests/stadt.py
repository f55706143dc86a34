"""A fictional city for the tests of issue 15 (any city): Neustadt am Fluss.

Three nested levels: Planungsräume (8-digit codes with leading zeros) in Bezirksregionen
(4 digits) in Bezirke (2 digits). Two Bezirksregionen share the name „Heideweg“.
The numbers below are written by hand; tests compute expected sums from these, never from
the program's output.
"""

# (code, name, region code, region name, bezirk code, bezirk name, einwohner, haushalte)
EINHEITEN = [
    ("01010101", "Altmarkt", "0101", "Altstadt", "01", "Mitte", 1200, 700),
    ("01010102", "Hafen", "0101", "Altstadt", "01", "Mitte", 800, 450),
    ("01020201", "Heideweg Nord", "0102", "Heideweg", "01", "Mitte", 650, 300),
    ("02010101", "Heideweg Süd", "0201", "Heideweg", "02", "Nordufer", 900, 410),
    ("02010102", "Lindenhof", "0201", "Heideweg", "02", "Nordufer", 1500, 720),
    ("02020201", "Wiesengrund", "0202", "Wiesengrund", "02", "Nordufer", 400, 150),
]

MAPPING_YAML = """\
# Neustadt am Fluss (fiktiv), von Hand geschrieben
einheit: {einzahl: Planungsraum, mehrzahl: Planungsräume}
sondercodes:
  - {nr: "00000000", art: gesamt, name: "Neustadt gesamt", aliase: ["Stadt"]}
bezirke:
  - {nr: "01010101", name: "Altmarkt"}
  - {nr: "01010102", name: "Hafen"}
  - {nr: "01020201", name: "Heideweg Nord"}
  - {nr: "02010101", name: "Heideweg Süd"}
  - {nr: "02010102", name: "Lindenhof"}
  - {nr: "02020201", name: "Wiesengrund"}
schemata:
  regionen:
    titel: "Bezirksregionen"
    raeume:
      Altstadt: ["01010101", "01010102"]
      "Heideweg (0102)": ["01020201"]
      "Heideweg (0201)": ["02010101", "02010102"]
      Wiesengrund: ["02020201"]
  bezirke:
    titel: "Bezirke"
    raeume:
      Mitte: ["01010101", "01010102", "01020201"]
      Nordufer: ["02010101", "02010102", "02020201"]
merkmale:
  einwohner: {titel: Einwohner, art: anzahl}
  haushalte: {titel: Haushalte, art: anzahl}
"""


def wide_csv(key_header: str = "PLR-ID", name_header: str = "Name", codes=None) -> str:
    """Einwohner and Haushalte per Planungsraum, codes with their leading zeros."""
    lines = [f"{key_header};{name_header};Einwohner;Haushalte"]
    for code, name, *_rest, ew, hh in EINHEITEN:
        lines.append(f"{codes(code) if codes else code};{name};{ew};{hh}")
    return "\n".join(lines) + "\n"


def summe(level: int, key: str, column: int = 6) -> int:
    """Hand sum of one column over the units of an area; level 2 = region code, 4 = bezirk code."""
    return sum(row[column] for row in EINHEITEN if row[level] == key)


def geojson() -> str:
    """Six unit squares side by side (EPSG:25832 metres), property `PLR_ID` with leading zeros."""
    import json

    features = []
    for i, (code, name, *_rest) in enumerate(EINHEITEN):
        x0, y0 = 680000 + 1000 * i, 5640000
        ring = [[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]
        features.append({"type": "Feature", "properties": {"PLR_ID": code, "name": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection",
                       "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
                       "features": features})


def crosswalk_csv() -> str:
    """The official list: one row per Planungsraum with its Bezirksregion (code and name) and Bezirk."""
    lines = ["PLR-ID;Planungsraum;BZR-ID;Bezirksregion;BEZ-ID;Bezirk"]
    for code, name, rc, rn, bc, bn, *_ in EINHEITEN:
        lines.append(f"{code};{name};{rc};{rn};{bc};{bn}")
    return "\n".join(lines) + "\n"
