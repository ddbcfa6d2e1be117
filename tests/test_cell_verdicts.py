"""SC001's answers from the verdicts on cell values equal pandera's own, in its order."""
from __future__ import annotations

import random

import pytest

from pipelines.cell_verdicts import CellVerdicts
from pipelines.rules import REGISTRY, RuleContext, run_row_rules
from pipelines.tables import DRUG_COLUMNS, REGIMEN_COLUMNS, csv_lines

PAGES = ["a.md", "b/c.html", "d, \"e\".txt"]
SECTIONS = ["Treatment", "", "Side effects, and more"]
TEXTS = ["cisplatin", "FOLFOX", "", "gemcitabine", "oxaliplatin (long)"]
ROLES = ["generic", "brand", "maybe", "abbreviation"]
NAMES = ["FOLFOX", "", "CAPOX"]


def _page(rng: random.Random, page: str, rows: int) -> tuple[str, str]:
    drugs, regimens = [], []
    for _ in range(rows):
        drug = dict.fromkeys(DRUG_COLUMNS, "")
        drug.update(page=page, section=rng.choice(SECTIONS), line=rng.choice([0, 1, 7]), column=rng.choice([0, 3]),
                    text=rng.choice(TEXTS), generic=rng.choice(TEXTS), role=rng.choice(ROLES), in_regimen=rng.random() < 0.5)
        drugs.append([drug[c] for c in DRUG_COLUMNS])
        regimen = dict.fromkeys(REGIMEN_COLUMNS, "")
        regimen.update(page=page, section=rng.choice(SECTIONS), line=rng.choice([0, 2]), column=1, name=rng.choice(NAMES), listed=False)
        regimens.append([regimen[c] for c in REGIMEN_COLUMNS])
    return csv_lines(drugs), csv_lines(regimens[: rows // 2])


@pytest.fixture
def strict(monkeypatch):
    """Two checks on one column, so that the order by check is tried too."""
    import pandera.pandas as pa

    import schemas.tables

    schema = schemas.tables.DrugMentions.to_schema().update_column("text", checks=[pa.Check.str_length(1, 10), pa.Check.str_matches(r"^[a-z ()]+$")])
    monkeypatch.setitem(schemas.tables.MODELS, "drug_mentions", schema)


def _by_pandera(ctx: RuleContext, pages) -> list:
    return run_row_rules(ctx, ["SC001"], pages)


@pytest.mark.parametrize("seed", range(8))
def test_an_answer_from_the_verdicts_equals_pandera(reference, linker, strict, seed):
    rng = random.Random(seed)
    ctx = RuleContext(reference, linker, [])
    learnt = [_page(rng, page, 40) for page in PAGES]  # every value of the pools, many times over
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, learnt)
    assert ctx.verdicts.changed
    pages = [_page(rng, rng.choice(PAGES), rng.randint(1, 12)) for _ in range(rng.randint(1, 4))]
    answered = ctx.verdicts.answer(pages)
    assert answered is not None
    rule = REGISTRY["SC001"]()
    expected = _by_pandera(RuleContext(reference, linker, []), pages)
    assert [rule.failure(*a) for a in answered] == expected
    assert expected  # the pools hold failing values


def _drug_row(**values) -> tuple[str, str]:
    row = dict.fromkeys(DRUG_COLUMNS, "")
    row.update(page="a.md", section="Treatment", line=1, column=3, text="gemcitabine", generic="gemcitabine", role="generic", in_regimen=False)
    row.update(values)
    return csv_lines([[row[c] for c in DRUG_COLUMNS]]), ""


def test_a_value_never_validated_gets_no_answer(reference, linker):
    rng = random.Random(1)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, [_page(rng, "a.md", 30)])
    assert ctx.verdicts.answer([_page(rng, "a.md", 5)]) is not None
    assert ctx.verdicts.answer([_drug_row(role="a role no row had")]) is None  # a check of the value itself (isin)
    assert CellVerdicts().answer([_page(rng, "a.md", 5)]) is None


