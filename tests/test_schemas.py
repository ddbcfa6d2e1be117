"""pandera's data-synthesis strategies, which would import Hypothesis, are left out of a check
(schemas.leave_out_pandera_strategies), without keeping Hypothesis or them from anyone else."""
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


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("first, strategies", [
    ("from schemas import leave_out_pandera_strategies\nleave_out_pandera_strategies()\n", False),  # as `rxqa check` does
    ("", True),  # the schemas imported as a library: pandera as it comes
    ("import hypothesis\nfrom schemas import leave_out_pandera_strategies\nleave_out_pandera_strategies()\n", True),
])
def test_validation_imports_hypothesis_unless_the_strategies_were_left_out(first, strategies):
    pytest.importorskip("hypothesis")
    code = (
        f"import sys\n{first}{VALIDATE}"
        f"assert ('hypothesis' in sys.modules) == {strategies}, 'hypothesis imported'\n"
        "import hypothesis.strategies\n"  # imports as usual whatever was done
        "from pandera.strategies.base_strategies import HAS_HYPOTHESIS\n"
        f"assert HAS_HYPOTHESIS == {strategies}, HAS_HYPOTHESIS\n"
    )
    run = _python(code)
    assert run.returncode == 0, run.stderr


def test_a_check_from_the_command_line_never_imports_hypothesis(tmp_path):
    pytest.importorskip("hypothesis")
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipelines.cli", "check", "data/content", "--no-data-docs",
                          "--out", str(tmp_path / "out"), "--no-cache", "--fail-on", "never", "-q"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert {"pandera", "pandera.backends.pandas.builtin_checks"} <= imported  # it validated
    assert "hypothesis" not in imported


def test_strategies_that_fail_to_import_are_left_to_import_afresh():
    """A pandera whose strategies fail half-way (after their base module is imported without
    Hypothesis): none of them is kept, so that pandera imports them afresh later, with it."""
    pytest.importorskip("hypothesis")
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def failing(name, *args, **kwargs):\n"
        "    if name == 'pandera.strategies.constraints':\n"
        "        raise RuntimeError('laid out otherwise')\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = failing\n"
        "from schemas import leave_out_pandera_strategies\n"
        "leave_out_pandera_strategies()\n"
        "builtins.__import__ = real\n"
        "assert not [n for n in sys.modules if n.startswith('pandera.strategies')], sorted(n for n in sys.modules if 'strateg' in n)\n"
        "assert 'hypothesis' not in sys.modules\n"
        f"{VALIDATE}"
        "from pandera.strategies.base_strategies import HAS_HYPOTHESIS\n"
        "assert HAS_HYPOTHESIS\n"
    )
    run = _python(code)
    assert run.returncode == 0, run.stderr
