"""Ingest and extract every page: in order, over processes when asked, and from
the cache for pages that have not changed."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from .cache import PageCache, cache_entry, page_key
from .extract import PageExtraction, extract_document
from .ingest import ChromeRules, PageProblem, load_bytes, page_from_bytes
from .link import Linker

# Set in the parent before worker processes fork, so workers share the loaded reference.
_WORKER: dict = {}


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _process(item: tuple[str, str, bytes]) -> tuple[PageExtraction | None, PageProblem | None, str | None]:
    path, page, data = item
    doc, problem = page_from_bytes(data, Path(path), page, _WORKER["chrome"], _WORKER["max_bytes"])
    extraction = extract_document(doc, _WORKER["linker"]) if doc is not None else None
    # the cache entry is made here, so that worker processes share that work too
    stored = cache_entry(extraction, problem) if _WORKER["caching"] else None
    return extraction, problem, stored


def extract_pages(
    files: list[tuple[Path, str]], linker: Linker, chrome: ChromeRules, max_bytes: int,
    jobs: int = 1, cache: PageCache | None = None, context: str = "",
) -> tuple[list[PageExtraction], list[PageProblem]]:
    """Extractions and page problems, in the order of `files` whatever `jobs` is."""
    _WORKER.update(linker=linker, chrome=chrome, max_bytes=max_bytes, caching=cache is not None)
    slots: list[tuple[PageExtraction | None, PageProblem | None] | None] = [None] * len(files)
    todo: list[tuple[int, str, tuple[str, str, bytes]]] = []
    keys: list[str | None] = [None] * len(files)
    for n, (path, page) in enumerate(files):
        data, problem = load_bytes(path, page, max_bytes)
        if data is None:
            slots[n] = (None, problem)
            continue
        keys[n] = page_key(data, f"{context}|{page}") if cache is not None else None
        todo.append((n, keys[n] or "", (str(path), page, data)))
    if cache is not None:
        hits = cache.get_many([k for _, k, _ in todo])
        for n, key, _ in todo:
            if key in hits:
                slots[n] = hits[key]
        todo = [t for t in todo if slots[t[0]] is None]
    for (n, key, _), (extraction, problem, stored) in zip(todo, _run([item for _, _, item in todo], jobs)):
        slots[n] = (extraction, problem)
        if cache is not None and stored is not None:
            cache.put(key, stored)
    extractions = [s[0] for s in slots if s is not None and s[0] is not None]
    problems = [s[1] for s in slots if s is not None and s[1] is not None]
    return extractions, problems


def _run(items: list[tuple[str, str, bytes]], jobs: int):
    if jobs <= 1 or len(items) < 2 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        return map(_process, items)
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        return list(pool.imap(_process, items, chunksize=max(1, min(64, len(items) // (jobs * 8)))))
    finally:
        pool.close()
        pool.join()
