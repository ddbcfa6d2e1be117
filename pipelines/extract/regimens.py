"""Named regimens in one block and the components written after them."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Callable

from ..link import Hit, Linker, word_frequency
from .drugs import paren_spans
from .items import classify
from .model import Component, DrugMention, RegimenMention, Where
from .spans import ByStart, Parens

# What may stand between a regimen's name and its list of components.
_NOUN = r"(?:regimen|combination|chemotherapy|protocol|treatment)"
_LISTING = r"is\s+made\s+up\s+of|is\s+a\s+combination\s+of|consists\s+of|includes?|contains?|combines?"  # verbs that list
_THE_DRUGS = r"\s*(?:the\s+drugs?\s*)?:?\s*"
_INTRO = re.compile(
    r"\s*(?:"
    r"\s[-\u2013\u2014]\s*|[-\u2013\u2014]\s+|\u2013|\u2014|:\s*|=\s*"
    rf"|\s*{_NOUN},?\s*(?:which|that)\s+(?:{_LISTING}){_THE_DRUGS}"  # "the X regimen, which combines", not "which is"
    rf"|,?\s*(?:which|that|this)\s+(?:{_LISTING}|uses?|is|are|means){_THE_DRUGS}"
    rf"|\s*{_NOUN}?\s*(?:is\s+made\s+up\s+of|is\s+a\s+combination\s+of|consists\s+of|includes|contains|combines|uses|is\s+short\s+for){_THE_DRUGS}"
    r")",
    re.I,
)
_BARE_IS = re.compile(r"\s+(?:is|are|means|stands\s+for)\s+", re.I)
_ALIAS_WORDS = re.compile(r"\b(?:also|sometimes|often)?\s*(?:called|known\s+as|or|aka)\b", re.I)
_STOPS = re.compile(r"[.;]")  # where a match of _PRONOUN_INTRO may start (after a text's first character)
_PRONOUN_INTRO = re.compile(
    r"(?:^|[.;]\s+)(?:It|This(?:\s+regimen|\s+combination)?)\s+(?:is\s+made\s+up\s+of|is\s+a\s+combination\s+of|consists\s+of|includes|contains|combines|uses)\s+(?:the\s+drugs?\s+)?"
)
_ADDON_INTRO = re.compile(r"\s*(?:\+|plus\b|with\b(?!\s+or\s+without)|along\s+with\b|combined\s+with\b)\s*", re.I)
_MUTATION = re.compile(r"^[A-Z]\d{1,4}[A-Z*]?$")  # gene variants such as V600E, G12C, T790M
_TWO_CAPITALS = re.compile(r"[A-Z][^A-Z\s]{0,14}[A-Z]")
_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9+/-]{1,14}(?![\w-])")
_SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:and|or|then|plus)?\s*|\s\+\s|\+|\band\b|\bplus\b|\bwith\s+or\s+without\b|\bwith\b|\bthen\b|"
    r"\bfollowed\s+by\b|\bor\b|&|;|/)\s*",
    re.I,
)
_OPTIONAL = re.compile(r"without|sometimes|optional|may\s+also", re.I)
_SEQUEL = re.compile(r"\bthen\b|\bfollowed\s+by\b", re.I)
_FILLER = re.compile(r"^(?:the\s+)?(?:drugs?|medications?|medicines?|chemotherapy|a|an|the|also|given|together|sometimes|other)\b", re.I)


_LIST_STOP = re.compile(r"\.(?:\s+(?=[A-Z])|\s*$)|;|\s[\u2013\u2014]\s|\bwhich\b|\bthat\b|\bbut\b")


def list_end(text: str, start: int) -> int:
    """Where a component list written in running text stops: the first stop from `start` on,
    found among the text's stops (found once per text: a block with no stop left in it
    would otherwise be read to its end again for every name in it)."""
    starts, ends = _list_stops(text)
    at = bisect_left(starts, start)
    if at and ends[at - 1] > start:  # `start` inside a stop: a stop may begin there that the scan passed over
        m = _LIST_STOP.search(text, start)
        return m.start() if m else len(text)
    return starts[at] if at < len(starts) else len(text)


@lru_cache(maxsize=64)
def _list_stops(text: str) -> tuple[list[int], list[int]]:
    stops = [m.span() for m in _LIST_STOP.finditer(text)]
    return [a for a, _ in stops], [b for _, b in stops]


def _not_an_acronym(word: str, linker: Linker) -> bool:
    """Biomarkers, gene variants, capitalised English words and pairs of them (BRAF/MEK)."""
    parts = [p for p in re.split(r"[/+]", word) if p] or [word]
    for part in parts:
        frequency = word_frequency(part.lower())
        if not (linker.reference.is_term(part) or _MUTATION.match(part) or frequency >= 3.5 or (part.isupper() and frequency >= 2.5)):
            return False
    return True


def regimen_candidates(text: str, hits: list[Hit], linker: Linker) -> list[tuple[int, int, str, list[str]]]:
    """(start, end, as written, reference regimens) for known names and unknown acronyms."""
    found: list[tuple[int, int, str, list[str]]] = []
    taken: list[tuple[int, int]] = []
    for hit in hits:
        taken.append((hit.start, hit.end))
        keys = hit.regimen_keys()
        if keys and not hit.drug_entries():
            found.append((hit.start, hit.end, hit.text, keys))
    if not _TWO_CAPITALS.search(text):
        return sorted(found)
    # the hits come in order of start, as the tokens do (a suspect word may hold a known name, so
    # they can overlap): the first hit not ended before a token is the only one that can reach into it
    next_taken = 0
    for m in _TOKEN.finditer(text):
        if not _TWO_CAPITALS.search(m.group()):
            continue  # an acronym has at least two capitals
        while next_taken < len(taken) and taken[next_taken][1] <= m.start():
            next_taken += 1
        if next_taken < len(taken) and taken[next_taken][0] < m.end():
            continue
        word = m.group().strip("/+-")
        if _not_an_acronym(word, linker):
            continue
        found.append((m.start(), m.start() + len(word), word, []))
    return sorted(found)


def _list_span(text: str, after: int, parens: Parens, mentions: ByStart) -> tuple[int, int] | None:
    """Where the component list that follows a regimen name starts and stops."""
    paren_at = _skip_space(text, after)
    if paren_at < len(text) and text[paren_at] == "(" and paren_at in parens:
        return paren_at + 1, parens[paren_at]
    intro = _INTRO.match(text, after) or _BARE_IS.match(text, after)
    if intro is None:
        return None
    if intro.re is _BARE_IS and not mentions.between(intro.end(), intro.end() + 1):
        return None  # "FOLFOX is given every 2 weeks" lists nothing
    return intro.end(), list_end(text, intro.end())


def regimens_in_block(
    text: str,
    hits: list[Hit],
    mentions: list[DrugMention],
    linker: Linker,
    where_at: Callable[[int], Where],
    page_context: PageContext,
    candidates: list,  # regimen_candidates(text, hits, linker), worked out once per distinct text
) -> list[RegimenMention]:
    parens = paren_spans(text)
    results: list[RegimenMention] = []
    starts = [c[0] for c in candidates]  # in order: regimen_candidates sorts them
    by_start = ByStart(candidates, starts)
    mentions = ByStart.mentions(mentions)
    aliases_seen: set[int] = set()  # "VRd (also called RVD)": the alias is not a mention of its own
    for n, (start, end, written, keys) in enumerate(candidates):
        if start in aliases_seen:
            continue
        after = end
        alias = _alias_in_parentheses(text, end, parens, by_start)
        if alias is not None:
            aliases_seen.add(alias[0])
            after = alias[1]
        span = _list_span(text, after, parens, mentions)
        if span is None:
            span = _list_after_pronoun(text, after, starts, n + 1)
        if span is not None:
            list_start, stop = span
            # a list stops at the next regimen name that starts its own list
            for later in range(max(n + 1, bisect_right(starts, list_start)), bisect_left(starts, stop)):
                if _INTRO.match(text, candidates[later][1]):
                    stop = starts[later]
                    break
        components = components_between(text, span[0], stop, mentions, linker, where_at, parens) if span else []
        inside = _named_after_list(text, start, written, parens, mentions) if not components and keys else None
        if inside is not None:
            components, span, stop = inside, (inside[0].where.index, start), start
        mention = regimen_mention(start, written, keys, components, where_at, linker, page_context)
        if mention is None:
            continue
        if not components:
            addon = _ADDON_INTRO.match(text, end)
            if addon:
                clause_end = list_end(text, addon.end())
                if n + 1 < len(starts):
                    clause_end = min(clause_end, starts[n + 1])  # the next regimen's name ends it
                mention.addons = [Component(m.text, m.where, m.generic) for m in mentions.between(addon.end(), clause_end)]
        if span is not None:
            for m in mentions.between(span[0], stop):
                m.in_regimen = True
        results.append(mention)
    return results


def regimen_mention(start, written, keys, components, where_at, linker: Linker, page_context: PageContext) -> RegimenMention | None:
    """A regimen mention, or None for an unknown acronym that lists fewer than two drugs."""
    if not keys:
        listed = sum(1 for c in components if c.drug or c.suggestion) >= 2 and any(c.drug for c in components)
        near = linker.suggest_regimen(written, cutoff=88.0) if len(written) >= 5 else None
        if not listed and near is None:
            return None  # an unknown acronym is a regimen when it lists drugs, or is one letter off a known name
    mention = RegimenMention(where=where_at(start), name=written, regimen="", candidates=tuple(keys), components=components, listed=bool(components))
    if keys:
        mention.regimen = resolve(keys, components, page_context, linker.reference)
        drop_sequels(mention, linker.reference)
    else:
        mention.suggestion = linker.suggest_regimen(written)
    return mention


def _alias_in_parentheses(text, end, parens: Parens, candidates: ByStart) -> tuple[int, int] | None:
    """'VRd (also called RVD) – ...': the start of the alias and the end of its parenthesis."""
    at = _skip_space(text, end)
    if at >= len(text) or text[at] != "(" or at not in parens:
        return None
    inside = candidates.between(at + 1, parens[at])
    words = _ALIAS_WORDS.sub("", text[at + 1:parens[at]]).strip(" ,;")
    if len(inside) == 1 and words == inside[0][2]:
        return inside[0][0], parens[at] + 1
    return None


def _list_after_pronoun(text: str, after: int, starts: list[int], later: int) -> tuple[int, int] | None:
    """'R-CVP is a gentler treatment. It is a combination of rituximab, ...': only in the next
    sentence, and not past the next regimen name (`starts` from index `later` on, in order)."""
    limit = len(text)
    first_period = text.find(".", after)
    if first_period >= 0:
        second_period = text.find(".", first_period + 1)
        if second_period >= 0:
            limit = second_period  # the intro may start at the second period, not after it
    next_name = bisect_left(starts, after, later)
    if next_name < len(starts):
        limit = min(limit, starts[next_name])
    # the intro starts at a period or semicolon (or at the text's start, never after a name):
    # tried at each one up to the limit, as a search would, but without reading the rest of the text
    m = None
    for stop in _STOPS.finditer(text, after, limit + 1):
        m = _PRONOUN_INTRO.match(text, stop.start())
        if m is not None:
            break
    if m is None:
        return None
    return m.end(), list_end(text, m.end())


def _named_after_list(text: str, start: int, written: str, parens: Parens, mentions: ByStart) -> list[Component] | None:
    """'gemcitabine and cisplatin (GC)': a regimen named in parentheses after its drugs."""
    # the innermost parenthesis around the name, when nothing but spaces and periods come between:
    # any other holds more than the name and is not one
    opener = start - 1
    while opener >= 0 and text[opener] in " .":
        opener -= 1
    if opener < 0 or opener not in parens or parens[opener] < start or text[opener + 1:parens[opener]].strip(" .") != written:
        return None
    clause_start = max(text.rfind(sep, 0, opener) for sep in (". ", ": ", "; ", " \u2013 ", " - ")) + 1
    before = mentions.between(clause_start, opener)
    if len(before) < 2:
        return None
    gap = text[before[0].span[0]:opener]
    if len(gap) > 40 * len(before):
        return None
    return [Component(m.text, m.where, m.generic, False, m.suggestion) for m in before]


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def components_between(text, start, end, mentions: ByStart, linker, where_at, parens: Parens) -> list[Component]:
    """Components between start and end: known drugs from the mentions, the rest as written."""
    # blank out parentheses so that separators inside them do not split a component
    masked = list(text[start:end])
    for open_at in parens.opening_in(start, end):
        for i in range(open_at, min(parens[open_at] + 1, end)):
            masked[i - start] = "x"
    masked_text = "".join(masked)
    pieces: list[tuple[int, int, bool]] = []
    pos = 0
    optional = sequel = False
    for m in _SEPARATOR.finditer(masked_text):
        pieces.append((pos, m.start(), optional, sequel))
        optional = bool(_OPTIONAL.search(m.group()))
        sequel = sequel or bool(_SEQUEL.search(m.group()))
        pos = m.end()
    pieces.append((pos, len(masked_text), optional, sequel))
    components: list[Component] = []
    for a, b, optional, sequel in pieces:
        a += start
        b += start
        inside = mentions.between(a, b)
        if inside:
            for m in inside:
                components.append(Component(m.text, m.where, m.generic, optional, m.suggestion, sequel))
            continue
        piece = text[a:b].strip(" .,:;()")
        if not piece or _FILLER.match(piece) and len(piece.split()) > 1:
            continue
        found = classify(piece, linker)
        if found.role == "note" and not found.suggestion:
            if len(piece.split()) <= 2 and piece[:1].isalpha() and all(word_frequency(w.lower()) < 3.0 for w in piece.split()):
                components.append(Component(piece, where_at(a + text[a:b].find(piece[:1])), "", optional, None, sequel))
            continue
        components.append(Component(found.text or piece, where_at(a + max(text[a:b].find(piece[:1]), 0)), found.drug, optional, found.suggestion, sequel))
    return components


def give_components(mention: RegimenMention, components: list[Component], page_context: PageContext, reference) -> None:
    """Components found away from the name (the next block, a list): resolve the name with them."""
    mention.components, mention.listed = components, True
    if mention.candidates:
        mention.regimen = resolve(list(mention.candidates), components, page_context, reference)
        drop_sequels(mention, reference)


def drop_sequels(mention: RegimenMention, reference) -> None:
    """Drugs written after "then"/"followed by" belong to the regimen only when its
    definition has them (AC-T: ..., then paclitaxel); otherwise they come after it."""
    if not mention.regimen:
        return
    regimen = reference.regimens[mention.regimen]
    allowed = regimen.allowed_names
    mention.components = [
        c for c in mention.components
        if not c.sequel or (c.drug and any(reference.related(c.drug, d) for d in allowed))
    ]


class PageContext:
    """The words of a page's name, address, title and headings, which choose between the meanings
    of an ambiguous regimen name. Each word is looked for once per page: a page of many such names
    under many headings would otherwise read its headings again for every name."""

    def __init__(self, text: str) -> None:
        self._text = text.lower()
        self._says: dict[str, bool] = {}

    def says(self, word: str) -> bool:
        if word not in self._says:
            self._says[word] = re.search(rf"\b{re.escape(word)}", self._text) is not None
        return self._says[word]


def resolve(keys: list[str], components: list[Component], page_context: PageContext, reference) -> str:
    """Choose what an ambiguous name (TC, EC, GC) means here: by the components listed,
    then by the page's cancer words; '' when still ambiguous."""
    if len(keys) == 1:
        return keys[0]
    given = {c.drug for c in components if c.drug}
    if given:
        def mismatch(key):
            regimen = reference.regimens[key]
            drugs = regimen.component_names
            missing = sum(1 for slot in regimen.slots if not any(reference.related(g, d) for g in given for d in slot))
            extra = sum(1 for g in given if not any(reference.related(g, d) for d in drugs))
            return missing + extra
        scored = sorted(keys, key=mismatch)
        if mismatch(scored[0]) < mismatch(scored[1]):
            return scored[0]
    fitting = [k for k in keys if any(page_context.says(w) for w in reference.regimens[k].context)]
    return fitting[0] if len(fitting) == 1 else ""
