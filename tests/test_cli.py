"""The rxqa command as a user runs it: exit codes, one-line errors, outputs."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import cli

ROOT = Path(__file__).resolve().parents[1]


def rxqa(*args, cwd=ROOT):
    if args and args[0] == "check" and "--data-docs" not in args:
        args = (*args, "--no-data-docs")  # Data Docs have their own test; they cost seconds per run
    return cli(*args, cwd=cwd)


def test_check_writes_the_contract_columns(tmp_path):
    out = tmp_path / "out"
    run = rxqa("check", "data/content", "--out", str(out), "--quiet")
    assert run.returncode == 1, run.stderr  # the sample site has planted errors
    assert "pages" in run.stdout and "by code" in run.stdout
    drugs = pd.read_csv(out / "drug_mentions.csv")
    assert {"page", "section", "line", "column", "text", "generic", "role", "brands", "other_names"} <= set(drugs.columns)
    regimens = pd.read_csv(out / "regimen_mentions.csv")
    assert {"page", "section", "line", "column", "name", "regimen", "components", "component_generics"} <= set(regimens.columns)
    findings = pd.read_csv(out / "findings.csv")
    assert list(findings.columns)[:13] == ["fingerprint", "code", "name", "severity", "page", "url", "section", "line", "column", "text", "message", "suggestion", "status"]
    payload = json.loads((out / "findings.json").read_text())
    assert payload["summary"]["findings"] == len(findings) == len(payload["findings"])
    assert not any("\\" in p for p in drugs.page)


def test_fail_on_and_select(tmp_path):
    out = tmp_path / "out"
    assert rxqa("check", "data/content", "--out", str(out), "--fail-on", "never", "-q").returncode == 0
    assert rxqa("check", "data/content", "--out", str(out), "--select", "BG005", "-q").returncode == 0
    assert rxqa("check", "data/content", "--out", str(out), "--select", "BG", "--ignore", "BG001", "--fail-on", "warning", "-q").returncode == 1


def test_usage_errors_are_one_line_exit_2(tmp_path):
    for args in (["check", "--nope"], ["check", "no/such/folder", "--out", str(tmp_path / "o")], ["rules", "ZZ999"],
                 ["check", "data/content", "--select", "QQ"], ["check", "data/content", "--out", "data/content/reports"]):
        run = rxqa(*args)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr, run.stderr
        assert run.stderr.startswith("rxqa: error:")


def test_broken_reference_is_exit_2_with_file_and_line(tmp_path):
    import shutil

    ref = tmp_path / "ref"
    shutil.copytree(ROOT / "data" / "reference", ref)
    with open(ref / "brands.csv", "a", encoding="utf-8") as handle:
        handle.write("Xeloda,oxaliplatin,CA,marketed,,RxNorm,2026-11-21\n")
    run = rxqa("check", "data/content", "--reference", str(ref), "--out", str(tmp_path / "o"))
    assert run.returncode == 2
    assert f"{ref / 'brands.csv'}:" in run.stderr and "Xeloda" in run.stderr
    assert not (tmp_path / "o").exists()


def test_failed_run_keeps_the_last_good_reports(tmp_path):
    out = tmp_path / "out"
    rxqa("check", "data/content", "--out", str(out), "-q")
    before = (out / "findings.csv").read_bytes()
    run = rxqa("check", str(tmp_path / "nothing-here"), "--out", str(out))
    assert run.returncode == 2
    assert (out / "findings.csv").read_bytes() == before


def test_rules_command_prints_generated_docs():
    listing = rxqa("rules")
    from pipelines.rules import REGISTRY

    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == len(REGISTRY) == 20
    doc = rxqa("rules", "bg001")
    assert doc.returncode == 0
    for section in ("## Why it matters", "## Bad", "## Good", "## How to fix", "oxaliplatin (Xeloda)"):
        assert section in doc.stdout


def test_reference_commands():
    assert "valid" in rxqa("reference", "check").stdout
    shown = rxqa("reference", "show", "Xeloda")
    assert shown.returncode == 0 and "capecitabine" in shown.stdout and "FOLFOX" not in shown.stdout.split("component of:")[0]
    assert "CAPOX" in rxqa("reference", "show", "XELOX").stdout
    assert rxqa("reference", "show", "nosuchname").returncode == 2


def test_pyproject_settings_and_flags_win(tmp_path):
    content = tmp_path / "site"
    content.mkdir()
    (content / "a.txt").write_text("irinotecan (Camptosar) is given.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.rxqa]\ncontent = ["site"]\nreference = "{ROOT / "data" / "reference"}"\nmarket = "UK"\nout = "out"\n', encoding="utf-8"
    )
    run = rxqa("check", cwd=tmp_path)
    assert "BG008" in run.stdout and (tmp_path / "out" / "findings.csv").exists()
    run = rxqa("check", "--market", "US", cwd=tmp_path)
    assert "BG008" not in run.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.rxqa]\ncolour = 'red'\n", encoding="utf-8")
    bad = rxqa("check", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown key 'colour'" in bad.stderr


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('chrome-lines = ["(unclosed"]', "chrome-lines '(unclosed' is not a regular expression rxqa can use (missing ), unterminated subpattern"),
        ('chrome-sections = ["Related (?s)links"]', "chrome-sections 'Related (?s)links' is not a regular expression rxqa can use (global flags"),
        # a pattern Python takes alone, but not where the rules join it with the others
        ('chrome-lines = ["(?i)(?s)^sponsored"]', "chrome-lines '(?i)(?s)^sponsored' is not a regular expression rxqa can use (global flags"),
        ('chrome_selectors = ["div > p"]', "chrome-selectors: unsupported chrome selector 'div > p'"),
    ],
)
def test_a_chrome_setting_rxqa_cannot_use_is_a_one_line_error_before_any_page_is_read(tmp_path, setting, said):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text("FOLFOX is leucovorin, fluorouracil and oxaliplatin.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f"[tool.rxqa]\n{setting}\n", encoding="utf-8")
    run = rxqa("check", "site", "--no-cache", cwd=tmp_path)
    assert run.returncode == 2 and not (tmp_path / "reports").exists()
    assert run.stderr.count("\n") == 1 and f"pyproject.toml: [tool.rxqa]: {said}" in run.stderr
    fine = setting.replace("(unclosed", "^unclosed").replace("(?s)", "").replace("div > p", "div.share")
    (tmp_path / "pyproject.toml").write_text(f"[tool.rxqa]\n{fine}\n", encoding="utf-8")
    assert rxqa("check", "site", "--no-cache", "-q", cwd=tmp_path).returncode == 0


def test_python_api_returns_data():
    from pipelines import check

    result = check([ROOT / "data" / "content"], market="CA")
    assert len(result.pages) >= 10 and not result.drug_table.empty and result.findings
    assert result.exit_code == 1


def test_reference_import_command(tmp_path):
    out = tmp_path / "ref"
    run = rxqa("reference", "import", "rxnorm", *[str(p) for p in sorted((ROOT / "tests/reference/fixtures/rxnorm").iterdir())], "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "Zorblax" in run.stdout and (out / "brands.csv").exists()
    assert "valid" in rxqa("reference", "check", "--reference", str(out)).stdout
    bad = rxqa("reference", "import", "dpd", *[str(p) for p in sorted((ROOT / "tests/reference/fixtures/dpd_bad_columns").iterdir())], "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "drug.txt:2:" in bad.stderr


def test_timings_name_every_stage_and_report_on_stderr(tmp_path):
    run = rxqa("check", "data/content", "--out", str(tmp_path / "out"), "--format", "json", "--timings")
    assert run.returncode == 1, run.stderr
    json.loads(run.stdout)  # the timings stay off stdout
    lines = run.stderr.splitlines()
    assert lines[0].startswith("timings")
    named = {line.split()[0]: line for line in lines[1:]}
    assert {"start-up", "reference", "pages", "rules", "reports", "total"} <= set(named)
    written = {"compare", "data", "mention_tables", "html", "junit", "sarif", "worksheet", "codequality", "summary_md"}
    assert written <= set(named) and all("cpu" in named[name] for name in written)
    assert float(named["total"].split()[1]) >= float(named["reports"].split()[1]) > 0
    assert "cpu" in named["pages"] and "the workers'" in named["pages"]  # the run's own CPU, and its worker processes'
    rows = [line for line in lines if line.strip().startswith("row checks")]
    assert len(rows) == 1 and float(rows[0].split("cpu")[1].split()[0]) >= 0  # 0 when a cache kept every page's row findings
    if sys.platform == "linux":  # each writer's CPU in the kernel and the pages it faulted in, as the benchmark reads them
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench import phases

        by_writer = phases(run.stderr)["reports_by_writer"]
        assert written <= set(by_writer) and all(len(figures) == 4 and 0 <= figures[2] <= figures[1] + 0.05 for figures in by_writer.values())
        assert by_writer["html"][3] > 0  # a writer faults in at least the memory it builds its output in


def test_timings_leave_out_the_kernel_share_where_it_is_not_measured():
    from types import SimpleNamespace

    from pipelines.report.terminal import timing_lines

    result = SimpleNamespace(timings={"reports": 0.5}, report_timings={"html": (0.3, 0.2, None, None), "sarif": (0.1, 0.1, 0.02, 40)})
    lines = {line.split()[0]: line for line in timing_lines(result, 0.1, 1.0)[1:]}
    assert lines["html"].rstrip().endswith("cpu  0.20")  # not "kernel 0.00, 0 pages", which would read as measured
    assert lines["sarif"].endswith("(kernel 0.02, 40 pages faulted in)")


def test_main_called_from_python_raises_system_exit():
    import pytest

    from pipelines.cli import main

    with pytest.raises(SystemExit) as done:
        main(["rules", "BG001"])
    assert done.value.code == 0
    with pytest.raises(SystemExit) as done:
        main(["rules", "ZZ999"])
    assert done.value.code == 2
