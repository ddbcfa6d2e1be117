"""Chrome lines: the rules' patterns are searched as one, and judge each line as they would one by one."""
from __future__ import annotations

import re

import pytest

from pipelines.ingest.chrome import ChromeRules

PATTERN_SETS = {
    "all ignore case": [("(?i)\\bsponsored\\b", 0), ("(?i)^advert", 0), ("cookie policy$", re.IGNORECASE)],
    "all match case": [("\\bSponsored\\b", 0), ("^Advert", 0), ("Cookie policy$", 0)],
    "mixed": [("(?i)\\bsponsored\\b", 0), ("^Advert", 0), ("Cookie policy$", 0), ("(?i)^share (this|on)\\b", 0)],
}
TEXTS = ["SPONSORED content", "Sponsored content", "advert below", "Advert below", "our Cookie policy", "our cookie policy",
         "Share this page", "share on", "sharing is caring", "  Advert with spaces around  ", "nothing here", ""]


@pytest.mark.parametrize("name", PATTERN_SETS)
@pytest.mark.parametrize("text", TEXTS)
def test_a_line_is_chrome_when_one_of_the_patterns_finds_it(name, text):
    patterns = [re.compile(source, flags) for source, flags in PATTERN_SETS[name]]
    rules = ChromeRules(lines=patterns)
    assert rules.is_chrome_line(text) == any(p.search(text.strip()) for p in patterns)
