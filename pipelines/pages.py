"""Read every page and run the page rules on it: in order, over processes when
asked, and from the cache for pages that have not changed. Each page comes back
as a PageOutcome (findings, table rows, site-rule records), never as objects
that would have to be held for the whole run."""
from __future__ import annotations

import multiprocessing
import os
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from .cache import PageCache, content_digest, file_stamp, page_key
from .collector import fewer_collections, quiet_collector
from .errors import RxqaError
from .extract import extract_document
from .ingest import ChromeRules, PageProblem, load_bytes, load_markdown_parser, page_from_bytes
from .link import Linker, word_frequency
from .outcome import Encoded, PageOutcome, decode, encode, page_outcome
from .processes import can_fork
from .reference.model import Reference
from .rules import RuleContext


@dataclass
class PageWork:
    """What reading a page needs; set in the parent before worker processes fork, so they share it."""

    reference: Reference
    linker: Linker
    load_chrome: Callable[[], ChromeRules]  # the chrome rules, loaded at the first use of `chrome`
    max_bytes: int
    market: str
    codes: list[str]  # the selected rules: page rules run, site rules collect
    confirm_reference: Callable[[], None] = lambda: None  # validates the reference (cache.linker_to_confirm)

    @cached_property
    def chrome(self) -> ChromeRules:
        """Loaded where pages are first read: before the workers fork on a cold run, in the worker on a
        rerun (_load_what_pages_need); a rerun's own process reads no page and never loads them."""
        return self.load_chrome()


_WORK: list[PageWork] = []


def _process(item: tuple[str, str, bytes | None, str | None]) -> tuple[str, str, bool, tuple[str, tuple[str, int] | None] | None]:
    """(outcome, view, whether the cache may keep them under the key of the expected digest, and
    for a page read here to be kept under a key of its own: its digest and its file's stamp)."""
    path, page, data, expected = item
    work = _WORK[-1]
    keep, seen = True, None
    if data is None:
        # read here: known to the cache by its stamp but its outcome was not kept (`expected` is the
        # digest of its bytes then), or never seen by a cache that holds nothing (""), or no cache (None)
        stamp = file_stamp(os.path.abspath(path)) if expected == "" else None
        data, problem = load_bytes(path, page, work.max_bytes)
        if data is None:
            return (*encode(PageOutcome(page, problem=problem)), False, None)
        if expected is None:
            keep = False
        elif expected == "":
            seen = (content_digest(data), stamp)
        else:
            keep = content_digest(data) == expected  # else edited since its stamp was taken: reported, not kept
    return (*_outcome_of(data, path, page, work), keep, seen)


def _outcome_of(data: bytes, path: str, page: str, work: PageWork) -> Encoded:
    try:
        doc, problem = page_from_bytes(data, path, page, work.chrome, work.max_bytes)
        extraction = extract_document(doc, work.linker) if doc is not None else None
        ctx = RuleContext(work.reference, work.linker, [], market=work.market)
        return encode(page_outcome(extraction, problem, page, ctx, work.codes))
    except RxqaError:
        raise  # what no page can be read without (the chrome rules): the run stops, with its one-line error
    except Exception as exc:  # noqa: BLE001 - one page rxqa fails on must not stop the run: it is reported as unchecked
        message = f"rxqa failed on this page, which is left unchecked ({type(exc).__name__}: {exc}); please report it"
        return encode(PageOutcome(page, problem=PageProblem(page, message)))


@contextmanager
def ready_reader(work: PageWork, wanted: bool = True):
    """A worker process forked now, which loads the English word list while the run lists
    its pages and looks them up, so that the few pages a rerun reads again start at once
    (read_pages' `ready`); None unless `wanted` and processes can be forked. Ended on leaving."""
    if not wanted or not can_fork():
        yield None
        return
    _WORK.append(work)
    try:
        pool = _pool(1, _get_ready)
    finally:
        _WORK.pop()
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _pool(workers: int, initializer: Callable[[], None]):
    return multiprocessing.get_context("fork").Pool(workers, initializer=initializer)


def _get_ready() -> None:
    quiet_collector()
    try:
        _load_what_pages_need(_WORK[-1])
    except Exception:  # noqa: BLE001 - a pool whose initializer fails starts workers forever; a page read there fails instead
        pass


def _load_what_pages_need(work: PageWork) -> None:
    """What reading a page loads the first time: the chrome rules, the English word list, the Markdown
    parser, the HTML parser and the fuzzy matcher (a rerun's own process reads no page and needs none of them)."""
    work.chrome  # noqa: B018 - loaded once, here
    word_frequency("the")
    load_markdown_parser()
    import rapidfuzz.process  # noqa: F401
    import selectolax.lexbor  # noqa: F401


def read_pages(
    files: list[tuple[str, str]], work: PageWork, jobs: int = 1, cache: PageCache | None = None, context: str = "",
    meanwhile: Callable[[], None] | None = None, on_read: Callable[[PageOutcome], None] | None = None, ready=None,
    texts: bool = True,
) -> list[PageOutcome]:
    """One outcome per file, in the order of `files` whatever `jobs` is. When some page is to be
    read, `meanwhile` is called once the stored outcomes are loaded, before the results of the
    pages read (in worker processes, when there are any) are waited for: on a rerun the run has
    nothing else to do then. `on_read` is called with the outcome of each page read now (not of
    those the cache had), as it comes. `ready` (from ready_reader) reads the pages when one
    worker is all they need beside the stored outcomes; it is ended here when it is not used.
    Without `texts`, stored outcomes come without their texts (PageCache.get_many)."""
    with fewer_collections():
        return _read_pages(files, work, jobs, cache, context, meanwhile, on_read, ready, texts)


