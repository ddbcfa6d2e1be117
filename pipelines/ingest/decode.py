"""Turn a file's bytes into text, or say exactly why that cannot be done."""
from __future__ import annotations

import codecs
import re
import unicodedata
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


# An HTML page's own word on its encoding, looked for in its first 1,024 bytes as a browser does
# (outside comments): a <meta> element's charset attribute, or its content when its http-equiv is
# Content-Type; or an XML declaration.
_COMMENT = re.compile(rb"<!--(?:-?>|.*?(?:-->|$))", re.S)  # "<!-->" is a whole (empty) comment
_META = re.compile(rb"<meta[\s/]([^>]*)>?", re.I)
_ATTRIBUTE = re.compile(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
# The encodings a page may declare, by Python's name for them, read as a browser reads them (the
# WHATWG Encoding Standard: Latin-1 and ASCII as windows-1252, Latin-5 as windows-1254, ...). A name
# not here (a UTF, which the bytes have just failed, or a codec such as base64 or rot13) is not taken.
_AS_A_BROWSER_READS = {
    "ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932", "big5": "big5hkscs",
    **{name: name for name in (
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "cp866",
        "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10",
        "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
        "gb18030", "big5hkscs", "cp932", "euc_jp", "iso2022_jp", "cp949")},
}
# WHATWG labels that Python's codec registry does not know, by the Python name of what they mean
_WHATWG_ONLY_LABELS = {
    "windows-874": "cp874", "dos-874": "cp874", "x-mac-roman": "mac-roman", "mac": "mac-roman", "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic", "iso-8859-8-i": "iso8859-8", "logical": "iso8859-8", "visual": "iso8859-8",
    "x-sjis": "cp932", "windows-31j": "cp932", "x-euc-jp": "euc_jp", "x-gbk": "gbk", "windows-949": "cp949",
    **{f"x-cp125{n}": f"cp125{n}" for n in range(9)}, **{f"iso8859{n}": f"iso8859-{n}" for n in range(1, 17)},
}
_STRAY_SHARE = 0.01  # of a page's characters, undecodable in its declared encoding, read as U+FFFD as a browser would


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
        label, name, codec = declared
        how = f"{label}, declared in the page" + (f", as a browser reads it ({codec})" if name != codec else "")
        text = data.decode(codec, errors="replace")
        stray = text.count("\ufffd")
        if stray <= _STRAY_SHARE * len(text):  # a few bytes out of place, as a browser shows them; more: the page's word is wrong
            return _checked(text, f"{utf8_error}: read as {how}" + (f", {stray} stray byte{'s' if stray > 1 else ''} as U+FFFD" if stray else ""))
    return _detect(data, utf8_error)


def _declared_encoding(data: bytes) -> tuple[str, str, str] | None:
    """(the label, Python's name for it, the codec a browser reads it as) of the encoding an HTML
    page declares; None when it declares none, or none of _AS_A_BROWSER_READS."""
    head = _COMMENT.sub(b"", data[:1024])
    label = None
    for meta in _META.finditer(head):
        attributes = {m[1].lower(): m[2] or m[3] or m[4] or b"" for m in _ATTRIBUTE.finditer(meta[1])}
        if b"charset" in attributes:
            label = attributes[b"charset"].strip()
        elif attributes.get(b"http-equiv", b"").strip().lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attributes.get(b"content", b""))
            label = found[1] if found else None
        if label:
            break
    if not label:
        found = _XML_ENCODING.search(head)
        label = found[1] if found else None
    if not label:
        return None
    text = label.decode("ascii", "replace").lower()
    try:
        name = _WHATWG_ONLY_LABELS.get(text) or codecs.lookup(text).name
    except LookupError:
        return None
    codec = _AS_A_BROWSER_READS.get(name)
    return (text, name, codec) if codec else None


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

    sample = data[:200_000]
    best = from_bytes(sample).best()
    if best is None or best.encoding in (None, "utf_8"):
        return Decoded(None, f"{utf8_error}, and no other encoding fits")
    encoding = best.encoding
    if _DOS_OR_MAC.match(encoding) and _latin_letters_only(str(best)):
        # Latin text that detection gives to a DOS or Mac code page, which web pages and Windows files
        # hardly use, when windows-1252 reads it as well: on short text detection picks such a page
        # (cp775 makes quotes letters, "“FOLFOX”" as "ōFOLFOXö", no regimen). Not against a Windows or
        # ISO code page: on clean text every reading scores alike, and Polish, Czech or Turkish would be lost.
        western = from_bytes(sample, cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos:
            encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return Decoded(None, f"{utf8_error}, and it does not decode as the detected {encoding}")
    return _checked(text, f"{utf8_error}: read as {encoding} (detected)")


_DOS_OR_MAC = re.compile(r"cp(?:437|7\d\d|8[56]\d)$|mac_")


def _latin_letters_only(text: str) -> bool:
    """Whether every letter beyond ASCII in `text` is of the Latin script."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in set(text) if ch.isalpha() and not ch.isascii())
