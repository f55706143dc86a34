"""Render `sozialraum --help` and `sozialraum CMD --help` into the README's command reference.

    python scripts/cli_reference.py          rewrite the section between the markers in README.md
    python scripts/cli_reference.py --check  exit 1 if README.md differs from the current --help

The text is rendered in-process at a fixed width of 88 columns, without colour, trailing spaces
stripped, so it is the same on every machine. `make readme` runs this script; tests/test_readme.py
fails when the README and --help drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START = "<!-- [[[cli-reference]]] -->"
END = "<!-- [[[end]]] -->"
WIDTH = 88
_ENV = {"COLUMNS": str(WIDTH), "TERMINAL_WIDTH": str(WIDTH), "NO_COLOR": "1", "FORCE_COLOR": None,
        "TERM": "dumb", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from sozialraum_cli.cli.app import app

    result = CliRunner().invoke(app, [*args, "--help"], env=_ENV, color=False)
    if result.exit_code != 0:
        raise SystemExit(f"sozialraum {' '.join(args)} --help: Exit-Code {result.exit_code}\n{result.output}")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def commands() -> list[list[str]]:
    """Every command path: the root, each command and, for groups, each sub-command."""
    import typer

    from sozialraum_cli.cli.app import app

    def walk(command, path: list[str]) -> list[list[str]]:
        paths = [path]
        for name, sub in getattr(command, "commands", {}).items():
            paths += walk(sub, [*path, name])
        return paths

    return walk(typer.main.get_command(app), [])


def reference() -> str:
    """The generated section (without the markers)."""
    parts = [
        "",
        "<!-- Dieser Abschnitt wird aus `--help` erzeugt: `make readme`. Bitte nicht von Hand ändern. -->",
        "",
    ]
    for path in commands():
        title = " ".join(["sozialraum", *path, "--help"])
        parts += [f"### `{title}`", "", "```text", _help(path), "```", ""]
    return "\n".join(parts)


def render(readme: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md: die Marken {START} … {END} fehlen.")
    return pattern.sub(lambda _: START + "\n" + reference() + END, readme, count=1)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if current != wanted:
            print("README.md passt nicht zu --help: bitte `make readme` ausführen (run make readme).", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: Befehlsreferenz neu geschrieben.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
