"""The benchmark's rerun edits: on a site bench.py did not generate (`--site`), every edited
page gets its sentence where rxqa reads it, in the page's own encoding and line breaks, so
the rerun has a new finding on each."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from edits import EDIT, change_pages, gained_a_finding, page_findings  # noqa: E402

CHROME = '<header><nav><a href="/">Home</a></nav></header>'
FOOTER = "<footer><p>Call our information line. Reviewed by our nurses.</p></footer>"
ADDED = f"<p>{EDIT}</p>\n"

# name: (bytes, what the edited page must be)
PAGES = {
    "a-article.html": (f"<html><body>{CHROME}<article><h1>Lung cancer</h1><p>Treatment may include docetaxel (Taxotere).</p>"
                       f"</article>{FOOTER}</body></html>", lambda t: t.replace("</article>", ADDED + "</article>")),
    "b-two-articles.HTM": (f"<html><body><article><h1>Colon cancer</h1><p>FOLFOX is common.</p></article>"
                           f"<ARTICLE><h2>More</h2><p>Ask your team.</p></ARTICLE >{FOOTER}</body></html>",
                           lambda t: t.replace("</ARTICLE >", ADDED + "</ARTICLE >")),
    "c-main.html": (f"<html><body>{CHROME}<main><h1>Breast cancer</h1><p>Tamoxifen is a hormone therapy.</p></main>"
                    f"{FOOTER}<noscript><main>Turn on scripts.</main></noscript><script>var x = '</main>';</script>"
                    f"<!-- </main> --></body></html>", lambda t: t.replace("</main><footer>", ADDED + "</main><footer>")),
    "d-body.html": ("<html><body><h1>Myeloma</h1><p>Lenalidomide (Revlimid) is a pill.</p></body></html>",
                    lambda t: t.replace("</body>", ADDED + "</body>")),
    "e-fragment.html": ("<h1>Melanoma</h1>\n<p>Pembrolizumab (Keytruda) is an immunotherapy.</p>\n", lambda t: t + ADDED),
    # Markdown and text: a paragraph at the blank line nearest the middle (a page's last lines may be its footer)
    "f-page.md": ("---\ntitle: Bladder cancer\n\nauthor: a nurse\n---\n\n# Bladder cancer\n\nCisplatin (Platinol) is a chemotherapy.\n",
                  lambda t: t.replace("\n\nCisplatin", f"\n\n{EDIT}\n\nCisplatin")),
    "g-page.txt": ("Prostate cancer\n\nAbiraterone (Zytiga) is a hormone therapy.\n\nMore help\n\nCall us.\n\n\n",
                   lambda t: t.replace("\n\nMore help", f"\n\n{EDIT}\n\nMore help")),
    # the middle of this page is inside its fenced block, where the sentence would be code: it goes before the fence
    "f-fenced.md": ("# Colon cancer\n\nCapecitabine (Xeloda) is a pill.\n\n```\ndose table\n\n"
                    + "\n\n".join(f"day {day}: one tablet twice a day" for day in range(1, 15)) + "\n```\n",
                    lambda t: t.replace("\n\n```", f"\n\n{EDIT}\n\n```")),
    "g-one-paragraph.txt": ("Prostate cancer: abiraterone (Zytiga) is a hormone therapy.\n", lambda t: f"{t.rstrip()}\n\n{EDIT}\n"),
    "h-windows.html": ("<html>\r\n<body>\r\n<article>\r\n<h1>Kidney cancer</h1>\r\n<p>Sunitinib (Sutent) is a pill.</p>\r\n"
                       "</article>\r\n</body>\r\n</html>\r\n", lambda t: t.replace("</article>", f"<p>{EDIT}</p>\r\n</article>")),
    "i-windows.txt": ("Liver cancer\r\n\r\nSorafenib (Nexavar) is a pill.\r\n", lambda t: t.replace("\r\n\r\nSorafenib", f"\r\n\r\n{EDIT}\r\n\r\nSorafenib")),
}
ENCODED = {  # pages in another encoding: (codec, byte-order mark)
    "j-cp1252.html": ("cp1252", b"", "<html><body><article><h1>Caf\u00e9 talk \u2013 stomach cancer</h1><p>Trastuzumab (Herceptin) "
                      "is given by drip.</p></article></body></html>"),
    "k-utf16.html": ("utf-16-le", b"\xff\xfe", "<html><body><article><h1>Ovarian cancer</h1><p>Olaparib (Lynparza) is a pill.</p>"
                     "</article></body></html>"),
}


@pytest.fixture
def foreign_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name, (text, _) in PAGES.items():
        (site / name).write_bytes(text.encode("utf-8"))
    for name, (codec, mark, text) in ENCODED.items():
        (site / name).write_bytes(mark + text.encode(codec))
    (site / ".hidden.html").write_bytes(b"<p>rxqa never reads a hidden page</p>")
    return site


def test_every_page_of_a_foreign_site_is_edited_where_its_content_is(foreign_site):
    edited = change_pages(foreign_site, 1.0, generated=False)
    assert sorted(path.name for path in edited) == sorted([*PAGES, *ENCODED])  # the pages rxqa reads, and no other
    for name, (before, expected) in PAGES.items():
        assert (foreign_site / name).read_bytes() == expected(before).encode("utf-8"), name
    for name, (codec, mark, before) in ENCODED.items():
        after = (foreign_site / name).read_bytes()
        assert after.startswith(mark) and after[len(mark):].decode(codec) == before.replace("</article>", ADDED + "</article>"), name
    assert (foreign_site / ".hidden.html").read_bytes() == b"<p>rxqa never reads a hidden page</p>"


def test_the_edits_give_a_new_finding_on_every_edited_page(foreign_site, tmp_path):
    from pipelines import check
    from pipelines.report import write_reports

    def findings(folder: Path):
        result = check([foreign_site], reference=str(ROOT / "data" / "reference"), market="CA")
        write_reports(result, folder, skip={"data_docs"})
        return page_findings(folder / "findings.csv")

    before = findings(tmp_path / "before")
    edited = [path.name for path in change_pages(foreign_site, 1.0, generated=False)]
    assert set(gained_a_finding(before, findings(tmp_path / "after"), edited)) == set(edited) == {*PAGES, *ENCODED}


def test_every_page_of_the_sample_content_gains_a_finding(tmp_path):
    """The bundled sample pages (HTML, Markdown and text, each with a site frame of its own kind)."""
    from pipelines import check
    from pipelines.report import write_reports

    site = tmp_path / "content"
    shutil.copytree(ROOT / "data" / "content", site)

    def findings(folder: Path):
        write_reports(check([site], reference=str(ROOT / "data" / "reference"), market="CA"), folder, skip={"data_docs"})
        return page_findings(folder / "findings.csv")

    before = findings(tmp_path / "before")
    edited = change_pages(site, 1.0, generated=False)
    names = [path.relative_to(site).as_posix() for path in edited]
    assert len(names) >= 10 and {path.suffix for path in edited} >= {".html", ".md", ".txt"}
    assert gained_a_finding(before, findings(tmp_path / "after"), names) == names


@pytest.mark.parametrize("before, after, gained", [
    ({}, {"a": Counter({("BG001", "Xeloda"): 1})}, ["a"]),
    ({"a": Counter({("SC004", "Chemotherapy"): 1})}, {"a": Counter({("BG001", "Xeloda"): 1})}, ["a"]),  # one came, one went
    ({"a": Counter({("BG001", "Xeloda"): 1})}, {"a": Counter({("BG001", "Xeloda"): 2})}, ["a"]),  # the same finding once more
    ({"a": Counter({("BG001", "Xeloda"): 1})}, {"a": Counter({("BG001", "Xeloda"): 1})}, []),
    ({"a": Counter({("BG001", "Xeloda"): 1})}, {}, []),
])
def test_a_page_gained_a_finding_when_it_has_one_it_did_not_have(before, after, gained):
    assert gained_a_finding(before, after, ["a"]) == gained


def test_a_generated_site_is_edited_as_before(tmp_path):
    html = "<html><body><main>\n    <article>\n      <p>Intro.</p>\n    </article>\n</main></body></html>\n"
    text = "\n".join(f"line {n}" for n in range(12)) + "\n"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.md").write_text(text, encoding="utf-8")
    change_pages(tmp_path, 1.0)
    # where the pages generate_site.py writes have room for a paragraph: before the article's end, or after the eighth line
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == (
        "<html><body><main>\n    <article>\n      <p>Intro.</p>\n"
        f"      <p>{EDIT}</p>\n    </article>\n</main></body></html>\n")
    assert (tmp_path / "b.md").read_text(encoding="utf-8").split("\n")[7:11] == ["line 7", EDIT, "", "line 8"]


@pytest.mark.parametrize("args, says", [
    (["--site", "{missing}"], "not a folder"),
    (["--site", "{empty}"], "no page rxqa reads under it"),
    (["--site", "{site}", "--frame", "40"], "with --site alone none is generated"),
    (["--site", "{site}", "--seed", "7"], "with --site alone none is generated"),
    (["--site", "{site}", "--keep", "{site}/kept"], "is inside --site"),
])
def test_bench_refuses_a_site_it_cannot_time(foreign_site, tmp_path, args, says):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    names = {"missing": tmp_path / "missing", "empty": tmp_path / "empty", "site": foreign_site}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), *(a.format(**names) for a in args)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and says in done.stderr.strip().splitlines()[-1]
    assert not (foreign_site / "kept").exists()
