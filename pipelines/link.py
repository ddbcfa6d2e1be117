"""Link: find every reference name in a text (one Aho-Corasick pass) and suggest
the nearest known name for one that is not in the reference."""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .english import zipf_frequency
from .reference.model import NameEntry, Reference
from .textutil import normalise, normalise_with_map, remember

SALT = re.compile(
    r"\s+(hydrochloride|hcl|sulfate|sulphate|acetate|citrate|mesylate|mesilate|maleate|tosylate|sodium|calcium|"
    r"disodium|phosphate|malate|besylate|besilate|dimaleate|ditosylate|tartrate|fumarate|succinate|bromide|chloride|"
    r"trihydrate|monohydrate|hydrobromide|dihydrochloride|pamoate|embonate)\b",
    re.I,
)


@lru_cache(maxsize=65536)
def word_frequency(word: str) -> float:
    """Zipf frequency of an English word (0 for words English does not use)."""
    return zipf_frequency(word)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offsets in the text searched
    end: int
    text: str  # as written
    entries: tuple[NameEntry, ...]

    @property
    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}

    def drug_entries(self) -> tuple[NameEntry, ...]:
        return tuple(e for e in self.entries if e.kind != "regimen")

    def regimen_keys(self) -> list[str]:
        return list(dict.fromkeys(e.key for e in self.entries if e.kind == "regimen"))


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str  # as the reference writes it
    kind: str
    key: str
    score: float


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


@lru_cache(maxsize=65536)
def case_fits(as_written: str, reference_name: str) -> bool:
    """Short names printed in capitals (BR, ICE, 5-FU) only match when printed the same way,
    and capitalised names that are also English words ("Beam") never match in lower case."""
    if not any(c.isupper() for c in reference_name):
        return True
    written, ref = _letters(as_written), _letters(reference_name)
    if len(ref) <= 4:
        return written == ref
    if written.islower() and word_frequency(written.lower()) >= 3.0:
        return False
    if written.isupper() and not ref.isupper() and len(ref) <= 5 and word_frequency(ref.lower()) >= 3.0:
        return False
    return True


