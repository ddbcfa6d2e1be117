"""Drug mentions in one block: a name, and what stands in its parenthesis."""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import attrgetter
from typing import Callable

from ..link import Hit, Linker
from ..textutil import has_trademark_sign
from .items import _PREFERENCE, classify, split_items
from .model import DrugMention, Item, Where
from .spans import Parens

_ALSO_CALLED = re.compile(r"\s*,?\s*(?:\(?\s*)?(?:also|sometimes|commonly|often)\s+(?:called|known as)\s+", re.I)
_OR_BRAND = re.compile(r"\s*,?\s*or\s+")
# "paclitaxel – brand name Taxol", "paclitaxel, sold as Taxol": the brand named after the generic, outside a parenthesis
_JOINED = re.compile(r"\s*(?:,|and|or|&|/)\s*", re.I)  # between two names of one list ("trastuzumab and pertuzumab")
_BRAND_NAMED = re.compile(r"\s*(?:,|:|\s[-\u2013\u2014])?\s*(?:(?:brand|trade)[\s-]names?:?|(?:sold|marketed)\s+as)\s+", re.I)


_BRACKET = re.compile(r"[()\[\]]")


def paren_spans(text: str) -> Parens:
    """Map each '(' to its matching ')' (unbalanced ones are left out)."""
    spans = Parens()
    if "(" not in text and "[" not in text:
        return spans
    stack: list[int] = []
    for m in _BRACKET.finditer(text):
        i = m.start()
        if text[i] in "([":
            stack.append(i)
        elif stack:
            spans[stack.pop()] = i
    return spans


def placed(templates: tuple[DrugMention, ...], where_at: Callable[[int], Where]) -> list[DrugMention]:
    """A block's mentions from its templates (`mentions_in_block` with `at_position`, whose
    `where` fields hold positions in the block's text), placed on the page by `where_at`."""
    return [
        DrugMention(
            where_at(t.where), t.text, t.role, t.drug, t.generic, t.drug_class,
            [Item(i.text, where_at(i.where), i.role, i.drug, i.introduced, i.trademark, i.suggestion) for i in t.items],
            t.in_regimen, t.trademark, t.span, t.suggestion,
        )
        for t in templates
    ]


def at_position(pos: int):
    """A `where_at` that keeps the position itself (for templates: see `placed`)."""
    return pos


def head_entry(hit: Hit):
    return sorted(hit.drug_entries(), key=lambda e: _PREFERENCE[e.kind])[0]


def mentions_in_block(
    text: str,
    hits: list[Hit],
    linker: Linker,
    where_at: Callable[[int], Where],
) -> list[DrugMention]:
    """Build the drug mentions of a block; names inside a mention's parenthesis are its items."""
    reference = linker.reference
    parens = paren_spans(text)
    mentions: list[DrugMention] = []
    # spans of parentheses already read as items, that end after the present hit: each starts after
    # the hit it follows, and the hits come in order, so one ended is never met again
    covered: list[tuple[int, int]] = []
    previous_end = -1  # where the last drug name ends
    for hit in hits:
        is_drug = bool(hit.drug_entries())
        before = previous_end
        if is_drug:
            previous_end = hit.end
        if covered:
            covered = [span for span in covered if span[1] > hit.start]
        if not is_drug or any(a <= hit.start for a, _ in covered):
            continue
        entry = head_entry(hit)
        drug = entry.key
        mention = DrugMention(
            where=where_at(hit.start),
            text=hit.text,
            role=entry.kind,
            drug=drug,
            generic=drug,
            drug_class=reference.drug_class(drug),
            trademark=has_trademark_sign(hit.text) or text[hit.end:hit.end + 1] in ("\u00ae", "\u2122"),
            span=(hit.start, hit.end),
        )
        after = hit.end
        while after < len(text) and text[after] in " \u00ae\u2122\u00a0":
            after += 1
        if after < len(text) and text[after] == "(" and after in parens:
            close = parens[after]
            inner = text[after + 1:close]
            mention.items = items_in(inner, after + 1, linker, drug, where_at)
            covered.append((after, close + 1))
        elif (brand := _brand_after_or(text, hit, hits, drug, reference)) is not None:
            mention.items = items_in(brand.text, brand.start, linker, drug, where_at)
            covered.append((brand.start, brand.end))
        else:
            # not matched on a slice of the rest: a long block holds many names
            # "trastuzumab and pertuzumab, brand names Herceptin and Perjeta": the brands are not the last name's alone
            also = _ALSO_CALLED.match(text, hit.end) or _BRAND_NAMED.match(text, hit.end)
            if also is not None and also.re is _BRAND_NAMED and before >= 0 and _JOINED.fullmatch(text, before, hit.start):
                also = None
            if also:
                follow = _hit_at(hits, also.end())
                if follow is not None and follow.drug_entries():
                    mention.items = items_in(follow.text, follow.start, linker, drug, where_at, introduced=also.re is _ALSO_CALLED)
                    covered.append((follow.start, follow.end))
        if mention.role == "brand":
            generics = [i for i in mention.items if i.role in ("generic", "synonym", "abbreviation")]
            if generics:
                mention.generic = generics[0].drug
                mention.drug_class = reference.drug_class(mention.generic)
        mentions.append(mention)
    return mentions


def _hit_at(hits: list[Hit], offset: int) -> Hit | None:
    """The first of `hits` (in order of start, as a block's are) that starts at `offset`."""
    at = bisect_left(hits, offset, key=_START)
    return hits[at] if at < len(hits) and hits[at].start == offset else None


_START = attrgetter("start")


def _brand_after_or(text: str, hit: Hit, hits: list[Hit], drug: str, reference) -> Hit | None:
    """'Bortezomib, or Velcade, is ...': a brand of the same drug set off by ', or'."""
    m = _OR_BRAND.match(text, hit.end)
    if not m:
        return None
    follow = _hit_at(hits, m.end())
    if follow is None or not any(e.kind == "brand" and reference.related(e.key, drug) for e in follow.entries):
        return None
    rest = text[follow.end:follow.end + 2]
    return follow if rest[:1] in (",", ")", "") or rest == " (" else None


def items_in(inner: str, base: int, linker: Linker, head_drug: str, where_at, introduced: bool = False) -> list[Item]:
    items: list[Item] = []
    for raw in split_items(inner, base):
        found = classify(raw.text, linker, head_drug)
        if found.role == "note":
            continue
        items.append(
            Item(
                text=raw.text,
                where=where_at(raw.start),
                role=found.role,
                drug=found.drug,
                introduced=raw.introduced or introduced,
                trademark=found.trademark,
                suggestion=found.suggestion,
            )
        )
    return items
