"""The benchmark's rerun edits: on a site bench.py did not generate (`--site`), every edited
page gets its sentence where rxqa reads it, so the rerun has a new finding on each."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench import change_pages  # noqa: E402

SENTENCE = "Some people are given cisplatin (Xeloda) as well."
CHROME = '<header><nav><a href="/">Home</a></nav></header>'
FOOTER = "<footer><p>Call our information line. Reviewed by our nurses.</p></footer>"

PAGES = {
    # name: (text, where the sentence must land: it comes right before this, or at the end when None)
    "a-article.html": (f"<html><body>{CHROME}<article><h1>Lung cancer</h1><p>Treatment may include docetaxel (Taxotere).</p>"
                       f"</article>{FOOTER}</body></html>", "</article>"),
    "b-two-articles.html": (f"<html><body><article><h1>Colon cancer</h1><p>FOLFOX is common.</p></article>"
                            f"<ARTICLE><h2>More</h2><p>Ask your team.</p></ARTICLE >{FOOTER}</body></html>", "</ARTICLE >"),
    "c-main.html": (f"<html><body>{CHROME}<main><h1>Breast cancer</h1><p>Tamoxifen is a hormone therapy.</p></main>"
                    f"{FOOTER}</body></html>", "</main>"),
    "d-body.html": ("<html><body><h1>Myeloma</h1><p>Lenalidomide (Revlimid) is a pill.</p></body></html>", "</body>"),
    "e-fragment.html": ("<h1>Melanoma</h1>\n<p>Pembrolizumab (Keytruda) is an immunotherapy.</p>\n", None),
    "f-page.md": ("---\ntitle: Bladder cancer\n---\n\n# Bladder cancer\n\nCisplatin (Platinol) is a chemotherapy.\n", None),
    "g-page.txt": ("Prostate cancer\n\nAbiraterone (Zytiga) is a hormone therapy.\n", None),
}


@pytest.fixture
def foreign_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name, (text, _) in PAGES.items():
        (site / name).write_text(text, encoding="utf-8")
    return site


def test_every_page_of_a_foreign_site_is_edited_where_its_content_is(foreign_site):
    assert change_pages(foreign_site, 1.0, generated=False) == len(PAGES)
    for name, (before, marker) in PAGES.items():
        after = (foreign_site / name).read_text(encoding="utf-8")
        assert after.count(SENTENCE) == 1, name
        if name.endswith(".html"):
            added = f"<p>{SENTENCE}</p>\n"
            assert after == (before.replace(marker, added + marker) if marker else before + added), name
        else:
            assert after == f"{before.rstrip()}\n\n{SENTENCE}\n", name


def test_the_edits_give_a_new_finding_on_every_edited_page(foreign_site, tmp_path):
    from pipelines import check

    before = check([foreign_site], reference=str(ROOT / "data" / "reference"), market="CA")
    change_pages(foreign_site, 0.5, generated=False)  # every second page
    after = check([foreign_site], reference=str(ROOT / "data" / "reference"), market="CA")

    def xeloda_pages(result) -> set[str]:
        return {f.page for f in result.findings if f.text.lower().startswith("xeloda") or "xeloda" in f.message.lower()}

    edited = {name for name in sorted(PAGES)[::2]}
    assert xeloda_pages(before) == set()
    assert {Path(page).name for page in xeloda_pages(after)} == edited


def test_a_generated_site_is_edited_as_before(tmp_path):
    html = "<html><body><main>\n    <article>\n      <p>Intro.</p>\n    </article>\n</main></body></html>\n"
    text = "\n".join(f"line {n}" for n in range(12)) + "\n"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.md").write_text(text, encoding="utf-8")
    change_pages(tmp_path, 1.0)
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == html.replace("    </article>", f"      <p>{SENTENCE}</p>\n    </article>")
    assert (tmp_path / "b.md").read_text(encoding="utf-8").split("\n")[8:10] == [SENTENCE, ""]
