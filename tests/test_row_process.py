"""A rerun's row checks in a process of their own: the same findings as in the run's
process, and when that process fails, no answer (the run then checks the rows itself)."""
from __future__ import annotations

import os
import signal

import pytest

from pipelines.row_process import RowCheckProcess
from pipelines.rules import REGISTRY, RuleContext, run_row_rules
from pipelines.tables import DRUG_COLUMNS, csv_lines


def _drug_row(page: str, line: int, text: str, role: str = "generic") -> list:
    row = dict.fromkeys(DRUG_COLUMNS, "")
    row.update(page=page, section="Treatment", line=line, column=1, text=text, generic=text, role=role, in_regimen=False)
    return [row[c] for c in DRUG_COLUMNS]


def _pages() -> list[tuple[str, str]]:
    """Two pages' tables: rows that keep the schema and rows that break it (line 0, an unknown role)."""
    first = csv_lines([_drug_row("a.md", 3, "cisplatin"), _drug_row("a.md", 0, "carboplatin")])
    second = csv_lines([_drug_row("b.md", 7, "oxaliplatin", role="maybe")])
    return [(first, ""), (second, "")]


@pytest.fixture
def ctx(reference, linker) -> RuleContext:
    return RuleContext(reference, linker, [])


def test_the_process_finds_what_the_run_would_in_chunks(ctx):
    pages = _pages()
    expected = run_row_rules(ctx, ["SC001"], pages)
    assert {(f.page, f.line) for f in expected} >= {("a.md", 0), ("b.md", 7)}
    process = RowCheckProcess(ctx, ["SC001"])
    process.send(pages[:1])
    process.send(pages[1:])
    assert process.findings() == (expected, None)  # no verdicts to learn into
    assert not process.process.is_alive()


@pytest.mark.parametrize("failure", ["rule raises", "process killed"])
def test_a_failed_process_gives_no_answer(ctx, monkeypatch, failure):
    if failure == "rule raises":  # the process is forked with the broken rule
        monkeypatch.setattr(REGISTRY["SC001"], "check", lambda self, ctx: iter([1 / 0]))
    process = RowCheckProcess(ctx, ["SC001"])
    if failure == "process killed":
        os.kill(process.process.pid, signal.SIGKILL)
        process.process.join()
    process.send(_pages())
    assert process.findings() is None


def test_a_process_not_asked_is_ended(ctx):
    process = RowCheckProcess(ctx, ["SC001"])
    process.close()
    assert not process.process.is_alive()


def test_what_sc001_learns_there_comes_back_with_the_run_s_verdicts(ctx):
    from pipelines.cell_verdicts import CellVerdicts

    ctx.verdicts = CellVerdicts({"regimen_mentions": {"columns": ["page"], "unchecked": [], "cells": {"page": {"x.md": []}}}})
    process = RowCheckProcess(ctx, ["SC001"])
    process.send(_pages())
    findings, learnt = process.findings()
    assert findings and learnt["regimen_mentions"]["cells"]["page"] == {"x.md": []}  # kept from the run
    cells = learnt["drug_mentions"]["cells"]  # learnt there: a role by its value, a page and a text (checked for their length alone) by length
    assert {"generic", "maybe"} <= set(cells["role"]) and "4" in cells["page"] and {"9", "11"} <= set(cells["text"])


def test_a_process_that_never_answers_is_given_up_on(ctx, monkeypatch):
    """Stuck rather than ended (a process that ends is seen at once): after the time allowed
    for the rows sent, no answer, and the process is ended (the run then checks the rows itself)."""
    import time

    import pipelines.row_process

    monkeypatch.setattr(pipelines.row_process, "_serve", lambda *args: time.sleep(600))
    monkeypatch.setattr(pipelines.row_process, "WAIT_SECONDS", 0.5)
    process = RowCheckProcess(ctx, ["SC001"])
    process.send(_pages())
    started = time.monotonic()
    assert process.findings() is None
    assert 0.5 <= time.monotonic() - started < 30
    assert not process.process.is_alive()
