"""One cell of an input file: its text, a district code, a number written in German or English
style, or a symbol for a missing, secret or zero value -> (value, status)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..symbole import EINGESCHRAENKT, FEHLT, NULL, SYMBOLE, VORHANDEN


_DE_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_EN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_code(value: Any) -> int | None:
    """District code from a cell: 11, 11.0, "11", "011" -> 11; anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if text.isascii() and text.isdigit():  # not „²“, „①“ or a full-width „１“ (str.isdigit takes them)
        return int(text)
    if re.fullmatch(r"[0-9]+\.0+", text):
        return int(text.split(".")[0])
    return None


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    return _SPACES.sub("", text)


def number_style(texts: list[str]) -> str:
    """'de' (1.234,5) or 'en' (1,234.5) for the text cells of one column."""
    cleaned = [_clean(t) for t in texts]
    for t in cleaned:
        if "," in t and "." in t:
            return "de" if t.rfind(",") > t.rfind(".") else "en"
    if any("," in t for t in cleaned):
        return "de"
    dotted = [t for t in cleaned if "." in t]
    if dotted and all(_THOUSANDS_DOT.match(t) for t in dotted):
        return "de"
    return "en"


def _written_style(text: str) -> str | None:
    """How one cell writes its number: 'de'/'en' (certain), 'de,'/'en.' (decimal separator, certain),
    '?.'/'?,' (one separator followed by three digits: thousands or decimal), None (no separator, not a number)."""
    t = _clean(text).strip("()").lstrip("+-")
    if not t or not re.fullmatch(r"[\d.,]+", t) or not t[0].isdigit():
        return None
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        return "de" if t.rfind(",") > t.rfind(".") else "en"
    if dots > 1 or commas > 1:
        return "de" if dots else "en"
    if dots or commas:
        sep = "." if dots else ","
        head, tail = t.split(sep)
        if len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0":
            return "?" + sep
        return "en." if dots else "de,"
    return None


def mixed_number_styles(texts: list[str]) -> tuple[str, str] | None:
    """Two cells of one column whose numbers are written in conflicting styles (e.g. 2.447 and 1.5), or None."""
    first: dict[str, str] = {}
    for t in texts:
        if "." not in t and "," not in t:
            continue
        style = _written_style(t)
        if style is not None:
            first.setdefault(style, t)
    german = [first[s] for s in ("de", "de,") if s in first]
    english = [first[s] for s in ("en", "en.") if s in first]
    if german and english:
        return german[0], english[0]
    if "?." in first and "en." in first and "en" not in first:
        return first["?."], first["en."]  # thousands dot or decimal point?
    if "?," in first and "en." in first:
        return first["?,"], first["en."]
    return None


def parse_number(text: str, style: str) -> float | None:
    """A number written as text in the given style, or None if it is not one."""
    t = _clean(text)
    if style == "de":
        if not _DE_NUMBER.match(t):
            return None
        return float(t.replace(".", "").replace(",", "."))
    if not _EN_NUMBER.match(t):
        return None
    return float(t.replace(",", ""))


def parse_cell(value: Any, style: str, symbole: dict[str, str] = SYMBOLE) -> tuple[float | None, str] | None:
    """(value, status) of a cell; None if the cell is text that is neither number nor symbol."""
    if value is None:
        return None, FEHLT
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None, FEHLT
        return float(value), VORHANDEN
    text = str(value).strip()
    if not text:
        return None, FEHLT
    if text in symbole:
        status = symbole[text]
        return (0.0 if status == NULL else None), status
    if text.startswith("(") and text.endswith(")"):
        inner = parse_number(text[1:-1], style)
        return (inner, EINGESCHRAENKT) if inner is not None else None
    number = parse_number(text, style)
    return (number, VORHANDEN) if number is not None else None


def text(v: Any) -> str:
    """A cell as stripped text: "" for an empty cell, 12.0 -> "12"."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
