"""The benchmark's site generator: seeded, and --varied adds wording of a page's own
without changing anything else the seed gives."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_site import generate  # noqa: E402

PARAGRAPH = re.compile(r"<p>([^<]*)</p>")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _paragraphs(folder: Path) -> list[str]:
    return [text for name, data in _files(folder).items() if name.endswith(".html") for text in PARAGRAPH.findall(data.decode("utf-8"))]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("sites")
    made = {}
    for name, seed, varied, long, frame in (("plain", 3, 0.0, 1, 0), ("again", 3, 0.0, 1, 0), ("varied", 3, 1.0, 1, 0), ("other", 4, 0.0, 1, 0),
                                            ("long", 3, 0.0, 3, 0), ("framed", 3, 0.0, 1, 30), ("lightly framed", 3, 0.0, 1, 2)):
        summary = generate(60, base / name, seed=seed, varied=varied, long=long, frame=frame)
        made[name] = (base / name, summary)
    return made


def test_the_same_seed_gives_the_same_site(sites):
    (plain, summary), (again, _) = sites["plain"], sites["again"]
    assert _files(plain) == _files(again)
    assert summary["pages"] == 60 and sum(summary["files"].values()) == 60
    assert _files(plain) != _files(sites["other"][0])


def test_varied_adds_own_sentences_and_keeps_the_rest(sites):
    plain, varied = sites["plain"][0], sites["varied"][0]
    assert list(_files(plain)) == list(_files(varied))  # the same pages, under the same names
    assert sites["plain"][1]["errors"] == sites["varied"][1]["errors"]  # and the same planted errors
    before, after = _paragraphs(plain), _paragraphs(varied)
    assert len(before) == len(after)
    grown = [(b, a) for b, a in zip(before, after) if a != b]
    assert grown and all(a.startswith(b + " ") for b, a in grown)  # a sentence added after the paragraph, nothing else
    assert not any(b.endswith(":") for b, _ in grown)  # a lead-in to a list is left as it is
    # the added sentences are a page's own: no two grown paragraphs are the same
    assert len({a for _, a in grown}) == len(grown) and len(set(after)) > len(set(before))


def test_long_pages_hold_several_articles(sites):
    plain, long = _files(sites["plain"][0]), _files(sites["long"][0])
    assert list(plain) == list(long)
    for name, data in plain.items():
        assert len(long[name]) > 1.5 * len(data)  # the site frame around the article stays one
        if name.endswith(".html"):  # the short page's article comes first, then more of the same kind
            article = set(PARAGRAPH.findall(data.decode("utf-8"))) - {"This website uses cookies to understand how visitors use it."}
            assert article <= set(PARAGRAPH.findall(long[name].decode("utf-8")))
    assert sites["long"][1]["opportunities"] > 2 * sites["plain"][1]["opportunities"]


def test_a_heavy_frame_grows_every_html_page_and_changes_nothing_rxqa_reads(sites):
    from pipelines import check

    plain = _files(sites["plain"][0])
    for site, kilobytes in (("framed", 30), ("lightly framed", 2)):
        framed = _files(sites[site][0])
        assert list(plain) == list(framed)
        for name, data in plain.items():
            if name.endswith(".html"):  # about the size asked for: at least that, and less than a KB more
                assert kilobytes * 1000 <= len(framed[name]) - len(data) < (kilobytes + 1) * 1000, (site, name)
                assert PARAGRAPH.findall(framed[name].decode("utf-8")) == PARAGRAPH.findall(data.decode("utf-8"))
            else:
                assert framed[name] == data, (site, name)
    shifted = lambda errors: [{k: v for k, v in e.items() if k != "line"} for e in errors]  # noqa: E731
    assert shifted(sites["framed"][1]["errors"]) == shifted(sites["plain"][1]["errors"])
    # the frame is all chrome: the same findings, on the lines the planted errors moved to
    reference = str(ROOT / "data" / "reference")
    found = {name: check([sites[name][0]], reference=reference, market="CA").findings for name in ("plain", "framed")}
    what = lambda findings: sorted((f.page, f.code, f.text, f.message) for f in findings)  # noqa: E731
    assert found["plain"] and what(found["framed"]) == what(found["plain"])
    planted_lines = {(e["page"], e["line"]) for e in sites["framed"][1]["errors"]}
    assert {(f.page, f.line) for f in found["framed"]} & planted_lines