def test_a_column_checked_for_length_alone_is_answered_by_length(reference, linker):
    """A new page, or a mention written a way no page had, needs no pandera: page and text are
    checked for their length only, and the lengths up to a margin past the longest are learnt."""
    from pipelines.rules.SC001 import LENGTH_MARGIN

    rng = random.Random(5)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, [_page(rng, page, 20) for page in PAGES])
    assert set(ctx.verdicts.known["drug_mentions"]["by_length"]) == {"page", "text"}
    assert set(ctx.verdicts.known["regimen_mentions"]["by_length"]) == {"page", "name"}
    longest = max(len(text) for text in TEXTS)
    assert ctx.verdicts.unknown_numbers("drug_mentions", "text", longest + LENGTH_MARGIN) == []
    new = [_drug_row(page="a-page-no-run-had.html", text="Gemzar® (new)"), _drug_row(text=""), _drug_row(text="x" * (longest + LENGTH_MARGIN))]
    answered = ctx.verdicts.answer(new)
    assert answered is not None
    expected = _by_pandera(RuleContext(reference, linker, []), new)
    assert [REGISTRY["SC001"]().failure(*a) for a in answered] == expected
    assert [f.message for f in expected] == ["row of drug_mentions breaks its schema: column text str_length(1, None)"]  # the empty text
    assert ctx.verdicts.answer([_drug_row(text="x" * (longest + LENGTH_MARGIN + 1))]) is None


def test_a_failure_without_a_check_number_is_never_answered_for():
    import pandas as pd

    verdicts = CellVerdicts()
    frame = pd.DataFrame({"page": ["a.md"], "line": [1]})
    verdicts.learn("regimen_mentions", ["page", "line"], [], frame, [("line", 1, None, "not_nullable")])
    assert verdicts.known["regimen_mentions"]["cells"]["line"]["1"] is None
    row = dict.fromkeys(REGIMEN_COLUMNS, "")
    row.update(page="a.md", line=1, listed=False)
    assert verdicts.answer([("", csv_lines([[row[c] for c in REGIMEN_COLUMNS]]))]) is None


def test_a_schema_that_checks_more_than_one_cell_is_never_answered_for(reference, linker, monkeypatch):
    import schemas.tables

    unique_texts = schemas.tables.DrugMentions.to_schema().update_column("text", unique=True)
    monkeypatch.setitem(schemas.tables.MODELS, "drug_mentions", unique_texts)
    rng = random.Random(2)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    pages = [_page(rng, "a.md", 20)]
    _by_pandera(ctx, pages)
    assert "drug_mentions" not in ctx.verdicts.known and "regimen_mentions" in ctx.verdicts.known
    assert ctx.verdicts.answer(pages) is None
    assert ctx.verdicts.answer([("", pages[0][1])]) is not None  # regimen rows alone: answered


def test_unchecked_columns_pass_any_text(reference, linker):
    rng = random.Random(3)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, [_page(rng, "a.md", 20)])
    assert "section" in ctx.verdicts.known["drug_mentions"]["unchecked"] and "section" not in ctx.verdicts.known["drug_mentions"]["cells"]
    drugs, regimens = _page(rng, "a.md", 6)
    renamed = (drugs.replace("Treatment", "A heading no page had"), regimens)
    assert ctx.verdicts.answer([renamed]) is not None


def test_lines_no_row_had_are_validated_once_up_to_a_margin(reference, linker):
    from pipelines.rules.SC001 import NUMBER_MARGIN

    rng = random.Random(4)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, [_page(rng, "a.md", 20)])  # lines 0, 1 and 7 only
    assert ctx.verdicts.unknown_numbers("drug_mentions", "line", 7 + NUMBER_MARGIN) == []

    def at_line(line: int) -> tuple[str, str]:
        row = dict.fromkeys(DRUG_COLUMNS, "")
        row.update(page="a.md", section="Treatment", line=line, column=3, text="gemcitabine", generic="gemcitabine", role="maybe", in_regimen=False)
        return csv_lines([[row[c] for c in DRUG_COLUMNS]]), ""

    answered = ctx.verdicts.answer([at_line(300)])
    assert answered is not None
    assert [REGISTRY["SC001"]().failure(*a) for a in answered] == _by_pandera(RuleContext(reference, linker, []), [at_line(300)])
    assert ctx.verdicts.answer([at_line(7 + NUMBER_MARGIN + 1)]) is None


