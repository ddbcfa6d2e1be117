"""The rules that check table rows one at a time (scope "rows": SC001's pandera schemas)
over a run's pages, as they come in, with what a cache kept of earlier runs."""
from __future__ import annotations

import time
from functools import cached_property

from . import bundled_verdicts
from .cache import PageCache
from .cell_verdicts import CellVerdicts
from .errors import RxqaError
from .findings import Finding
from .jsontext import dumps, loads
from .outcome import PageOutcome, finding_values, findings_from_values
from .row_process import RowCheckProcess
from .rules import REGISTRY, RuleContext, row_columns, run_row_rules


class RowChecks:
    """The rules that check table rows one at a time (scope "rows"), run over the pages' rows
    a chunk at a time as the pages come in (`add`), so that most of it is done while the
    workers are still reading; `findings` checks what is left. With a cache, a chunk is answered
    for from SC001's verdicts on cell values (cell_verdicts.py: those the cache kept, or the
    ones rxqa ships, bundled_verdicts.py) when they hold all its values, and goes to pandera
    when they do not. A page whose rows were checked
    before is not checked again (with a cache): its findings are kept under its key, which
    changes with its rows. With `beside` (a rerun over processes), each page is answered for
    from SC001's verdicts on cell values as it comes (cell_verdicts.py), and the rows the
    verdicts cannot answer for are checked in a process of their own (row_process.py), forked
    at the first such page so that it imports pandas and pandera while the rest are read; a
    rerun whose rows the verdicts all answer for never starts it, and where the fork is refused
    they are checked here."""

    CHUNK_ROWS = 40_000  # rows of both tables; each chunk costs pandera about 0.03 s of set-up
    FIRST_CHUNK_ROWS = 5_000  # and the chunks double from this size up to CHUNK_ROWS: what is left
    # when the last page is read is checked after it, alone, and on a small site that was every row

    def __init__(self, ctx: RuleContext, codes: list[str], cache: PageCache | None, beside: bool = False):
        self.ctx, self.codes, self.cache = ctx, codes, cache
        self.pending: list[PageOutcome] = []
        self.pending_rows = 0
        self.checked: set[int] = set()  # id() of the outcomes checked
        self.made: list[Finding] = []
        # what the row rules found each cell value to be (kept in the cache): SC001 answers from it
        # for rows whose values it all knows (Rule.answer)
        if codes and cache is not None:  # those it kept, or else those rxqa ships (bundled_verdicts.py)
            ctx.verdicts = CellVerdicts(load=lambda: cache.verdicts() or bundled_verdicts.load())
        self.beside = beside and bool(codes)
        self.process: RowCheckProcess | None = None  # forked with the verdicts, when a page needs it
        self.sent: list[PageOutcome] = []  # to the process, whose findings come at the end
        self.cpu = 0.0  # this process's CPU seconds in add and findings (rxqa check --timings)
        self.chunk_rows = min(self.FIRST_CHUNK_ROWS, self.CHUNK_ROWS)

    def prepare(self) -> None:
        """Set the rules up before the first rows come (Rule.prepare), unless a process of their own
        would or SC001's verdicts are at hand to answer for them."""
        if not self.beside and not self._verdicts_known():
            for code in self.codes:
                REGISTRY[code].prepare()

    def add(self, outcome: PageOutcome) -> None:
        """A page just read: its rows are answered for from the verdicts (beside), or checked with the next chunk."""
        if not self.codes or not outcome.read:
            return
        started = time.process_time()
        try:
            self._take(outcome)
        finally:
            self.cpu += time.process_time() - started

    def _take(self, outcome: PageOutcome) -> None:
        if self.beside:
            answers = self._answers([(outcome.drug_csv, outcome.regimen_csv)])
            if answers is not None:
                self._made([outcome], answers)
                return
            self._start_process()
        self.pending.append(outcome)
        self.pending_rows += outcome.drug_count + outcome.regimen_count
        if self.pending_rows >= self.chunk_rows:
            # answered for from the verdicts when they can (less CPU than pandera's checks, and no
            # imports); beside, each of these pages was already found one they cannot
            self._check_pending(answer=not self.beside)
            self.chunk_rows = min(2 * self.chunk_rows, self.CHUNK_ROWS)

    def findings(self, read: list[PageOutcome]) -> list[Finding]:
        """The row rules' findings on every page of `read`: checked as they came, kept from an
        earlier run, or checked now."""
        if not self.codes:
            return []
        started = time.process_time()
        try:
            return self._findings(read)
        finally:
            self.cpu += time.process_time() - started

    def _findings(self, read: list[PageOutcome]) -> list[Finding]:
        sent_ids = set(map(id, self.sent))
        waiting = [o for o in read if id(o) not in self.checked and id(o) not in sent_ids]
        stored = self.cache.stored_checks([o.key for o in waiting if o.key]) if self.cache is not None else {}
        self.pending = [o for o in waiting if o.key not in stored]
        self._read_stored_lines(self.pending)
        self._check_pending(answer=True)  # the rows left: a rerun that read few pages answers for them without pandas
        if self.process is not None and not self.sent:
            self._end_process()  # no page was read again: no rows to wait for it with
        if self.process is not None:
            sent, self.sent = self.sent, []
            answer = self.process.findings()
            self.process = None
            if answer is None:  # the process failed: the rows are checked here
                self.beside = False
                self.pending = sent
                self._check_pending(answer=False)
            else:
                fresh, learnt = answer
                if learnt is not None and self.ctx.verdicts is not None:
                    self.ctx.verdicts.take(learnt)
                self._made(sent, fresh)
        # in any order: fingerprints are given in page order (with_fingerprints), and a page's findings keep theirs
        kept = [(o.page, stored[o.key]) for o in waiting if stored.get(o.key, "[]") != "[]"]  # most pages' rows have none
        return [f for page, text in kept for f in findings_from_values(loads(text), page)] + self.made

    def _read_stored_lines(self, outcomes: list[PageOutcome]) -> None:
        """Read the CSV lines the cache kept of stored outcomes whose rows were never checked (rare)."""
        stored = [o for o in outcomes if o.drug_csv is None or o.regimen_csv is None]
        if not stored or self.cache is None:
            return
        drugs, regimens = (self.cache.texts([o.key for o in stored], column) for column in ("drug_csv", "regimen_csv"))
        for o in stored:
            if o.key not in drugs or o.key not in regimens:  # another run pruned it since it was loaded
                raise RxqaError(f"{self.cache.path}: the stored outcome of {o.page} is gone; run again")
            o.drug_csv, o.regimen_csv = drugs[o.key], regimens[o.key]

    def close(self) -> None:
        """End the rows' process if the run ends before asking for its findings; keep what
        SC001 learnt of the cell values (with a cache)."""
        self._end_process()
        if self.ctx.verdicts is not None and self.ctx.verdicts.changed and self.cache is not None:
            self.cache.keep_verdicts(self.ctx.verdicts.known)

    def _end_process(self) -> None:
        if self.process is not None:
            self.process.close()
            self.process = None

    def _verdicts_known(self) -> bool:
        return self.ctx.verdicts is not None and bool(self.ctx.verdicts.known)

    @cached_property
    def columns(self) -> dict[str, list[str]] | None:
        """The columns of each table the row rules read (asked once the first rows are checked)."""
        return row_columns(self.codes)

    def _check_pending(self, answer: bool) -> None:
        """Check the pending pages' rows: answered for from the verdicts when `answer` and they can,
        else in the rows' process (beside) or here."""
        chunk, self.pending, self.pending_rows = self.pending, [], 0
        if not chunk:
            return
        pages = [(o.drug_csv, o.regimen_csv) for o in chunk]
        answers = self._answers(pages) if answer else None
        if answers is not None:
            self._made(chunk, answers)
        elif self.beside and self._start_process():
            self.process.send(pages)
            self.sent += chunk
        else:
            self._made(chunk, run_row_rules(self.ctx, self.codes, pages, self.columns))

    def _answers(self, pages: list[tuple[str, str]]) -> list[Finding] | None:
        """The row rules' findings on these pages' rows from SC001's verdicts, or None when any rule cannot answer."""
        answers = [REGISTRY[code]().answer(self.ctx, pages) for code in self.codes]
        return None if None in answers else [f for answer in answers for f in answer]

    def _start_process(self) -> bool:
        """Whether the rows' process is there (forked now, at the first page that needs it); a
        refused fork leaves the rows to this process."""
        if self.process is None and self.beside:
            try:
                self.process = RowCheckProcess(self.ctx, self.codes)
            except OSError:
                self.beside = False
        return self.process is not None

    def _made(self, chunk: list[PageOutcome], fresh: list[Finding]) -> None:
        """Note the findings `fresh` on the rows of the pages `chunk` (kept by page key with a cache)."""
        self.made += fresh
        self.checked.update(map(id, chunk))
        if self.cache is not None:
            by_page: dict[str, list[Finding]] = {}
            for finding in fresh:
                by_page.setdefault(finding.page, []).append(finding)
            self.cache.keep_checks({o.key: dumps(finding_values(by_page.get(o.page, [])), indent=False) for o in chunk if o.key})
