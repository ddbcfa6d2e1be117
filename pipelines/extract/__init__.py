"""Extract: documents → drug mentions, regimen mentions and suspect names."""
from __future__ import annotations

from collections import defaultdict

from ..ingest.model import Block, Document
from ..link import Hit, Linker
from ..textutil import remember
from ..reference.model import NameEntry
from .drugs import at_position, items_in, mentions_in_block, paren_spans, placed
from .model import Component, DrugMention, Item, PageExtraction, RegimenMention, Suspect, Where
from .regimens import PageContext, components_between, give_components, list_end, regimen_candidates, regimen_mention, regimens_in_block
from .spans import ByStart
from .suspects import suspect_words
from .tables import TableLayout, layout

__all__ = ["extract_document", "PageExtraction", "DrugMention", "RegimenMention", "Item", "Component", "Suspect", "Where"]


def _block_facts(text: str, linker: Linker) -> tuple[tuple[Hit, ...], tuple, list, tuple]:
    """The names in a block's text, unknown words included (as hits of kind "unknown"),
    in text order, the suspect words with a suggestion, the regimen candidates and the
    drug mentions (as templates, see `placed`); once per distinct text (pages share much
    of their wording)."""
    known = linker.block_memo.get(text)
    if known is None:
        hits = linker.find(text)
        extra: list[Hit] = []
        suspects = []
        for start, end, word, suggestion in suspect_words(text, linker, [(h.start, h.end) for h in hits]):
            target = ""
            if suggestion is not None:
                target = suggestion.key
                suspects.append((start, word, suggestion))
            extra.append(Hit(start, end, word, (NameEntry("unknown", target, word),)))
        found = tuple(sorted(hits + extra, key=lambda h: h.start))
        templates = tuple(mentions_in_block(text, list(found), linker, at_position)) if found else ()
        known = (found, tuple(suspects), regimen_candidates(text, list(found), linker), templates)
        remember(linker.block_memo, text, known)
    return known


def extract_document(doc: Document, linker: Linker) -> PageExtraction:
    page = PageExtraction(page=doc.page, url=doc.url)
    page_context = PageContext(" ".join([doc.page, doc.url, doc.title, *doc.headings]))
    layouts, header_blocks = _table_layouts(doc.blocks, linker)
    rows: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (table, row) → column → block index
    spanned: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # the same, for cells that span down from a row above
    for i, block in enumerate(doc.blocks):
        cell = block.cell
        if cell is not None:
            rows[(cell.table, cell.row)][cell.column] = i
            for below in range(cell.row + 1, cell.row + cell.rows):
                spanned[(cell.table, below)][cell.column] = i
    per_block: dict[int, list[DrugMention]] = {}
    block_hits: dict[int, list[Hit]] = {}
    block_candidates: dict[int, list] = {}
    suspected_at: dict[int, object] = {}  # a source offset → the suggestion of the page's first suspect there
    for i, block in enumerate(doc.blocks):
        page.block_texts.append((block.heading_path, block.text, block.kind))
        if i in header_blocks:
            continue
        shape = layouts.get(block.cell.table) if block.cell else None
        if shape and shape.brand is not None and block.cell.column == shape.brand:
            continue  # read together with its row's generic cell below
        where_at = _locator(doc, block, i)
        if block.kind == "heading":
            page.heading_positions.append((where_at(0), block.text))
        found, suspects, block_candidates[i], templates = _block_facts(block.text, linker)
        for start, word, suggestion in suspects:
            suspect = Suspect(where_at(start), word, suggestion)
            page.suspects.append(suspect)
            suspected_at.setdefault(suspect.where.offset, suggestion)
        block_hits[i] = list(found)
        if not block_hits[i]:
            per_block[i] = []
            continue  # no name at all: no mention, and no regimen (a regimen needs a drug)
        mentions = placed(templates, where_at)
        for m in mentions:
            if m.role == "unknown":
                m.suggestion = suspected_at.get(m.where.offset)
        per_block[i] = mentions
        page.drugs.extend(mentions)
    for i, hits in block_hits.items():
        block = doc.blocks[i]
        shape = layouts.get(block.cell.table) if block.cell else None
        if shape and shape.regimen is not None and block.cell.column in (shape.regimen, shape.components):
            continue  # a regimen row is read as a whole below
        if not block_candidates[i]:
            continue
        found = regimens_in_block(block.text, hits, per_block[i], linker, _locator(doc, block, i), page_context, block_candidates[i])
        _components_from_next_block(doc, i, found, per_block, linker, page_context)
        page.regimens.extend(found)
    paired: set[int] = set()  # generic cells whose drug took its brands from a brand cell
    for (table, row), cells in rows.items():
        shape = layouts.get(table)
        if not shape:
            continue
        if shape.brand is not None:
            above = spanned.get((table, row), {})
            generic, brand = cells.get(shape.generic, above.get(shape.generic)), cells.get(shape.brand, above.get(shape.brand))
            if generic is not None and brand is not None and (shape.generic in cells or (generic in paired and shape.brand in cells)):
                # a generic cell spanning several rows takes the brands of each (one brand a row); when the
                # brand cell spans the same rows, the pair was made in the row they start in
                if _pair_brand_cell(doc, generic, brand, per_block, linker, more=shape.generic not in cells):
                    paired.add(generic)
        if shape.regimen is not None and shape.regimen in cells:
            mention = _regimen_row(doc, cells[shape.regimen], cells.get(shape.components), per_block, linker, page_context)
            if mention is not None:
                page.regimens.append(mention)
    page.drugs.sort(key=lambda m: m.where.offset)
    page.regimens.sort(key=lambda m: m.where.offset)
    return page


