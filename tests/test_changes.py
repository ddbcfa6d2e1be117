"""Changes since the previous run: each edit to a page shows up as the change it is,
and an unchanged page shows none."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import check
from pipelines import changes
from pipelines.changes import compare, summary_lines
from pipelines.report import write_reports

ROOT = Path(__file__).resolve().parents[1]

BEFORE = """# Treating bowel cancer

## Chemotherapy

- fluorouracil (Adrucil)
- oxaliplatin (Eloxatin)
- capecitabine (Xeloda)

FOLFOX is leucovorin, fluorouracil and oxaliplatin.
"""

# (what the edit does, old text, new text, expected drug changes, expected regimen changes)
EDITS = [
    ("nothing", "", "", [], []),
    ("a brand added", "- capecitabine (Xeloda)", "- capecitabine (Xeloda, Ecansya)",
     [("capecitabine", "changed")], []),
    ("a drug removed", "- capecitabine (Xeloda)\n", "", [("capecitabine", "disappeared")], []),
    ("a regimen loses a component", "fluorouracil and oxaliplatin.", "and fluorouracil.", [], [("FOLFOX", "changed")]),
    ("a drug added", "- capecitabine (Xeloda)", "- capecitabine (Xeloda)\n- irinotecan (Camptosar)",
     [("irinotecan", "appeared")], []),
    ("a regimen added", "FOLFOX is", "CAPOX is capecitabine and oxaliplatin. FOLFOX is", [], [("CAPOX", "appeared")]),
]


def _run(content: Path, out: Path, previous: Path | None = None, jobs: int = 2):
    result = check([content], reference=str(ROOT / "data" / "reference"), cache_dir="")
    write_reports(result, out, skip={"data_docs"}, jobs=jobs, previous=previous)
    return result


def _checked_then_edited(tmp_path, old: str, new: str) -> Path:
    """A page checked once (outputs in tmp_path/out), then edited; its folder."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "bowel.md").write_text(BEFORE, encoding="utf-8")
    _run(content, tmp_path / "out")
    (content / "bowel.md").write_text(BEFORE.replace(old, new), encoding="utf-8")
    return content


