"""Properties of ingest and extract, checked by Hypothesis on generated pages.

The `fuzz` run is bounded (RXQA_FUZZ_EXAMPLES, default 300 examples per property,
about a minute); for a long local run: RXQA_FUZZ_EXAMPLES=20000 pytest -m fuzz."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines import textutil
from pipelines.ingest import inline
from pipelines.report import html
from pipelines.extract import extract_document
from pipelines.ingest import parse_source

NAMES = ["capecitabine", "Xeloda", "5-FU", "FOLFOX", "oxaliplatin", "interferon alfa", "Intron A", "R-CHOP", "leucovorin", "capecitibine"]
GLUE = [" (", ")", ", ", " and ", " \u2013 ", ": ", " + ", "\n", "\n\n", "  \u2022 ", "# ", "<p>", "</p>", "<li>", "&nbsp;", "&ndash;", " also called ", "|", "\t", "\u200b", "\u00ae", "  "]
page_text = st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(GLUE), st.text(max_size=12)), max_size=60).map("".join)
FUZZ = int(os.environ.get("RXQA_FUZZ_EXAMPLES", "300"))
def common(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def texts_first(*texts: str):
    """Hypothesis tries each of `texts` (as the argument `text`) before its own."""
    def with_examples(test):
        for text in reversed(texts):
            test = example(text=text)(test)
        return test

    return with_examples


def _extract(linker, chrome, source, fmt):
    doc = parse_source(f"p.{fmt}", source, fmt, chrome)
    return doc, extract_document(doc, linker)


@common(80)
@given(source=st.one_of(st.text(), page_text), fmt=st.sampled_from(["html", "markdown", "text"]))
def test_never_raises(linker, chrome, source, fmt):
    _extract(linker, chrome, source, fmt)


def _check_spans(doc, page, source):
    for m in page.drugs:
        assert 0 <= m.where.offset < len(source)
        line, column = doc.line_col(m.where.offset)
        assert (line, column) == (m.where.line, m.where.column)
        at = source[m.where.offset]
        first = m.text[0]
        assert at == first or at == "&" or at.lower() == first.lower() or not first.isalnum(), (m.text, source[m.where.offset:m.where.offset + 20])
        for item in m.items:
            assert 0 <= item.where.offset < len(source)


@common(80)
@given(source=page_text, fmt=st.sampled_from(["html", "markdown", "text"]))
def test_spans_point_at_the_text_as_written(linker, chrome, source, fmt):
    doc, page = _extract(linker, chrome, source, fmt)
    _check_spans(doc, page, source)


@common(40)
@given(first=page_text, second=page_text)
def test_a_page_is_extracted_the_same_alone_or_with_others(linker, chrome, first, second):
    alone = _extract(linker, chrome, first, "text")[1]
    _extract(linker, chrome, second, "text")
    again = _extract(linker, chrome, first, "text")[1]
    assert [(m.text, m.generic, m.where.offset) for m in alone.drugs] == [(m.text, m.generic, m.where.offset) for m in again.drugs]


@pytest.mark.fuzz
@common(FUZZ)
@given(source=st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), page_text), fmt=st.sampled_from(["html", "markdown", "text"]))
def test_fuzz_ingest_and_extract(linker, chrome, source, fmt):
    doc, page = _extract(linker, chrome, source, fmt)
    _check_spans(doc, page, source)


LABELS = ["windows-1252", "ISO-8859-1", "koi8-r", "utf-8", "utf-16", "base64", "rot13", "undefined", "unicode_escape", "x", "", "shift_jis"]
HEADS = st.builds(lambda label, form, junk: form.format(label) + junk, st.sampled_from(LABELS),
                  st.sampled_from(['<meta charset="{}">', "<meta http-equiv=Content-Type content='text/html; charset={}'>",
                                   '<?xml version="1.0" encoding="{}"?>', "<!-- <meta charset={}> -->", "<meta charset={}"]),
                  st.binary(max_size=60).map(lambda b: b.decode("latin-1")))


@pytest.mark.fuzz
@common(FUZZ)
@given(head=HEADS, body=st.binary(max_size=300), html_page=st.booleans())
def test_fuzz_decode_never_raises(head, body, html_page):
    """Any bytes, with any declaration: text, or a problem said, never an exception."""
    from pipelines.ingest.decode import decode

    result = decode(head.encode("latin-1") + body, html=html_page)
    assert (result.text is None) != (result.problem == "")


# what normalise_with_map treats apart (spaces of every kind, dashes, quotes, marks, invisible
# and control characters, a letter that lowers to two), among plain and accented letters
NORMALISED = "aZ5 -,.(é\u00df\u0130\t\n\r\x0b\x1f\u2028\u3000" + textutil.DASHES + textutil.MARKS + textutil.INVISIBLE + textutil.SPACES + "".join(textutil.QUOTES)


@common(FUZZ)
@given(text=st.text(alphabet=NORMALISED, max_size=16))
@texts_first(" ab", "ab ", "a  b", "a\tb", "a\u00aeb", "\u0130b")
def test_normalising_takes_a_shortcut_only_where_it_gives_the_same(text):
    normalised, index = textutil.normalise_with_map(text)
    assert (normalised, list(index)) == textutil._normalise_char_by_char(text)


MARKUP = "ab1 _*`~[]()!<>&#;x\\/\n:"  # the characters inline markup is made of, and some that are not


@common(FUZZ)
@given(text=st.text(alphabet=MARKUP, max_size=40))
@texts_first("a_b _c_ d_", "![x](y) [a](b)", "&amp;&#65;&x", "<b>c</b> <http://e>")
def test_inline_tokens_are_found_where_the_whole_expression_finds_them(text):
    found = [(m.span(), m.lastgroup) for m in inline._tokens(text)]
    assert found == [(m.span(), m.lastgroup) for m in inline._TOKEN.finditer(text)]


URL_PARTS = ["https://", "http://", "HTTP://", "javascript:", "//", "/", "?", "#", "[", "]", ":", "@", "example.org", "x", "\uff0e", "é", "%2F", "80"]


@common(FUZZ)
@given(url=st.lists(st.sampled_from(URL_PARTS), max_size=8).map("".join))
@example(url="https://")
@example(url="http://?q")
@example(url="https://[::1")
@example(url="http://a\uff0fb")
def test_a_link_is_judged_as_urlsplit_judges_it(url):
    assert html.safe_url(url) == ("" if html._UNSAFE_IN_URL.search(url) else html._split_url(url))
