"""Chrome lines: the rules' patterns are searched as one, and judge each line as they would one by one."""
from __future__ import annotations

import re

import pytest

from pipelines.ingest.chrome import ChromeRules

PATTERN_SETS = {
    "all ignore case": [("(?i)\\bsponsored\\b", 0), ("(?i)^advert", 0), ("cookie policy$", re.IGNORECASE)],
    "all match case": [("\\bSponsored\\b", 0), ("^Advert", 0), ("Cookie policy$", 0)],
    "mixed": [("(?i)\\bsponsored\\b", 0), ("^Advert", 0), ("Cookie policy$", 0), ("(?i)^share (this|on)\\b", 0)],
    # groups referred to by number or name: searched on their own, where they mean what they say
    "groups": [("(?i)^(share) (this|on)\\b", 0), ("^(\\w+) \\1$", 0), ("(?P<w>Advert)", 0), ("(?i)(?P<w>cookie) policy", 0),
               ("^(?:(Sponsored)|content)(?(1) content)$", 0)],
}
TEXTS = ["SPONSORED content", "Sponsored content", "advert below", "Advert below", "our Cookie policy", "our cookie policy",
         "Share this page", "share on", "sharing is caring", "  Advert with spaces around  ", "nothing here", "", "bye bye",
         "bye Bye", "this this", "content"]


@pytest.mark.parametrize("name", PATTERN_SETS)
@pytest.mark.parametrize("text", TEXTS)
def test_a_line_or_heading_is_chrome_when_one_of_the_patterns_finds_it(name, text):
    patterns = [re.compile(source, flags) for source, flags in PATTERN_SETS[name]]
    rules = ChromeRules(lines=patterns, sections=patterns)
    assert rules.is_chrome_line(text) == any(p.search(text.strip()) for p in patterns)
    assert rules.starts_chrome_section(text + ":") == any(p.search(text.strip()) for p in patterns)


def test_chrome_rules_that_cannot_be_used_are_a_one_line_error(tmp_path):
    from pipelines.errors import ConfigInvalid

    broken = tmp_path / "chrome.yaml"
    broken.write_text("lines:\n  - '(unclosed'\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid, match=r"chrome.yaml: the chrome rules cannot be used \(missing \), unterminated subpattern"):
        ChromeRules.load(broken)
    broken.write_text("lines: [unclosed\n  - x: y\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid) as caught:
        ChromeRules.load(broken)
    assert "\n" not in str(caught.value)
    fine = tmp_path / "fine.yaml"
    fine.write_text("{}\n", encoding="utf-8")
    with pytest.raises(ConfigInvalid, match="fine.yaml: the chrome rules cannot be used \\(unsupported chrome selector 'div > p'"):
        ChromeRules.load(fine, extra_selectors=["div > p"])
    with pytest.raises(ConfigInvalid, match="missing.yaml: the chrome rules cannot be used"):
        ChromeRules.load(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("pattern", "usable"), [
    ("(?i)\\bsponsored\\b", True),
    ("(unclosed", False),
    ("(?i)(?s)^sponsored", False),  # Python takes it alone; joined with the others, its flags stand mid-pattern
    ("(?s)^(\\w+) \\1$", True),  # refers to its group: searched on its own, where its flags may stand first
])
def test_a_pattern_is_usable_as_the_rules_use_it(pattern, usable):
    from pipelines.ingest.chrome import check_pattern

    if usable:
        check_pattern(pattern)
        rules = ChromeRules(lines=[re.compile(pattern)])
        assert rules.is_chrome_line("SPONSORED" if "sponsored" in pattern else "bye bye")
    else:
        with pytest.raises(re.error):
            check_pattern(pattern)