def test_the_changes_are_the_same_whether_written_side_by_side_or_one_by_one(tmp_path):
    import json

    content = _checked_then_edited(tmp_path, "- capecitabine (Xeloda)\n", "")
    one = _run(content, tmp_path / "one", previous=tmp_path / "out", jobs=1)
    two = _run(content, tmp_path / "two", previous=tmp_path / "out", jobs=2)
    assert one.changes == two.changes and [row["name"] for row in two.changes["drugs"]] == ["capecitabine"]
    for folder in ("one", "two"):
        written = json.loads((tmp_path / folder / "findings.json").read_text(encoding="utf-8"))
        assert written["changes"]["drugs"] == two.changes["drugs"]
        assert "drugs on pages: 1 disappeared" in (tmp_path / folder / "summary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("what, old, new, drugs, regimens", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_is_reported_as_its_change(tmp_path, what, old, new, drugs, regimens):
    content = tmp_path / "content"
    content.mkdir()
    (content / "bowel.md").write_text(BEFORE, encoding="utf-8")
    (content / "other.md").write_text(BEFORE.replace("bowel", "stomach"), encoding="utf-8")
    _run(content, tmp_path / "out")
    if old:
        assert old in BEFORE
        (content / "bowel.md").write_text(BEFORE.replace(old, new), encoding="utf-8")

    changes = _run(content, tmp_path / "out2", previous=tmp_path / "out").changes

    assert [(row["name"], row["change"]) for row in changes["drugs"]] == drugs
    assert [(row["name"], row["change"]) for row in changes["regimens"]] == regimens
    assert {row["page"] for row in changes["drugs"] + changes["regimens"]} <= {"bowel.md"}
    assert summary_lines(changes)[0].startswith("  since the previous run:")


def test_a_changed_brand_list_names_both_sides(tmp_path):
    content = _checked_then_edited(tmp_path, "(Xeloda)", "(Ecansya)")
    [row] = _run(content, tmp_path / "out2", previous=tmp_path / "out").changes["drugs"]
    assert row == {"page": "bowel.md", "name": "capecitabine", "change": "changed", "before": ["Xeloda"], "after": ["Ecansya"]}


def test_no_previous_run_or_a_broken_one_gives_no_changes(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "bowel.md").write_text(BEFORE, encoding="utf-8")
    result = _run(content, tmp_path / "out")
    assert compare(result, tmp_path / "nowhere") is None
    (tmp_path / "out" / "drug_mentions.csv").write_text("page,line\nbowel.md,1\n", encoding="utf-8")
    changes = compare(result, tmp_path / "out")
    assert changes["drugs"] == [] and changes["findings"]["new"] == []


def test_no_previous_run_clears_changes_left_from_an_earlier_write(tmp_path):
    import json

    content = _checked_then_edited(tmp_path, "(Xeloda)", "(Ecansya)")
    for jobs in (1, 2):
        result = _run(content, tmp_path / f"with-{jobs}", previous=tmp_path / "out", jobs=jobs)
        assert result.changes["drugs"]
        write_reports(result, tmp_path / f"again-{jobs}", skip={"data_docs"}, jobs=jobs, previous=tmp_path / "nowhere")
        assert result.changes is None
        assert json.loads((tmp_path / f"again-{jobs}" / "findings.json").read_text(encoding="utf-8"))["changes"] is None


def _random_site(rng, pages: int) -> dict[str, str]:
    drugs = ["fluorouracil (Adrucil)", "oxaliplatin (Eloxatin)", "capecitabine (Xeloda)", "irinotecan (Camptosar)",
             "cisplatin (Xeloda)", "cetuximab (Erbitux)", "leucovorin"]
    regimens = ["FOLFOX is leucovorin, fluorouracil and oxaliplatin.", "CAPOX is capecitabine and oxaliplatin.",
                "FOLFIRI is leucovorin, fluorouracil and irinotecan.", "FOLFOX is fluorouracil and oxaliplatin."]
    site = {}
    for n in range(pages):
        lines = [f"# Page {n}", "", "## Chemotherapy", ""] + [f"- {rng.choice(drugs)}" for _ in range(rng.randint(0, 6))]
        lines += ["", rng.choice(regimens) if rng.random() < 0.7 else "No regimen here."]
        site[f"p{n:02d}, \"q\".md" if n % 7 == 3 else f"p{n:02d}.md"] = "\n".join(lines) + "\n"
    return site


@pytest.mark.parametrize("seed", range(6))
def test_changes_from_the_changed_pages_alone_equal_those_from_whole_tables(tmp_path, monkeypatch, seed):
    """Matching the previous tables page by page (only the pages whose lines differ are
    read) gives exactly what comparing the whole tables gives, whatever was edited,
    added, removed or renamed."""
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    content = tmp_path / "content"
    content.mkdir()
    site = _random_site(rng, 24)
    for name, text in site.items():
        (content / name).write_text(text, encoding="utf-8")
    _run(content, tmp_path / "out")
    edited = _random_site(rng, 24)
    for name in rng.sample(sorted(site), k=rng.randint(1, 12)):
        action = rng.choice(["edit", "edit", "remove", "rename"])
        if action == "edit":
            (content / name).write_text(edited[name], encoding="utf-8")
        elif action == "remove":
            (content / name).unlink()
        else:
            (content / name).rename(content / ("z" + name))
    result = check([content], reference=str(ROOT / "data" / "reference"), cache_dir="")
    assert result.table_csv
    whole = compare(replace(result, table_csv={}, drug_frame=result.drug_table, regimen_frame=result.regimen_table), tmp_path / "out")
    def parts_only(source, columns):
        pytest.fail("the whole previous table was read")

    with monkeypatch.context() as patch:
        patch.setattr(changes, "_read_file", parts_only)
        fast = compare(result, tmp_path / "out")
    assert fast == whole
    assert fast["drugs"] or fast["regimens"]  # the edits are seen