def _components_from_next_block(doc: Document, i: int, found: list[RegimenMention], per_block, linker: Linker, page_context: PageContext) -> None:
    """A block holding only a regimen's name (a <dt>, a bold line) takes its components from the next block."""
    block = doc.blocks[i]
    if len(found) != 1 or found[0].listed or i + 1 not in per_block:
        return
    mention = found[0]
    if block.text.rstrip().endswith(":") and doc.blocks[i + 1].kind == "list_item":
        _components_from_list(doc, i, mention, per_block, linker, page_context)
        return
    if len(block.text.strip(" :-\u2013\u2014*")) != len(mention.name):
        return
    following = doc.blocks[i + 1]
    if (block.kind in ("heading", "paragraph") and following.kind == "list_item"
            and _components_from_list(doc, i, mention, per_block, linker, page_context, names_only=True)):
        return  # a heading "FOLFOX" over a list of its drugs, one bare name an item
    if following.kind == "heading" or following.heading_path != block.heading_path:
        return
    mentions = per_block[i + 1]
    end = list_end(following.text, 0)
    components = components_between(
        following.text, 0, end, ByStart.mentions(mentions), linker, _locator(doc, following, i + 1), paren_spans(following.text)
    )
    if sum(1 for c in components if c.drug) < 2:
        return
    for m in mentions:
        if m.span[0] < end:
            m.in_regimen = True
    give_components(mention, components, page_context, linker.reference)


def _components_from_list(doc: Document, i: int, mention: RegimenMention, per_block, linker: Linker, page_context: PageContext,
                          names_only: bool = False) -> bool:
    """'PCV ... is made up of:' followed by a list: each item names one component. With
    `names_only` (the name alone above the list, no lead-in), only a list whose items are
    each a drug's name and nothing more (but a parenthesis), so that a list of what the drugs
    do is not read as the regimen's. Whether the regimen took the list."""
    found: list[DrugMention] = []
    j = i + 1
    while j < len(doc.blocks) and doc.blocks[j].kind == "list_item" and j in per_block:
        first = per_block[j][:1]
        if not first:
            break
        if names_only and not _bare_name(doc.blocks[j].text, first[0]):
            return False
        found.append(first[0])
        j += 1
    named = sum(1 for m in found if m.generic) >= 2
    if names_only and not (named and _of_the_regimen(found, mention, linker.reference)):
        return False
    for m in found:  # a lead-in's list is the regimen's, even when it names too few drugs to compare
        m.in_regimen = True
    if not named:
        return False
    give_components(mention, [Component(m.text, m.where, m.generic, False, m.suggestion) for m in found], page_context, linker.reference)
    return True


