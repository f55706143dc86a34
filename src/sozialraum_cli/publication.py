"""Disclosure control in one step: everything one command publishes, protected together.

`protect` takes the results a command is about to render (area tables, developments, a
comparison, lists of single district values), puts every number they show into one
`Publikation` (linked_tables), runs the linked suppression once (linked.py) and returns copies
of the results with the hidden values removed and marked (primary or secondary). Nothing is
rendered before this step, and each result's note counts exactly the cells its renderers show
as hidden ("*"). Commands call `protect` once; no other module suppresses anything.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field, replace
from typing import Any

from .disclosure import Geheimhaltung
from .linked import Publikation, schuetzen
from .linked_tables import (
    NZ,
    Bezirkswerte,
    _sensibel,
    add_bezirk,
    add_count,
    add_kreuz,
    cell_key,
    quote_teile,
    refuse_unprotected,
    rest_key,
)
from .mapping import Zuordnung
from .raumtabelle import (
    ABWEICHUNG,
    ART_RAUM,
    ART_REST,
    DIFFERENZ_ZEILE,
    NICHT_PRUEFBAR,
    PRIMAER,
    SEKUNDAER,
    Raumtabelle,
    mit_resten,
    rest_name,
)

NZ_HINWEIS = "Die Zeile „nicht zugeordnet“ ("
_CHANGES = ("veraenderung", "veraenderung_prozent", "mittel_jahr", "mittel_jahr_prozent")


@dataclass
class Bezirksliste:
    """Single district values a command publishes (the export's district sheet, a profile's district
    table): cells (code, indicator, year); the file's total row and the not-assignable row may be
    among the codes. After `protect`, `geheim` maps each hidden cell to PRIMAER or SEKUNDAER."""

    zellen: list[tuple[Any, str, int | None]]
    geheim: dict[tuple[Any, str, int | None], str] = field(default_factory=dict)


@dataclass
class Ueberleitung:
    """Only the crosswalk of a comparison is published (the export's sheet "Vergleich")."""

    vergleich: Any


@dataclass
class Geschuetzt:
    """The protected results in the order given, and the note over all of them."""

    ergebnisse: list
    geheimhaltung: Geheimhaltung


def _loaded_class(module: str, name: str) -> type:
    """A result class of a module, if that module is loaded; else a class of which nothing is an instance
    (no such result can exist then; aggregate need not import compare and trend at start-up)."""
    import sys

    loaded = sys.modules.get(f"{__package__}.{module}")
    return getattr(loaded, name) if loaded is not None else type(f"_Ohne{name}", (), {})


def protect(zuordnung: Zuordnung, daten: Any, ergebnisse: list, min_count: int) -> Geschuetzt:
    """Primary and secondary suppression over everything in `ergebnisse` at once (see the module text)."""
    Vergleich = _loaded_class("compare", "Vergleich")
    Entwicklung = _loaded_class("trend", "Entwicklung")

    bw = Bezirkswerte(zuordnung, daten)
    pub = Publikation()
    keys = []
    for x in ergebnisse:
        if isinstance(x, Raumtabelle):
            keys.append(_add_table(pub, bw, x))
        elif isinstance(x, Entwicklung):
            keys.append(_add_development(pub, bw, x))
        elif isinstance(x, Vergleich):
            keys.append(_add_comparison(pub, bw, x))
        elif isinstance(x, Ueberleitung):
            v = x.vergleich
            keys.append(add_kreuz(pub, bw, v.schema_a, v.schema_b, v.merkmal.name, v.jahr, v.werte))
        elif isinstance(x, Bezirksliste):
            keys.append(_add_list(pub, bw, x))
        else:  # a programming error, not a user's
            raise TypeError(f"protect: unknown result {type(x).__name__}")
    ergebnis = schuetzen(pub, min_count)
    refuse_unprotected(ergebnis)
    out, stars = [], []
    for x, k in zip(ergebnisse, keys):
        if isinstance(x, Raumtabelle):
            p = _apply_table(x, k, ergebnis, min_count)
            stars += list(p.geheime_zellen().values())
        elif isinstance(x, Entwicklung):
            p = _apply_development(x, k, ergebnis, min_count)
            stars += list(p.geheim.values())
        elif isinstance(x, Vergleich):
            p = _apply_comparison(zuordnung, bw, x, k, ergebnis, min_count)
            stars += [PRIMAER] * p.geheimhaltung.primaer + [SEKUNDAER] * p.geheimhaltung.sekundaer
        elif isinstance(x, Ueberleitung):
            p = _apply_crosswalk(x.vergleich, k, ergebnis, min_count)
            stars += list(p.geheimhaltung.arten.values())
        else:
            p = replace(x, geheim={c: ergebnis.art(key) for c, key in k.items() if ergebnis.art(key)})
            stars += list(p.geheim.values())
        out.append(p)
    return Geschuetzt(out, Geheimhaltung(min_count, stars.count(PRIMAER), stars.count(SEKUNDAER), schutz=ergebnis.schutz))


# ----------------------------------------------------------------------------- area tables


def _add_table(pub: Publikation, bw: Bezirkswerte, t: Raumtabelle) -> dict:
    """Every number of an area table: its counts and the parts its rates give away; (raum, name) -> key."""
    keys: dict = {}
    def rest(z) -> tuple | None:  # a remainder's line publishes that remainder alone
        return rest_key(t.schema.name, z.zu, rest_name(z)) if z.art == ART_REST else None

    for m in t.anzahlen:
        werte = bw.werte(m.name, t.jahr)
        for z in t.zeilen:
            if z.wert(m.name) is not None:
                add_count(pub, bw, t.schema, t.jahr, z.raum, m.name, werte, _sensibel(bw.zuordnung, m.name), rest=rest(z))
    for q in t.quoten:
        for name, werte, sensibel in quote_teile(bw, q, t.jahr):
            for z in t.zeilen:
                if z.wert(q.name) is not None:
                    add_count(pub, bw, t.schema, t.jahr, z.raum, name, werte, sensibel, rest=rest(z))
    names = [m.name for m in t.anzahlen] + [name for q in t.quoten for name, _, _ in quote_teile(bw, q, t.jahr)]
    for z in t.zeilen:
        for name in names:
            keys[(z.raum, name)] = (("*", t.jahr, z.raum, name) if z.raum == DIFFERENZ_ZEILE
                                    else cell_key(t.schema.name, t.jahr, z.raum, name))
    return keys


def _apply_table(t: Raumtabelle, keys: dict, ergebnis: Any, min_count: int) -> Raumtabelle:
    entscheidung = {c: ergebnis.art(k) for c, k in keys.items() if ergebnis.art(k)}
    return suppress_table(t, entscheidung, min_count, ergebnis.schutz)


def suppress_table(t: Raumtabelle, entscheidung: dict, min_count: int, schutz: float | None = None) -> Raumtabelle:
    """A copy of an area table with the decided counts and what derives from them hidden.

    entscheidung: (raum, indicator) -> PRIMAER/SEKUNDAER. A count hides its share; a hidden total
    hides every share of that count; a rate is hidden with any of its parts. Rows whose sort
    value is hidden lose their rank; reconciliations that would tell a hidden value are withheld.
    """
    from .aggregate import abgleich_warnung

    counts = [m.name for m in t.anzahlen]
    quoten = {q.name: q for q in t.quoten}
    zeilen = []
    for z in t.zeilen:
        werte = {}
        for name, w in z.werte.items():
            if name in counts:  # shares of a hidden total would give it away
                w = w.hidden(entscheidung.get((z.raum, name)), entscheidung.get(("Gesamt", name)))
            else:
                q = quoten[name]
                parts = [*q.teile, f"{q.name} × {q.basis}"] if q.basis else q.teile
                sources = [k for k in (entscheidung.get((z.raum, p)) for p in parts) if k]
                if sources and w.wert is not None:
                    w = w.hidden(PRIMAER if PRIMAER in sources else SEKUNDAER)
            werte[name] = w
        zeilen.append(replace(z, werte=werte))
    out = copy(t)
    out.zeilen = _neutral_order(zeilen, t.sortierung)

    def exposes(a) -> bool:
        return out.ist_geheim(a.raum, a.merkmal) or (a.raum == "Gesamt" and out.ist_geheim(DIFFERENZ_ZEILE, a.merkmal))

    out.abgleich = [replace(a, summe=None, gesamtzeile=None, status=NICHT_PRUEFBAR, grund="Geheimhaltung")
                    if exposes(a) else a for a in t.abgleich]
    shown = {abgleich_warnung(a, t.einheiten) for a in t.abgleich if a.status == ABWEICHUNG and not exposes(a)}
    out.warnungen = [w for w in t.warnungen if not w.startswith("Abgleich „") or w in shown]
    kinds = list(out.geheime_zellen().values())
    out.geheimhaltung = Geheimhaltung(min_count, kinds.count(PRIMAER), kinds.count(SEKUNDAER), schutz=schutz)
    # the rule is not a note among others: renderers state it from `geheimhaltung`
    return out


def _neutral_order(zeilen: list, sortierung: str) -> list:
    """Rows whose sort value is hidden lose their rank and go last in name order; the others are re-ranked.
    Remainder lines stay below their Raum."""
    areas = [z for z in zeilen if z.art == ART_RAUM]
    others = [z for z in zeilen if z.art != ART_RAUM]
    secret = [z for z in areas if z.werte[sortierung].geheim]
    if not secret:
        return zeilen
    ranked = sorted((z for z in areas if z not in secret and z.rang is not None), key=lambda z: z.rang)
    rest = [z for z in areas if z not in secret and z.rang is None]
    new_ranks, previous, rank = [], None, 0
    for i, z in enumerate(ranked):  # "min" ranks, renumbered without the hidden rows
        if z.rang != previous:
            rank, previous = i + 1, z.rang
        new_ranks.append(replace(z, rang=rank))
    hidden = [replace(z, rang=None) for z in sorted(secret, key=lambda z: z.raum)]
    return mit_resten(new_ranks + rest + hidden + others)


# ----------------------------------------------------------------------------- developments


def _add_development(pub: Publikation, bw: Bezirkswerte, e: Any) -> dict:
    keys: dict = {}
    m = e.merkmal.name
    for i, r in e.zeilen.iterrows():
        for j in e.jahre:
            v = r[str(j)]
            if v == v:
                k = add_count(pub, bw, e.schema, j, r["raum"], m, bw.werte(m, j), _sensibel(bw.zuordnung, m))
                if k is not None:
                    keys[(i, j)] = k
    return keys


def _apply_development(e: Any, keys: dict, ergebnis: Any, min_count: int) -> Any:
    """A year value hidden where decided; a change hidden with either of its ends."""
    z = e.zeilen.copy()
    kinds: dict = {}
    for i in z.index:
        for j in e.jahre:
            kind = ergebnis.art(keys.get((i, j)))
            if kind:
                z.at[i, str(j)] = float("nan")
                kinds[(z.at[i, "raum"], str(j))] = kind
        ends = [kinds.get((z.at[i, "raum"], str(j))) for j in (e.jahre[0], e.jahre[-1])]
        if any(ends):
            for c in _CHANGES:
                z.at[i, c] = float("nan")
                kinds[(z.at[i, "raum"], c)] = PRIMAER if PRIMAER in ends else SEKUNDAER
    f = copy(e)
    f.zeilen = z
    f.geheim = kinds
    values = list(kinds.values())
    f.geheimhaltung = Geheimhaltung(min_count, values.count(PRIMAER), values.count(SEKUNDAER), schutz=ergebnis.schutz)
    return f


# ----------------------------------------------------------------------------- comparisons


def _add_comparison(pub: Publikation, bw: Bezirkswerte, v: Any) -> dict:
    """Both area tables (the side-by-side view), the crosswalk with its margins, the districts that
    change Raum (as they are listed under disclosure control) and the note on the not-assignable row."""
    from .compare import changes

    if v.werte is None:  # district counts only: nothing to protect
        return {}
    merkmal = v.merkmal.name
    # under disclosure control the main counterpart follows the number of districts, which tells nothing hidden
    _, wechsel = changes(bw.zuordnung, v.schema_a, v.schema_b, v.bezirke, {})
    liste = {}
    for w in wechsel:
        k = add_bezirk(pub, bw, w.bezirk_nr, merkmal, v.jahr, w.anteil)
        if k is not None:
            liste[(w.bezirk_nr, w.anteil)] = k
    return {
        "a": _add_table(pub, bw, v.tabelle_a),
        "b": _add_table(pub, bw, v.tabelle_b),
        "kreuz": add_kreuz(pub, bw, v.schema_a, v.schema_b, merkmal, v.jahr, v.werte),
        "liste": liste,
        "nz": add_bezirk(pub, bw, NZ, merkmal, v.jahr),
    }


def _apply_comparison(zuordnung: Zuordnung, bw: Bezirkswerte, v: Any, keys: dict, ergebnis: Any, min_count: int) -> Any:
    from .compare import changes, side_by_side

    if not keys:
        return replace(v, geheimhaltung=Geheimhaltung(min_count, schutz=ergebnis.schutz))
    merkmal = v.merkmal.name
    tabelle_a = _apply_table(v.tabelle_a, keys["a"], ergebnis, min_count)
    tabelle_b = _apply_table(v.tabelle_b, keys["b"], ergebnis, min_count)
    werte = v.werte.copy()
    kinds = {}
    for ab, k in keys["kreuz"].items():
        kind = ergebnis.art(k)
        if kind:
            werte.at[ab] = float("nan")
            kinds[ab] = kind
    bekannt = bw.werte(merkmal, v.jahr)
    hidden_list = {nb: ergebnis.art(k) for nb, k in keys["liste"].items() if ergebnis.art(k)}
    je_bezirk = {nr: bekannt.get(nr) for nr in zuordnung.bezirke}
    hauptpartner, wechsel = changes(zuordnung, v.schema_a, v.schema_b, v.bezirke, je_bezirk)
    wechsel = [replace(w, wert=None, geheim=hidden_list[(w.bezirk_nr, w.anteil)]) if (w.bezirk_nr, w.anteil) in hidden_list
               else w for w in wechsel]
    nz_kind = ergebnis.art(keys["nz"]) if keys["nz"] is not None else None
    nebeneinander = side_by_side(tabelle_a, tabelle_b, v.merkmal, tabelle_a.quoten)
    stars = list(kinds.values()) + list(hidden_list.values()) + ([nz_kind] if nz_kind else [])
    shown = {merkmal, f"{merkmal}_anteil", *(q.name for q in tabelle_a.quoten)}
    for t in (tabelle_a, tabelle_b):  # the side-by-side view shows counts, shares and rates of both
        areas = {z.raum for z in t.raeume}
        stars += [k for (raum, c), k in t.geheime_zellen().items() if c in shown and raum in areas]
    g = Geheimhaltung(min_count, stars.count(PRIMAER), stars.count(SEKUNDAER), set(kinds), schutz=ergebnis.schutz,
                      arten=kinds)
    hinweise = [_nz_note(h, nz_kind is not None) for h in v.hinweise] + [g.regel]
    return replace(v, werte=werte, tabelle_a=tabelle_a, tabelle_b=tabelle_b, hauptpartner=hauptpartner,
                   wechsel=wechsel, nebeneinander=nebeneinander, geheim=set(kinds), geheimhaltung=g, hinweise=hinweise)


def _apply_crosswalk(v: Any, keys: dict, ergebnis: Any, min_count: int) -> Any:
    werte = v.werte.copy()
    kinds = {}
    for ab, k in keys.items():
        kind = ergebnis.art(k)
        if kind:
            werte.at[ab] = float("nan")
            kinds[ab] = kind
    kinds_list = list(kinds.values())
    g = Geheimhaltung(min_count, kinds_list.count(PRIMAER), kinds_list.count(SEKUNDAER), set(kinds),
                      schutz=ergebnis.schutz, arten=kinds)
    return replace(v, werte=werte, geheim=set(kinds), geheimhaltung=g)


def _nz_note(h: str, hidden: bool) -> str:
    if hidden and h.startswith(NZ_HINWEIS):
        return NZ_HINWEIS + "*" + h[h.index(")"):]
    return h


# ----------------------------------------------------------------------------- district lists


def _add_list(pub: Publikation, bw: Bezirkswerte, liste: Bezirksliste) -> dict:
    gesamt = bw.gesamt
    keys = {}
    for nr, merkmal, jahr in liste.zellen:
        if nr == gesamt:
            schema = next(iter(bw.zuordnung.schemata.values()))
            key = add_count(pub, bw, schema, jahr, "Gesamt", merkmal, bw.werte(merkmal, jahr), True)
        else:
            key = add_bezirk(pub, bw, NZ if nr == bw.nz else nr, merkmal, jahr)
        if key is not None:
            keys[(nr, merkmal, jahr)] = key
    return keys
