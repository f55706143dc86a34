"""The mapping's fast YAML path (issue 15): the same data as the slow, line-tracking path, or it leaves the
file to the slow one; errors found after a fast load still name their line."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sozialraum_cli.errors import MappingError
from sozialraum_cli.mapping import load_mapping, name_key
from sozialraum_cli.mapping import load as loader
from sozialraum_cli.mapping.load import _Lines, _parse_fast, _parse_with_lines, _Slow

from sozialraum_cli.mapping.model import default_mapping_path


def both(text: str):
    """(fast data or _Slow, slow data or the MappingError)"""
    try:
        fast = _parse_fast(text)
    except _Slow:
        fast = _Slow
    try:
        slow = _parse_with_lines(text, "x.yaml", _Lines())
    except MappingError as exc:
        slow = exc
    return fast, slow


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def check(text: str) -> None:
    fast, slow = both(text)
    if isinstance(slow, MappingError):
        assert fast is _Slow, (text, slow.message)
    elif fast is not _Slow:
        assert same(fast, slow), text


@pytest.mark.parametrize(
    "text",
    [
        "", "# nur ein Kommentar\n", "---\n", "a: 1\n", "- 1\n- 2\n", "x\n", "'x'\n",
        "a: [yes, no, on, off, true, False, ~, null, '', 1.5, .inf, -.inf, .nan, 1e3, 0x1F, 0b101, 1_000, 190:20:30]\n",
        "a: 2021-12-31\nb: 2021-12-31 10:00:00\nc: '2021-12-31'\n",
        "a: &x [1, 2]\nb: *x\nc: *x\n", "a: &s text\nb: *s\n", "a: &x {b: 1}\nc: [*x, *x]\n",
        "a: 1\na: 2\n", "a: 1\nb: {c: 1, c: 2}\n", "yes: 1\non: 2\n", "1: a\n'1': b\n",
        "a: 01100101\n", "a: '01100101'\n", "a: [0, 00, 007, +012, -0_1]\n", "0123: a\n", "a: 0.5\nb: 0\n",
        "a: &a [*a]\n", "a: *nirgends\n", "a: &x 1\nb: &x 2\n", "a: [1\n", "a: 1\n---\nb: 2\n",
        "<<: {a: 1}\nb: 2\n", "a: !!str 1\n", "a: !!binary aGFsbG8=\n", "a: !!python/name:os.system\n",
        "a: !eigen x\n", "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "a: =\n", "a: |\n  zwei\n  Zeilen\n", "a: >-\n  x\n",
        "a: " + "[" * 150 + "]" * 150 + "\n", "a: " + "[" * 1000 + "]" * 1000 + "\n",
        "\ufeffa: 1\n", "a: b: c\n", "a:\n  - b\n  -\n  - {c: }\n",
    ],
)
def test_fast_path_gives_the_slow_paths_data_or_leaves_the_file_to_it(text):
    check(text)


def test_alias_bomb_goes_the_slow_way():
    levels = [f'a: &a [{", ".join(["x"] * 9)}]']
    levels += [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")]
    with pytest.raises(_Slow):
        _parse_fast("\n".join(levels) + "\n")


scalars = st.one_of(
    st.sampled_from(["1", "0", "-3", "1.5", "yes", "No", "~", "null", "''", "'x'", '"0101"', "0101", ".inf",
                     "2021-01-01", "a b", "Ö-straße", "0x10", "+1", "1_0", '"a\\tb"']),
    st.text(alphabet="abc01 ._-", min_size=1, max_size=4).map(lambda s: '"' + s + '"'),
)
keys = st.sampled_from(["a", "b", "nr", "1", "'1'", "yes", "on", "0101", "'x y'"])
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(keys, inner), max_size=4).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(keys, values), max_size=5))
def test_fast_path_agrees_with_the_slow_path_on_generated_yaml(items):
    check("".join(f"{k}: {v}\n" for k, v in items))


MAPPING = default_mapping_path()
BASE = MAPPING.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("faktor: 100", "faktor: .inf", "„faktor“ muss eine positive Zahl sein"),
        ("faktor: 100", "faktor: 100\n    faktor: 10", "Der Schlüssel „faktor“ steht zweimal"),
        ("faktor: 100", "faktor: 0100", "Die Zahl 0100 beginnt mit einer Null"),
    ],
)
def test_errors_after_a_fast_load_name_the_line_of_the_slow_path(tmp_path, old, new, message):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    p = tmp_path / "zuordnung.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(p)
    assert message in info.value.message
    assert info.value.zeile == text[: text.index(new)].count("\n") + 1 + new.count("\n")


def test_lines_of_a_fast_load_are_found_only_when_asked(tmp_path, monkeypatch):
    calls = []
    slow = loader._parse_with_lines
    monkeypatch.setattr(loader, "_parse_with_lines", lambda *a: calls.append(1) or slow(*a))
    assert load_mapping(MAPPING).bezirke and calls == []
    line = BASE[: BASE.index("- {nr: 12,")].count("\n") + 1
    p = tmp_path / "zuordnung.yaml"
    p.write_text(BASE.replace("- {nr: 12,", "- {nr: 11,", 1), encoding="utf-8")
    with pytest.raises(MappingError, match="Bezirk 11 steht zweimal") as info:
        load_mapping(p)
    assert calls == [1] and info.value.zeile == line
    p.write_text(BASE.replace('aliase: ["Beutenberg",', 'aliase: ["Ammerbach", "Beutenberg",', 1), encoding="utf-8")
    with pytest.raises(MappingError, match=f"passt zu Bezirk 11 .„Ammerbach“, Zeile {line - 2}. und zu Bezirk 12") as info:
        load_mapping(p)
    assert info.value.zeile == line


@pytest.mark.parametrize("text", ["Planungsraum 0000001", "Alt-Stadt (Nord)", "", "!!", "A_b 1", "0101", "ÄÖÜß", "Ｆｕｌｌ"])
def test_name_key_ascii_shortcut_matches_the_unicode_rules(text):
    import unicodedata

    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold()
                              .replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))
    assert name_key(text) == "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch))
