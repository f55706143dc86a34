"""`sozialraum audit`: what an attacker learns from written outputs together.

Re-reads JSON outputs of aggregate, compare and trend and xlsx outputs of aggregate and export, turns
every published count into a linear form over the district values (the mapping says which
districts make up each Raum), and gives each suppressed or empty count cell its feasible interval
(linked.intervalle). With the data file the true values are known: a cell is a primary one when
its value is 1..N−1 (the single districts' values too, even where no output shows them) and safe
when its interval keeps the protection range. Without the data file a cell is flagged when its
interval could hold a small count (lower bound below N) and is narrower than the protection range.

A rate published with its denominator gives away its numerator (and vice versa): both are read as
published; this is stricter than rounding would allow, never weaker.

Longer than 400 lines because it reads every output format back (JSON of three commands, two
workbook layouts, profile pages) into one system of equations; each reader is short.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .linked import Publikation, geschuetzt, intervalle
from .linked_tables import ist_rest, rest_key
from .mapping import NICHT_ZUGEORDNET, Zuordnung

NZ = "nz"
REST_PREFIX = "davon Rest „"  # raumtabelle.rest_zeile


@dataclass
class Befund:
    zelle: str  # German description
    wert: float | None  # true value (None without data)
    unten: float
    oben: float
    schutz: float
    sicher: bool
    ausgegeben: bool = True  # a cell of the outputs (False: a single district's value no output shows)


@dataclass
class Audit:
    befunde: list[Befund] = field(default_factory=list)
    dateien: list[str] = field(default_factory=list)
    min_count: int | None = None
    schutz: float | None = None

    @property
    def sicher(self) -> bool:
        return all(b.sicher for b in self.befunde)


class _Leser:
    """Collects published and hidden cells from outputs as forms over district unknowns."""

    def __init__(self, zuordnung: Zuordnung) -> None:
        self.z = zuordnung
        self.pub = Publikation()
        self.published: set = set()
        self.labels: dict = {}
        self.min_count: int | None = None
        self.reste: dict = {}  # (schema, line label) -> unknown of an area's remainder line (linked_tables.rest_key)

    def note_rests(self, schema: str, labels: list) -> None:
        """Remainder lines („davon Rest …“) of an area table, each below its Raum: their own unknowns,
        part of their Raum and of Gesamt."""
        raum = None
        for label in labels:
            text = str(label or "")
            if text.startswith(REST_PREFIX):
                if raum is not None:
                    self.reste[(schema, text)] = rest_key(schema, raum, text.removeprefix(REST_PREFIX).removesuffix("“"))
            elif text and text not in ("Gesamt", "nicht zugeordnet") and not text.startswith("Differenz"):
                raum = text

    def form(self, schema: str | None, raum: str) -> dict:
        if raum == "Gesamt":
            f = {nr: 1.0 for nr in self.z.bezirke}
            if self.z.code_fuer(NICHT_ZUGEORDNET) is not None:
                f[NZ] = 1.0
            return f | {k: 1.0 for k in self.reste.values()}
        if raum == "nicht zugeordnet":
            return {NZ: 1.0}
        if (schema, raum) in self.reste:
            return {self.reste[(schema, raum)]: 1.0}
        return dict(self.z.schema(schema).raum(raum).anteile) | {k: 1.0 for k in self.reste.values() if k[1:3] == (schema, raum)}

    def crosswalk_form(self, a: str, b: str, ra: str, rb: str) -> dict:
        """The districts (with shares) of crosswalk cell Raum `ra` of scheme a × Raum `rb` of scheme b."""
        if ra == "Gesamt" and rb == "Gesamt":
            return {nr: 1.0 for nr in self.z.bezirke}
        if ra == "Gesamt":
            return self.form(b, rb)
        if rb == "Gesamt":
            return self.form(a, ra)
        fb = self.form(b, rb)
        return {nr: s * fb[nr] for nr, s in self.form(a, ra).items() if nr in fb}

    def cell(self, key, merkmal: str, jahr, form: dict, wert, label: str) -> None:
        block = (merkmal, jahr)
        self.labels[key] = label
        if wert is None or isinstance(wert, str) or (isinstance(wert, float) and math.isnan(wert)):
            self.pub.add(key, block, form, 0.0)  # empty or "*": not published (unless another file has it)
        else:
            self.pub.add(key, block, form, float(wert))
            self.pub.zellen[key].wert = float(wert)
            self.published.add(key)

    def note_min_count(self, texts) -> None:
        for t in texts or []:
            m = re.search(r"Anzahlen von 1 bis (\d+)", str(t))
            if m and self.min_count is None:
                self.min_count = int(m[1]) + 1

    # --------------------------------------------------------------------------- JSON
    def json(self, path: Path) -> None:
        from .sources import read_source

        raw = read_source(path)  # size limit; protected from every output
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except (ValueError, RecursionError):
            raise InputError("Die Datei lässt sich nicht als JSON lesen.", datei=path) from None
        if "tabellen" in doc and any("jahre" in t for t in doc["tabellen"]):
            for t in doc["tabellen"]:
                self.note_min_count(t.get("hinweise"))
                self._json_trend(t)
            return
        if "tabellen" in doc:
            for t in doc["tabellen"]:  # every table's remainders first: Gesamt is shared by all tables
                self.note_rests(t["schema"], [rec["raum"] for rec in t["zeilen"]])
                for rest, raum, schema in re.findall(r"Rest „(.*?)“ gehört zu „(.*?)“ \(Schema „(.*?)“\)",
                                                     " ".join(map(str, t.get("hinweise", [])))):
                    self.reste.setdefault((schema, REST_PREFIX + rest + "“"), rest_key(schema, raum, rest))
            for t in doc["tabellen"]:
                self.note_min_count(t.get("hinweise"))
                self._json_table(t, doc.get("jahr"))
        elif "ueberleitung" in doc:
            self.note_min_count(doc.get("hinweise"))
            self._json_compare(doc)
        else:
            raise InputError("Die JSON-Datei ist keine Ausgabe von aggregate oder compare.", datei=path)

    def _json_table(self, t: dict, jahr) -> None:
        schema = t["schema"]
        counts = [m["merkmal"] for m in t.get("merkmale", []) if m.get("verfahren") == "summiert" and m.get("ausgegeben")]
        quoten = [m["merkmal"] for m in t.get("merkmale", []) if m.get("verfahren") == "neu_berechnet" and m.get("ausgegeben")]
        for rec in t["zeilen"]:
            raum = rec["raum"]
            if raum.startswith("Differenz"):
                continue
            for m in counts:
                if m in rec:
                    self.cell((schema if raum not in ("Gesamt", "nicht zugeordnet") else "*", jahr, raum, m), m, jahr,
                              self.form(schema, raum), rec[m], f"{raum} ({t.get('titel', schema)}), {m}")
            self._rates(schema, jahr, raum, rec, quoten, t.get("titel", schema))

    def _json_trend(self, t: dict) -> None:
        """A trend output: every year's value per Raum. Its changes are hidden with either end
        (linked_tables.protect_trends), so they tell nothing the year columns do not."""
        schema, m = t["schema"], t["merkmal"]
        for rec in t["zeilen"]:
            raum = rec["raum"]
            if raum.startswith("Differenz"):
                continue
            for j in t["jahre"]:
                self.cell((schema if raum not in ("Gesamt", "nicht zugeordnet") else "*", j, raum, m), m, j,
                          self.form(schema, raum), rec.get(str(j)), f"{raum} ({schema}), {m} {j}")

    def _rates(self, schema, jahr, raum, rec: dict, quoten: list[str], titel: str) -> None:
        for q in quoten:
            info = self.z.merkmale.get(q)
            r = rec.get(q)
            if info is None or r is None or not info.zaehler or not info.nenner:
                continue
            key = lambda m: (schema if raum not in ("Gesamt", "nicht zugeordnet") else "*", jahr, raum, m)  # noqa: E731
            num, den = rec.get(info.zaehler), rec.get(info.nenner)
            if den is not None and num is None:
                self.cell(key(info.zaehler), info.zaehler, jahr, self.form(schema, raum), r * den / info.faktor,
                          f"{raum} ({titel}), {info.zaehler} aus {q}")
            elif num is not None and den is None and r:
                self.cell(key(info.nenner), info.nenner, jahr, self.form(schema, raum), num * info.faktor / r,
                          f"{raum} ({titel}), {info.nenner} aus {q}")

    def _json_compare(self, doc: dict) -> None:
        a, b, m, jahr = doc["schema_a"]["name"], doc["schema_b"]["name"], doc["merkmal"], doc.get("jahr")
        if m == "anzahl_bezirke":
            return
        for c in doc["ueberleitung"]:
            ra, rb = c["raum_a"], c["raum_b"]
            form = self.crosswalk_form(a, b, ra, rb)
            if not form:
                continue
            wert = c["wert"] if c.get("vollstaendig", True) else None
            self.cell(("kreuz", a, b, jahr, ra, rb, m), m, jahr, form, wert, f"Überleitung {ra} → {rb}, {m}")
        for w in doc.get("wechsel", []):
            g = float(w["anteil"])
            key = ("bezirk", jahr, w["bezirk_nr"], m) if g == 1 else ("bezirksteil", jahr, w["bezirk_nr"], g, m)
            self.cell(key, m, jahr, {w["bezirk_nr"]: g}, w["wert"], f"Bezirk {w['bezirk_nr']} ({w['bezirk_name']}), {m}")
        for h in doc.get("hinweise", []):
            found = re.match(r"Die Zeile „nicht zugeordnet“ \(([^)]*)\)", h)
            if found:
                text = found[1]
                wert = None if text == "*" else float(text)
                self.cell(("bezirk", jahr, NZ, m), m, jahr, {NZ: 1.0}, wert, f"nicht zugeordnet, {m}")
        for rec in doc.get("nebeneinander") or []:
            raum = rec["raum"]
            for suffix, schema in (("a", a), ("b", b)):
                if f"{m}_{suffix}" not in rec or raum not in self.z.schema(schema).raum_namen:
                    continue
                self.cell((schema, jahr, raum, m), m, jahr, self.form(schema, raum), rec[f"{m}_{suffix}"],
                          f"{raum} ({schema}), {m}")

    # --------------------------------------------------------------------------- xlsx
    # --------------------------------------------------------------------------- HTML (profile)
    def html(self, path: Path) -> None:
        """A page of `profile`: the overview table of all Räume, or one Raum's key figures and districts."""
        from .sources import read_source

        text = read_source(path).decode("utf-8", errors="replace")
        meta = {k: html_unescape(v) for k, v in re.findall(r'<meta name="sozialraum-([a-z]+)" content="(.*?)">', text)}
        m = re.search(r"<h1>Sozialraumprofile? (?:– )?(.*?)</h1>", text)
        if m is None and not meta:
            raise InputError("Die HTML-Datei ist keine Seite von profile.", datei=path)
        if meta:  # pages since issue 16 name their scheme, Raum and year
            jahr = int(meta["jahr"]) if meta.get("jahr") else None
            schema = self._schema_by_title(path, meta.get("schema", ""))
            self.note_min_count(re.findall(r"Anzahlen von 1 bis \d+", text))
            tables = [_html_table(t) for t in re.findall(r"<table.*?</table>", text, re.S)]
            titles = {**{mm.titel: name for name, mm in self.z.merkmale.items()}, **{name: name for name in self.z.merkmale}}
            if meta.get("seite") == "uebersicht":
                self._html_overview(schema, jahr, tables, titles)
            else:
                self._html_area(schema, jahr, meta.get("raum", ""), tables, titles)
            return
        stand = re.search(r"Stand (\d{4})", text)
        jahr = int(stand[1]) if stand else None
        self.note_min_count(re.findall(r"Anzahlen von 1 bis \d+", text))
        tables = [_html_table(t) for t in re.findall(r"<table.*?</table>", text, re.S)]
        titles = {**{mm.titel: name for name, mm in self.z.merkmale.items()}, **{name: name for name in self.z.merkmale}}
        if m[1].startswith("– ") or "Sozialraumprofile" in m[0]:  # the overview: one row per Raum
            schema = self._schema_by_title(path, m[1].removeprefix("– "))
            for head, rows in tables:
                if len(head) > 2 and head[0] == "Raum" and head[2] in titles:
                    merkmal = titles[head[2]]
                    for row in rows:
                        self.cell((schema, jahr, row[0], merkmal), merkmal, jahr, self.form(schema, row[0]),
                                  _de_number(row[2]), f"{row[0]} ({schema}), {merkmal}")
            return
        raum = html_unescape(m[1])
        sub = re.search(r'<p class="sub">(.*?) · ', text)
        schema = self._schema_by_title(path, html_unescape(sub[1]) if sub else "")
        self._html_area(schema, jahr, raum, tables, titles)  # pages before issue 16: the same two tables

    def _html_overview(self, schema: str, jahr, tables: list, titles: dict) -> None:
        """The ranked table of all Räume: every count column, the city's row as Gesamt."""
        for head, rows in tables:
            if "Raum" not in head:
                continue
            at = head.index("Raum")
            for col, h in enumerate(head):
                merkmal = titles.get(h)
                if merkmal is None or self.z.merkmale[merkmal].art != "anzahl":
                    continue
                for row in rows:
                    raum = "Gesamt" if row[at] == self.z.stadt_name else row[at]
                    key = ("*" if raum == "Gesamt" else schema, jahr, raum, merkmal)
                    self.cell(key, merkmal, jahr, self.form(schema, raum), _de_number(row[col]), f"{raum} ({schema}), {merkmal}")

    def _html_area(self, schema: str, jahr, raum: str, tables: list, titles: dict) -> None:
        """One Raum's page: its key figures (with the city's) and its districts."""
        for head, rows in tables:
            if head[:2] == ["Merkmal", raum]:
                area: dict = {}
                city: dict = {}
                for row in rows:
                    if row[0] in titles:
                        area[titles[row[0]]], city[titles[row[0]]] = _de_number(row[1]), _de_number(row[3])
                for rec, where in ((area, raum), (city, "Gesamt")):
                    for merkmal, wert in rec.items():
                        if self.z.merkmale.get(merkmal) is None or self.z.merkmale[merkmal].art == "anzahl":
                            key = (schema if where != "Gesamt" else "*", jahr, where, merkmal)
                            self.cell(key, merkmal, jahr, self.form(schema, where), wert, f"{where} ({schema}), {merkmal}")
                    self._rates(schema, jahr, where, rec, [q for q in rec if q in self.z.merkmale
                                                            and self.z.merkmale[q].zaehler], schema)
            elif head and head[0] == "Bezirk":
                columns = [titles.get(h) for h in head[1:]]
                for row in rows:
                    nr = int(row[0].split()[0])
                    rec = {c: _de_number(v) for c, v in zip(columns, row[1:]) if c is not None}
                    for merkmal, wert in rec.items():
                        if self.z.merkmale.get(merkmal) is None or self.z.merkmale[merkmal].art == "anzahl":
                            self.cell(("bezirk", jahr, nr, merkmal), merkmal, jahr, {nr: 1.0}, wert,
                                      f"Bezirk {nr} ({self.z.bezirke[nr].name}), {merkmal}")

    def _schema_by_title(self, path: Path, titel: str) -> str:
        for s in self.z.schemata.values():
            if s.titel == titel.strip():
                return s.name
        raise InputError(f"Das Schema „{titel}“ der Seite gibt es in der Zuordnung nicht.", datei=path,
                         hilfe="Bitte mit --config die Zuordnung angeben, mit der die Profile entstanden.")

    def xlsx(self, path: Path) -> None:
        from openpyxl import load_workbook

        from .sources import check_spreadsheet, read_source

        check_spreadsheet(path, read_source(path))  # unpacked size and used area before openpyxl reads
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a data problem
            import zipfile

            why = "kein Zip-Archiv, vielleicht eine andere Datei mit der Endung .xlsx" if isinstance(exc, zipfile.BadZipFile) \
                else f"{type(exc).__name__}; Einzelheiten mit --debug"
            raise InputError(f"Die Excel-Datei lässt sich nicht lesen ({why}).", datei=path) from None
        sheets = {ws.title: _below_titles([list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets}
        meta = {str(r[0]): r[1] for r in sheets.get("Metadaten", []) if r and r[0]}
        self.note_min_count([r[1] for r in sheets.get("Metadaten", []) if r and len(r) > 1])
        years = str(meta.get("Jahr(e)", "") or "")
        titles = self._titles()
        by_title = {s.titel[:31]: s.name for s in self.z.schemata.values()}
        for name, rows in sheets.items():  # every sheet's remainder lines first: Gesamt is shared by all sheets
            if rows and name in by_title:
                self.note_rests(by_title[name], [r[0] for r in rows[1:]])
        for name, rows in sheets.items():
            if not rows:
                continue
            if name in by_title:
                self._xlsx_scheme(by_title[name], rows, titles, years)
            elif name == "Bezirke":
                self._xlsx_districts(rows, titles, years)
            elif name == "Vergleich":
                self._xlsx_compare(rows, meta, titles)

    def _titles(self) -> dict:
        return {m.titel: m.name for m in self.z.merkmale.values()}

    def _column(self, header: str, titles: dict, years: str):
        """'SGB-II-Personen 2016' -> ('sgb2_personen', 2016); None for anything but a count."""
        header = str(header or "")
        m = re.match(r"^(.*?)(?: (\d{4}))?$", header)
        title, jahr = m[1], int(m[2]) if m[2] else None
        name = titles.get(title)
        if name is None or self.z.merkmale[name].art != "anzahl":
            return None
        if jahr is None and re.fullmatch(r"\d{4}", years):
            jahr = int(years)
        return name, jahr

    def _xlsx_scheme(self, schema: str, rows: list, titles: dict, years: str) -> None:
        for col, m, jahr in self._columns(rows[0], titles, years):
            for r in rows[1:]:
                raum = r[0]
                if raum is None or str(raum).startswith("Differenz"):
                    continue
                key = (schema if raum not in ("Gesamt", "nicht zugeordnet") else "*", jahr, raum, m)
                self.cell(key, m, jahr, self.form(schema, raum), r[col], f"{raum} ({schema}), {m}")

    def _columns(self, header: list, titles: dict, years: str):
        """(column index, indicator, year) of every header cell that names a count."""
        for col, h in enumerate(header):
            parsed = self._column(h, titles, years)
            if parsed is not None:
                yield col, *parsed

    def _xlsx_districts(self, rows: list, titles: dict, years: str) -> None:
        nz = self.z.code_fuer(NICHT_ZUGEORDNET)
        from .mapping import GESAMT

        gesamt = self.z.code_fuer(GESAMT)
        for col, m, jahr in self._columns(rows[0], titles, years):
            for r in rows[1:]:
                nr = r[0]
                if nr == gesamt:
                    self.cell(("*", jahr, "Gesamt", m), m, jahr, self.form(None, "Gesamt"), r[col], f"Gesamt, {m}")
                    continue
                u = NZ if nr == nz else nr
                if u != NZ and u not in self.z.bezirke:
                    continue
                self.cell(("bezirk", jahr, u, m), m, jahr, {u: 1.0}, r[col], f"Bezirk {nr} ({r[1]}), {m}")

    def _xlsx_compare(self, rows: list, meta: dict, titles: dict) -> None:
        text = str(meta.get("Vergleich", ""))
        found = re.search(r"Wert: (.*?)(?: (\d{4}))?$", text)
        if not found or found[1] not in titles:
            return
        m, jahr = titles[found[1]], int(found[2]) if found[2] else None
        head = str(rows[0][0])
        by_title = {s.titel: s.name for s in self.z.schemata.values()}
        ta, tb = head.split(" \\ ")
        a, b = by_title[ta], by_title[tb]
        cols = rows[0][1:]
        for r in rows[1:]:
            ra = r[0]
            for rb, v in zip(cols, r[1:]):
                form = self.crosswalk_form(a, b, ra, rb)
                if form:
                    self.cell(("kreuz", a, b, jahr, ra, rb, m), m, jahr, form, v, f"Überleitung {ra} → {rb}, {m}")


def audit(zuordnung: Zuordnung, dateien: list[Path], *, daten: Any = None, min_count: int | None = None,
          schutz: float | None = None) -> Audit:
    """Feasible intervals of every suppressed cell given all `dateien` together."""
    leser = _Leser(zuordnung)
    reste = getattr(daten, "reste", None)
    if reste is not None:  # the data file names every remainder, also those no output shows as a line
        for schema, raum, rest in dict.fromkeys(zip(reste["schema"], reste["raum"], reste["rest"])):
            leser.reste[(schema, REST_PREFIX + rest + "“")] = rest_key(schema, raum, rest)
    for d in dateien:
        suffix = d.suffix.lower()
        if not d.exists():
            raise InputError("Die Datei gibt es nicht.", datei=d)
        try:
            if suffix == ".json":
                leser.json(d)
            elif suffix == ".xlsx":
                leser.xlsx(d)
            elif suffix in (".html", ".htm"):
                leser.html(d)
            else:
                raise InputError("audit liest JSON-, xlsx- und HTML-Ausgaben von aggregate, compare, trend, export und profile.", datei=d)
        except KeyError as exc:  # a Raum or scheme the mapping does not know
            raise InputError(
                f"„{exc.args[0]}“ gibt es in der Zuordnung nicht; die Ausgabe wurde wohl mit einer anderen Zuordnung geschrieben.",
                datei=d,
                hilfe="Bitte mit --config die Zuordnung angeben, mit der die Ausgabe entstand.",
            ) from None
    if not leser.pub.zellen:
        raise InputError("Die Ausgaben enthalten keine Anzahlen, die audit prüfen kann.", datei=dateien[0])
    n = min_count or leser.min_count
    if n is None:
        raise InputError("Die Schwelle ist unbekannt: bitte --min-count N angeben.", datei=dateien[0])
    p = float(n if schutz is None else schutz)
    pub = leser.pub
    wahr: dict = {}
    bw = None
    if daten is not None:
        from .linked_tables import Bezirkswerte

        bw = Bezirkswerte(zuordnung, daten)
    nz_code = zuordnung.code_fuer(NICHT_ZUGEORDNET)
    for block in sorted({z.block for z in pub.zellen.values()}, key=str):
        m, jahr = block
        werte = bw.werte(m, jahr) if bw is not None else {u: 0.0 for u in [*zuordnung.bezirke, NZ]}
        if bw is not None and not werte:
            raise InputError(
                f"Die Datendatei enthält „{m}“{f' für {jahr}' if jahr is not None else ''} nicht; "
                "sie passt nicht zu den Ausgaben.",
                datei=str(getattr(daten, "datei", "")) or None,
                hilfe="Bitte mit --data die Datendatei angeben, aus der die Ausgaben entstanden.",
            )
        for u, v in werte.items():  # single districts: never shown, or shown elsewhere
            if u == "G" or (u == NZ and nz_code is None):
                continue
            key = ("bezirk", jahr, u, m)
            if key not in pub.zellen:
                pub.add(key, block, {u: 1.0}, v, intern=True)
                leser.labels[key] = (f"Bezirk {u} ({zuordnung.bezirke[u].name}), {m}" if u in zuordnung.bezirke
                                     else f"Rest „{u[3]}“, {m}" if ist_rest(u) else f"nicht zugeordnet, {m}")
        if bw is not None:
            for k, z in pub.zellen.items():
                if z.block == block and k not in leser.published:
                    wahr[k] = sum(c * werte.get(u, 0.0) for u, c in z.form.items())
    hidden = set(pub.zellen) - leser.published
    if daten is not None:
        ziele = [k for k in hidden if 0 < wahr.get(k, 0) < n - 1e-9]
    else:
        ziele = list(hidden)
    result = Audit(dateien=[str(d) for d in dateien], min_count=n, schutz=p)
    for k, (lo, hi) in intervalle(pub, hidden, ziele).items():
        if daten is not None:
            ok = geschuetzt(wahr[k], lo, hi, p)
        else:
            ok = lo >= n - 1e-9 or hi - lo >= p - 1e-6
        result.befunde.append(Befund(leser.labels.get(k, str(k)), wahr.get(k), lo, hi, p, ok,
                                     not pub.zellen[k].intern))
    result.befunde.sort(key=lambda b: (b.sicher, b.zelle))
    return result


def html_unescape(text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _html_table(table: str) -> tuple[list[str], list[list[str]]]:
    """(header cells, body rows) of one HTML table, as text."""
    rows = [[html_unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _de_number(text: str) -> float | None:
    """A number as a profile shows it ("6.796", "0,8 %"); None for "*", ".", "≥ …" (not published)."""
    t = text.strip().replace("\u202f", " ")
    if not t or t[0] in "*.≥" or t.startswith("("):
        return None
    t = t.removesuffix("%").strip().replace(".", "").replace(",", ".").replace("−", "-")
    try:
        return float(t.split()[0])
    except (ValueError, IndexError):
        return None


def _below_titles(rows: list) -> list:
    """The table of a sheet without the title and source rows above it (rows with one cell at most)."""
    k = 0
    while k < len(rows) and sum(v is not None and v != "" for v in rows[k]) <= 1:
        k += 1
    return rows[k:] if k < len(rows) else rows
