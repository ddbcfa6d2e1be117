"""JSON text, fast: orjson when it can, the standard library when it cannot.

orjson refuses lone surrogates (undecodable bytes a reader kept); the standard
library writes them, and the callers decide how to encode them."""
from __future__ import annotations

import json
from pathlib import Path

import orjson

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_COMPACT = orjson.OPT_NON_STR_KEYS


class RawJSON:
    """Text that is JSON already, placed as it is where it stands in a value given to dumps or
    write_json (indented as the place wants it, for indented JSON)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _fragment(value):
    """orjson's default: RawJSON as it is, the rest as _plain makes it."""
    return orjson.Fragment(value.text) if isinstance(value, RawJSON) else _plain(value)


def _standard(value):
    """The standard library's default: RawJSON read back (it indents it itself), the rest as _plain makes it."""
    return loads(value.text) if isinstance(value, RawJSON) else _plain(value)


def _plain(value):
    """What orjson does not know: numpy scalars, paths, sets."""
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(value, indent: bool = True) -> str:
    try:
        return orjson.dumps(value, option=_INDENTED if indent else _COMPACT, default=_fragment).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2 if indent else None, separators=None if indent else (",", ":"),
                          ensure_ascii=False, default=_standard)


def write_json(path: Path, value) -> None:
    """Write indented JSON and a final line feed to a file, as orjson's own UTF-8 bytes (no
    text copy to make and encode again); lone surrogates (only the standard library writes
    them) become "?"."""
    try:
        data = orjson.dumps(value, option=_INDENTED, default=_fragment)
    except orjson.JSONEncodeError:
        data = dumps(value).encode("utf-8", "replace")
    Path(path).write_bytes(data + b"\n")


def list_items(items: list, depth: int) -> str:
    """The indented JSON text of `items` as they stand in a list `depth` levels deep (in the
    list of the top-level value: 1), without the brackets; "" for none. Pieces of one
    list, put together by raw_list."""
    if not items:
        return ""
    text = dumps(items)[2:-2]  # items two spaces in, one level
    pad = "  " * (depth - 1)
    return pad + text.replace("\n", "\n" + pad) if pad else text


def raw_list(pieces: list[str], depth: int) -> RawJSON:
    """The list made of pieces from list_items, `depth` levels deep, as dumps would indent it."""
    items = [piece for piece in pieces if piece]
    return RawJSON("[\n" + ",\n".join(items) + "\n" + "  " * (depth - 1) + "]" if items else "[]")


def loads(text: str | bytes):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # lone surrogates, which the standard library reads back
        return json.loads(text)
