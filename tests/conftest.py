import os
from pathlib import Path

import pytest

from sozialraum_cli.mapping import load_mapping

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DATA = Path(__file__).resolve().parent / "data"
HAUSHALTE = RAW / "privathaushalte_2006-2016.csv"
BEISPIEL = RAW / "beispiel_2021.csv"
REFERENZ = RAW / "jena-bezirke-referenz.csv"
MINI = DATA / "mini.yaml"

os.environ.setdefault("COLUMNS", "200")


@pytest.fixture(scope="session")
def jena():
    return load_mapping()


@pytest.fixture(scope="session")
def mini():
    return load_mapping(MINI)


@pytest.fixture
def write(tmp_path):
    """Write a test file (text in the given encoding, or bytes) and return its path."""

    def _write(name: str, content, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path

    return _write


@pytest.fixture
def run():
    """Invoke the CLI in-process (typer's CliRunner) at 200 columns, without colour."""
    from typer.testing import CliRunner

    from sozialraum_cli.cli.app import app

    runner = CliRunner()

    def _run(*args):
        return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})

    return _run
