"""Sanity check for the annotations of an evaluation corpus (pages/ + expected/).

Run: python benchmarks/check_annotations.py tests/corpus [-v]   (or tests/holdout, tests/holdout2)
Fails (exit 1) when an annotation is malformed, an annotated drug name is not found in
the page text in reading order, or a planted text is missing. With -v it also prints,
per page, names whose count in the whole page differs from the annotation: these must
all be chrome or parenthesis contents (abbreviations/synonyms), reviewed by hand.
"""
import collections, glob, html, os, re, sys

import yaml

HERE = os.path.abspath(next((a for a in sys.argv[1:] if not a.startswith("-")), "tests/corpus"))
CODES = {"BG001", "BG002", "BG003", "BG006", "BG007", "BG008", "RG001", "RG002", "RG003", "TH001"}


def page_text(path):
    s = open(path, encoding="utf-8").read()
    if path.endswith(".html"):
        s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    elif path.endswith(".md"):
        s = re.sub(r"\]\([^)]*\)", "]", s)
        s = re.sub(r"(\*\*|(?<!\w)_|_(?!\w))", "", s).replace("[", "").replace("]", "")
    s = s.replace("\u00a0", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", s)


def word(name):
    return r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"


def main(verbose):
    os.chdir(HERE)
    errors, totals, docs = [], collections.Counter(), {}
    for y in sorted(glob.glob("expected/*.yaml")):
        docs[y] = yaml.safe_load(open(y, encoding="utf-8"))
    lexicon = set()
    for d in docs.values():
        for m in d["drugs"]:
            lexicon |= {m["text"].lower(), m["generic"].lower()} | {b.lower().rstrip("®") for b in m["brands"]}
        lexicon |= {r["name"].lower() for r in d["regimens"]}
    for y, d in docs.items():
        if set(d) != {"page", "drugs", "regimens", "planted"}:
            errors.append(f"{y}: keys {sorted(d)}")
            continue
        page = d["page"]
        if not os.path.exists(page) or os.path.splitext(os.path.basename(page))[0] != os.path.splitext(os.path.basename(y))[0]:
            errors.append(f"{y}: bad page {page}")
            continue
        t = page_text(page)
        pos = 0
        for m in d["drugs"]:
            if set(m) != {"text", "generic", "brands"} or not isinstance(m["brands"], list):
                errors.append(f"{y}: malformed drug {m}")
                continue
            hit = re.search(word(m["text"]), t[pos:])
            if not hit:
                errors.append(f"{y}: drug {m['text']!r} not found after offset {pos}")
                continue
            pos += hit.end()
        for r in d["regimens"]:
            if set(r) != {"name", "regimen", "components"} or not isinstance(r["components"], list):
                errors.append(f"{y}: malformed regimen {r}")
            elif not re.search(word(r["name"]), t):
                errors.append(f"{y}: regimen {r['name']!r} not found")
        for p in d["planted"]:
            if p.get("code") not in CODES or p.get("text") not in t:
                errors.append(f"{y}: planted {p}")
            totals[p["code"]] += 1
        if verbose:
            ann = collections.Counter()
            for m in d["drugs"]:
                ann[m["text"].lower()] += 1
                for b in m["brands"]:
                    ann[b.lower().rstrip("®")] += 1
            for r in d["regimens"]:
                ann[r["name"].lower()] += 1
            for name in sorted(lexicon):
                n = len(re.findall(word(name), t, flags=re.I))
                if n != ann[name]:
                    print(f"  {page}: {name!r} in page {n}, annotated {ann[name]}")
        totals["pages"] += 1
        totals["drug mentions"] += len(d["drugs"])
        totals["regimen mentions"] += len(d["regimens"])
        totals["clean pages"] += not d["planted"]
    print(dict(sorted(totals.items())))
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main("-v" in sys.argv))
