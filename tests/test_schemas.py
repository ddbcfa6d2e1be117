"""The schemas package leaves pandera's data-synthesis strategies out of a run (they would
import Hypothesis), without keeping Hypothesis from whoever imports it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

VALIDATE = (
    "from pipelines.reference.load import checked_frames, DEFAULT_REFERENCE\n"
    "checked_frames(DEFAULT_REFERENCE)\n"
)


@pytest.mark.parametrize("first, strategies", [
    ("", False),  # a run: validation does not import Hypothesis, which still imports afterwards
    ("import hypothesis\n", True),  # imported before: pandera is left to use it
])
def test_validation_imports_hypothesis_only_when_it_was_imported_before(first, strategies):
    pytest.importorskip("hypothesis")
    code = (
        f"import sys\n{first}{VALIDATE}"
        f"assert ('hypothesis' in sys.modules) == {strategies}, 'hypothesis imported'\n"
        "import hypothesis.strategies\n"
        "from pandera.strategies.base_strategies import HAS_HYPOTHESIS\n"
        f"assert HAS_HYPOTHESIS == {strategies}, HAS_HYPOTHESIS\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
