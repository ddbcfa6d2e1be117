from __future__ import annotations

import codecs

import pytest

from pipelines.ingest import read_page
from pipelines.ingest.decode import decode


def test_utf8_with_and_without_bom():
    assert decode("caf\u00e9".encode()).text == "caf\u00e9"
    assert decode(codecs.BOM_UTF8 + "caf\u00e9".encode()).text == "caf\u00e9"


def test_utf16_is_read_and_said():
    with_bom = decode("capecitabine (Xeloda)".encode("utf-16"))
    assert with_bom.text == "capecitabine (Xeloda)" and "UTF-16" in with_bom.note
    without_bom = decode("capecitabine (Xeloda) is a pill".encode("utf-16-le"))
    assert without_bom.text == "capecitabine (Xeloda) is a pill" and "without a byte-order mark" in without_bom.note


def test_unreadable_inputs_say_why():
    assert "empty" in decode(b"").problem
    assert "empty" in decode(b"   \n ").problem
    assert "binary" in decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4).problem
    assert "limit" in decode(b"x" * 101, max_bytes=100).problem


def test_other_encodings_are_detected_and_reported():
    result = decode("Le traitement comprend le 5-fluorouracile et l'irinot\u00e9can, tr\u00e8s utilis\u00e9s en g\u00e9n\u00e9ral.".encode("cp1252"))
    assert result.text is not None and "irinot\u00e9can" in result.text
    assert "not valid UTF-8" in result.note


def test_read_page_never_raises(tmp_path, chrome):
    page = tmp_path / "bin.html"
    page.write_bytes(b"\x00\x01\x02" * 100)
    doc, problem = read_page(page, "bin.html", chrome)
    assert doc is None and "binary" in problem.message
    missing = tmp_path / "missing.txt"
    doc, problem = read_page(missing, "missing.txt", chrome)
    assert doc is None and "cannot be read" in problem.message


@pytest.mark.parametrize(
    ("controls", "readable"),
    [(0, True), (4, True), (5, True), (6, False), (60, False)],
)
def test_control_characters_are_counted_alike_in_bytes_and_in_text(controls, readable):
    """A small UTF-8 page has its control characters counted in its bytes: the verdict
    must be the one counting them in the decoded text gives (over 5% is binary)."""
    from pipelines.ingest.decode import _checked

    data = ("é" * 20 + "x" * (80 - controls)).encode() + b"\x01" * controls  # 100 characters, 120 bytes
    text = data.decode("utf-8")
    by_bytes, by_text = _checked(text, "", data), _checked(text, "")
    assert by_bytes == by_text
    assert (by_bytes.text is not None) == readable
