"""Split a parenthesis (or a brand cell) into names and say what each name is."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..link import Linker, word_frequency
from ..textutil import has_trademark_sign

_SPLIT = re.compile(r"\s*(?:[,;/]|\band\b|\bor\b|\n)\s*", re.I)
_INTRO = re.compile(
    r"^(?:(?:which is |it is |is )?(?:also |sometimes |commonly |often )?(?:called|known as|named|written as|referred to as)"
    r"|or|aka|a\.k\.a\.|e\.g\.|i\.e\.|generic(?: name)?:?|brand(?:[ -]names?)?:?|trade names?:?|such as|(?:sold|marketed) as)\s+",
    re.I,
)
_DESCRIPTOR_TAIL = re.compile(
    r"\s+(?:tablets?|capsules?|injection|infusion|cream|solution|for injection|oral|iv|pen|kit|depot|autogel|sc|subcutaneous)$",
    re.I,
)
_TRIM = " \t\n.:;,'\"*\u00ae\u2122"


@dataclass
class RawItem:
    text: str
    start: int  # in the text the item came from
    introduced: bool


def split_items(text: str, base: int = 0) -> list[RawItem]:
    """Split 'Intron A, Wellferon' or 'also called 5-FU or fluorouracil' into names with positions."""
    items: list[RawItem] = []
    introduced = False
    pos = 0
    pieces: list[tuple[str, int]] = []
    for m in _SPLIT.finditer(text):
        pieces.append((text[pos:m.start()], pos))
        pos = m.end()
    pieces.append((text[pos:], pos))
    for piece, at in pieces:
        intro = _INTRO.match(piece.strip())
        lead = len(piece) - len(piece.lstrip())
        if intro:
            word = intro.group().strip().lower()
            if not word.startswith(("brand", "trade", "such", "e.g", "sold", "marketed")):
                introduced = True
            lead += intro.end()
        stripped = piece[lead:]
        core = stripped.strip(_TRIM)
        if not core:
            continue
        offset = at + lead + stripped.find(core[0])
        items.append(RawItem(stripped.strip(" \t\n.:;,'\"*"), base + offset, introduced))
    return items


def _name_like(text: str) -> bool:
    """Could this unknown text be a product name (rather than a note such as 'given by mouth')?"""
    words = text.split()
    if not words or len(words) > 4 or len(text) > 40:
        return False
    if not any(c.isalpha() for c in text):
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit()):
        return False
    alpha = [w for w in words if w.isalpha()]
    return not alpha or not all(word_frequency(w.lower()) >= 4.0 for w in alpha)


@dataclass
class Classified:
    role: str  # brand, generic, synonym, abbreviation, unknown, note
    drug: str
    trademark: bool
    suggestion: object = None
    text: str = ""


_PREFERENCE = {"generic": 0, "synonym": 1, "abbreviation": 2, "brand": 3, "unknown": 4}


def classify(text: str, linker: Linker, head_drug: str = "") -> Classified:
    """What a name in brand position is, preferring the reading that fits the head drug."""
    trademark = has_trademark_sign(text)
    clean = text.strip(_TRIM)
    if linker.exact(clean) and all(e.kind == "regimen" for e in linker.exact(clean)):
        return Classified("note", "", trademark, text=clean)  # "(GC)": the regimen the drugs make up
    for candidate in (clean, _DESCRIPTOR_TAIL.sub("", clean)):
        entries = [e for e in linker.exact(candidate) if e.kind != "regimen"]
        if entries:
            reference = linker.reference
            entries.sort(key=lambda e: (not (head_drug and reference.related(e.key, head_drug)), _PREFERENCE[e.kind]))
            best = entries[0]
            return Classified(best.kind, best.key, trademark, text=candidate)
    hits = [h for h in linker.find(clean) if h.drug_entries()]
    if hits and hits[0].start == 0 and len(clean) - hits[0].end <= 12:
        entry = sorted(hits[0].drug_entries(), key=lambda e: _PREFERENCE[e.kind])[0]
        return Classified(entry.kind, entry.key, trademark, text=clean)
    if linker.reference.is_term(clean):
        return Classified("note", "", trademark, text=clean)
    suggestion = linker.suggest_drug(clean)
    if suggestion is not None and len(clean.split()) <= 3:
        return Classified("unknown", "", trademark, suggestion, clean)
    if _name_like(clean):
        return Classified("unknown", "", trademark, None, clean)
    return Classified("note", "", trademark, text=clean)
