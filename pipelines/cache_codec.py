"""A page's extraction as compact JSON and back, field by field (the cache's format).

Positional lists instead of objects, and each heading path stored once per page,
so that reading 10,000 unchanged pages back costs far less than extracting them."""
from __future__ import annotations

from .extract.model import Component, DrugMention, Item, PageExtraction, RegimenMention, Suspect, Where
from .link import Suggestion


def encode(page: PageExtraction) -> dict:
    paths: dict[tuple[str, ...], int] = {}

    def path(p: tuple[str, ...]) -> int:
        return paths.setdefault(p, len(paths))

    def where(w: Where) -> list:
        return [path(w.heading_path), w.offset, w.line, w.column, w.block, w.index, w.section]

    def sug(s: Suggestion | None):
        return None if s is None else [s.name, s.kind, s.key, s.score]

    def item(i: Item) -> list:
        return [i.text, where(i.where), i.role, i.drug, i.introduced, i.trademark, sug(i.suggestion)]

    def component(c: Component) -> list:
        return [c.text, where(c.where), c.drug, c.optional, sug(c.suggestion), c.sequel]

    data = {
        "page": page.page,
        "url": page.url,
        "drugs": [
            [where(m.where), m.text, m.role, m.drug, m.generic, m.drug_class, [item(i) for i in m.items],
             m.in_regimen, m.trademark, list(m.span), sug(m.suggestion)]
            for m in page.drugs
        ],
        "regimens": [
            [where(r.where), r.name, r.regimen, list(r.candidates), [component(c) for c in r.components],
             [component(c) for c in r.addons], r.listed, sug(r.suggestion)]
            for r in page.regimens
        ],
        "suspects": [[where(s.where), s.text, sug(s.suggestion)] for s in page.suspects],
        "headings": [[where(w), text] for w, text in page.heading_positions],
        "blocks": [[path(p), text, kind] for p, text, kind in page.block_texts],
    }
    data["paths"] = [list(p) for p in paths]
    return data


def decode(data: dict) -> PageExtraction:
    page_name = data["page"]
    paths = [tuple(p) for p in data["paths"]]

    def where(w: list) -> Where:
        return Where(page_name, w[6], paths[w[0]], w[1], w[2], w[3], w[4], w[5])

    def sug(s):
        return None if s is None else Suggestion(s[0], s[1], s[2], s[3])

    def item(i: list) -> Item:
        return Item(i[0], where(i[1]), i[2], i[3], i[4], i[5], sug(i[6]))

    def component(c: list) -> Component:
        return Component(c[0], where(c[1]), c[2], c[3], sug(c[4]), c[5])

    return PageExtraction(
        page=page_name,
        url=data["url"],
        drugs=[
            DrugMention(where(d[0]), d[1], d[2], d[3], d[4], d[5], [item(i) for i in d[6]], d[7], d[8], tuple(d[9]), sug(d[10]))
            for d in data["drugs"]
        ],
        regimens=[
            RegimenMention(where(r[0]), r[1], r[2], tuple(r[3]), [component(c) for c in r[4]], [component(c) for c in r[5]], r[6], sug(r[7]))
            for r in data["regimens"]
        ],
        suspects=[Suspect(where(s[0]), s[1], sug(s[2])) for s in data["suspects"]],
        heading_positions=[(where(w), text) for w, text in data["headings"]],
        block_texts=[(paths[p], text, kind) for p, text, kind in data["blocks"]],
    )
