"""Rerun time of two versions of rxqa, interleaved on the same machine state:

    python benchmarks/rerun_ab.py SITE --base REV [--reps 2]

For each repetition and each version (the working tree and REV, checked out into a
temporary worktree, alternating which goes first): a copy of SITE, a cold check into a
fresh output folder and cache, 1% of the pages edited as bench.py --incremental edits them,
then the timed rerun. Both versions run with this interpreter and its packages, so only
rxqa's own code differs. A shared machine's speed drifts by more than many changes are
worth; alternating the two keeps that drift out of the comparison."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import change_pages, private_config  # noqa: E402


def timed_check(code: Path, site: Path, out: Path, config: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(code))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", str(site), "--out", str(out), "--no-data-docs", "-q"],
                          cwd=config, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{code}: rxqa check failed: {done.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--base", required=True, help="the git revision to compare the working tree with")
    ap.add_argument("--reps", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rxqa-rerun-ab-"))
    base = work / "base"
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=HERE.parent, check=True, capture_output=True)
    versions = {"base": base, "head": HERE.parent}
    for code in versions.values():  # byte-compiled, as a regular install leaves them
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "pipelines"), str(code / "schemas")], check=True)
    times: dict[str, list[dict]] = {name: [] for name in versions}
    try:
        for rep in range(args.reps):
            for name in (("base", "head") if rep % 2 == 0 else ("head", "base")):
                folder = work / f"{name}-{rep}"
                site = folder / "site"
                shutil.copytree(args.site, site)
                config = private_config(folder / "config")
                cold = timed_check(versions[name], site, folder / "out", config)
                changed = change_pages(site, 0.01)
                rerun = timed_check(versions[name], site, folder / "out", config)
                times[name].append({"cold": round(cold, 2), "rerun": round(rerun, 2), "changed": changed})
                print(f"{name} (rep {rep + 1}): cold {cold:.2f} s, rerun after {changed} edited pages {rerun:.2f} s", flush=True)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=HERE.parent, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(times))


if __name__ == "__main__":
    main()
