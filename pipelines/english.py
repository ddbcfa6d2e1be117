"""How common an English word is (the Zipf scale of wordfreq), without importing wordfreq
for the common case.

wordfreq's `zipf_frequency` tokenises its input (casefolding, splitting, smashing digits)
and at first use imports its tokenisers and builds its whole table, which every run paid
before its worker processes started. A lowercase ASCII word is its own single token, so its
answer is a lookup in wordfreq's own data file (a gzipped msgpack list of words by
centibel), read here directly, giving the very same number (tested); so is a
run of such words joined by spaces or by punctuation wordfreq splits at (the names of the
reference: `l-phenylalanine`, `daunorubicin/cytarabine`), combined as wordfreq combines
tokens, digits included (wordfreq counts a run of two or more digits as zeros, weighted by
how often such a number or year is written). Anything else (capitals, apostrophes, periods,
accents) goes to wordfreq.
"""
from __future__ import annotations

import gzip
import importlib.util
import math
import re
import zlib
from functools import lru_cache
from pathlib import Path

import msgpack

_LIST = "large_en.msgpack.gz"  # what wordfreq's "best" word list is for English
# characters at which wordfreq's English tokeniser always splits (not ' . : _ and the like)
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\-/+,();&*\[\]|=!?\"<>]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"[0-9]{2,}")  # what wordfreq writes as zeros
_NUMBER_PUNCTUATION = re.compile(r"[0-9][,;]|[,;][0-9]")  # "1,000", "5;5": one token to wordfreq
_FLOOR = 1e-9  # once per billion words: Zipf 0, wordfreq's least answer
# wordfreq's estimates for numbers: the share of each leading digit (Benford's law), and for
# four digits the chance of a year, peaking at 10^-1.9185 up to 2019, 20 years flat after it
_LEADING_DIGIT = (0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045)


@lru_cache(maxsize=1)
def _bins() -> dict[str, int] | None:
    """word → its centibel bin (0 = the most frequent), from wordfreq's data file; None
    when the file is not where this wordfreq keeps it or not in the format expected."""
    spec = importlib.util.find_spec("wordfreq")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / _LIST
    try:
        packed = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    except (OSError, EOFError, ValueError, zlib.error, msgpack.UnpackException):  # missing, truncated, not msgpack
        return None
    header = packed[0] if isinstance(packed, list) and packed else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return {word: index for index, words in enumerate(packed[1:]) for word in words}


def _benford(digits: str) -> float:
    return _LEADING_DIGIT[int(digits[0])] / 10 ** (len(digits) - 1)


def _number_weight(digits: str) -> float:
    if len(digits) != 4:
        return _benford(digits)
    year = int(digits)
    if year <= 2019:
        log_share = -1.9185 - 0.0083 * (2019 - year)
    elif year <= 2039:
        log_share = -1.9185
    else:
        log_share = -1.9185 - 0.2 * (year - 2039)
    return 10.0 ** log_share + 0.1 * _benford(digits)


def _zeroed(match: re.Match) -> str:
    return "0" * len(match.group())


def _combined(tokens: list[str], bins: dict[str, int]) -> float:
    """wordfreq's arithmetic: each token's frequency 10^(-bin/100) (a token with numbers is
    looked up with them zeroed and weighted), combined as the reciprocal of the sum of
    reciprocals, at least once per billion words, rounded to three significant digits, then
    on the Zipf scale to two decimals; 0 when a token is not in the list."""
    one_over = 0.0
    for token in tokens:
        looked_up = _NUMBER.sub(_zeroed, token)
        index = bins.get(looked_up)
        if index is None:
            return 0.0
        frequency = 10 ** (-index / 100)
        if looked_up != token:
            for digits in _NUMBER.findall(token):
                frequency *= _number_weight(digits)
        one_over += 1.0 / frequency
    frequency = max(1.0 / one_over, _FLOOR)
    # math.log(x, 10), not math.log10: the last digit can differ, and the numbers must be wordfreq's
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)


def zipf_frequency(word: str) -> float:
    """The Zipf frequency of `word` in English, as `wordfreq.zipf_frequency(word, "en")` gives it."""
    if word.isascii() and not _NUMBER_PUNCTUATION.search(word):
        tokens = [t for t in _SEPARATORS.split(word) if t]
        if tokens and all(_TOKEN.fullmatch(t) for t in tokens):
            bins = _bins()
            if bins is not None:
                return _combined(tokens, bins)
    from wordfreq import zipf_frequency as wordfreq_zipf

    return wordfreq_zipf(word, "en")
