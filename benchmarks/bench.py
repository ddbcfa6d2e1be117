"""Benchmark rxqa on generated sites, or on any folder of pages: per-stage profile, end-to-end
`rxqa check`, the bare-parse floor and a peer, all measured in the same run.

    python benchmarks/bench.py --pages 1000 10000 [--pages 100000] [--jobs N] [--keep DIR]
                               [--incremental] [--no-data-docs] [--seed S]
    python benchmarks/bench.py --site FOLDER [--site FOLDER2] [...]   # any folder of pages, as it is

Each measurement runs in its own child process (measures.py), so every
peak RSS figure is that process's own high-water mark (os.wait4 / ru_maxrss).
Results are printed and written to benchmarks/results/<timestamp>.json.
"""
from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from generate_site import add_site_options, check_site_options, generate, planted_path
from edits import change_pages, gained_a_finding, page_findings
from measures import FORMATS, site_files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
RXQA = str(Path(PY).parent / "rxqa") if (Path(PY).parent / "rxqa").exists() else "rxqa"


# ---------------------------------------------------------------- parent
def run_child(cmd: list[str], cwd: Path = ROOT) -> dict:
    """Run one command; wall seconds, peak RSS of the process (largest of its waited-for children too), exit code, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        text, error = out.read().decode(), err.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{error[-2000:]}")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "rc": proc.returncode, "stdout": text, "stderr": error}


def byte_compile(code: Path) -> None:
    """The rxqa at `code`, byte-compiled as a regular install leaves it: an editable install compiles
    rxqa's modules at their first import, and where PYTHONDONTWRITEBYTECODE is set, at every one."""
    for folder in ("pipelines", "schemas"):
        compileall.compile_dir(code / folder, quiet=1)


@contextmanager
def revision(rev: str, folder: Path):
    """Revision `rev` of this repository checked out at `folder` (a git worktree) and byte-compiled;
    removed on leaving. A revision git cannot check out ends the script with git's message."""
    added = subprocess.run(["git", "worktree", "add", "--detach", str(folder), rev], cwd=ROOT, capture_output=True, text=True)
    if added.returncode != 0:
        sys.exit(f"{Path(sys.argv[0]).name}: cannot check out {rev}: {added.stderr.strip()}")
    try:
        byte_compile(folder)
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)


def callgrind(command: list[str], options: list[str], env: dict, cwd: Path | None = None) -> tuple[str, int]:
    """`command` run under valgrind's callgrind with `options`: what it printed, and the
    instructions counted. A missing valgrind or a failed run ends the script with why."""
    script = Path(sys.argv[0]).name
    if shutil.which("valgrind") is None:
        sys.exit(f"{script}: needs valgrind (apt-get install valgrind)")
    done = subprocess.run(["valgrind", "--tool=callgrind", *options, *command], cwd=cwd, env=env, capture_output=True, text=True)
    counted = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or counted is None:
        sys.exit(f"{script}: the run under valgrind failed:\n{done.stderr[-2000:]}")
    return done.stdout, int(counted.group(1))


PEER_MISSING = "pip install -e '.[bench]' (drug-named-entity-recognition)"


def worker(kind: str, site: Path, out: Path, opts: dict) -> dict:
    """One measurement of measures.py, in a process of its own."""
    child = run_child([PY, str(HERE / "measures.py"), kind, str(site), str(out), json.dumps(opts)])
    lines = child["stdout"].strip().splitlines()
    if child["rc"] != 0 or not lines:
        raise SystemExit(f"bench.py: measuring the {kind} failed:\n{child['stderr'][-2000:]}")
    return json.loads(lines[-1]) | {"wall": child["seconds"]}


