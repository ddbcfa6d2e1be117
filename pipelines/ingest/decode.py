"""Turn a file's bytes into text, or say exactly why that cannot be done."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])  # the same characters, as UTF-8 bytes
_SAMPLE = 20000  # characters looked at for control characters


@dataclass(frozen=True)
class Decoded:
    text: str | None
    problem: str = ""  # why the page cannot be read (text is None) ...
    note: str = ""  # ... or a caveat about how it was read (text is set)


# An HTML page's own word on its encoding, looked for in its first 1,024 bytes as a browser does:
# <meta charset="...">, <meta http-equiv="Content-Type" content="text/html; charset=...">, or an XML declaration.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
# labels a browser reads as windows-1252 (the WHATWG Encoding Standard), whose 0x80-0x9F are
# curly quotes and dashes, not Latin-1's invisible control characters
_READ_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
                         "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252", "cp1252", "x-cp1252"}


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES, html: bool = False) -> Decoded:
    """The page's text; for bytes that are not UTF-8, the encoding an HTML page (`html`) declares,
    or else the one detected."""
    if len(data) > max_bytes:
        return Decoded(None, f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    if not data.strip():
        return Decoded(None, "file is empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return Decoded(None, f"has a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}")
            text = text.lstrip("\ufeff")
            return _checked(text, "" if encoding == "utf-8-sig" else "read as UTF-16 (byte-order mark)")
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return _checked(utf16, "read as UTF-16 without a byte-order mark")
        return Decoded(None, "binary file (contains NUL bytes), not a text page")
    try:
        return _checked(data.decode("utf-8"), "", data)
    except UnicodeDecodeError as exc:
        utf8_error = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
    declared = _declared_encoding(data) if html else None
    if declared is not None:
        label, codec = declared
        how = f"{label}, declared in the page" + (", as a browser reads it (windows-1252)" if codec == "cp1252" and label != "windows-1252" else "")
        try:
            return _checked(data.decode(codec), f"{utf8_error}: read as {how}")
        except UnicodeDecodeError:
            pass  # the page's word is wrong: detected instead
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        text, stray = mostly_utf8
        return _checked(text, f"{utf8_error}: read as UTF-8, with U+FFFD for {stray} stray byte{'s' if stray != 1 else ''}")
    western = _as_windows_1252(data)
    if western is not None:
        return _checked(western, f"{utf8_error}: read as windows-1252 (it reads as Western text)")
    return _detect(data, utf8_error)


_LETTERS = re.compile(r"[^\W\d_]{3,}")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few stray bytes (a line pasted from another encoding), read with U+FFFD for
    each, and how many: when its well-formed characters beyond ASCII are at least as many as the
    stray bytes. Text in a single-byte encoding has next to none (an accented letter there is one
    byte, not a lead byte and its continuations), so it is not taken for UTF-8."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    return (text, stray) if len(_UTF8_SEQUENCE.findall(data)) - data.count("\ufffd".encode()) >= stray else None


def _as_windows_1252(data: bytes) -> str | None:
    """The page read as windows-1252 (what Windows saves English, French or German text in, and a
    browser's default for it) when that reads as Western text: among its words of three letters or
    more with a letter beyond ASCII, fewer than a quarter are such letters only. Cyrillic or Greek
    read this way gives words of accented letters only ("Ëå÷åíèå"), and is left to detection, which on
    short Western text picks a code page whose letters differ ("très" as "trčs", quotes as "ōFOLFOXö")."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes that windows-1252 leaves undefined: not Western text
        return None
    beyond = [word for word in _LETTERS.findall(text) if not word.isascii()]
    only_beyond = sum(1 for word in beyond if not any(ch.isascii() for ch in word))
    return text if only_beyond * 4 < len(beyond) or not beyond else None


def _declared_encoding(data: bytes) -> tuple[str, str] | None:
    """(the label, its Python codec) of the encoding an HTML page declares; None when it declares
    none that Python knows, or a UTF (its bytes have just failed UTF-8, and a browser reads a
    declared UTF-16 as UTF-8)."""
    head = data[:1024]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if found is None:
        return None
    label = found.group(1).decode("ascii").lower()
    if label in _READ_AS_WINDOWS_1252:
        return label, "cp1252"
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return None if codec.startswith("utf") else (label, codec)


def _checked(text: str, note: str, utf8: bytes | None = None) -> Decoded:
    if not text.strip():
        return Decoded(None, "file holds only whitespace")
    if utf8 is not None and len(utf8) <= _SAMPLE:  # the whole page: counted in its bytes, faster
        controls = len(utf8) - len(utf8.translate(None, _CONTROL_BYTES))
    else:
        controls = len(_CONTROL.findall(text, 0, _SAMPLE))
    if controls > 0.05 * min(len(text), _SAMPLE):
        return Decoded(None, "binary file (mostly control characters), not a text page")
    return Decoded(text, note=note)


def _utf16_without_bom(data: bytes) -> str | None:
    even_nuls = data[0:4096:2].count(0)
    odd_nuls = data[1:4096:2].count(0)
    sample = min(len(data), 4096) // 2 or 1
    if odd_nuls > 0.4 * sample and even_nuls < 0.05 * sample:
        encoding = "utf-16-le"
    elif even_nuls > 0.4 * sample and odd_nuls < 0.05 * sample:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes, utf8_error: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in (None, "utf_8"):
        return Decoded(None, f"{utf8_error}, and no other encoding fits")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return Decoded(None, f"{utf8_error}, and it does not decode as the detected {best.encoding}")
    checked = _checked(text, f"{utf8_error}: read as {best.encoding} (detected)")
    return checked