def _of_the_regimen(found: list[DrugMention], mention: RegimenMention, reference) -> bool:
    """At least two of the drugs are parts of what the name means (a list of anti-sickness
    drugs or of add-ons under a regimen's heading is not its list); never for a name rxqa does not know."""
    for key in mention.candidates:
        parts = reference.regimens[key].component_names
        if sum(1 for m in found if any(reference.related(m.generic, d) for d in parts)) >= 2:
            return True
    return False


def _bare_name(text: str, mention: DrugMention) -> bool:
    """The item is the mention's name, with at most a parenthesis after it."""
    rest = (text[:mention.span[0]] + text[mention.span[1]:]).strip(" .,;:")
    return not rest or (rest[0] == "(" and rest[-1] == ")")


def _locator(doc: Document, block: Block, index: int):
    offsets = block.offsets

    def where_at(pos: int) -> Where:
        offset = offsets[min(max(pos, 0), len(offsets) - 1)]
        line, column = doc.line_col(offset)
        return Where(doc.page, block.section, block.heading_path, offset, line, column, index, min(max(pos, 0), len(offsets) - 1))

    return where_at


def _table_layouts(blocks: list[Block], linker: Linker) -> tuple[dict[int, TableLayout], set[int]]:
    """Column roles per table; a first row of plain labels counts as the header row."""
    headers: dict[int, dict[int, str]] = defaultdict(dict)
    top_row: dict[int, int] = {}
    for block in blocks:
        if block.cell is not None:
            top_row[block.cell.table] = min(top_row.get(block.cell.table, block.cell.row), block.cell.row)
    first_rows: dict[int, list[int]] = defaultdict(list)
    for i, block in enumerate(blocks):
        if block.cell is None:
            continue
        if block.cell.header:
            headers[block.cell.table][block.cell.column] = block.cell.header
        if block.cell.row == top_row[block.cell.table]:
            first_rows[block.cell.table].append(i)
    header_blocks: set[int] = set()
    for table, members in first_rows.items():
        if headers.get(table):
            continue
        texts = [blocks[i].text for i in members]
        if all(len(t.split()) <= 5 and not any(h.drug_entries() for h in linker.find(t)) for t in texts):
            headers[table] = {blocks[i].cell.column: blocks[i].text.lower() for i in members}
            header_blocks.update(members)
    return {t: layout(h) for t, h in headers.items()}, header_blocks


def _pair_brand_cell(doc: Document, generic_index: int, brand_index: int, per_block, linker: Linker, more: bool = False) -> bool:
    """Read a row's brand cell as the items of its generic cell's drug (unless that drug has
    items of its own, from a parenthesis); with `more`, the generic cell spans down into this
    row and the brands are added to those of the rows above. Whether the drug took them."""
    heads = per_block.get(generic_index) or []
    if not heads:
        return False
    head = heads[0]
    if head.items and not more:
        return False
    block = doc.blocks[brand_index]
    where_at = _locator(doc, block, brand_index)
    text = block.text
    if text.strip().lower() in ("", "-", "–", "none", "n/a", "no brand", "generic only"):
        return False
    head.items = head.items + items_in(text, 0, linker, head.drug, where_at)
    if head.role == "brand":
        generics = [i for i in head.items if i.role in ("generic", "synonym", "abbreviation")]
        if generics:
            head.generic = generics[0].drug
    return True


def _regimen_row(doc, name_index, components_index, per_block, linker: Linker, page_context: PageContext) -> RegimenMention | None:
    block = doc.blocks[name_index]
    where_at = _locator(doc, block, name_index)
    hits = linker.find(block.text)
    candidates = regimen_candidates(block.text, hits, linker)
    if not candidates:
        return None
    start, end, written, keys = candidates[0]
    components: list[Component] = []
    if components_index is not None:
        cell = doc.blocks[components_index]
        mentions = per_block.get(components_index, [])
        for m in mentions:
            m.in_regimen = True
        components = components_between(
            cell.text, 0, len(cell.text), ByStart.mentions(mentions), linker, _locator(doc, cell, components_index), paren_spans(cell.text)
        )
    return regimen_mention(start, written, keys, components, where_at, linker, page_context)