def private_config(folder: Path) -> Path:
    """A folder whose pyproject.toml is the project's [tool.rxqa] with absolute paths and a
    cache of its own (folder/cache), so that no run reuses another's cache."""
    import tomllib

    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("rxqa", {})
    absolute = lambda v: v if not v or Path(v).is_absolute() else str(ROOT / v)  # noqa: E731
    for key in ("content", "reference", "out", "waivers", "baseline"):
        if key in table:
            table[key] = [absolute(x) for x in table[key]] if isinstance(table[key], list) else absolute(table[key])
    table["cache-dir"] = str(folder / "cache")
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[tool.rxqa]"] + [f"{k} = {json.dumps(v)}" for k, v in table.items()]
    (folder / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def rxqa_check(site: Path, out: Path, extra: list[str], config: Path) -> dict:
    """One `rxqa check`; with --timings among `extra`, its phases too (`phases`)."""
    child = run_child([RXQA, "check", str(site), "--out", str(out), "--no-data-docs", "-q", *extra], cwd=config)
    found = {k: v for k, v in child.items() if k not in ("stdout", "stderr")} | {"summary": child["stdout"].strip().splitlines()[:1]}
    if "--timings" in extra:
        found["phases"] = phases(child["stderr"])
    return found


_STAGE = re.compile(r"  (\S+) +([\d.]+)(?:  cpu +([\d.]+), the workers' ([\d.]+))?")
_REPORT = re.compile(r"    (\S+) +([\d.]+)  cpu +([\d.]+)(?:  \(kernel ([\d.]+), (\d+) pages faulted in\))?")
_ROWS = re.compile(r"    row checks +cpu +([\d.]+).*")


def phases(stderr: str) -> dict:
    """`rxqa check --timings` lines as {stage: seconds} (the pages' CPU as pages_cpu and
    workers_cpu, the row checks' as rows_cpu) and, for each report, {name: [wall, cpu, kernel
    cpu, pages faulted in]} (the last two when the check tells them)."""
    found: dict = {"reports_by_writer": {}}
    for line in stderr.splitlines():
        if report := _REPORT.fullmatch(line):
            found["reports_by_writer"][report[1]] = [float(report[2]), float(report[3])] + (
                [float(report[4]), int(report[5])] if report[4] else [])
        elif rows := _ROWS.fullmatch(line):
            found["rows_cpu"] = float(rows[1])
        elif stage := _STAGE.fullmatch(line):
            found[stage[1]] = float(stage[2])
            if stage[3]:
                found[f"{stage[1]}_cpu"], found["workers_cpu"] = float(stage[3]), float(stage[4])
    return found


def phase_line(found: dict) -> str:
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in found.items() if not isinstance(seconds, dict))
    writers = ", ".join(f"{name} {figures[0]:.2f}" for name, figures in found["reports_by_writer"].items())
    return f"{stages} s (reports: {writers})"


def check_flags() -> str:
    return subprocess.run([RXQA, "check", "--help"], capture_output=True, text=True, cwd=ROOT).stdout


def ensure_site(keep: Path, pages: int, seed: int, varied: float = 0.0, long: int = 1, frame: int = 0) -> Path:
    site = keep / (f"site-{pages}-s{seed}" + (f"-v{varied:g}" if varied else "") + (f"-l{long}" if long > 1 else "") + (f"-f{frame}" if frame else ""))
    meta = planted_path(site)
    if not (meta.is_file() and json.loads(meta.read_text())["pages"] == pages):
        shutil.rmtree(site, ignore_errors=True)
        started = time.perf_counter()
        generate(pages, site, seed, varied=varied, long=long, frame=frame)
        print(f"generated {site} in {time.perf_counter() - started:.1f} s")
    return site


