"""The instructions of one whole `rxqa check`, counted by valgrind:

    python benchmarks/run_instructions.py SITE [--base REV] [--reference DIR]

One process (--jobs 1), an empty cache of its own, no Data Docs: start-up, the reference,
every page, the rules and the reports, so the run's fixed costs are counted too, which
per_page.py leaves out. On a small site (100 pages) they are most of the count. Like
per_page.py --callgrind, the count does not move with the machine's load, so two versions
can be compared on a shared machine: with --base, REV is checked out into a temporary
worktree and counted the same way, each version with its own reference folder (or, for the
working tree, DIR: a copy of it without its stamp counts what the stamp saves), both with
this interpreter and its packages, byte-compiled first as an install leaves them."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import byte_compile, callgrind, private_config, revision  # noqa: E402
from measures import site_files  # noqa: E402


def instructions(code: Path, reference: Path, site: Path, work: Path) -> int:
    """The instructions valgrind counts for `rxqa check SITE` with the rxqa at `code` and the reference folder `reference`."""
    config = private_config(work / "config")
    settings = (config / "pyproject.toml").read_text(encoding="utf-8")
    line = f"reference = {json.dumps(str(reference))}"
    (config / "pyproject.toml").write_text(re.sub(r"(?m)^reference = .*$", lambda _: line, settings), encoding="utf-8")
    command = [sys.executable, "-m", "pipelines.cli", "check", str(site), "--out", str(work / "out"), "--no-data-docs", "--jobs", "1",
               "--fail-on", "never", "-q"]
    return callgrind(command, ["--callgrind-out-file=/dev/null"], dict(os.environ, PYTHONPATH=str(code), PYTHONHASHSEED="0"), config)[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--base", help="a git revision to count as well")
    ap.add_argument("--reference", type=Path, help="the working tree's reference folder (default: its data/reference)")
    args = ap.parse_args()
    site = args.site.resolve()
    pages = len(site_files(site))
    work = Path(tempfile.mkdtemp(prefix="rxqa-run-instructions-"))
    try:
        with ExitStack() as stack:
            byte_compile(HERE.parent)
            versions = {"working tree": (HERE.parent, (args.reference or HERE.parent / "data" / "reference").resolve(), work / "head")}
            if args.base:
                base = stack.enter_context(revision(args.base, work / "rev"))
                versions[args.base] = (base, base / "data" / "reference", work / "rev-run")
            counts = {name: instructions(code, reference, site, folder) for name, (code, reference, folder) in versions.items()}
        for name, count in counts.items():
            print(f"{name}: {count / 1e9:.3f} billion instructions for {pages} pages ({count / max(1, pages) / 1e6:.1f} million a page, fixed costs included)")
        if args.base:
            change = counts["working tree"] - counts[args.base]
            print(f"working tree against {args.base}: {change / 1e9:+.3f} billion ({change / counts[args.base]:+.1%})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