class _Names:
    """Names to suggest from, in order of length. fuzz.ratio of names of lengths a and b is
    at most 200·min(a, b)/(a + b), so only names within a window of lengths can reach the
    cutoff and only those are scored. The best is the one extractOne would give over all
    the names: the highest score, and of equal scores the first name."""

    def __init__(self, choices: dict[str, tuple[str, str, str]]):
        self.choices = choices
        names = list(choices)
        self.rank = sorted(range(len(names)), key=lambda i: (len(names[i]), i))
        self.names = [names[i] for i in self.rank]
        self.lengths = [len(name) for name in self.names]

    def best(self, query: str, cutoff: float) -> tuple[str, float] | None:
        from rapidfuzz import fuzz, process  # here: a rerun's own process suggests nothing and never imports it

        size = len(query)
        low = bisect_left(self.lengths, math.floor(size * cutoff / (200 - cutoff)))
        high = bisect_right(self.lengths, math.ceil(size * (200 - cutoff) / cutoff)) if cutoff > 0 else len(self.names)
        found = process.extract(query, self.names[low:high], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        if not found:
            return None
        name, score, _ = max(found, key=lambda f: (f[1], -self.rank[low + f[2]]))
        return name, score


class Linker:
    def __init__(self, reference: Reference):
        self.reference = reference
        automaton = ahocorasick.Automaton()
        for key in reference.names:
            automaton.add_word(key, key)
        automaton.make_automaton()
        self._automaton = automaton
        drug_choices: dict[str, tuple[str, str, str]] = {}
        regimen_choices: dict[str, tuple[str, str, str]] = {}
        for key, entries in reference.names.items():
            if len(key) < 4:
                continue
            for e in entries:
                target = regimen_choices if e.kind == "regimen" else drug_choices
                target.setdefault(key, (e.written, e.kind, e.key))
        self._drug_names = _Names(drug_choices)
        self._regimen_names = _Names(regimen_choices)
        # the distinctive words of many-word names ("govitecan" of sacituzumab govitecan),
        # so that one misspelt word of such a name still finds it
        word_choices: dict[str, tuple[str, str, str]] = {}
        for key, choice in drug_choices.items():
            words = key.split()
            if len(words) > 1:
                for word in words:
                    if len(word) >= 6 and word not in drug_choices and word_frequency(word) < 2.0:
                        word_choices.setdefault(word, choice)
        self._word_names = _Names(word_choices)
        # Pages repeat sentences (boilerplate, lists of the same drugs): what a text holds
        # is worked out once per process. Bounded, and never shared between processes.
        self._found: dict[str, tuple[Hit, ...]] = {}
        self.block_memo: dict[str, tuple] = {}  # for extraction's own per-text results
        self._suggested: dict[tuple[str, float], Suggestion | None] = {}  # a site's rare words recur on many pages
        self._fitting: dict[tuple[str, str], tuple[tuple[NameEntry, ...], bool]] = {}  # by (key, as written): see _entries

    def find(self, text: str) -> list[Hit]:
        """Every reference name in text, leftmost-longest, on word boundaries."""
        found = self._found.get(text)
        if found is None:
            found = tuple(self._find(text))
            remember(self._found, text, found)
        return list(found)

    def _find(self, text: str) -> list[Hit]:
        norm, index = normalise_with_map(text)
        if not norm:
            return []
        spans: list[tuple[int, int, str]] = []
        for end, key in self._automaton.iter(norm):
            start = end - len(key) + 1
            if start > 0 and norm[start - 1].isalnum():
                continue
            if end + 1 < len(norm) and norm[end + 1].isalnum():
                continue
            o_start, o_end = index[start], index[end] + 1
            spans.append((o_start, o_end, key))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        hits: list[Hit] = []
        last_end = -1
        for o_start, o_end, key in spans:
            if o_start < last_end:
                continue
            written = text[o_start:o_end]
            entries, takes_salt = self._entries(key, written)
            if not entries:
                continue
            if takes_salt:
                salt = SALT.match(text, o_end)  # not a slice of the rest: a long block holds many names
                if salt:
                    o_end = salt.end()
                    written = text[o_start:o_end]
            hits.append(Hit(o_start, o_end, written, entries))
            last_end = o_end
        return hits

    def _entries(self, key: str, written: str) -> tuple[tuple[NameEntry, ...], bool]:
        """The entries of name `key` that its text as written fits (case_fits), and whether one is a
        generic or synonym (a salt may follow it); once per name as written (a site names the same
        drugs on every page)."""
        found = self._fitting.get((key, written))
        if found is None:
            entries = tuple(e for e in self.reference.names.get(key, ()) if case_fits(written, e.written))
            found = (entries, any(e.kind in ("generic", "synonym") for e in entries))
            remember(self._fitting, (key, written), found)
        return found

    def exact(self, text: str) -> tuple[NameEntry, ...]:
        """Entries for a whole string (a parenthesis item or a table cell)."""
        text = text.strip()
        return self._entries(normalise(text), text)[0]

    def suggest_drug(self, text: str, cutoff: float = 85.0) -> Suggestion | None:
        key = (text, cutoff)
        if key not in self._suggested:
            remember(self._suggested, key, self._suggest_drug(text, cutoff))
        return self._suggested[key]

    def _suggest_drug(self, text: str, cutoff: float) -> Suggestion | None:
        whole = self._suggest(text, self._drug_names, cutoff)
        if whole is not None or " " in text.strip():
            return whole
        part = self._suggest(text, self._word_names, cutoff)
        return part if part is not None and part.score < 100 else None  # a correctly written word of a longer name

    def suggest_regimen(self, text: str, cutoff: float = 60.0) -> Suggestion | None:
        return self._suggest(text, self._regimen_names, cutoff)

    @staticmethod
    def _suggest(text: str, names: _Names, cutoff: float) -> Suggestion | None:
        query = normalise(text)
        if len(query) < 4 or not names.names:
            return None
        best = names.best(query, cutoff)
        if best is None:
            return None
        key, score = best
        written, kind, target = names.choices[key]
        return Suggestion(written, kind, target, score)
