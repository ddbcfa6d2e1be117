"""Accuracy of rxqa on annotated pages: mention recall/precision, brand lists,
regimen components, planted errors found and false alarms.

    python benchmarks/accuracy.py                 # sample site + evaluation corpus
    python benchmarks/accuracy.py --set corpus -v # one set, with every miss listed

The annotations are hand-written: tests/golden/sample_site_key.yaml for the
sample site in data/content, tests/corpus/expected/*.yaml for tests/corpus/pages.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import check  # noqa: E402
from pipelines.reference.load import load_reference  # noqa: E402
from pipelines.textutil import normalise  # noqa: E402


def load_sets() -> dict[str, tuple[Path, dict]]:
    """set name → (content root, {page: {drugs, regimens, planted}})."""
    sets: dict[str, tuple[Path, dict]] = {}
    key = yaml.safe_load((ROOT / "tests/golden/sample_site_key.yaml").read_text(encoding="utf-8"))
    pages = {}
    for p in key["pages"]:
        pages[p["page"]] = {
            "drugs": p.get("drugs", []),
            "regimens": p.get("regimens", []),
            "planted": [dict(code=x["code"], text=x["text"], secondary=x.get("secondary_codes", [])) for x in p.get("planted", [])],
        }
    sets["sample"] = (ROOT / "data/content", pages)
    for name in ("corpus", "holdout", "holdout2"):
        annotated = {}
        for f in sorted((ROOT / "tests" / name / "expected").glob("*.yaml")):
            p = yaml.safe_load(f.read_text(encoding="utf-8"))
            annotated[p["page"].removeprefix("pages/")] = {
                "drugs": p.get("drugs") or [], "regimens": p.get("regimens") or [],
                "planted": [dict(code=x["code"], text=x["text"], secondary=x.get("secondary_codes", [])) for x in p.get("planted") or []],
            }
        if annotated:
            sets[name] = (ROOT / "tests" / name / "pages", annotated)
    return sets


def _generic(ref, name: str) -> str:
    entries = [e for e in ref.lookup(name) if e.kind != "regimen"]
    return entries[0].key if entries else normalise(name)


def _cells(value) -> list[str]:
    """A ` | `-joined output cell as a sorted list."""
    return sorted(v for v in str(value).split(" | ") if v and v != "nan")


def _pair(wanted: list[dict], rows, wanted_name: str, row_name: str):
    """Match annotated items to output rows by normalised name, in reading order:
    (pairs, annotated items with no row, rows with no annotated item)."""
    left = list(rows)
    pairs, missed = [], []
    for item in wanted:
        key = normalise(str(item[wanted_name]))
        row = next((r for r in left if normalise(str(getattr(r, row_name))) == key), None)
        if row is None:
            missed.append(item)
            continue
        left.remove(row)
        pairs.append((item, row))
    return pairs, missed, left


def score(name: str, root: Path, truth: dict, verbose: bool) -> dict:
    ref = load_reference(ROOT / "data/reference")
    result = check([root], market="CA")
    got_drugs = result.drug_table
    got_regimens = result.regimen_table
    tp = fp = fn = 0
    brand_exact = brand_total = 0
    comp_exact = comp_total = reg_tp = reg_fn = reg_fp = 0
    planted_found = planted_total = 0
    false_alarms: list[str] = []
    misses: list[str] = []
    for page, expected in truth.items():
        pairs, missed, extra = _pair(expected["drugs"], got_drugs[got_drugs.page == page].itertuples(), "text", "text")
        tp, fn, fp, brand_total = tp + len(pairs), fn + len(missed), fp + len(extra), brand_total + len(pairs)
        misses += [f"{page}: missed drug {d['text']!r}" for d in missed]
        misses += [f"{page}:{row.line}: extra drug {row.text!r}" for row in extra]
        for d, row in pairs:
            want, got = sorted(normalise(b) for b in d.get("brands") or []), [normalise(b) for b in _cells(row.brands)]
            if want == sorted(got):
                brand_exact += 1
            else:
                misses.append(f"{page}:{row.line}: brands of {d['text']!r}: want {want}, got {sorted(got)}")
        pairs, missed, extra = _pair(expected["regimens"], got_regimens[got_regimens.page == page].itertuples(), "name", "name")
        reg_tp, reg_fn, reg_fp, comp_total = reg_tp + len(pairs), reg_fn + len(missed), reg_fp + len(extra), comp_total + len(pairs)
        misses += [f"{page}: missed regimen {r['name']!r}" for r in missed]
        misses += [f"{page}:{row.line}: extra regimen {row.name!r}" for row in extra]
        for r, row in pairs:
            want, got = sorted(_generic(ref, c) for c in r.get("components") or []), _cells(row.component_generics)
            if want == got:
                comp_exact += 1
            else:
                misses.append(f"{page}:{row.line}: components of {r['name']!r}: want {want}, got {got}")
        findings = [f for f in result.findings if f.page == page]
        lines = [normalise(l) for l in (root / page).read_text(encoding="utf-8", errors="replace").splitlines()]
        explained: set[int] = set()
        for plant in expected["planted"]:
            planted_total += 1
            codes = {plant["code"], *plant.get("secondary", [])}
            text = normalise(plant["text"])
            near = [n + 1 for n, l in enumerate(lines) if text in l or (len(text) > 3 and text.split(" (")[0] in l)]
            hits = [
                i for i, f in enumerate(findings)
                if f.code in codes and (normalise(f.text) in text or text in normalise(f.text) or any(abs(f.line - n) <= 3 for n in near))
            ]
            if any(findings[i].code == plant["code"] for i in hits):
                planted_found += 1
            else:
                misses.append(f"{page}: planted {plant['code']} {plant['text']!r} not found")
            explained.update(hits)
        for i, f in enumerate(findings):
            if i in explained or f.severity == "info" or f.code in ("BG004", "RG005"):
                continue
            false_alarms.append(f"{page}:{f.line}:{f.column}: {f.code} {f.message}")
    clean_pages = sum(1 for t in truth.values() if not t["planted"])
    figures = {
        "pages": len(truth),
        "drug recall": tp / max(tp + fn, 1),
        "drug precision": tp / max(tp + fp, 1),
        "brand lists exact": brand_exact / max(brand_total, 1),
        "regimen recall": reg_tp / max(reg_tp + reg_fn, 1),
        "regimen precision": reg_tp / max(reg_tp + reg_fp, 1),
        "regimen components exact": comp_exact / max(comp_total, 1),
        "planted errors found": planted_found / max(planted_total, 1),
        "planted": planted_total,
        "false warnings/errors": len(false_alarms),
        "false per 20 pages": 20 * len(false_alarms) / max(len(truth), 1),
        "clean pages": clean_pages,
    }
    print(f"== {name}: {root.relative_to(ROOT)}")
    for k, v in figures.items():
        print(f"  {k:26} {v:.3f}" if isinstance(v, float) else f"  {k:26} {v}")
    if verbose:
        for line in misses + ["false alarm: " + a for a in false_alarms]:
            print("   ", line)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["sample", "corpus", "holdout", "holdout2"], action="append")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for name, (root, truth) in load_sets().items():
        if args.set and name not in args.set:
            continue
        score(name, root, truth, args.verbose)


if __name__ == "__main__":
    main()
