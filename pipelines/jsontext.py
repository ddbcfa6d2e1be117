"""JSON text, fast: orjson when it can, the standard library when it cannot.

orjson refuses lone surrogates (undecodable bytes a reader kept); the standard
library writes them, and the callers decide how to encode them."""
from __future__ import annotations

import json
from pathlib import Path

import orjson

_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
_COMPACT = orjson.OPT_NON_STR_KEYS


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
        return orjson.dumps(value, option=_INDENTED if indent else _COMPACT, default=_plain).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2 if indent else None, separators=None if indent else (",", ":"),
                          ensure_ascii=False, default=_plain)


def write_json(path: Path, value) -> None:
    """Write indented JSON and a final line feed to a file, as orjson's own UTF-8 bytes (no
    text copy to make and encode again); lone surrogates (only the standard library writes
    them) become "?"."""
    try:
        data = orjson.dumps(value, option=_INDENTED, default=_plain)
    except orjson.JSONEncodeError:
        data = dumps(value).encode("utf-8", "replace")
    Path(path).write_bytes(data + b"\n")


def loads(text: str | bytes):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # lone surrogates, which the standard library reads back
        return json.loads(text)
