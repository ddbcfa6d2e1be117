"""pandera's data-synthesis strategies, which would import Hypothesis, are left out of a check
(schemas.leave_out_pandera_strategies), without keeping Hypothesis or them from anyone else."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import cli, fresh_python

ROOT = Path(__file__).resolve().parents[1]

VALIDATE = (
    "from pipelines.reference.load import checked_frames, DEFAULT_REFERENCE\n"
    "checked_frames(DEFAULT_REFERENCE)\n"
)

LEAVE_OUT = (
    "from schemas import leave_out_pandera_strategies\nleave_out_pandera_strategies()\n"
    "assert 'pandera' not in sys.modules, 'pandera imported before anything is validated'\n"
)


@pytest.mark.parametrize("first, strategies", [
    (LEAVE_OUT, False),  # as `rxqa check` does
    ("", True),  # the schemas imported as a library: pandera as it comes
    (f"import hypothesis\n{LEAVE_OUT}", True),
    ("import schemas.tables\n" + LEAVE_OUT.replace("assert 'pandera' not", "assert 'pandera'"), False),  # asked once pandera is in
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
    run = fresh_python(code)
    assert run.returncode == 0, run.stderr


def test_a_check_from_the_command_line_never_imports_hypothesis(tmp_path):
    pytest.importorskip("hypothesis")
    run = cli("check", "data/content", "--no-data-docs", "--out", str(tmp_path / "out"), "--no-cache", "--fail-on", "never", "-q",
              options=("-X", "importtime"))
    assert run.returncode == 0, run.stderr[-2000:]
    imported = _imported(run.stderr)
    assert {"pandera", "pandera.backends.pandas.builtin_checks"} <= imported  # it validated
    assert "hypothesis" not in imported


def _imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_a_check_and_its_rerun_from_the_command_line_import_no_pandera(tmp_path):
    """Leaving the strategies out imports nothing by itself: a cold run answers for its rows from
    the verdicts rxqa ships, a rerun whose pages are all stored validates nothing, and neither
    process imports pandas or pandera."""
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.rxqa]\nreference = "{(ROOT / "data" / "reference").as_posix()}"\ncache-dir = "{(tmp_path / "cache").as_posix()}"\n',
        encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's code, whatever the folder the run starts in
    runs = [cli("check", str(ROOT / "data" / "content"), "--no-data-docs", "--out", str(tmp_path / "out"), "--fail-on", "never", "-q",
                cwd=tmp_path, env=env, options=("-X", "importtime")) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr[-2000:]
    assert not {"pandas", "pandera", "hypothesis"} & (_imported(runs[0].stderr) | _imported(runs[1].stderr))


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
        "import schemas.reference\n"
        "builtins.__import__ = real\n"
        "assert not [n for n in sys.modules if n.startswith('pandera.strategies')], sorted(n for n in sys.modules if 'strateg' in n)\n"
        "assert 'hypothesis' not in sys.modules\n"
        f"{VALIDATE}"
        "from pandera.strategies.base_strategies import HAS_HYPOTHESIS\n"
        "assert HAS_HYPOTHESIS\n"
    )
    run = fresh_python(code)
    assert run.returncode == 0, run.stderr