def test_the_probe_of_whole_numbers_stops_at_its_limit(reference, linker):
    from pipelines.rules.SC001 import NUMBER_LIMIT

    row = dict.fromkeys(DRUG_COLUMNS, "")
    row.update(page="a.md", section="Treatment", line=5_000_000, column=3, text="cisplatin", generic="cisplatin", role="generic", in_regimen=False)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    _by_pandera(ctx, [(csv_lines([[row[c] for c in DRUG_COLUMNS]]), "")])  # a mention on line 5,000,000
    lines = ctx.verdicts.known["drug_mentions"]["cells"]["line"]
    assert "5000000" in lines and len(lines) == NUMBER_LIMIT + 2  # 0 to the limit, and the line itself


def test_the_values_no_row_had_are_validated_in_one_probe_table(reference, linker, monkeypatch):
    """pandera's set-up on each validation costs more than a few hundred rows: the probes of
    every column (lines, columns, lengths) go in one table, validated once per table."""
    import schemas.tables

    validated = []
    real = schemas.tables.failing_rows

    def counted(table, frame):
        validated.append((table, len(frame)))
        return real(table, frame)

    monkeypatch.setattr(schemas.tables, "failing_rows", counted)
    rng = random.Random(6)
    ctx = RuleContext(reference, linker, [])
    ctx.verdicts = CellVerdicts()
    pages = [_page(rng, page, 20) for page in PAGES]
    _by_pandera(ctx, pages)
    assert [table for table, _ in validated] == ["drug_mentions", "drug_mentions", "regimen_mentions", "regimen_mentions"]
    known = ctx.verdicts.known["drug_mentions"]["cells"]
    assert {"line", "column", "page", "text"} <= set(known)
    assert ctx.verdicts.answer(pages) is not None


@pytest.mark.parametrize("text, width, last, expected", [
    ("", 4, 1, []),
    ("a,1,x,y\nb,2,z,w\n", 4, 1, [["a", "1", "x,y"], ["b", "2", "z,w"]]),  # split as far as the last checked column
    ("a,1,x,y\n", 4, 2, [["a", "1", "x", "y"]]),  # the rest is one cell: nothing to join
    ("a,1,x,y\n", 4, 3, [["a", "1", "x", "y"]]),  # the last column checked: the whole line
    ("a,,,\n", 4, 1, [["a", "", ","]]),  # empty cells
    ('"a,b",1,x,y\n', 4, 1, [["a,b", "1", "x", "y"]]),  # a quote: the csv module reads every cell
    ("a,1,x\n", 4, 1, None),  # a line short of a cell
    ("a,1,x,y,z\n", 4, 1, None),  # a line with one too many
    ("a,1,x,y\nb\n", 4, 1, None),  # one line of one cell
    ("a,1,x,y,z\nb,2,w\n", 4, 1, None),  # one too many and one too few: still found
])
def test_leading_cells_split_a_line_as_far_as_the_checked_columns(text, width, last, expected):
    from pipelines.tables import leading_cells, line_cells, whole

    rows = leading_cells(text, width, last)
    assert rows == expected
    if rows is not None:
        assert [whole(row, width) for row in rows] == line_cells(text)  # every cell, as a whole split gives them


def test_a_table_whose_schema_checks_no_column_is_answered_with_nothing_failing():
    verdicts = CellVerdicts({"drug_mentions": {"columns": ["page", "section"], "unchecked": ["page", "section"], "by_length": [], "cells": {}}})
    row = dict.fromkeys(DRUG_COLUMNS, "")
    row.update(page="a.html", line=1, column=1, in_regimen=False)
    assert verdicts.answer([(csv_lines([[row[c] for c in DRUG_COLUMNS]]), "")]) == []
