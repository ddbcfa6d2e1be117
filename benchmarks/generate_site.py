"""Generate a realistic synthetic patient-education site for benchmarking rxqa.

    python benchmarks/generate_site.py --pages 10000 --out /tmp/site-10k [--seed 1] [--error-rate 0.05] [--varied 0.5] [--long K] [--frame KB]

About 80% HTML (~5 KB each, with header, nav, breadcrumb, cookie banner, related
teasers and footer around the article), 10% Markdown and 10% plain text. Drugs are
written `generic (Brand)`, regimens `NAME – a, b and c`, with facts drawn from
data/reference. Errors are planted at a known rate per opportunity (a drug mention
or a regimen mention) and listed in <out>.planted.json, next to the folder.
Page i depends only on (seed, i), so a 1k site is the first 1k pages of a 10k site,
and the same arguments give byte-identical output. All sentences are our own templates.

The templates make a site whose pages share most of their wording (of the 10k site's
blocks, 6.8% have a text no earlier block had: per_page.py SITE --repeats), as pages
written from a house style do. With --varied F,
a share F of the paragraphs of prose also get a sentence of their own, from word pools and numbers
that almost never repeat, some naming a drug: a site whose prose repeats less, where
rxqa's per-text memos help less. The same seed gives the same pages otherwise.
With --long K, each page holds K articles' sections one after another (a site of
a few long pages). With --frame KB, each HTML page carries about KB kilobytes more of
site frame, as pages from a content management system do (inline style and scripts, a
menu of every cancer type, a sprite of icons): what the floor parses grows, the article
rxqa reads does not.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
from functools import lru_cache
from html import escape
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
SITE = "Northwind Cancer Foundation"
THERAPIES = {"Chemotherapy": "chemotherapy", "Targeted therapy": "targeted", "Immunotherapy": "immunotherapy",
             "Hormone therapy": "hormone", "Supportive care": "supportive"}
CANCERS = ["bladder", "breast", "colorectal", "esophageal", "kidney", "leukemia", "liver", "lung", "lymphoma",
           "melanoma", "myeloma", "ovarian", "pancreatic", "prostate", "sarcoma", "stomach", "thyroid", "uterine"]
TOPICS = ["treatment", "drug-therapy", "advanced-treatment", "treatment-options", "after-diagnosis", "recurrence"]
ROUTES = ["into a vein (IV)", "tablets by mouth", "capsules by mouth", "an injection under the skin", "into a vein, every 3 weeks"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

# Our own sentence templates ({c} = the cancer's name).
INTRO = [
    "Treatment for {c} is planned around the stage of the disease, the results of tumour tests and your own wishes.",
    "Your care team will explain each option, what it aims to do and the side effects it may bring.",
    "Many people have more than one kind of treatment, one after another or at the same time.",
    "It is fine to ask for time to think, to bring someone with you to appointments or to ask for a second opinion.",
    "The plan for {c} may change over time as the team sees how the cancer responds.",
    "Write down your questions before each visit so that nothing important is forgotten.",
]
SECTION_TEXT = {
    "chemotherapy": ["Chemotherapy uses drugs that kill fast-growing cells, and it travels through the whole body.",
                     "It is given in cycles, each followed by a rest so that healthy cells can recover.",
                     "For {c}, two or three drugs are often combined because they work in different ways."],
    "targeted": ["Targeted drugs block particular proteins or signals that help cancer cells grow and divide.",
                 "Your tumour may be tested first, because these drugs help only when the target is present.",
                 "Some targeted drugs are pills taken at home, while others are given in the clinic."],
    "immunotherapy": ["Immunotherapy helps your own immune system recognise and attack cancer cells.",
                      "Its side effects differ from those of chemotherapy and can appear months after starting.",
                      "Tell your team at once about a new rash, cough or diarrhea while on these drugs."],
    "hormone": ["Some cancers need hormones to grow, and hormone therapy lowers those hormones or blocks their effect.",
                "It is often taken for several years, so ask how to manage hot flashes, tiredness and joint aches.",
                "Tests on the tumour show whether {c} is likely to respond to hormone therapy."],
    "supportive": ["Supportive medicines prevent or ease side effects so that treatment can stay on schedule.",
                   "Let your nurse know early about nausea, pain or trouble sleeping, because most of it can be helped.",
                   "Some of these drugs are taken before each treatment and for a few days after it."],
}
LEAD_IN = ["Drugs used include:", "Your doctor may suggest one of these:", "Common choices are:", "The drugs most often used are:"]
REGIMEN_LEAD = ["Drugs are often given together. Combinations used for {c} include:",
                "Doctors often combine drugs. You may hear about:", "Common combinations are:"]
PROSE = ["Your team may offer {d} when other treatment has stopped working.", "Some people are given {d} as their first treatment.",
         "If you take {d}, ask how it may affect your blood counts.", "{D} is usually given at the cancer centre."]
OTHER_SECTIONS = {
    "Surgery": ["Surgery removes the tumour along with some healthy tissue around it.", "Recovery depends on the operation; most people stay in hospital for a few days."],
    "Radiation therapy": ["Radiation therapy uses high-energy rays aimed at the tumour.", "Treatments are short and painless, but tiredness can build up over the weeks."],
    "Clinical trials": ["Clinical trials test new treatments and new ways of using existing ones.", "Ask whether a trial is open that fits your situation."],
    "Follow-up care": ["After treatment you will have regular visits, blood tests and scans.", "Report any new or lasting symptom without waiting for your next visit."],
}
# --varied: a paragraph's own sentence ({n}, {m}, {year}: numbers; {who}, {clinic}, {topic}: pools; {d}: a drug)
OWN = [
    "In {year} the {clinic} clinic saw {n} people with {c}, and {m} of them joined a study.",
    "{who} was treated for {c} in {year} and says the nurses on ward {m} explained every step.",
    "The {clinic} centre runs {n} sessions a year on {topic} for people with {c} and their families.",
    "{who} took {d} for {m} weeks in {year} and kept a diary of {n} questions for the team.",
    "About {n} people a year in the {clinic} area start {d}; {m} of them ask about {topic} first.",
]
WHO = ["Amira", "Ben", "Chen", "Dana", "Eli", "Farah", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya"]
CLINICS = ["Riverside", "Hillcrest", "Lakeview", "Northgate", "Southbank", "Westmere", "Eastfield", "Oakridge", "Pinewood", "Harbour"]
OWN_TOPICS = ["fatigue", "eating well", "work and money", "sleep", "exercise", "fertility", "hair loss", "pain", "travel", "mood"]
TEASERS = ["Eating well during treatment", "Coping with fatigue", "Talking to children about cancer",
           "Travel and accommodation support", "Questions to ask your doctor", "Managing money during treatment"]


def load_facts(folder: Path = REFERENCE) -> dict:
    rows = lambda name: list(csv.DictReader(open(folder / name, encoding="utf-8")))  # noqa: E731
    drugs = {r["name"]: r for r in rows("drugs.csv")}
    owners: dict[str, set[str]] = {}
    for b in rows("brands.csv"):
        owners.setdefault(b["brand"].lower(), set()).add(b["drug"])
    brands: dict[str, list[str]] = {}
    for b in rows("brands.csv"):  # CA market, not discontinued, plain product, owned by one drug only
        if b["market"] == "CA" and b["status"] != "discontinued" and not b["formulation"] and len(owners[b["brand"].lower()]) == 1:
            brands.setdefault(b["drug"], []).append(b["brand"])
    simple = lambda n: re.fullmatch(r"[a-z][a-z -]{3,}", n) and not drugs[n]["parent"] and not drugs[n]["base"]  # noqa: E731
    by_class = {cls: sorted(n for n, r in drugs.items() if r["class"] == cls and simple(n)) for cls in THERAPIES.values()}
    regimens = []
    for r in rows("regimens.csv"):
        comps = r["components"].split("|")
        if r["context"] or not re.fullmatch(r"[A-Z][A-Za-z0-9-]+", r["name"]) or not all(c in drugs for c in comps):
            continue
        chemo = all(drugs[c]["class"] in ("chemotherapy", "supportive") for c in comps)
        regimens.append((r["name"], comps, r["addons"].split("|") if r["addons"] else [], chemo))
    return {"drugs": drugs, "brands": {k: sorted(v) for k, v in brands.items()}, "by_class": by_class,
            "generics": sorted(n for cls in by_class.values() for n in cls), "regimens": regimens, "known": {n.lower() for n in drugs} | set(owners)}


class Page:
    """Abstract content: blocks of (kind, text, planted errors); renderers place them on lines."""

    def __init__(self, rng: random.Random, facts: dict, rate: float, varied: float = 0.0, own: random.Random | None = None):
        self.rng, self.facts, self.rate = rng, facts, rate
        self.varied, self.own = varied, own  # `own` draws the paragraphs' own sentences, leaving `rng` as without them
        self.cancer = ""
        self.blocks: list[tuple[str, object, list[dict]]] = []
        self.opportunities = 0

    def planted(self) -> bool:
        self.opportunities += 1
        return self.rng.random() < self.rate

    def misspell(self, name: str) -> str:
        for _ in range(10 if len(name) >= 5 else 0):
            i = self.rng.randrange(1, len(name) - 2)
            bad = name[:i] + name[i + 1] + name[i] + name[i + 2:]
            if bad != name and bad.lower() not in self.facts["known"]:
                return bad
        return name + name[-1]

    def drug(self, name: str, errors: list[dict], with_brand: float = 0.75) -> str:
        """`generic (Brand)`, sometimes with a synonym or abbreviation; maybe with a planted error."""
        rng, facts = self.rng, self.facts
        brands = facts["brands"].get(name, [])
        shown = rng.sample(brands, min(len(brands), rng.choice((1, 1, 1, 2)))) if brands and rng.random() < with_brand else []
        if not shown and rng.random() < 0.2:
            extra = [x for x in (facts["drugs"][name]["abbreviations"].split("|") + facts["drugs"][name]["synonyms"].split("|")) if x]
            shown = extra[:1]
        written = name
        if self.planted():
            others = [b for d in facts["by_class"].get(facts["drugs"][name]["class"], []) if d != name for b in facts["brands"].get(d, [])]
            if brands and shown and others and rng.random() < 0.5:
                wrong = rng.choice(others)
                errors.append({"kind": "wrong_brand", "written": f"{name} ({wrong})", "expected": f"{name} ({' | '.join(brands)})"})
                shown = [wrong]
            else:
                written = self.misspell(name)
                errors.append({"kind": "misspelling", "written": written, "expected": name})
        return f"{written} ({', '.join(shown)})" if shown else written

    def regimen(self, errors: list[dict], chemo: bool) -> str:
        rng, facts = self.rng, self.facts
        name, comps, addons, _ = rng.choice([r for r in facts["regimens"] if r[3] == chemo])
        comps = list(comps)
        if self.planted():
            if len(comps) >= 3 and rng.random() < 0.5:
                dropped = comps.pop(rng.randrange(len(comps)))
                errors.append({"kind": "dropped_component", "written": name, "expected": dropped})
            else:
                pool = [d for d in facts["by_class"]["chemotherapy"] if d not in comps and d not in addons]
                added = rng.choice(pool)
                comps.insert(rng.randrange(len(comps) + 1), added)
                errors.append({"kind": "added_component", "written": name, "expected": f"without {added}"})
        parts = [self.drug(c, errors, 0.4) for c in comps]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + rng.choice((" and ", " and ", " + ", " plus ")) + parts[-1]
        return name + rng.choice((" \u2013 ", " \u2013 ", ": ", " - ")) + listed

    def add(self, kind: str, text, errors: list[dict] | None = None) -> None:
        if kind == "p" and self.varied and text.endswith(".") and self.own.random() < self.varied:
            text = f"{text} {self.own_sentence()}"
        self.blocks.append((kind, text, errors or []))

    def own_sentence(self) -> str:
        own = self.own
        sentence = own.choice(OWN).format(
            c=self.cancer, n=own.randint(12, 9999), m=own.randint(2, 99), year=own.randint(1995, 2025), who=own.choice(WHO),
            clinic=own.choice(CLINICS), topic=own.choice(OWN_TOPICS), d=own.choice(self.facts["generics"]))
        return sentence[0].upper() + sentence[1:]

    def build(self, cancer: str) -> None:
        rng, facts = self.rng, self.facts
        self.cancer = cancer
        fill = lambda pool, k: " ".join(s.format(c=cancer) for s in rng.sample(pool, k))  # noqa: E731
        self.add("p", fill(INTRO, 3))
        self.add("p", fill(INTRO, 2))
        heads = [h for h in THERAPIES if rng.random() < 0.6] or ["Chemotherapy"]
        used: list[str] = []
        for head in heads:
            cls = THERAPIES[head]
            self.add("h2", head)
            self.add("p", fill(SECTION_TEXT[cls], 2))
            self.add("p", rng.choice(LEAD_IN))
            items = []
            for name in rng.sample(facts["by_class"][cls], rng.randint(2, 4)):
                errors: list[dict] = []
                items.append((self.drug(name, errors), errors))
                used.append(name)
            self.add("ul", items)
            if cls == "chemotherapy":
                self.add("p", rng.choice(REGIMEN_LEAD).format(c=cancer))
                self.add("ul", [(self.regimen(e, True), e) for e in ([] for _ in range(rng.randint(1, 3)))])
            errors = []
            mention = self.drug(rng.choice(facts["by_class"][cls]), errors)
            self.add("p", rng.choice(PROSE).replace("{D}", mention[0].upper() + mention[1:]).replace("{d}", mention), errors)
        if rng.random() < 0.4:
            self.add("h2", "Combination treatments")
            self.add("ul", [(self.regimen(e, False), e) for e in ([] for _ in range(rng.randint(1, 2)))])
        if rng.random() < 0.5 and used:
            self.add("h2", "Drugs you may hear about")
            self.add("p", "This table lists some of the drugs mentioned on this page and how they are usually given.")
            rows = []
            for name in rng.sample(used, min(len(used), rng.randint(3, 6))):
                errors = []
                text = self.drug(name, errors, 1.0)
                generic, _, brand = text.partition(" (")
                rows.append(((generic, brand.rstrip(")"), rng.choice(ROUTES)), errors))
            self.add("table", rows)
        for head in rng.sample(sorted(OTHER_SECTIONS), rng.randint(1, 3)):
            self.add("h2", head)
            self.add("p", " ".join(OTHER_SECTIONS[head]))


@lru_cache(maxsize=4)
def heavy_frame(kilobytes: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What a content management system adds to every page, about `kilobytes` KB of it: in the head
    an inline style sheet and structured data, in the header a menu of every cancer type and topic,
    before the end of the body an analytics script and a sprite of icons. The same on every page,
    and drawn from no random numbers, so the rest of the page is what the seed gives without it."""
    if kilobytes <= 0:
        return (), (), ()
    head = ["  <style>" + "".join(f".c{n}{{margin:{n % 7}px;color:#{n * 2654435761 % 0xFFFFFF:06x}}}" for n in range(12)) + "</style>",
            '  <script type="application/ld+json">{"@context":"https://schema.org","@type":"MedicalWebPage",'
            f'"publisher":{{"@type":"Organization","name":"{SITE}"}}}}</script>']
    menu = ['    <nav class="mega-menu" aria-label="Cancer types">', "      <ul>", "      </ul>", "    </nav>"]
    tail = ['  <script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());</script>',
            '  <svg xmlns="http://www.w3.org/2000/svg" style="display:none">', "  </svg>"]
    size = sum(len(line) + 1 for line in head + menu + tail)
    # the menu's cancer types first, then icons, until the frame reaches its size
    for cancer in CANCERS:
        if size >= kilobytes * 1000:
            break
        item = [f'        <li class="menu-item"><a href="/cancer-types/{cancer}">{cancer.capitalize()}</a><ul class="sub-menu">',
                *(f'          <li><a href="/cancer-types/{cancer}/{topic}">{topic.replace("-", " ").capitalize()}</a></li>' for topic in TOPICS),
                "        </ul></li>"]
        menu[-2:-2] = item
        size += sum(len(line) + 1 for line in item)
    n = 0
    while size < kilobytes * 1000:
        icon = (f'    <symbol id="icon-{n}" viewBox="0 0 24 24"><path d="M{n % 24} 2l{n % 9 + 1} {n % 5 + 3}h-{n % 7 + 2}z'
                f'M4 {n % 20}h16v2H4z"/></symbol>')
        tail.insert(-1, icon)
        size += len(icon) + 1
        n += 1
    return tuple(head), tuple(menu), tuple(tail)  # remembered: the same for every page


