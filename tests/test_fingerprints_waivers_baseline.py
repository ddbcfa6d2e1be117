"""Fingerprints survive unrelated edits; waivers and baselines decide what fails CI."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines import check
from pipelines.errors import ConfigInvalid
from pipelines.waivers import baseline_payload, load_waivers

PAGE = """Colon cancer

Chemotherapy

The drugs used are:

  \u2022 oxaliplatin (Xeloda)
  \u2022 FOLFIRI \u2013 leucovorin and fluorouracil
  \u2022 capecitabine (Xeloda)
"""


def _site(tmp_path: Path, page: str = PAGE, other: str = "Other page\n\ncapecitabine (Xeloda) is a pill.\n") -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "colon.txt").write_text(page, encoding="utf-8")
    (site / "other.txt").write_text(other, encoding="utf-8")
    return site


def _prints(site: Path, **flags) -> dict[tuple[str, str], str]:
    result = check([site], market="CA", waivers=str(site.parent / "no-waivers.yaml"), **flags)
    return {(f.code, f.text): f.fingerprint for f in result.findings}


def test_fingerprints_survive_unrelated_edits(tmp_path):
    site = _site(tmp_path)
    before = _prints(site)
    assert ("BG001", "Xeloda") in before and ("RG001", "FOLFIRI") in before
    edited = PAGE.replace("The drugs used are:", "A new paragraph about treatment.\n\nThe drugs used are:")
    edited = edited.replace("  \u2022 FOLFIRI \u2013 leucovorin and fluorouracil\n", "  \u2022 FOLFIRI \u2013 leucovorin and\n    fluorouracil\n")
    _site(tmp_path, edited, other="Other page\n\nA different page now.\n")
    assert _prints(site) == before


def test_fingerprint_changes_with_the_flagged_text(tmp_path):
    site = _site(tmp_path)
    before = _prints(site)
    _site(tmp_path, PAGE.replace("oxaliplatin (Xeloda)", "oxaliplatin (Xelodax)"))
    after = _prints(site)
    assert ("BG001", "Xeloda") not in after
    assert after[("RG001", "FOLFIRI")] == before[("RG001", "FOLFIRI")]


def test_repeats_on_a_page_get_distinct_fingerprints(tmp_path):
    site = _site(tmp_path, PAGE + "\n  \u2022 oxaliplatin (Xeloda) again\n")
    result = check([site], market="CA")
    prints = [f.fingerprint for f in result.findings if f.code == "BG001"]
    assert len(prints) == 2 and len(set(prints)) == 2


def _waiver_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_waived_expired_and_unused(tmp_path):
    site = _site(tmp_path)
    first = check([site], market="CA", waivers=str(tmp_path / "none.yaml"))
    bg001 = next(f for f in first.findings if f.code == "BG001")
    waivers = _waiver_file(tmp_path, f"""waivers:
  - fingerprint: {bg001.fingerprint}
    reason: pairing confirmed with the pharmacist
    accepted_by: J. Editor
  - code: RG001
    page: colon.txt
    text: FOLFIRI
    reason: the page describes a de-escalated schedule
    accepted_by: J. Editor
    expires: 2026-01-31
  - code: BG002
    page: colon.txt
    reason: stale
    accepted_by: J. Editor
