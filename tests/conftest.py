import html
import os
import re
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

# the disclosure note as every output states it, and the "*" a reader sees
_NOTE = re.compile(r"Unterdrückt: (\d+) Zellen? primär, (\d+) sekundär")


def noted(text: str) -> list[int]:
    """P + S of every "Unterdrückt: P Zellen primär, S sekundär" in `text` (line breaks ignored)."""
    return [int(p) + int(s) for p, s in _NOTE.findall(" ".join(text.split()))]


def table_stars(text: str) -> int:
    """"*" cells of the terminal tables in `text` (rows start with │; the legend's „*“ is no cell)."""
    return sum(cell.strip() == "*" for line in text.splitlines() if line.startswith("│") for cell in line.split("│"))


def check_profile_pages(pages: list[Path]) -> int:
    """Every page's note counts exactly its "*" (table cells and the bar charts' labels); returns the total."""
    total = 0
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        stars = sum(c.strip() == "*" for c in re.findall(r"<td[^>]*>(.*?)</td>", text))
        stars += sum(c.strip() == "*" for c in re.findall(r"<text[^>]*>(.*?)</text>", text))
        (n,) = noted(text)
        assert n == stars, page.name
        total += stars
    return total

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


def formula_cells(path: Path) -> list[str]:
    """Cells of an xlsx file that hold a formula (read from the sheet XML itself)."""
    import re
    import zipfile

    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for chunk in xml.split("<c ")[1:]:
                    if re.search(r"<f[\s>/]", chunk.split("</c>")[0]):
                        found.append(f"{path.name}:{name}:{chunk[:40]}")
    return found


@pytest.fixture(scope="session", autouse=True)
def no_formula_in_any_workbook(tmp_path_factory):
    """After the session: no workbook written by any test contains a formula cell."""
    yield
    base = tmp_path_factory.getbasetemp()
    import zipfile

    workbooks = [p for p in base.rglob("*.xlsx") if p.is_file() and zipfile.is_zipfile(p)]
    found = [c for p in workbooks for c in formula_cells(p)]
    assert not found, f"Formeln in Arbeitsmappen: {found[:10]}"