def render_html(page: Page, title: str, url: str, crumbs: str, review: str, frame: int = 0) -> tuple[list[str], list[dict]]:
    rng = page.rng
    head, menu, tail = heavy_frame(frame)
    e = lambda s: escape(s, quote=False).replace("\u2013", "&ndash;" if rng.random() < 0.5 else "\u2013")  # noqa: E731
    nav = "".join(f'\n        <li><a href="/{x.lower().replace(" ", "-")}">{x}</a></li>' for x in
                  ("Cancer types", "Treatment", "Support &amp; services", "Research", "Get involved", "Donate"))
    lines = [
        '<!DOCTYPE html>', '<html lang="en-CA">', '<head>', '  <meta charset="utf-8">',
        '  <meta name="viewport" content="width=device-width, initial-scale=1">',
        f'  <title>{e(title)} | {SITE}</title>', f'  <meta name="description" content="{e(title)}: treatment options explained.">',
        f'  <link rel="canonical" href="{url}">', '  <link rel="stylesheet" href="/static/css/site.css">', *head, '</head>',
        '<body class="page-template-article">', '  <a class="skip-link" href="#main">Skip to main content</a>',
        '  <div class="cookie-banner" role="dialog"><p>This website uses cookies to understand how visitors use it.</p>'
        '<button>Accept all cookies</button> <button>Manage cookies</button></div>',
        '  <header class="site-header">',
        f'    <a href="/" class="logo"><img src="/static/img/logo.svg" alt="{SITE} logo" width="180" height="48"></a>',
        f'    <nav class="main-nav" aria-label="Main menu">\n      <ul>{nav}\n      </ul>\n    </nav>', *menu, '  </header>',
        f'  <nav class="breadcrumb" aria-label="Breadcrumb">You are here: <a href="/">Home</a> &gt; {crumbs.replace(">", "&gt;")}</nav>',
        '  <main id="main">', '    <article class="cms-article">', f'      <h1>{e(title)}</h1>',
        f'      <p class="review-date">Last medical review: {review.replace(" ", "&nbsp;")}</p>',
    ]
    lines = "\n".join(lines).split("\n")
    planted: list[dict] = []
    for kind, body, errors in page.blocks:
        for err in errors:
            planted.append({**err, "line": len(lines) + 1})
        if kind in ("p", "h2"):
            lines.append(f"      <{kind}>{e(body)}</{kind}>")
        elif kind == "ul":
            lines.append("      <ul>")
            for text, errs in body:
                planted.extend({**x, "line": len(lines) + 1} for x in errs)
                lines.append(f"        <li>{e(text)}</li>")
            lines.append("      </ul>")
        else:
            lines += ['      <table class="drug-table">', '        <thead><tr><th scope="col">Drug</th><th scope="col">Brand name</th>'
                      '<th scope="col">How it is given</th></tr></thead>', "        <tbody>"]
            for cells, errs in body:
                planted.extend({**x, "line": len(lines) + 1} for x in errs)
                lines.append("          <tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
            lines += ["        </tbody>", "      </table>"]
    teasers = "".join(f'\n      <div class="teaser"><h3>{t}</h3><p>Practical advice from our nurses and from people who have been through it.</p>'
                      f'<a href="/support/{i}">Read more</a></div>' for i, t in enumerate(rng.sample(TEASERS, 3)))
    lines += ["    </article>", f'    <aside class="related-links">\n      <h2>Related pages</h2>{teasers}\n    </aside>', "  </main>",
              '  <footer class="site-footer">',
              '    <p class="disclaimer">The information on this page is general and does not replace advice from your own doctor or care team.</p>',
              "    <p>Cancer information line 1-800-555-0199</p>", f"    <p>&copy; 2025 {SITE}. All rights reserved.</p>",
              "  </footer>", *tail, "</body>", "</html>"]
    return lines, planted


def render_plain(page: Page, title: str, url: str, crumbs: str, review: str, markdown: bool) -> tuple[list[str], list[dict]]:
    if markdown:
        lines = ["---", f"title: {title}", f"url: {url}", f"last_reviewed: {review}", "---", "", f"# {title}", ""]
    else:
        lines = [f"{SITE} logo", "", f"You are here: Home > {crumbs}", "", title, "", f"Last medical review: {review}", ""]
    planted: list[dict] = []
    for kind, body, errors in page.blocks:
        planted.extend({**x, "line": len(lines) + 1} for x in errors)
        if kind in ("p", "h2"):
            lines += [f"## {body}" if kind == "h2" and markdown else body, ""]
            continue
        if kind == "table":
            body = [(f"{g} ({b}) \u2013 {how}" if b else f"{g} \u2013 {how}", errs) for (g, b, how), errs in body]
        for text, errs in body:
            planted.extend({**x, "line": len(lines) + 1} for x in errs)
            lines.append(f"- {text}" if markdown else f"  \u2022 {text}")
        lines.append("")
    if markdown:
        lines += ["Read about [coping with fatigue](/support/fatigue) and [clinical trials](/research/trials)."]
    else:
        lines += ["Medical disclaimer", "", "The information on this page is general and does not replace advice from your own doctor.",
                  "", f"1-800-555-0199 | \u00a9 2025 {SITE}"]
    return lines, planted


def make_page(i: int, seed: int, rate: float, facts: dict, varied: float = 0.0, long: int = 1, frame: int = 0) -> tuple[str, str, list[dict], int]:
    """(relative path, text, planted errors, opportunities) of page i."""
    rng = random.Random(f"rxqa-bench:{seed}:{i}")
    folder, topic = rng.choice(CANCERS), rng.choice(TOPICS)
    cancer = folder if folder in ("leukemia", "lymphoma", "melanoma", "myeloma", "sarcoma") else f"{folder} cancer"
    roll = rng.random()
    ext = "html" if roll < 0.8 else "md" if roll < 0.9 else "txt"
    title = f"{topic.replace('-', ' ').capitalize()} for {cancer}"
    url = f"https://example.org/cancer-types/{folder}/{topic}-{i}"
    crumbs = f"Cancer types > {cancer.capitalize()} > {topic.replace('-', ' ').capitalize()}"
    review = f"{rng.choice(MONTHS)} {rng.randint(2021, 2025)}"
    page = Page(rng, facts, rate, varied, random.Random(f"rxqa-bench-varied:{seed}:{i}"))
    for _ in range(long):  # a long page: as many articles' sections, one after another
        page.build(cancer)
    if ext == "html":
        lines, planted = render_html(page, title, url, crumbs, review, frame)
    else:
        lines, planted = render_plain(page, title, url, crumbs, review, ext == "md")
    rel = f"{folder}/{i // 1000:03d}/{topic}-{i:06d}.{ext}"
    return rel, "\n".join(lines) + "\n", [{"page": rel, **p} for p in planted], page.opportunities


def planted_path(out: Path) -> Path:
    return out.parent / f"{out.name}.planted.json"


def generate(pages: int, out: Path, seed: int = 1, rate: float = 0.05, varied: float = 0.0, long: int = 1, frame: int = 0) -> dict:
    facts = load_facts()
    out.mkdir(parents=True, exist_ok=True)
    planted, opportunities, sizes = [], 0, {"html": 0, "md": 0, "txt": 0}
    counts = dict.fromkeys(sizes, 0)
    for i in range(pages):
        rel, text, errors, opp = make_page(i, seed, rate, facts, varied, long, frame)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        ext = rel.rsplit(".", 1)[1]
        sizes[ext] += len(data)
        counts[ext] += 1
        planted += errors
        opportunities += opp
    summary = {"pages": pages, "seed": seed, "error_rate": rate, "varied": varied, "long": long, "frame": frame, "files": counts, "bytes": sizes,
               "opportunities": opportunities, "planted": len(planted), "errors": planted}
    planted_path(out).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def add_site_options(ap: argparse.ArgumentParser) -> None:
    """The options that shape a site beyond its size and seed (also bench.py's)."""
    ap.add_argument("--varied", type=float, default=0.0, help="share of paragraphs given a sentence of their own "
                    "(0 to 1; a site whose wording repeats less; default 0)")
    ap.add_argument("--long", type=int, default=1, help="each page holds this many articles' sections (long pages; default 1)")
    ap.add_argument("--frame", type=int, default=0, help="KB of site frame a content management system adds to each HTML page "
                    "(inline style and scripts, a menu of every cancer type, a sprite of icons; default 0: the light frame alone)")


def check_site_options(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if not 0 <= args.varied <= 1:
        ap.error("--varied is a share, from 0 to 1")
    if args.long < 1:
        ap.error("--long is a whole number of articles, at least 1")
    if args.frame < 0:
        ap.error("--frame is a size in KB, at least 0")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--error-rate", type=float, default=0.05)
    add_site_options(ap)
    args = ap.parse_args()
    check_site_options(ap, args)
    s = generate(args.pages, args.out, args.seed, args.error_rate, args.varied, args.long, args.frame)
    total = sum(s["bytes"].values())
    print(f"{args.out}: {s['pages']} pages ({s['files']}), {total / 1e6:.1f} MB, html avg {s['bytes']['html'] / max(s['files']['html'], 1) / 1e3:.1f} KB; "
          f"{s['planted']} errors planted in {s['opportunities']} opportunities -> {planted_path(args.out)}")


if __name__ == "__main__":
    main()
