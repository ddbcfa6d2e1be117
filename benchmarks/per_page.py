"""The per-page work (read, ingest, extract, page rules, rows) of the code on the
import path, serial, after a warm-up: CPU milliseconds per page, or with
--callgrind the instructions per page counted by valgrind, which do not move
with the machine's load (the same code and pages give the same count to within
about 1%), so two versions of rxqa can be compared on a shared machine:

    python benchmarks/per_page.py SITE --callgrind
    python benchmarks/per_page.py SITE --callgrind --by-object /tmp/profile   (and the shares by library)
    python benchmarks/per_page.py SITE --repeats   (how much of the site's wording repeats)
    git worktree add /tmp/before REV && (cd /tmp/before && PYTHONPATH=. python /path/to/benchmarks/per_page.py SITE --callgrind)

The warm-up pages fill the per-process memos, as the first pages of a real run do;
only the pages after them are counted (valgrind runs about 50x slower: keep both small)."""
from __future__ import annotations

import argparse
import operator
import os
import re
import subprocess
import sys
import time
from pathlib import Path


def measure(site: Path, warm: int, pages: int) -> None:
    from pipelines.config import load_settings
    from pipelines.discover import discover
    from pipelines.pages import read_pages
    from pipelines.rules import selected_codes

    settings = load_settings()
    codes = selected_codes(list(settings.select), list(settings.ignore))
    from pipelines.run import page_work

    work = page_work(settings, codes)
    files = discover([site])[: warm + pages]
    for path, _ in files:
        Path(path).read_bytes()  # from memory from here on
    read_pages(files[:warm], work)
    counted = files[warm:]
    started = time.process_time()
    operator.call(read_pages, counted, work)  # the call valgrind's count is switched on for
    seconds = time.process_time() - started
    print(f"{len(counted)} pages after {warm} warm-up pages: {seconds / max(1, len(counted)) * 1000:.3f} ms of CPU per page")


def repeated_texts(site: Path) -> None:
    """How much of a site's wording repeats: its blocks, and how many have a text no earlier block
    had (each such text is worked out anew; a repeated one comes from the per-process memos)."""
    from pipelines.config import load_settings
    from pipelines.discover import discover
    from pipelines.ingest import read_page
    from pipelines.run import chrome_rules

    chrome = chrome_rules(load_settings())
    seen: set[str] = set()
    blocks = 0
    for path, page in discover([site]):
        doc, _ = read_page(Path(path), page, chrome)
        for block in doc.blocks if doc is not None else ():
            blocks += 1
            seen.add(block.text)
    print(f"{blocks} blocks, {len(seen)} with a text no earlier block had ({len(seen) / max(1, blocks):.1%})")


def under_callgrind(args) -> None:
    from bench import callgrind  # here: the process valgrind counts does without it

    printed, counted = callgrind(
        [sys.executable, __file__, str(args.site), "--warm", str(args.warm), "--pages", str(args.pages)],
        ["--collect-atstart=no", "--toggle-collect=_operator_call*", f"--callgrind-out-file={args.by_object or '/dev/null'}"],
        dict(os.environ, PYTHONHASHSEED="0"),
    )
    print(printed.strip().replace("ms of CPU", "ms of CPU under valgrind"))
    pages = int(re.match(r"\s*(\d+) pages after", printed).group(1))  # fewer than --pages on a small site
    print(f"{counted / max(1, pages) / 1e6:.2f} million instructions per page")
    if args.by_object:
        print_by_object(args.by_object)


def print_by_object(profile: str) -> None:
    """The counted instructions' shares by the file their code is in (the interpreter, lexbor's
    parser, the regular expression engine's library, ...), from callgrind_annotate's listing of the profile."""
    listing = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", "--auto=no", profile], capture_output=True, text=True).stdout
    by_object: dict[str, int] = {}
    for line in listing.splitlines():
        m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+\S.*?(?:\[(.+)\])?$", line)
        if m and "PROGRAM TOTALS" not in line:
            # callgrind_annotate leaves out the file of code inlined from a header: the interpreter's, when built from its source
            name = os.path.basename(m.group(2)) if m.group(2) else ("the interpreter (inlined)" if "/Python-" in line else "(not named)")
            by_object[name] = by_object.get(name, 0) + int(m.group(1).replace(",", ""))
    total = sum(by_object.values()) or 1
    for name, count in sorted(by_object.items(), key=lambda item: -item[1])[:8]:
        print(f"  {count / total:6.1%}  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--warm", type=int, default=500, help="pages read first and not counted (default 500)")
    ap.add_argument("--pages", type=int, default=300, help="pages counted (default 300)")
    ap.add_argument("--callgrind", action="store_true", help="count instructions under valgrind instead of timing")
    ap.add_argument("--by-object", metavar="PROFILE", help="with --callgrind, keep valgrind's profile here and print the "
                    "instructions' shares by the file their code is in (lexbor's parser against the interpreter)")
    ap.add_argument("--repeats", action="store_true", help="instead, count the site's blocks and how many have a new text")
    args = ap.parse_args()
    if args.repeats:
        repeated_texts(args.site)
    elif args.callgrind:
        under_callgrind(args)
    else:
        measure(args.site, args.warm, args.pages)


if __name__ == "__main__":
    main()
