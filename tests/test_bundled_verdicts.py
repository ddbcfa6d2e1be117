"""The verdicts rxqa ships for SC001 (pipelines/bundled_verdicts.py): current, pandera's own,
and answering as pandera does for every value they hold, and for no other."""
from __future__ import annotations

import json
import sqlite3

import pytest

from pipelines import bundled_verdicts, check
from pipelines.cache import SCHEMA
from pipelines.cell_verdicts import CellVerdicts
from pipelines.rules import REGISTRY, RuleContext, run_row_rules
from pipelines.rules.SC001 import LENGTH_LIMIT, NUMBER_LIMIT
from pipelines.tables import DRUG_COLUMNS, REGIMEN_COLUMNS, csv_lines

REGENERATE = "python -m pipelines.bundled_verdicts"


def test_the_bundled_verdicts_are_current_and_pandera_gives_them():
    shipped = bundled_verdicts.load()
    assert shipped is not None, f"schemas/table_verdicts.json is out of date (a schema or SC001 changed): run `{REGENERATE}`"
    assert shipped == bundled_verdicts.build(), f"the pandera installed gives other verdicts: run `{REGENERATE}` and look at the change"


@pytest.mark.parametrize("change", ["other code", "not JSON", "no tables", "missing", "an entry without its unchecked columns", "a run of text"])
def test_verdicts_of_other_code_or_unreadable_are_not_used(tmp_path, change):
    path = tmp_path / "table_verdicts.json"
    data = json.loads(bundled_verdicts.VERDICTS_FILE.read_text(encoding="utf-8"))
    if change == "other code":
        data["code"] = "0" * 16
    if change == "no tables":
        del data["tables"]
    if change == "an entry without its unchecked columns":
        del data["tables"]["drug_mentions"]["unchecked"]
    if change == "a run of text":
        data["tables"]["regimen_mentions"]["runs"]["line"][0] = "0-20000"
    if change != "missing":
        path.write_text("{" if change == "not JSON" else json.dumps(data), encoding="utf-8")
    assert bundled_verdicts.load(path) is None


def test_a_copy_of_the_shipped_verdicts_elsewhere_reads_as_they_do(tmp_path):
    path = tmp_path / "table_verdicts.json"
    path.write_text(bundled_verdicts.VERDICTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert bundled_verdicts.load(path) == bundled_verdicts.load()


def _drug(**values) -> list:
    row = dict(page="a.html", section="Chemotherapy", line=3, column=5, text="cisplatin", generic="cisplatin", role="generic", in_regimen=False)
    row.update(values)
    return [row.get(column, "") for column in DRUG_COLUMNS]


def _regimen(**values) -> list:
    row = dict(page="a.html", section="Chemotherapy", line=4, column=1, name="FOLFOX", regimen="FOLFOX", listed=False)
    row.update(values)
    return [row.get(column, "") for column in REGIMEN_COLUMNS]


# (case, drug rows, regimen rows, whether the bundled verdicts answer for them, whether SC001 finds
# anything: None where the rows cannot be a table's, as no page's can)
CASES = [
    ("every value fine", [_drug(), _drug(role="brand", line=1, column=1)], [_regimen()], True, False),
    ("line and column 0", [_drug(line=0, column=0)], [_regimen(line=0)], True, True),
    ("empty page and text", [_drug(page="", text="")], [_regimen(name="")], True, True),
    ("the largest position held", [_drug(line=NUMBER_LIMIT, column=NUMBER_LIMIT)], [], True, False),
    ("the longest text held", [_drug(text="x" * LENGTH_LIMIT, page="p" * LENGTH_LIMIT)], [_regimen(name="n" * LENGTH_LIMIT)], True, False),
    ("every role", [_drug(role=role) for role in ("generic", "brand", "synonym", "abbreviation", "unknown")], [], True, False),
    ("a line past the largest", [_drug(line=NUMBER_LIMIT + 1)], [], False, False),
    ("a text past the longest", [], [_regimen(name="n" * (LENGTH_LIMIT + 1))], False, False),
    ("a role the schema refuses", [_drug(role="maybe")], [], False, True),
    ("a line that is not a number", [_drug(line="three")], [], False, None),
    ("a position written with a leading zero", [_drug(column="07")], [], False, False),
]


@pytest.mark.parametrize("case, drugs, regimens, answered, failing", CASES, ids=[c[0] for c in CASES])
def test_the_bundled_verdicts_answer_as_pandera_does(reference, linker, case, drugs, regimens, answered, failing):
    pages = [(csv_lines(drugs), csv_lines(regimens))]
    answer = CellVerdicts(bundled_verdicts.load()).answer(pages)
    assert (answer is not None) == answered
    if failing is None:
        return
    expected = run_row_rules(RuleContext(reference, linker, []), ["SC001"], pages)
    assert bool(expected) == failing
    if answered:
        rule = REGISTRY["SC001"]()
        assert [rule.failure(*failure) for failure in answer] == expected


def test_a_cold_run_sends_rows_past_the_bundled_verdicts_to_pandera_and_keeps_what_it_learns(tmp_path, pandera_checks):
    site = tmp_path / "site"
    site.mkdir()
    (site / "short.md").write_text("# Treatment\n\nYou may have cisplatin (Platinol).\n", encoding="utf-8")
    (site / "long.txt").write_text("Treatment\n" + "\n" * NUMBER_LIMIT + "Some people have GemciTabine (Gemzar).\n", encoding="utf-8")
    checked = pandera_checks
    cache = tmp_path / "cache"
    cold = check([site], market="CA", cache_dir=str(cache), jobs=1)
    assert checked == [2]  # the chunk holding the line past the bundled verdicts' last went to pandera
    past = int(cold.drug_table["line"].max())
    assert past > NUMBER_LIMIT
    plain = check([site], market="CA", cache_dir="", jobs=1)
    assert [f.to_dict() for f in cold.findings] == [f.to_dict() for f in plain.findings]
    with sqlite3.connect(cache / "pages.sqlite") as db:  # what pandera taught is kept beside the bundled runs
        kept = json.loads(db.execute(f"SELECT data FROM verdicts_v{SCHEMA}").fetchone()[0])
    assert str(past) in kept["drug_mentions"]["cells"]["line"] and kept["drug_mentions"]["runs"]["line"]
    checked.clear()  # so a rerun after an edit of that page, its mention on the same line, answers without pandera
    long_page = site / "long.txt"
    long_page.write_text(long_page.read_text(encoding="utf-8").replace("GemciTabine", "GemcitabinE"), encoding="utf-8")
    warm = check([site], market="CA", cache_dir=str(cache), jobs=1)
    assert checked == [] and [f.to_dict() for f in warm.findings] == [f.to_dict() for f in check([site], market="CA", cache_dir="", jobs=1).findings]
