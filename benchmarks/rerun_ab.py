"""Rerun time of two versions of rxqa, interleaved on the same machine state:

    python benchmarks/rerun_ab.py SITE --base REV [--reps 2]
    python benchmarks/rerun_ab.py SITE --base REV --reruns 8
    python benchmarks/rerun_ab.py SITE --base REV --reruns 3 --upgrade

For each repetition and each version (the working tree and REV, checked out into a
temporary worktree, alternating which goes first): a copy of SITE, a cold check into a
fresh output folder and cache, 1% of the pages edited as bench.py --incremental edits them,
then the timed rerun. With --reruns K, each version's cold check and edits are made once,
the cache and the outputs saved, and K reruns of each version are timed in turn, each from
that saved state, with the CPU seconds (user and system) of the rerun and its processes:
less noise for the rerun alone. With --upgrade (and --reruns), each version's cold check is
made by a previous build of it (a copy whose code differs by one comment): every page's cache
key then moves, as after an upgrade of rxqa or of pandas or pandera, and the timed runs read every
page again, prune the previous build's outcomes and compare with its outputs.
Both versions run with this interpreter and its packages,
so only rxqa's own code differs. A shared machine's speed drifts by more than many changes
are worth; alternating the two keeps that drift out of the comparison."""
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
from bench import byte_compile, private_config, revision  # noqa: E402
from edits import add_pages, change_pages  # noqa: E402


def timed_check(code: Path, site: Path, out: Path, config: Path) -> tuple[float, float, float]:
    """Wall seconds of one check, and the user and system CPU seconds of it and its processes."""
    env = dict(os.environ, PYTHONPATH=str(code))
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "check", str(site), "--out", str(out), "--no-data-docs", "-q"],
                          cwd=config, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode not in (0, 1):
        raise SystemExit(f"{code}: rxqa check failed: {done.stderr.strip().splitlines()[-1:]}")
    return wall, after.children_user - before.children_user, after.children_system - before.children_system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--base", required=True, help="the git revision to compare the working tree with")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--reruns", type=int, default=0, help="one cold check per version, then this many reruns of each from its saved state")
    ap.add_argument("--new-pages", type=int, default=0, help="pages added besides the 1%% edited (bench.add_pages)")
    ap.add_argument("--upgrade", action="store_true", help="with --reruns: the cold check by a previous build of each version")
    args = ap.parse_args()
    if args.upgrade and not args.reruns:
        ap.error("--upgrade needs --reruns")
    work = Path(tempfile.mkdtemp(prefix="rxqa-rerun-ab-"))
    byte_compile(HERE.parent)
    times: dict[str, list[dict]] = {"base": [], "head": []}
    try:
        with revision(args.base, work / "base") as base:
            versions = {"base": base, "head": HERE.parent}
            if args.reruns:
                reruns(args.site, versions, work, args.reruns, times, args.new_pages, args.upgrade)
            for rep in range(0 if args.reruns else args.reps):
                for name in (("base", "head") if rep % 2 == 0 else ("head", "base")):
                    folder = work / f"{name}-{rep}"
                    site = folder / "site"
                    shutil.copytree(args.site, site)
                    config = private_config(folder / "config")
                    cold = timed_check(versions[name], site, folder / "out", config)[0]
                    changed = len(change_pages(site, 0.01)) + add_pages(site, args.new_pages)
                    rerun = timed_check(versions[name], site, folder / "out", config)[0]
                    times[name].append({"cold": round(cold, 2), "rerun": round(rerun, 2), "changed": changed})
                    print(f"{name} (rep {rep + 1}): cold {cold:.2f} s, rerun after {changed} edited pages {rerun:.2f} s", flush=True)
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(times))


def previous_build(code: Path, folder: Path) -> Path:
    """A copy of the rxqa at `code` that differs by one comment: another code digest, the same behaviour
    (the comment is in a module neither the reference's stamp nor the shipped verdicts cover)."""
    for part in ("pipelines", "schemas", "data"):
        shutil.copytree(code / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    with open(folder / "pipelines" / "run.py", "a", encoding="utf-8") as init:
        init.write("\n# the build before an upgrade (benchmarks/rerun_ab.py --upgrade)\n")
    byte_compile(folder)
    return folder


def reruns(site_given: Path, versions: dict[str, Path], work: Path, count: int, times: dict[str, list[dict]], new_pages: int = 0,
           upgrade: bool = False) -> None:
    saved = {}
    for name, code in versions.items():
        folder = work / name
        site, config, out = folder / "site", private_config(folder / "config"), folder / "out"
        shutil.copytree(site_given, site)
        timed_check(previous_build(code, folder / "previous") if upgrade else code, site, out, config)
        changed = len(change_pages(site, 0.01)) + add_pages(site, new_pages)
        shutil.copytree(config / "cache", folder / "cache.saved")
        shutil.copytree(out, folder / "out.saved")
        saved[name] = (site, config, out, changed)
    for rep in range(count):
        for name in (("base", "head") if rep % 2 == 0 else ("head", "base")):
            site, config, out, changed = saved[name]
            folder = site.parent
            for kept, live in ((folder / "cache.saved", config / "cache"), (folder / "out.saved", out)):
                shutil.rmtree(live)
                shutil.copytree(kept, live)
            wall, user, system = timed_check(versions[name], site, out, config)
            times[name].append({"rerun": round(wall, 2), "user": round(user, 2), "system": round(system, 2), "changed": changed})
            print(f"{name} (rerun {rep + 1}{', after an upgrade' if upgrade else ''}): after {changed} edited pages {wall:.2f} s, CPU {user:.2f} user + {system:.2f} system", flush=True)
    for name, runs in times.items():
        walls = sorted(r["rerun"] for r in runs)
        print(f"{name}: median {walls[len(walls) // 2]:.2f} s, mean {sum(walls) / len(walls):.2f} s, "
              f"mean CPU {sum(r['user'] + r['system'] for r in runs) / len(runs):.2f} s", flush=True)


if __name__ == "__main__":
    main()
