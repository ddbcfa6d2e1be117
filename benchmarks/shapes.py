"""How the per-page work grows with a page's size, shape by shape: pages of N and of 4N
units (sentences, rows, items) in one block or in many, each read serially in this
process (read, ingest, extract, page rules, rows) after a warm-up. Work that grows
with the page gives a growth near 4; near 16 is quadratic (every name scanning the
rest of its block, as a long paragraph of regimens once did).

    python benchmarks/shapes.py [--size 1000] [--only regimen-paragraph ...]

Printed, and written to benchmarks/results/shapes-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

DRUGS = ["cisplatin", "carboplatin", "oxaliplatin", "fluorouracil", "leucovorin", "irinotecan", "docetaxel",
         "paclitaxel", "trastuzumab", "pembrolizumab", "capecitabine", "cyclophosphamide", "doxorubicin"]
PAIRS = [("Taxotere", "docetaxel"), ("Taxol", "paclitaxel"), ("Herceptin", "trastuzumab"), ("Keytruda", "pembrolizumab"),
         ("Camptosar", "irinotecan"), ("Xeloda", "capecitabine"), ("Adriamycin", "doxorubicin")]
REGIMENS = ["FOLFOX (oxaliplatin, leucovorin, fluorouracil)", "FOLFIRI (irinotecan, leucovorin, fluorouracil)",
            "CAPOX - capecitabine and oxaliplatin", "AC (doxorubicin, cyclophosphamide)", "TC (docetaxel, cyclophosphamide)"]
MISSPELT = ["cisplatn", "docetaxl", "paclitaxle", "trastuzumba", "carbopaltin", "oxaliplatni"]
WORDS = ("your care team may suggest treatment given in cycles of three weeks with rest between them "
         "and will check your blood before each one").split()


def _words(rng: random.Random, k: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(k))


def _html(body: str) -> tuple[str, str]:
    return "html", f"<!doctype html><html><head><title>Treatment</title></head><body><main><h1>Treatment</h1>{body}</main></body></html>"


def _regimen_paragraph(n, rng):
    return _html("<p>" + " ".join(f"{rng.choice(REGIMENS)} is one choice. It is given {_words(rng, 4)}." for _ in range(n)) + "</p>")


def _brand_pairs(n, rng):
    return _html("<p>Drugs used: " + ", ".join("{} ({})".format(*rng.choice(PAIRS)) for _ in range(n)) + ".</p>")


def _glued_inline(n, rng):  # names run into the next word: each is a suspect misspelling
    return _html("<p>" + "".join(f"<span><b>{rng.choice(DRUGS)}</b></span> <i>x</i>" for _ in range(n)) + "</p>")


def _misspellings(n, rng):
    return _html("".join(f"<p>{_words(rng, 5)} {rng.choice(MISSPELT)} {_words(rng, 3)}.</p>" for _ in range(n)))


def _table(n, rng):
    rows = "".join("<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(*rng.choice(PAIRS), _words(rng, 5)) for _ in range(n))
    return _html(f"<table><thead><tr><th>Brand</th><th>Generic</th><th>Notes</th></tr></thead><tbody>{rows}</tbody></table>")


def _list(n, rng):
    return _html("<ul>" + "".join("<li>{1} ({0}): {2}</li>".format(*rng.choice(PAIRS), _words(rng, 5)) for _ in range(n)) + "</ul>")


def _definition_list(n, rng):
    items = (rng.choice(REGIMENS) for _ in range(n))
    return _html("<dl>" + "".join(f"<dt>{r.split()[0]}</dt><dd>{r}</dd>" for r in items) + "</dl>")


def _nested(n, rng):
    return _html("<div>" * (n // 4) + f"<p>{rng.choice(DRUGS)} and {rng.choice(DRUGS)}</p>" + "</div>" * (n // 4))


def _references(n, rng):
    return _html("<p>" + " ".join(f"&eacute;{rng.choice(DRUGS)}&#233;&amp;" for _ in range(n)) + "</p>")


def _preformatted(n, rng):
    return _html("<pre>" + "\n".join(f"{rng.choice(DRUGS)} {_words(rng, 3)}" for _ in range(n)) + "</pre>")


def _markdown_list(n, rng):
    return "md", "# Treatment\n\n" + "\n".join("- {1} ({0}): {2}".format(*rng.choice(PAIRS), _words(rng, 5)) for _ in range(n)) + "\n"


def _markdown_table(n, rng):
    rows = "\n".join("| {} | {} |".format(*rng.choice(PAIRS)) for _ in range(n))
    return "md", f"# Treatment\n\n| Brand | Generic |\n|---|---|\n{rows}\n"


def _plain_text_one_block(n, rng):  # no blank line: the whole page is one paragraph
    return "txt", " ".join(f"{_words(rng, 8).capitalize()} {rng.choice(DRUGS)}." for _ in range(n))


def _regimen_lines(n, rng):  # a plain-text list of regimens, one a line and no period: one block
    return "txt", "Regimens\n\n" + "\n".join(f"{r.split()[0]}: oxaliplatin, leucovorin and fluorouracil" for r in (rng.choice(REGIMENS) for _ in range(n)))


def _add_on_chain(n, rng):  # regimens with an add-on each, no stop between them
    return _html("<p>" + ", ".join(f"{rng.choice(REGIMENS).split()[0]} with {rng.choice(DRUGS)}" for _ in range(n)) + "</p>")


def _long_section_list(n, rng):  # one heading over a long list, its drugs of another class than the heading's
    return "md", "# Treatment\n\n## Chemotherapy\n\n" + "\n".join(f"- {rng.choice(['pembrolizumab', 'nivolumab'])}" for _ in range(n)) + "\n"


def _accordion_regimens(n, rng):  # a toggle per regimen: each title is a heading, the page's headings grow with it
    return _html("".join(f"<details><summary>{rng.choice(REGIMENS).split()[0]}</summary><p>{rng.choice(REGIMENS)}.</p></details>" for _ in range(n)))


def _heading_regimens(n, rng):  # a heading per regimen over a list of drugs, one name ambiguous (TC)
    return "md", "\n\n".join(f"## {rng.choice(REGIMENS).split()[0]}\n\n- {rng.choice(DRUGS)}\n- {rng.choice(DRUGS)}" for _ in range(n)) + "\n"


def _many_tables(n, rng):
    return _html("".join("<table><tr><th>Brand</th><th>Generic</th></tr><tr><td>{}</td><td>{}</td></tr></table>".format(*rng.choice(PAIRS)) for _ in range(n)))


def _wide_table(n, rng):  # n columns, two rows
    head = "".join(f"<th>{['Brand', 'Generic'][i] if i < 2 else f'Note {i}'}</th>" for i in range(n))
    rows = "".join("<tr>" + "".join(f"<td>{rng.choice(DRUGS)}</td>" for _ in range(n)) + "</tr>" for _ in range(2))
    return _html(f"<table><tr>{head}</tr>{rows}</table>")


def _rowspan_table(n, rng):  # each generic spans its three brands' rows
    rows = "".join("<tr><td rowspan='3'>{1}</td><td>{0}</td></tr><tr><td>{0}</td></tr><tr><td>{0}</td></tr>".format(*rng.choice(PAIRS)) for _ in range(n // 3))
    return _html(f"<table><tr><th>Generic</th><th>Brand</th></tr>{rows}</table>")


def _markdown_html_blocks(n, rng):  # raw HTML between Markdown paragraphs
    return "md", "# Treatment\n\n" + "\n\n".join(
        "<div><p>{1} ({0})</p></div>\n\n{2} {3}.".format(*rng.choice(PAIRS), _words(rng, 4), rng.choice(DRUGS)) for _ in range(n)) + "\n"


SHAPES: dict[str, Callable[[int, random.Random], tuple[str, str]]] = {
    "regimen-paragraph": _regimen_paragraph,
    "brand-pairs": _brand_pairs,
    "glued-inline": _glued_inline,
    "misspellings": _misspellings,
    "table": _table,
    "list": _list,
    "definition-list": _definition_list,
    "nested": _nested,
    "references": _references,
    "preformatted": _preformatted,
    "markdown-list": _markdown_list,
    "markdown-table": _markdown_table,
    "plain-text-one-block": _plain_text_one_block,
    "regimen-lines": _regimen_lines,
    "add-on-chain": _add_on_chain,
    "long-section-list": _long_section_list,
    "accordion-regimens": _accordion_regimens,
    "heading-regimens": _heading_regimens,
    "many-tables": _many_tables,
    "wide-table": _wide_table,
    "rowspan-table": _rowspan_table,
    "markdown-html-blocks": _markdown_html_blocks,
}


REPEATS = 3


def measure(sizes: list[int], only: list[str]) -> list[dict]:
    from pipelines.config import load_settings
    from pipelines.pages import read_pages
    from pipelines.rules import selected_codes
    from pipelines.run import page_work

    settings = load_settings()
    work = page_work(settings, selected_codes(list(settings.select), list(settings.ignore)))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in only:
            row: dict = {"shape": name}
            for size in sizes:
                # a page of the same shape first, for what a process loads once; then others, whose
                # long blocks are new to the per-process memos, as a site's long pages would be (the least time counts)
                times = []
                for seed in range(size, size + 1 + REPEATS):
                    suffix, text = SHAPES[name](size, random.Random(seed))
                    path = Path(folder) / f"{name}-{size}-{seed}.{suffix}"
                    path.write_text(text, encoding="utf-8")
                    started = time.process_time()
                    [outcome] = read_pages([(str(path), path.name)], work)
                    times.append(time.process_time() - started)
                row[str(size)] = {"kb": round(len(text.encode()) / 1000, 1), "ms": round(min(times[1:]) * 1000, 1),
                                  "findings": len(outcome.findings), "drug_rows": outcome.drug_count}
            rows.append(row)
            first, last = row[str(sizes[0])]["ms"], row[str(sizes[-1])]["ms"]
            growth = last / first if first else float("nan")
            row["growth"] = round(growth, 1)
            print(f"{name:22s} " + "  ".join(f"{row[str(s)]['kb']:7.1f} KB {row[str(s)]['ms']:8.1f} ms" for s in sizes)
                  + f"   growth ×{growth:.1f}", flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1000, help="units in the smaller page (the larger has 4 times as many)")
    ap.add_argument("--only", nargs="+", choices=sorted(SHAPES), default=list(SHAPES), metavar="SHAPE")
    args = ap.parse_args()
    sizes = [args.size, 4 * args.size]
    print(f"CPU ms to read one page of each shape, at {sizes[0]} and {sizes[1]} units (growth near 4: linear; near 16: quadratic)")
    started = dt.datetime.now()
    rows = measure(sizes, args.only)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    target = results / f"shapes-{started:%Y%m%d-%H%M%S}.json"
    target.write_text(json.dumps({"started": started.isoformat(timespec="seconds"), "sizes": sizes, "shapes": rows}, indent=1))
    print(f"written to {target.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
