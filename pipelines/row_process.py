"""The row rules (scope "rows": SC001's pandera schemas) in a process of their own, for a
rerun whose rows SC001's verdicts cannot all answer for. The process is forked at the first
such page and imports pandas and pandera and sets the rules up while the run reads the
rest; the run itself then never imports pandas. The rows of the pages read again are sent
to it a chunk at a time, and their findings come back once the last chunk is sent."""
from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection

from .findings import Finding
from .rules import REGISTRY, RuleContext, row_columns, run_row_rules


# how long the run waits for the process's answer once the last rows are sent, at least and per
# kilobyte of rows sent, before it takes the process for stuck (a process that ends is seen at once);
# pandera checks about 40,000 rows (4 MB) in well under a second here
WAIT_SECONDS = 60.0
WAIT_SECONDS_PER_KB = 0.01


class RowCheckProcess:
    """A forked process that checks table rows with the rules `codes` (scope "rows")."""

    def __init__(self, ctx: RuleContext, codes: list[str]):
        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, self.connection, ctx, codes), daemon=True)
        self.process.start()
        child.close()
        self.failed = False
        self.sent_kb = 0.0

    def send(self, tables: list[tuple[str, str]] | None) -> None:
        """Rows to check, as each page's (drug CSV lines, regimen CSV lines); None when no more come."""
        if not self.failed:
            try:
                self.connection.send(tables)
            except OSError:
                self.failed = True
            self.sent_kb += sum(len(drugs) + len(regimens) for drugs, regimens in tables or ()) / 1000

    def findings(self) -> tuple[list[Finding], dict | None] | None:
        """The findings on every row sent, and SC001's verdicts when it learnt any there (all of
        them: the run's and the new); None when the process could not give them (it died, a
        rule failed there, or it gave no answer in the time allowed: the run then checks those
        rows itself, and a failing rule fails there as it would have)."""
        self.send(None)
        try:
            answer = None if self.failed or not self._answered() else self.connection.recv()
        except (EOFError, OSError):
            answer = None
        finally:
            self.close()
        return answer if isinstance(answer, tuple) else None

    def _answered(self) -> bool:
        """Whether an answer (or the end of the process) came within the time allowed."""
        return self.connection.poll(WAIT_SECONDS + WAIT_SECONDS_PER_KB * self.sent_kb)

    def close(self) -> None:
        """End the process (it has answered, or is no longer needed)."""
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


def _serve(connection: Connection, parents_end: Connection, ctx: RuleContext, codes: list[str]) -> None:
    parents_end.close()  # else the run's end of the pipe stays open here, and a run that ended is never noticed
    # at the lowest priority: while the run and its workers are busy this process takes what they leave
    # (beside a rerun's early worker, 19 took less of the run than 10 when this process was still forked
    # at every rerun's start: rerun_ab.py --reruns 8, median 2.28 against 2.36 s)
    os.nice(19)
    found: list[Finding] | str = []
    try:
        for code in codes:
            REGISTRY[code].prepare()
        columns = row_columns(codes)
        while (tables := connection.recv()) is not None:
            if isinstance(found, list):
                try:
                    found += run_row_rules(ctx, codes, tables, columns)
                except Exception as failure:  # noqa: BLE001 - answered as "no findings"; the run checks these rows itself
                    found = repr(failure)
        # with what SC001 learnt of the values here (forked with the run's verdicts, so all it knows)
        learnt = ctx.verdicts.known if ctx.verdicts is not None and ctx.verdicts.changed else None
        connection.send((found, learnt) if isinstance(found, list) else found)
    except (EOFError, OSError):
        return
