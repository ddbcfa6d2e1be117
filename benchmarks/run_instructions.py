"""The instructions of one whole `rxqa check`, counted by valgrind:

    python benchmarks/run_instructions.py SITE [--base REV]

One process (--jobs 1), an empty cache of its own, no Data Docs: start-up, the reference,
every page, the rules and the reports, so the run's fixed costs are counted too, which
per_page.py leaves out. On a small site (100 pages) they are most of the count. Like
per_page.py --callgrind, the count does not move with the machine's load, so two versions
can be compared on a shared machine: with --base, REV is checked out into a temporary
worktree and counted the same way, each version with its own reference folder, both with
this interpreter and its packages, byte-compiled first as an install leaves them."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import private_config  # noqa: E402
from measures import site_files  # noqa: E402


def instructions(code: Path, site: Path, work: Path) -> int:
    """The instructions valgrind counts for `rxqa check SITE` with the rxqa at `code`."""
    config = private_config(work / "config")
    settings = (config / "pyproject.toml").read_text(encoding="utf-8")
    reference = f"reference = {json.dumps(str(code / 'data' / 'reference'))}"
    (config / "pyproject.toml").write_text(re.sub(r"(?m)^reference = .*$", lambda _: reference, settings), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "pipelines"), str(code / "schemas")], check=True)
    env = dict(os.environ, PYTHONPATH=str(code), PYTHONHASHSEED="0")
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-m", "pipelines.cli", "check", str(site),
               "--out", str(work / "out"), "--no-data-docs", "--jobs", "1", "--fail-on", "never", "-q"]
    done = subprocess.run(command, cwd=config, env=env, capture_output=True, text=True)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or counted is None:
        sys.exit(f"run_instructions.py: the check under valgrind failed:\n{done.stderr[-2000:]}")
    return int(counted.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--base", help="a git revision to count as well")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("run_instructions.py: needs valgrind (apt-get install valgrind)")
    pages = len(site_files(args.site.resolve()))
    work = Path(tempfile.mkdtemp(prefix="rxqa-run-instructions-"))
    try:
        versions = {"working tree": (HERE.parent, work / "head")}
        if args.base:
            added = subprocess.run(["git", "worktree", "add", "--detach", str(work / "rev"), args.base], cwd=HERE.parent, capture_output=True, text=True)
            if added.returncode != 0:
                sys.exit(f"run_instructions.py: cannot check out {args.base}: {added.stderr.strip()}")
            versions[args.base] = (work / "rev", work / "rev-run")
        counts = {name: instructions(code, args.site.resolve(), folder) for name, (code, folder) in versions.items()}
        for name, count in counts.items():
            print(f"{name}: {count / 1e9:.3f} billion instructions for {pages} pages ({count / max(1, pages) / 1e6:.1f} million a page, fixed costs included)")
        if args.base:
            change = counts["working tree"] - counts[args.base]
            print(f"working tree against {args.base}: {change / 1e9:+.3f} billion ({change / counts[args.base]:+.1%})")
    finally:
        if args.base:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "rev")], cwd=HERE.parent, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