""")
    result = check([site], market="CA", waivers=str(waivers), today=dt.date(2026, 11, 21))
    status = {f.code: f.status for f in result.findings}
    assert status["BG001"] == "waived"
    assert status["RG001"] == "new"  # its waiver expired
    expired = [f for f in result.findings if f.code == "SC006"]
    unused = [f for f in result.findings if f.code == "SC005"]
    assert len(expired) == 1 and expired[0].line == 5 and "2026-01-31" in expired[0].message
    assert len(unused) == 1 and unused[0].line == 11
    early = check([site], market="CA", waivers=str(waivers), today=dt.date(2026, 1, 1))
    assert {f.code: f.status for f in early.findings}["RG001"] == "waived"
    assert early.exit_code == 0  # both errors waived; only the unused waiver (a warning) is left


@pytest.mark.parametrize(
    "body,message",
    [
        ("waivers:\n  - fingerprint: abc\n    accepted_by: me\n", ":2: a waiver needs a reason"),
        ("waivers:\n  - fingerprint: abc\n    reason: r\n    accepted_by: me\n    colour: red\n", ":2: unknown key(s) colour"),
        ("waivers:\n  - code: BG001\n    page: a.txt\n    reason: r\n    accepted_by: me\n    expires: someday\n", ":2: expires 'someday' is not a date"),
        ("waivers:\n  - reason: r\n    accepted_by: me\n", ":2: a waiver needs a fingerprint, or a code and a page"),
        ("waivers: [\n", ":2: not valid YAML"),
        ("waivers:\n  - !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    ],
)
def test_bad_waiver_files_name_the_line(tmp_path, body, message):
    path = _waiver_file(tmp_path, body)
    with pytest.raises(ConfigInvalid) as caught:
        load_waivers(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_baseline_fails_only_on_new_findings(tmp_path):
    site = _site(tmp_path)
    first = check([site], market="CA")
    assert first.exit_code == 1
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(baseline_payload(first.findings, "test")), encoding="utf-8")
    again = check([site], market="CA", baseline=str(baseline))
    assert {f.status for f in again.findings} == {"baseline"} and again.exit_code == 0
    _site(tmp_path, PAGE.replace("  \u2022 oxaliplatin (Xeloda)\n", "") + "  \u2022 irinotecan (Eloxatin)\n")
    later = check([site], market="CA", baseline=str(baseline))
    new = [f for f in later.findings if f.status == "new"]
    assert [(f.code, f.text) for f in new] == [("BG001", "Eloxatin")] and later.exit_code == 1
    assert [e["text"] for e in later.resolved_baseline] == ["Xeloda"]


def _scanned(findings, waivers, today):
    """What apply_waivers gives, as every waiver tried for every finding in the file's order:
    the first that matches is the finding's, and it waives unless it has expired."""
    from dataclasses import replace

    first = [next((w for w in waivers if w.matches(f)), None) for f in findings]
    out = [replace(f, status="waived") if w is not None and not w.expired(today) else f for f, w in zip(findings, first)]
    unused = [w for w in waivers if not any(w is chosen for chosen in first)]
    expired = list(dict.fromkeys(w for w in first if w is not None and w.expired(today)))
    return out, unused, expired


def test_waivers_are_matched_as_a_scan_of_every_waiver_would():
    """apply_waivers tries only the waivers of a finding's fingerprint or code and page; the first
    of those in the file wins, as in a scan of all of them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipelines.findings import Finding
    from pipelines.waivers import Waiver, apply_waivers

    today = dt.date(2026, 1, 1)
    small = st.sampled_from(["a", "b"])
    finding = st.builds(lambda code, page, text, fp: Finding(code, "n", "error", page, 1, 1, text, "m", fingerprint=fp),
                        st.sampled_from(["BG001", "BG002"]), small, st.sampled_from(["Xeloda", "xeloda", "Taxol"]), st.sampled_from(["f1", "f2", "f3"]))
    waiver = st.builds(lambda line, fp, code, page, text, old: Waiver(line, "r", "x", fp, code, page, text, dt.date(2025, 1, 1) if old else None),
                       st.integers(1, 9), st.sampled_from(["", "", "f1", "f2"]), st.sampled_from(["BG001", "BG002"]), small,
                       st.sampled_from(["", "XELODA", "Taxol"]), st.booleans())

    @given(st.lists(finding, max_size=12), st.lists(waiver, max_size=6))
    @settings(max_examples=300, deadline=None)
    def check(findings, waivers):
        assert apply_waivers(findings, waivers, today) == _scanned(findings, waivers, today)

    check()
