"""The README documents every command and option, and its CSV example is real output."""

import re

import typer
from typer.testing import CliRunner

from sozialraum_cli.cli.app import app

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented():
    group = typer.main.get_command(app)
    missing = []
    for opt in group.params:
        missing += [o for o in opt.opts if o.startswith("--") and f"`{o}" not in README]
    for name, command in group.commands.items():
        if f"sozialraum {name}" not in README:
            missing.append(name)
        for param in command.params:
            missing += [f"{name} {o}" for o in param.opts if o.startswith("--") and f"`{o}" not in README]
    assert missing == []


def test_readme_mentions_the_two_make_commands():
    assert "make demo" in README and "make test" in README


def test_readme_csv_example_is_real_output():
    block = re.search(r"```console\n\$ sozialraum (aggregate [^\n]*--format csv)\n(.*?)```", README, re.S)
    args = block.group(1).split()
    r = CliRunner().invoke(app, [a if not a.startswith("data/") else str(ROOT / a) for a in args])
    assert r.exit_code == 0
    assert r.stdout == block.group(2)


def test_readme_table_examples_are_real_output():
    blocks = re.findall(r"```console\n\$ sozialraum (aggregate [^\n]*)\n(.*?)```", README, re.S)
    tables = [(cmd, out) for cmd, out in blocks if "--format" not in cmd]
    assert len(tables) == 3
    for cmd, out in tables:
        args = [a if not a.startswith("data/") else str(ROOT / a) for a in cmd.split()] + ["--format", "table"]
        r = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert r.exit_code == 0
        assert r.stdout == out


def test_readme_compare_example_is_real_output():
    cmd, out = re.search(r"```console\n\$ sozialraum (compare [^\n]*)\n(.*?)…\n```", README, re.S).groups()
    args = [a if not a.startswith("data/") else str(ROOT / a) for a in cmd.split()] + ["--format", "table"]
    r = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert r.stdout.startswith(out)


def test_readme_maps_exist_and_are_pngs():
    import struct

    for name in ("karte_sozialraeume.png", "karte_planungsraeume.png"):
        assert f"docs/{name}" in README
        data = (ROOT / "docs" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1000, 800)


def test_readme_index_example_is_real_output():
    import shlex

    cmd, out = re.search(r"```console\n\$ sozialraum (index [^\n]*)\n(.*?)```", README, re.S).groups()
    args = [a if not a.startswith("data/") else str(ROOT / a) for a in shlex.split(cmd)] + ["--format", "table"]
    r = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0
    real = r.stdout.splitlines()
    pos = 0
    for line in out.splitlines():  # the excerpt's lines appear in this order; "…" leaves lines out
        if line == "…":
            continue
        pos = real.index(line, pos) + 1


def test_readme_command_reference_matches_help():
    """The section "Befehlsreferenz" is `--help` of every command; `make readme` regenerates it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    cli_reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_reference)
    assert cli_reference.START in README and cli_reference.END in README
    wanted = cli_reference.render(README)
    assert README == wanted, (
        "README.md passt nicht zu --help: bitte `make readme` ausführen. "
        "(The README's command reference drifted from --help: run make readme.)"
    )
    for path in cli_reference.commands():
        assert f"### `{' '.join(['sozialraum', *path, '--help'])}`" in README
    assert "(#befehlsreferenz)" in README.split("## Befehlsreferenz")[0]  # linked from "## Befehle"


def test_readme_option_tables_name_only_real_options():
    """The hand-written option tables under "## Befehle" do not promise options a command lacks."""
    group = typer.main.get_command(app)
    prose = README.split("## Befehlsreferenz")[0]
    sections = re.split(r"^### `sozialraum (\w+)", prose, flags=re.M)
    wrong = []
    for name, text in zip(sections[1::2], sections[2::2]):
        command = group.commands[name]
        real = {o for p in command.params for o in [*p.opts, *getattr(p, "secondary_opts", [])]}
        for line in text.split("\n## ")[0].splitlines():
            if line.startswith("| `"):
                wrong += [f"{name} {o}" for o in re.findall(r"--[a-z][a-z0-9-]*", line.split("|")[1]) if o not in real]
    assert len(sections) > 20 and wrong == []