def _read_pages(
    files: list[tuple[str, str]], work: PageWork, jobs: int, cache: PageCache | None, context: str,
    meanwhile: Callable[[], None] | None, on_read: Callable[[PageOutcome], None] | None, ready, texts: bool,
) -> list[PageOutcome]:
    slots: list[PageOutcome | None] = [None] * len(files)
    todo: list[tuple[int, str, tuple[str, str, bytes | None, str | None]]] = []
    stored: list[tuple[int, str, tuple[str, str, bytes | None, str | None]]] = []
    if cache is None or cache.holds_nothing:
        # no outcome can be reused: each page is read (and hashed, for the cache) where it is
        # processed, so the workers start at once and no page's bytes cross between processes
        todo = [(n, "", (path, page, None, None if cache is None else "")) for n, (path, page) in enumerate(files)]
    else:
        for n, (path, page) in enumerate(files):
            data, digest, problem = _bytes_or_digest(path, page, work.max_bytes, cache)
            if not digest:
                slots[n] = PageOutcome(page, problem=problem)
                continue
            todo.append((n, page_key(digest, f"{context}|{page}"), (path, page, data, digest)))
        present = cache.present([key for _, key, _ in todo])
        stored = [t for t in todo if t[1] in present]
        todo = [t for t in todo if t[1] not in present]
    if todo and jobs > 1 and not stored:
        # with nothing else to do meanwhile, the parent loads what reading a page needs once, before
        # the workers fork; else each worker loads it while the parent loads the stored outcomes
        _load_what_pages_need(work)
    _WORK.append(work)
    try:
        # the workers fork before the stored outcomes are loaded: they read while the parent loads
        with _results([item for _, _, item in todo], jobs, alongside=bool(stored), ready=ready) as results:
            if stored:
                hits = cache.get_many([key for _, key, _ in stored], texts=texts)
                for n, key, _ in stored:
                    slots[n] = hits.get(key)
                    if slots[n] is not None:
                        slots[n].key = key
            if todo and meanwhile is not None:
                meanwhile()
            _collect(todo, results, slots, cache, context, on_read)
        # an entry that did not read back is read again, here: it is rare
        missed = [t for t in stored if slots[t[0]] is None]
        _collect(missed, map(_process, [item for _, _, item in missed]), slots, cache, context, on_read)
    finally:
        _WORK.pop()
    return slots  # type: ignore[return-value]


def _collect(
    todo: list, results, slots: list, cache: PageCache | None, context: str, on_read: Callable[[PageOutcome], None] | None,
) -> None:
    for (n, key, (path, page, _, _)), (*encoded, keep, seen) in zip(todo, results):
        slots[n] = decode(*encoded)
        if seen is not None and cache is not None:  # read and hashed in the worker
            digest, stamp = seen
            key = page_key(digest, f"{context}|{page}")
            if stamp is not None:
                cache.saw(os.path.abspath(path), stamp, digest)
        if cache is not None and keep:
            cache.put(key, tuple(encoded))
            slots[n].key = key
        if on_read is not None:
            on_read(slots[n])


def _bytes_or_digest(path: str, page: str, max_bytes: int, cache: PageCache) -> tuple[bytes | None, str, PageProblem | None]:
    """The digest of a page's bytes, from its file's stamp when the cache saw the same one (no
    need to read it, unless its outcome is missing), else from its bytes, which are returned too."""
    name = os.path.abspath(path)
    stamp = file_stamp(name)
    digest = cache.digest_of(name, stamp[0]) if stamp is not None else None
    if digest is not None:
        return None, digest, None
    data, problem = load_bytes(path, page, max_bytes)
    if data is None:
        return None, "", problem
    digest = content_digest(data)
    if stamp is not None:
        cache.saw(name, stamp, digest)
    return data, digest, None


# pages that pay for a worker process of their own: each worker first loads the English word
# list (about 0.5 s), so a rerun with a few changed pages reads them in one worker beside the run;
# or their bytes, for a few long pages (a page of the benchmark's sites is about 6 KB)
PAGES_PER_WORKER = 150
BYTES_PER_WORKER = PAGES_PER_WORKER * 6_000


def _workers(items: list[tuple[str, str, bytes | None, str | None]], jobs: int) -> int:
    """The worker processes `items` pay for, up to `jobs`: one per PAGES_PER_WORKER pages, or
    per BYTES_PER_WORKER of their bytes when that gives more (a few long pages)."""
    workers = -(-len(items) // PAGES_PER_WORKER)
    if workers < jobs:
        size = sum(len(data) if data is not None else _file_size(path) for path, _, data, _ in items)
        workers = max(workers, -(-size // BYTES_PER_WORKER))
    return min(jobs, workers)


def _file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # reported when the page is read
        return 0


@contextmanager
def _results(items: list[tuple[str, str, bytes | None, str | None]], jobs: int, alongside: bool = False, ready=None):
    """Each item's _process result, in order, as they come: over a pool of up to `jobs` processes when
    it pays, which it does for even one page when the run has other work `alongside` (loading the
    stored outcomes); over `ready`, a pool of one worker forked earlier, when one worker is enough."""
    workers = _workers(items, jobs) if jobs > 1 and items else 1
    if jobs <= 1 or not items or (len(items) < 2 * jobs and workers < 2 and not alongside) or not can_fork():
        if ready is not None:
            ready.terminate()
        yield map(_process, items)
        return
    if ready is not None and workers == 1 and alongside:
        yield ready.imap(_process, items, chunksize=max(1, min(64, len(items) // 8)))
        return
    if ready is not None:
        ready.terminate()
    pool = _pool(workers, quiet_collector)
    try:
        yield pool.imap(_process, items, chunksize=max(1, min(64, len(items) // (workers * 8))))
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()
