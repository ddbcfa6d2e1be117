"""A page's view (outcome.encode_view): one line of JSON per block, [kind, heading depth, text],
as jsontext.dumps writes each, whatever the text holds."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from pipelines.jsontext import dumps
from pipelines.outcome import encode_view, view_parts


@pytest.mark.parametrize("blocks", [
    [],
    [((), "Cisplatin (Platinol) is a chemotherapy.", "paragraph")],
    [(("Treatment",), 'a "quote", a back\\slash, a tab\t and a line\nfeed', "list_item"), (("A", "B"), "caf\u00e9 \u2028 \u00ae", "heading")],
    [((), "\x00\x1f controls", "table_cell")],
    [((), "a lone surrogate \udc80 from undecodable bytes", "paragraph"), (("A",), "plain after it", "paragraph")],
])
def test_each_block_is_one_line_of_json_as_dumps_writes_it(blocks):
    view = encode_view(SimpleNamespace(block_texts=blocks))
    parts = view_parts(view)
    assert parts == [dumps([kind, len(path), text], indent=False) for path, text, kind in blocks]
    for part, (path, text, kind) in zip(parts, blocks):
        assert "\n" not in part
        if "\udc80" not in text:
            assert json.loads(part) == [kind, len(path), text]
