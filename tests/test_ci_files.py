"""The ready-made CI files stay valid and only run real rxqa commands."""
from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from pipelines.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _parse(command: str) -> None:
    """Parse an rxqa command line with the real CLI; raises on an unknown command or option."""
    words = shlex.split(command)
    assert words[0] == "rxqa"
    group, args = cli, words[1:]
    context = None
    while isinstance(group, click.Group):
        name, args = args[0], args[1:]
        sub = group.get_command(click.Context(group), name)
        assert sub is not None, f"unknown rxqa command {name!r} in {command!r}"
        group = sub
    context = group.make_context(group.name, args)
    assert context is not None


def test_github_workflow_runs_real_rxqa_commands():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "rxqa.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    commands = [line.strip() for run in runs for line in run.splitlines() if line.strip().startswith("rxqa ")]
    assert commands, "the workflow must run rxqa"
    for command in commands:
        _parse(command)
    uploads = [step for job in workflow["jobs"].values() for step in job["steps"] if "upload-sarif" in str(step.get("uses", ""))]
    assert uploads and uploads[0]["with"]["sarif_file"].endswith("results.sarif")
    # the page cache kept between runs is the folder rxqa uses, restored before the check
    from pipelines.config import load_settings

    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    [restore] = [i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache/restore")]
    [save] = [i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache/save")]
    check = next(i for i, step in enumerate(steps) if str(step.get("run", "")).startswith("rxqa check"))
    assert steps[restore]["with"]["path"] == steps[save]["with"]["path"] == load_settings(ROOT).cache_dir
    assert restore < check < save and steps[save]["if"] == "always()"


def test_pre_commit_hook_runs_a_real_command():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "rxqa"
    _parse(hooks[0]["entry"] + " page.html")


def test_unknown_option_is_caught():
    import pytest

    with pytest.raises(click.UsageError):
        _parse("rxqa check --no-such-flag")
