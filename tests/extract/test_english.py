"""pipelines.english gives wordfreq's own Zipf frequencies, read from its data file."""
import gzip
import random

import msgpack
import pytest
import wordfreq

from pipelines import english


@pytest.mark.parametrize("word", [
    # answered from the data file: lowercase words, joined by punctuation wordfreq splits at, numbers
    "the", "and", "tablet", "given", "oxaliplatin", "eloxatin", "folfox", "zzzqqqx", "two words",
    "l-phenylalanine", "daunorubicin/cytarabine", "(recombinant)-rywn", "pertuzumab,", "lu-177", "13-cis",
    "alfa-2a", "177lu", "2019", "2030", "2060", "1850", "123456", "a55", "5fu", "0",
    # handed to wordfreq: capitals, apostrophes, periods, accents, numbers joined by , or ;
    "The", "Herceptin", "don't", "café", "u.s.", "1,000", "5;5", "1.5mg", "", "x_y",
])
def test_same_as_wordfreq(word):
    assert english.zipf_frequency(word) == wordfreq.zipf_frequency(word, "en")


def test_generated_words_and_names_agree():
    bins = english._bins()
    assert bins is not None and len(bins) > 100_000  # read from wordfreq's file, not the fallback
    words = sorted(w for w in bins if w.isascii() and w.isalnum())
    chance = random.Random(7)
    numbers = ["5", "12", "177", "2019", "2025", "2050", "0123", "123456", "2a", "x2b", "1.5", "1,000"]
    joins = [" ", "-", "/", "+", ",", "(", ")", ";", "&", "|", "  ", "-(", "'", ".", ":", "_", "%", "–"]
    texts = chance.sample(words, 2000)
    for _ in range(3000):
        parts = [chance.choice(words) if chance.random() < 0.7 else chance.choice(numbers) for _ in range(chance.choice((2, 3)))]
        texts.append("".join(part + chance.choice(joins) for part in parts[:-1]) + parts[-1])
    assert [english.zipf_frequency(t) for t in texts] == [wordfreq.zipf_frequency(t, "en") for t in texts]


def test_common_words_are_common_and_made_up_ones_are_not():
    assert english.zipf_frequency("the") > 7
    assert english.zipf_frequency("xqzvwk") == 0.0


def test_without_the_data_file_it_asks_wordfreq(monkeypatch):
    monkeypatch.setattr(english, "_bins", lambda: None)
    assert english.zipf_frequency("tablet") == wordfreq.zipf_frequency("tablet", "en")


@pytest.mark.parametrize("content", [
    b"", b"not gzip", b"\x1f\x8b\x08\x00truncated", gzip.compress(b"\xc1"), gzip.compress(msgpack.packb([{"format": "other"}])),
])
def test_a_data_file_not_in_the_form_expected_means_wordfreq_answers(content, tmp_path, monkeypatch):
    package = tmp_path / "wordfreq"
    (package / "data").mkdir(parents=True)
    (package / "data" / english._LIST).write_bytes(content)

    class Spec:
        submodule_search_locations = [str(package)]

    monkeypatch.setattr(english.importlib.util, "find_spec", lambda name: Spec())
    english._bins.cache_clear()
    try:
        assert english._bins() is None
        assert english.zipf_frequency("tablet") == wordfreq.zipf_frequency("tablet", "en")
    finally:
        english._bins.cache_clear()
