from __future__ import annotations

import codecs
from pathlib import Path

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


def _html_page(head: str, body: str) -> str:
    return f"<!doctype html><html><head>{head}<title>Treatment</title></head><body><p>{body}</p></body></html>"


FRENCH = "Le traitement \u2013 irinot\u00e9can, \u0153uvre \u201cFOLFIRI\u201d"


@pytest.mark.parametrize(
    "page,encoding,html,text,said",
    [
        # an HTML page's declared encoding is read as a browser reads it
        (_html_page('<meta charset="windows-1252">', FRENCH), "cp1252", True, FRENCH, "windows-1252, declared in the page"),
        # Latin-1 and ASCII labels mean windows-1252 to a browser: curly quotes, not control characters
        (_html_page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', FRENCH), "cp1252", True, FRENCH,
         "iso-8859-1, declared in the page, as a browser reads it (cp1252)"),
        (_html_page('<meta charset="ISO-8859-9">', "Ate\u015finiz \u201cy\u00fckselirse\u201d"), "cp1254", True,
         "Ate\u015finiz \u201cy\u00fckselirse\u201d", "iso-8859-9, declared in the page, as a browser reads it (cp1254)"),
        ('<?xml version="1.0" encoding="ISO-8859-15"?>' + _html_page("", "Co\u00fbt : 20 \u20ac"), "iso8859-15", True,
         "Co\u00fbt : 20 \u20ac", "iso-8859-15, declared in the page"),
        (_html_page("<meta charset=koi8-r>", "\u0446\u0438\u0441\u043f\u043b\u0430\u0442\u0438\u043d"), "koi8-r", True,
         "\u0446\u0438\u0441\u043f\u043b\u0430\u0442\u0438\u043d", "koi8-r, declared in the page"),
        # only the charset attribute of a <meta>, or the content of one whose http-equiv is Content-Type, outside comments
        (_html_page('<!-- <meta charset="koi8-r"> --><meta name="description" content="Fixing charset=iso-8859-2 errors">'
                    '<meta data-charset="iso-8859-5"><meta charset="windows-1252">', FRENCH), "cp1252", True, FRENCH,
         "windows-1252, declared in the page"),
        # labels only the WHATWG standard knows, and its readings (Shift_JIS as windows-31J, with its circled digits)
        (_html_page('<meta charset="x-mac-roman">', "Le doc\u00e9taxel est donn\u00e9 \u00e0 long terme."), "mac_roman", True,
         "Le doc\u00e9taxel est donn\u00e9 \u00e0 long terme.", "x-mac-roman, declared in the page"),
        (_html_page('<meta charset="windows-874">', "\u0e22\u0e32\u0e40\u0e04\u0e21\u0e35\u0e1a\u0e33\u0e1a\u0e31\u0e14"), "cp874", True,
         "\u0e22\u0e32\u0e40\u0e04\u0e21\u0e35\u0e1a\u0e33\u0e1a\u0e31\u0e14", "windows-874, declared in the page"),
        (_html_page('<meta charset="Shift_JIS">', "\u2460\u8a3a\u5bdf\u306e\u3042\u3068\u2461\u63a1\u8840\u3067\u3059"), "cp932", True,
         "\u2460\u8a3a\u5bdf\u306e\u3042\u3068\u2461\u63a1\u8840\u3067\u3059", "shift_jis, declared in the page, as a browser reads it (cp932)"),
        # "<!-->" is a whole comment; <meta-data> is no <meta>
        (_html_page('<!--><meta-data charset="koi8-r"><meta charset="windows-1252">', FRENCH), "cp1252", True, FRENCH,
         "windows-1252, declared in the page"),
        # no word the page can be taken at: detected
        (_html_page('<meta charset="utf-8">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can", "(detected)"),
        (_html_page('<meta charset="no-such-encoding">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can", "(detected)"),
        (_html_page('<meta charset="base64">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can", "(detected)"),  # a codec, no encoding
        (_html_page('<meta charset="rot13">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can", "(detected)"),
        (_html_page("<!--" + "x" * 1100 + '--><meta charset="windows-1252">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can",
         "(detected)"),  # past the first 1,024 bytes, as for a browser
        (_html_page('<meta charset="iso-2022-jp">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can",
         "(detected)"),  # its bytes are not of the encoding declared
        (_html_page('<meta charset="utf-16">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", True, "irinot\u00e9can",
         "(detected)"),  # a browser reads a declared UTF-16 as UTF-8, which these bytes are not
        # only an HTML page's markup declares
        (_html_page('<meta charset="koi8-r">', "irinot\u00e9can est utilis\u00e9 tr\u00e8s souvent en g\u00e9n\u00e9ral"), "cp1252", False, "irinot\u00e9can", "(detected)"),
    ],
)
def test_declared_encoding_of_an_html_page(page, encoding, html, text, said):
    result = decode(page.encode(encoding), html=html)
    assert result.text is not None and text in result.text
    assert result.note.startswith("not valid UTF-8") and result.note.endswith(said)


def test_a_stray_byte_does_not_undo_a_declaration():
    page = _html_page('<meta charset="windows-1252">', "El ni\u00f1o tendr\u00e1 fiebre " * 5).encode("cp1252").replace(b"El", b"El\x81", 1)
    result = decode(page, html=True)
    assert "El\ufffd ni\u00f1o tendr\u00e1" in result.text  # as a browser shows it, the rest in the declared encoding
    assert result.note.endswith("windows-1252, declared in the page, 1 stray byte as U+FFFD")


def test_an_html_file_is_read_in_its_declared_encoding(tmp_path, chrome):
    page = tmp_path / "traitement.html"
    page.write_bytes(_html_page('<meta charset="windows-1252">', FRENCH).encode("cp1252"))
    doc, problem = read_page(page, "traitement.html", chrome)
    assert FRENCH in [b.text for b in doc.blocks]
    assert problem.severity == "info" and "declared in the page" in problem.message


@pytest.mark.parametrize(
    "text,encoding,said",
    [
        # Western text saved by Windows, nothing declared, that detection gives to a DOS code page: windows-1252, which
        # reads it as well (detection alone read this as cp775, quotes as letters)
        ("Your care team \u2013 nurses and doctors \u2013 will say \u201cFOLFOX\u201d often.", "cp1252", "read as cp1252 (detected)"),
        ("Die Behandlung mit Cisplatin f\u00fcr \u00e4ltere Patienten ist \u00fcblich. Gr\u00fc\u00dfe.", "cp1252", "(detected)"),
        # a Latin text detected as a Windows code page keeps it: on clean text every reading scores alike
        ("Chemoterapie m\u016f\u017ee zp\u016fsobit nevolnost. L\u00e9k se pod\u00e1v\u00e1 do \u017e\u00edly ka\u017ed\u00e9 t\u0159i t\u00fddny.", "cp1250",
         "read as cp1250 (detected)"),
        ("Leczenie trwa sze\u015b\u0107 miesi\u0119cy; gor\u0105czka powy\u017cej 38 stopni wymaga kontaktu z lekarzem.", "cp1250",
         "read as cp1250 (detected)"),
        ("Cisplatyna mo\u017ce powodowa\u0107 nudno\u015bci. Leczenie jest cz\u0119sto stosowane u pacjent\u00f3w.", "cp1250",
         "read as cp1250 (detected)"),
        ("L\u00e9\u010dba cisplatinou a docetaxelem je \u010dast\u00e1. P\u0159\u00edpravek se pod\u00e1v\u00e1 do \u017e\u00edly.", "cp1250",
         "read as cp1250 (detected)"),
        # other scripts are detected
        ("\u041b\u0435\u0447\u0435\u043d\u0438\u0435 \u0446\u0438\u0441\u043f\u043b\u0430\u0442\u0438\u043d\u043e\u043c \u0447\u0430\u0441\u0442\u043e "
         "\u043f\u0440\u0438\u043c\u0435\u043d\u044f\u0435\u0442\u0441\u044f \u0432 \u043b\u0435\u0447\u0435\u043d\u0438\u0438 \u0440\u0430\u043a\u0430.",
         "cp1251", "(detected)"),
        ("\u0397 \u03b8\u03b5\u03c1\u03b1\u03c0\u03b5\u03af\u03b1 \u03bc\u03b5 \u03c3\u03b9\u03c3\u03c0\u03bb\u03b1\u03c4\u03af\u03bd\u03b7 "
         "\u03b5\u03af\u03bd\u03b1\u03b9 \u03c3\u03c5\u03bd\u03b7\u03b8\u03b9\u03c3\u03bc\u03ad\u03bd\u03b7.", "cp1253", "(detected)"),
        ("\u30b7\u30b9\u30d7\u30e9\u30c1\u30f3\u306f\u80c3\u304c\u3093\u306e\u6cbb\u7642\u306b\u4f7f\u308f\u308c\u307e\u3059\u3002", "shift_jis",
         "(detected)"),
    ],
)
def test_undeclared_encoding_detected_windows_1252_on_a_tie(text, encoding, said):
    result = decode(text.encode(encoding))
    assert result.text == text
    assert result.note.startswith("not valid UTF-8") and result.note.endswith(said)


def test_a_regimen_between_windows_quotes_is_found(tmp_path, extract_text, chrome):
    page = tmp_path / "folfox.txt"
    # detection alone took this for cp775, and the quotes for letters: "\u014dFOLFOX\u00f6" names no regimen
    page.write_bytes("Your care team \u2013 nurses and doctors \u2013 may offer \u201cFOLFOX\u201d: leucovorin, fluorouracil and oxaliplatin.\n".encode("cp1252"))
    doc, _ = read_page(page, "folfox.txt", chrome)
    found = extract_text(doc.blocks[0].text)
    assert [(r.name, r.regimen) for r in found.regimens] == [("FOLFOX", "FOLFOX")]


def test_read_page_never_raises(tmp_path, chrome):
    page = tmp_path / "bin.html"
    page.write_bytes(b"\x00\x01\x02" * 100)
    doc, problem = read_page(page, "bin.html", chrome)
    assert doc is None and "binary" in problem.message
    missing = tmp_path / "missing.txt"
    doc, problem = read_page(missing, "missing.txt", chrome)
    assert doc is None and "cannot be read" in problem.message


def test_a_file_over_the_limit_is_named_with_its_size(tmp_path, chrome):
    page = tmp_path / "long.html"
    page.write_bytes(b"<p>FOLFOX</p>" * 1000)  # 13,000 bytes
    doc, problem = read_page(page, "long.html", chrome, max_bytes=12_999)
    assert doc is None and problem.message == "file is 13,000 bytes, over the 12,999-byte limit"
    doc, problem = read_page(str(page), "long.html", chrome, max_bytes=13_000)  # a path given as text too
    assert problem is None and [b.text for b in doc.blocks] == ["FOLFOX"] * 1000
    folder = tmp_path / "folder.html"
    folder.mkdir()
    doc, problem = read_page(folder, "folder.html", chrome)
    assert doc is None and problem.message.startswith("cannot be read: Is a directory")
    if Path("/dev/zero").exists():  # endless, and of no size: the limit is all that can be said
        doc, problem = read_page("/dev/zero", "zero.txt", chrome, max_bytes=1000)
        assert doc is None and problem.message == "file is over the 1,000-byte limit"


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