def sorted_findings(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [rows[0]] + sorted(rows[1:]) if rows else []


def incremental(site: Path, work: Path, extra: list[str], no_cache: bool, generated: bool = True) -> dict:
    copy, out, cold_out = work / "incr-site", work / "incr-out", work / "incr-cold-out"
    for p in (copy, out, cold_out):
        shutil.rmtree(p, ignore_errors=True)
    shutil.copytree(site, copy)
    config = private_config(work / "incr-config")
    first = rxqa_check(copy, out, extra, config)
    unchanged = rxqa_check(copy, out, extra, config)
    before = page_findings(out / "findings.csv")
    changed = change_pages(copy, 0.01, generated)
    rerun = rxqa_check(copy, out, extra, config)
    found_new = len(gained_a_finding(before, page_findings(out / "findings.csv"), [path.relative_to(copy).as_posix() for path in changed]))
    cache = config / "cache"
    cache_mb = {part: round(sum(f.stat().st_size for f in (cache / part).rglob("*") if f.is_file()) / 1e6, 1)
                if (cache / part).is_dir() else round((cache / part).stat().st_size / 1e6, 1) if (cache / part).exists() else 0.0
                for part in ("pages.sqlite", "pieces")}
    cold = rxqa_check(copy, cold_out, extra + (["--no-cache"] if no_cache else []), private_config(work / "cold-config"))
    same = sorted_findings(out / "findings.csv") == sorted_findings(cold_out / "findings.csv")
    shutil.rmtree(copy, ignore_errors=True)
    return {"changed_pages": len(changed), "changed_pages_with_a_new_finding": found_new, "cold": first, "unchanged_rerun": unchanged, "rerun": rerun, "cold_after_change": cold, "rerun_findings_equal_cold": same,
            "cache_mb": cache_mb}


def row(name: str, seconds: float, pages: int, mb: float, rss: float | None) -> str:
    rate = lambda n: f"{n / seconds:10.1f}" if seconds > 0 else f"{'-':>10}"  # noqa: E731
    return f"{name:<28}{seconds:9.2f}{rate(pages)}{rate(mb)}{rss if rss is None else round(rss):>12}"


def bench_site(site: Path, args, keep: Path, flags: str, generated: bool = True) -> dict:
    """Every measurement on one folder of pages: a site generated here, or any other (`generated`
    False: `--site`)."""
    files = site_files(site)
    mb = sum(p.stat().st_size for p in files) / 1e6
    for p in files:  # warm the page cache so that every measurement reads from memory
        p.read_bytes()
    extra = ["--jobs", str(args.jobs)] if args.jobs and "--jobs" in flags else []
    extra += ["--timings"] if "--timings" in flags else []  # rxqa of session 8 on
    work = keep / f"work-{len(files)}"
    shutil.rmtree(work, ignore_errors=True)
    res: dict = {"site": str(site), "pages": len(files), "mb": mb, "load_before": os.getloadavg()}
    res |= {"seed": args.seed, "varied": args.varied, "long": args.long, "frame": args.frame} if generated else {}
    floors, checks = [], []
    for i in range(args.repeat):  # interleaved, each check cold (its own empty cache and output folder)
        floors.append(worker("floor", site, work, {}))
        checks.append(rxqa_check(site, work / f"check-out-{i}", extra, private_config(work / f"check-config-{i}")))
    res["floor"] = min(floors, key=lambda r: r["seconds"])
    res["check"] = min(checks, key=lambda r: r["seconds"])
    res["floor_runs"] = [r["seconds"] for r in floors]
    res["check_runs"] = [r["seconds"] for r in checks]
    res["peer"] = worker("peer", site, work, {}) if args.peer else None
    res["stages"] = worker("stages", site, work / "stage-out", {"data_docs": args.data_docs})
    res["check"]["args"] = extra
    res["ratio"] = res["check"]["seconds"] / res["floor"]["seconds"]
    if args.incremental:
        res["incremental"] = incremental(site, work, extra, "--no-cache" in flags, generated)
    res["load_after"] = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)

    n = len(files)
    shape = [f"--varied {args.varied:g}"] if args.varied else []
    shape += [f"--long {args.long}"] if args.long > 1 else []
    shape += [f"--frame {args.frame}"] if args.frame else []
    where = "".join(f", {part}" for part in shape) if generated else f", {site}"
    print(f"\n== {n} pages, {mb:.1f} MB{where} (load average {res['load_before'][0]:.1f} -> {res['load_after'][0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'stage (in-process, serial)':<28}{'seconds':>9}{'pages/s':>10}{'MB/s':>10}{'peak RSS MB':>12}")
    for s in res["stages"]["stages"]:
        print(row(s["stage"], s["seconds"], n, mb, s["rss_mb"]))
    total = sum(s["seconds"] for s in res["stages"]["stages"] if not s["stage"].startswith(" "))
    print(row("in-process total", total, n, mb, res["stages"]["rss_mb"]))
    print("-" * 69)
    c = res["check"]
    print(row("rxqa check " + (" ".join(extra) or "(default jobs)"), c["seconds"], n, mb, c["rss_mb"]))
    print(row("floor: lexbor parse + text", res["floor"]["seconds"], n, mb, res["floor"]["rss_mb"]))
    if res["peer"] is not None:
        print(row("peer: find_drugs", res["peer"]["seconds"], n, mb, res["peer"]["rss_mb"])
              + f"  (+{res['peer']['load_seconds']:.1f} s load)")
    else:
        print(f"peer: find_drugs             not run: {PEER_MISSING}")
    if args.repeat > 1:
        runs = lambda times: ", ".join(f"{t:.2f}" for t in times)  # noqa: E731
        print(f"best of {args.repeat}: rxqa check {runs(res['check_runs'])} s; floor {runs(res['floor_runs'])} s")
    print(f"rxqa check / floor = {res['ratio']:.1f}x   ({c['summary'][0] if c['summary'] else ''})")
    if "phases" in c:
        print(f"phases of that check: {phase_line(c['phases'])}")
    if args.incremental:
        inc = res["incremental"]
        print(f"incremental: cold {inc['cold']['seconds']:.2f} s, rerun with nothing changed "
              f"{inc['unchanged_rerun']['seconds']:.2f} s, rerun after {inc['changed_pages']} changed pages "
              f"({inc['changed_pages_with_a_new_finding']} with a new finding) "
              f"{inc['rerun']['seconds']:.2f} s (cold on the changed site {inc['cold_after_change']['seconds']:.2f} s); "
              f"rerun findings == cold findings: {inc['rerun_findings_equal_cold']}")
        if "cache_mb" in inc:
            print(f"cache after the rerun: page outcomes {inc['cache_mb']['pages.sqlite']} MB, report pieces {inc['cache_mb']['pieces']} MB")
        if "phases" in inc["rerun"]:
            print(f"phases of the rerun after changes: {phase_line(inc['rerun']['phases'])}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description="Benchmark rxqa against the bare-parse floor and a peer.")
    ap.add_argument("--pages", type=int, nargs="+", action="extend", help="site sizes (default: 1000 10000, without --site)")
    ap.add_argument("--site", type=Path, action="append", default=[], help="also (or, without --pages, only) benchmark this "
                    "folder of pages as it is: a site generated elsewhere, or real content (repeatable)")
    ap.add_argument("--jobs", type=int, help="passed to `rxqa check --jobs` when rxqa has that option")
    ap.add_argument("--keep", type=Path, help="keep (and reuse) the generated sites in this folder")
    ap.add_argument("--seed", type=int, default=1)
    add_site_options(ap)  # as generate_site.py takes them
    ap.add_argument("--repeat", type=int, default=1, help="time the floor and the cold check this many times each, "
                    "interleaved, and take the best of each for the ratio (default 1)")
    ap.add_argument("--incremental", action="store_true", help="also time a rerun after changing 1%% of the pages")
    ap.add_argument("--no-data-docs", dest="data_docs", action="store_false", help="skip the Great Expectations stage")
    args = ap.parse_args()
    check_site_options(ap, args)
    for site in args.site:
        if not site.is_dir():
            ap.error(f"--site {site}: not a folder")
        if not site_files(site):
            ap.error(f"--site {site}: no page rxqa reads under it (none of {', '.join(sorted(FORMATS))})")
        if args.keep and site.resolve() in (args.keep.resolve(), *args.keep.resolve().parents):
            ap.error(f"--keep {args.keep} is inside --site {site}: the runs would write into the content they time")
    if args.site and not args.pages and (args.seed != 1 or args.varied or args.long > 1 or args.frame):
        ap.error("--seed, --varied, --long and --frame shape the generated sites, and with --site alone none is generated")
    keep = args.keep or Path(tempfile.mkdtemp(prefix="rxqa-bench-"))
    keep.mkdir(parents=True, exist_ok=True)
    args.peer = importlib.util.find_spec("drug_named_entity_recognition") is not None
    if not args.peer:
        print(f"note: the peer is not installed, so it is not measured: {PEER_MISSING}")
    flags = check_flags()
    if args.jobs and "--jobs" not in flags:
        print("note: this rxqa has no --jobs option yet; running with its default")
    byte_compile(ROOT)
    started = dt.datetime.now()
    sizes = args.pages or ([] if args.site else [1000, 10000])
    runs = [bench_site(ensure_site(keep, n, args.seed, args.varied, args.long, args.frame), args, keep, flags) for n in sizes]
    runs += [bench_site(site.resolve(), args, keep, flags, generated=False) for site in args.site]
    version = subprocess.run([RXQA, "--version"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    report = {"started": started.isoformat(timespec="seconds"), "rxqa": version, "python": sys.version.split()[0],
              "cores": os.cpu_count(), "command": " ".join(sys.argv), "runs": runs}
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    target = results / f"{started:%Y%m%d-%H%M%S}.json"
    target.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {target}")
    if not args.keep:
        shutil.rmtree(keep, ignore_errors=True)


if __name__ == "__main__":
    main()
