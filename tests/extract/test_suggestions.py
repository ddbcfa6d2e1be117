"""Suggestions for names the reference lacks: only names of a near length are scored,
and the answer must be the one a full scan of every name gives."""
from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from pipelines.textutil import normalise


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("capecitibine", "capecitabine"),
        ("Xelodda", "Xeloda"),
        ("oxaliplatn", "oxaliplatin"),
        ("pembrolizumb", "pembrolizumab"),
        ("neutropenia", None),
        ("Tuesday", None),
    ],
)
def test_a_misspelt_drug_gets_its_name(linker, written, expected):
    found = linker.suggest_drug(written)
    assert (found.name if found else None) == expected


def _misspelt(name: str, rng: random.Random) -> str:
    letters = list(name)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(letters))
        edit = rng.random()
        if edit < 0.3:
            letters.insert(at, rng.choice("aeioulnrst"))
        elif edit < 0.6 and len(letters) > 1:
            del letters[at]
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def test_the_length_window_gives_what_scoring_every_name_gives(linker):
    rng = random.Random(7)
    compared = 0
    for names in (linker._drug_names, linker._regimen_names, linker._word_names):
        everything = list(names.choices)
        for name in rng.sample(everything, min(300, len(everything))):
            query = normalise(_misspelt(name, rng))
            for cutoff in (60.0, 86.0):
                full = process.extractOne(query, everything, scorer=fuzz.ratio, score_cutoff=cutoff)
                assert names.best(query, cutoff) == (full[:2] if full else None), (query, cutoff)
                compared += 1
    assert compared > 1000
