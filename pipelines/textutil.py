"""Text normalisation shared by linking, extraction and fingerprints.

Every function that changes a string's length also returns an index map, so
that a match found in normalised text points back at the text as written.
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
MARKS = "\u00ae\u2122\u00a9\u2120"  # ® ™ © ℠
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SPACES = "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000\t\r\n\f\v"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'"}

_CHAR_MAP: dict[str, str] = {c: "-" for c in DASHES}
_CHAR_MAP.update({c: "" for c in MARKS + INVISIBLE})
_CHAR_MAP.update({c: " " for c in SPACES})
_CHAR_MAP.update(QUOTES)


_ONE_FOR_ONE = str.maketrans({**{c: "-" for c in DASHES}, **{c: " " for c in SPACES}, **QUOTES})
_DROPPED = re.compile(f"[{re.escape(MARKS + INVISIBLE)}]")


def normalise_with_map(text: str) -> tuple[str, "list[int] | range"]:
    """Lower-case, fold dashes, drop ®/™ and invisible characters, collapse spaces.

    Returns the normalised text and, for each of its characters, the index of
    the character it came from in ``text``.
    """
    # most text keeps its length: one character for one, with no space to collapse and none dropped
    if text.isascii() and text.isprintable():  # no control character (tab, line feed) to make a space
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text.lower(), range(len(text))
    else:
        folded = text.translate(_ONE_FOR_ONE)
        if "  " not in folded and folded[:1] != " " and folded[-1:] != " " and not _DROPPED.search(folded):
            folded = folded.lower()
            if len(folded) == len(text):
                return folded, range(len(text))
    return _normalise_char_by_char(text)


def _normalise_char_by_char(text: str) -> tuple[str, list[int]]:
    """normalise_with_map for any text (it takes a shortcut for most)."""
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(text):
        mapped = _CHAR_MAP.get(ch, ch)
        if not mapped:
            continue
        if mapped == " ":
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
            index.append(i)
            continue
        previous_space = False
        lowered = mapped.lower()
        if len(lowered) != 1:  # e.g. 'İ' lowers to two characters; keep one
            lowered = lowered[0]
        out.append(lowered)
        index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """The key under which a name is looked up."""
    return normalise_with_map(text)[0]


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_keys(name: str) -> set[str]:
    """Every lookup key a reference name answers to (hyphen, space and accent variants)."""
    base = normalise(name)
    keys = {base, normalise(strip_accents(name))}
    for key in list(keys):
        if " and " in key:  # "trifluridine and tipiracil" is also written trifluridine-tipiracil, .../..., ... + ...
            for joiner in ("-", "/", " / ", " + ", "+"):
                keys.add(key.replace(" and ", joiner))
    for key in list(keys):
        if "-" in key:
            keys.add(key.replace("-", " "))
            keys.add(key.replace("-", ""))
    return {k for k in keys if k}


def has_trademark_sign(text: str) -> bool:
    return any(c in text for c in "\u00ae\u2122")


MEMO_LIMIT = 200_000


def utf8_name(name: str) -> str:
    """A file name as text any output (and SQLite) can hold: the bytes that are not UTF-8,
    which Python keeps as lone surrogates, written as \\xNN, so that two such names stay apart."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def remember(memo: dict, key, value) -> None:
    """memo[key] = value, emptying the memo first when it is full (a crude, cheap bound)."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
