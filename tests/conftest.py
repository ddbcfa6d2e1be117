from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def fresh_python(code: str) -> subprocess.CompletedProcess:
    """`code` run in a fresh interpreter (nothing imported yet), from the project's root."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def cli(*args: str, cwd: Path = ROOT, env: dict | None = None, options: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`rxqa *args` in a process of its own (`options` for the interpreter, such as -X importtime)."""
    return subprocess.run([sys.executable, *options, "-m", "pipelines.cli", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="session")
def reference():
    from pipelines.reference.load import load_reference

    return load_reference(ROOT / "data" / "reference")


@pytest.fixture(scope="session")
def linker(reference):
    from pipelines.link import Linker

    return Linker(reference)


@pytest.fixture(scope="session")
def chrome():
    from pipelines.ingest import ChromeRules

    return ChromeRules.load()


@pytest.fixture(scope="session")
def sample_run():
    from pipelines import check

    return check([ROOT / "data" / "content"], reference=str(ROOT / "data" / "reference"), market="CA")


@pytest.fixture
def extract_text(linker, chrome):
    """Extract one page written inline: extract_text(source, fmt='text')."""
    from pipelines.extract import extract_document
    from pipelines.ingest import parse_source

    def run(source: str, fmt: str = "text", page: str = "page.txt"):
        return extract_document(parse_source(page, source, fmt, chrome), linker)

    return run


@pytest.fixture
def site(tmp_path):
    """A copy of the test corpus and the sample content, to edit (tests/corpus/pages, data/content)."""
    folder = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "corpus" / "pages", folder / "corpus")
    shutil.copytree(ROOT / "data" / "content", folder / "content")
    return folder


@pytest.fixture
def unbundled_verdicts(monkeypatch):
    """Runs without the verdicts rxqa ships (as after a change to the schemas): for a test that
    changes a schema, or that has SC001 learn its verdicts from pandera."""
    import pipelines.bundled_verdicts

    monkeypatch.setattr(pipelines.bundled_verdicts, "load", lambda: None)


@pytest.fixture
def pandera_checks(monkeypatch) -> list[int]:
    """The number of pages of each chunk of rows the run's row checks send to pandera (RowChecks)."""
    import pipelines.row_checks

    checked: list[int] = []
    real = pipelines.row_checks.run_row_rules
    monkeypatch.setattr(pipelines.row_checks, "run_row_rules", lambda ctx, codes, pages, columns: checked.append(len(pages)) or real(
        ctx, codes, pages, columns))
    return checked
