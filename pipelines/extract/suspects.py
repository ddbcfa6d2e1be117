"""Words in running text that look like misspelt drug or brand names, and unknown drugs."""
from __future__ import annotations

import re

from ..link import Linker, word_frequency

_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z-]{3,30}[A-Za-z](?![\w-])")
# Stems that only drug names end with: a word with one of them is a drug even when the reference lacks it.
DRUG_STEM = re.compile(
    r"(?:mab|tinib|ciclib|parib|zomib|platin|rubicin|taxel|mustine|tecan|trexed|citabine|fosfamide|lutamide|"
    r"rafenib|lisib|degib|tansine|vedotin|deruxtecan|gatran|relix|stat|ximab|zumab|mumab|tuzumab|kinib)$"
)


def suspect_words(text: str, linker: Linker, taken: list[tuple[int, int]]):
    """(start, end, word, suggestion or None) for words that are not known names: probable
    misspellings, and words with a drug's stem that the reference lacks."""
    used = bytearray(len(text) + 1)
    for a, b in taken:
        used[a:b] = b"\x01" * (b - a)
    for m in _WORD.finditer(text):
        if used[m.start()] or used[m.end() - 1]:
            continue
        word = m.group()
        lower = word.lower()
        if word_frequency(lower) >= 1.5 or linker.reference.is_term(word):
            continue
        suggestion = linker.suggest_drug(word, cutoff=86.0) if len(word) >= 5 else None
        drug_like = bool(DRUG_STEM.search(lower)) and lower == word
        if suggestion is None and not drug_like:
            continue
        if suggestion is not None and word_frequency(lower) >= 2.5:
            continue
        yield m.start(), m.end(), word, suggestion
