"""The CI outputs: junit.xml, results.sarif (against the official SARIF 2.1.0 schema),
codequality.json, summary.md, and the terminal forms (github, text, json)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

import pipelines
from pipelines.findings import Finding
from pipelines.report import codequality, junit, sarif, summary_md, terminal, write_reports, writers

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
MINE = {"junit", "sarif", "codequality", "summary_md"}
HOSTILE = 'Zz\x01\x0b"</script>\'\nnext line | `code` <b>&amp;</b> 100%, a:b\r\udcff'

BAD = ("Colon cancer treatment\n\nChemotherapy\n\nDrugs used include:\n\n"
       "  \u2022 oxaliplatin (Xeloda)\n"
       "  \u2022 capecitabine (Zz\x01\x0b\"</script>'x, Qq|`<b>` &amp;)\n")
OTHER = "Chemotherapy\n\nYou may get fluorouracil (Adrucil) and\nirinotecan (Camptosar, Oops\nBrand \"quoted\") today.\n"
CLEAN = "Chemotherapy\n\nYou may get oxaliplatin (Eloxatin).\n"


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    (folder / "colon").mkdir()
    (folder / "colon" / "bad page.txt").write_text(BAD, encoding="utf-8")
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    (folder / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def result(content):
    """A real run, then one finding waived, one baselined and one with hostile text."""
    run = pipelines.check([content], reference=str(ROOT / "data" / "reference"))
    brands = [f for f in run.findings if f.code == "BG002"]
    assert len(brands) >= 3 and any(f.code == "BG001" for f in run.findings)
    changed = {id(brands[0]): replace(brands[0], status="waived"),
               id(brands[1]): replace(brands[1], status="baseline"),
               id(brands[2]): replace(brands[2], text=HOSTILE, message=f"{HOSTILE} is odd", suggestion=HOSTILE)}
    return replace(run, findings=[changed.get(id(f), f) for f in run.findings])


@pytest.fixture(scope="module")
def out(result, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    others = {m.__name__.rsplit(".", 1)[-1] for m in writers()} - MINE  # other people's writers are tested elsewhere
    names = write_reports(result, folder, skip=others)
    assert {"junit.xml", "results.sarif", "codequality.json", "summary.md"} <= set(names)
    return folder


def by_status(result, status):
    return [f for f in result.findings if f.status == status]


# junit.xml

def test_junit_has_a_suite_per_page_and_counts_failures(result, out):
    tree = ET.parse(out / "junit.xml")  # parses: no control character got through
    suites = {s.get("name"): s for s in tree.getroot().iter("testsuite")}
    assert set(result.pages) <= set(suites)
    assert set(suites) == set(result.pages) | {f.page for f in result.findings}
    root = tree.getroot()
    assert int(root.get("failures")) == len(result.failing()) >= 1
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())
    for name, suite in suites.items():
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        mine = [f for f in result.findings if f.page == name]
        assert sorted(c.get("classname") for c in cases) == sorted(f.code for f in mine) or not mine


def test_junit_clean_page_passes_and_accepted_findings_are_skipped(result, out):
    suites = {s.get("name"): s for s in ET.parse(out / "junit.xml").getroot().iter("testsuite")}
    (case,) = suites["clean.txt"].findall("testcase")
    assert case.get("classname") == "rxqa" and list(case) == []
    cases = [c for s in suites.values() for c in s.findall("testcase")]
    skipped = [c.find("skipped").get("message") for c in cases if c.find("skipped") is not None]
    assert sorted(m.split(":")[0] for m in skipped) == ["baseline", "waived"]
    failing = {(f.code, junit.case_name(f)) for f in result.failing()}
    assert {(c.get("classname"), c.get("name")) for c in cases if c.find("failure") is not None} == failing
    below = [c for c in cases if c.find("system-out") is not None]
    assert below and all("below fail-on" in c.find("system-out").text for c in below)


def test_junit_strips_characters_xml_forbids(out):
    text = (out / "junit.xml").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    hostile = [c for c in ET.parse(out / "junit.xml").getroot().iter("testcase") if "script" in c.get("name")]
    assert hostile and all("Zz\"</script>'" in c.get("name") for c in hostile)


# results.sarif

@pytest.fixture(scope="module")
def sarif_log(out):
    return json.loads((out / "results.sarif").read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema(sarif_log):
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    validator.validate(sarif_log)
    broken = json.loads(json.dumps(sarif_log))
    broken["runs"][0]["results"][0]["level"] = "fatal"  # the schema is not vacuous
    assert not validator.is_valid(broken)


def test_sarif_rules_results_and_fingerprints(result, sarif_log):
    run = sarif_log["runs"][0]
    assert sarif_log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "rxqa"
    rules = run["tool"]["driver"]["rules"]
    bg001 = next(r for r in rules if r["id"] == "BG001")
    assert bg001["name"] == "brand-of-other-generic" and bg001["defaultConfiguration"]["level"] == "error"
    assert "## Why it matters" in bg001["help"]["markdown"] and bg001["shortDescription"]["text"]
    assert len(run["results"]) == len(result.findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for entry, finding in zip(run["results"], sorted(result.findings, key=Finding.sort_key)):
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == finding.code
        assert entry["level"] == levels[finding.severity]
        assert entry["partialFingerprints"] == {"rxqa/v1": finding.fingerprint}
        assert finding.message.replace("\udcff", "?") in entry["message"]["text"]
        location = entry["locations"][0]["physicalLocation"]
        if finding.page in result.pages:
            assert location["artifactLocation"]["uriBaseId"] == "CONTENT"
        assert location["region"]["startLine"] == finding.line
        assert location["region"]["snippet"]["text"] == finding.text.replace("\udcff", "?")


def test_sarif_keeps_waived_and_baselined_findings_as_suppressions(sarif_log):
    results = sarif_log["runs"][0]["results"]
    suppressed = {r["properties"]["status"]: r["suppressions"] for r in results if "suppressions" in r}
    assert set(suppressed) == {"waived", "baseline"}
    for (entry,) in suppressed.values():
        assert entry["kind"] == "external" and entry["status"] == "accepted" and entry["justification"]
    assert all("suppressions" not in r for r in results if r["properties"]["status"] == "new")


def test_sarif_page_with_space_is_a_valid_uri(sarif_log):
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_log["runs"][0]["results"] for loc in r["locations"]}
    assert "colon/bad%20page.txt" in uris


# codequality.json

def test_codequality_fields_and_severities(result, out):
    issues = json.loads((out / "codequality.json").read_text(encoding="utf-8"))
    shown = [f for f in result.findings if f.status != "waived"]
    assert len(issues) == len(shown) and len({i["fingerprint"] for i in issues}) == len(issues)
    mapping = {"error": "critical", "warning": "major", "info": "minor"}
    for issue, finding in zip(issues, sorted(shown, key=Finding.sort_key)):
        assert issue["check_name"] == finding.code and issue["fingerprint"] == finding.fingerprint
        assert issue["severity"] == mapping[finding.severity]
        assert issue["location"]["path"] == finding.page and issue["location"]["lines"]["begin"] == finding.line
        assert finding.message.replace("\udcff", "?") in issue["description"]


# summary.md

def test_summary_escapes_page_text(result, out):
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "<b>" not in text and "</script>" not in text and "&lt;/script&gt;" in text
    rows = [line for line in text.splitlines() if "Zz" in line]
    assert rows
    for row in rows:  # escaped pipes stay inside their cell: a row keeps its 6 cells
        assert len(re.findall(r"(?<!\\)\|", row)) == 7
        assert "\\`code\\`" in row


def test_summary_stays_small_for_huge_runs(result):
    base = Finding("BG002", "unknown-brand", "error", "p/page.html", 1, 1, "x", "m")
    many = [replace(base, page=f"section-{i % 500}/page-{i}.html", line=i, severity=("error", "warning", "info")[i % 3],
                    text=f"Brand|{i}<x>" * 20, message="a long message " * 40, suggestion="write something else " * 30,
                    fingerprint=f"{i:020d}") for i in range(100_000)]
    huge = replace(result, findings=many, pages=sorted({f.page for f in many}))
    text = summary_md.render(huge)
    assert len(text.encode("utf-8")) < 256 * 1024
    assert f"{len(huge.failing()) - summary_md.MAX_ROWS} more" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| section-")) == summary_md.MAX_ROWS


# terminal forms

def test_github_lines_escape_and_order(result, content, tmp_path, monkeypatch):
    monkeypatch.chdir(content.parent)
    lines = terminal.github_lines(result, content)
    kinds = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    assert len(lines) - 1 == len(by_status(result, "new"))
    assert lines[-1].startswith("::notice::") and "first 10" in lines[-1]
    hostile = next(line for line in lines if "Zz" in line)
    assert "\n" not in hostile and "\r" not in hostile
    props, message = hostile[len("::warning "):].split("::", 1)
    assert "%0A" in message and "%0D" in message and "100%25, a:b" in message
    page = next(f.page for f in result.findings if f.text == HOSTILE)
    assert props.startswith(f"file={content.name}/{page},line=") and props.endswith(",title=BG002")
    assert terminal._escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_paths_of_other_files_are_taken_from_the_project_root(result, tmp_path, monkeypatch):
    waiver = replace(result.findings[0], page="data/waivers.yaml", line=3, column=1, severity="warning")
    with_waiver = replace(result, findings=[*result.findings, waiver])
    monkeypatch.chdir(result.settings.root)
    assert f"::warning file=data/waivers.yaml,line=3,col=1,title={waiver.code}::" in "\n".join(terminal.github_lines(with_waiver, tmp_path))
    location = sarif.artifact_location(with_waiver, "data/waivers.yaml")
    assert location == {"uri": "data/waivers.yaml", "uriBaseId": "%SRCROOT%"}
    assert codequality.location_path(with_waiver, "data/waivers.yaml") == "data/waivers.yaml"


def test_github_lines_without_root_name_the_page(result):
    first = terminal.github_lines(result)[0]
    assert first.startswith("::error file=") and "title=BG001" in first


def test_text_lines_are_sorted_like_ruff(result):
    lines = terminal.text_lines(result)
    new = sorted(by_status(result, "new"), key=Finding.sort_key)
    assert len(lines) == len(new)
    assert lines[0].startswith(f"{new[0].page}:{new[0].line}:{new[0].column}: {new[0].code} ")
    assert all("\n" not in line for line in lines)
    assert len(terminal.text_lines(result, include_accepted=True)) == len(result.findings)


def test_json_text_has_findings_and_summary(result):
    payload = json.loads(terminal.json_text(result))
    assert payload["summary"]["failing"] == len(result.failing())
    assert payload["summary"]["exit_code"] == result.exit_code == 1
    assert len(payload["findings"]) == len(result.findings)
    assert {f["status"] for f in payload["findings"]} == {"new", "waived", "baseline"}


@pytest.mark.parametrize("value", [{"a": [1, 2.5, None, True], "b": "é </script>"}, [], {"text": HOSTILE}])
def test_json_files_are_the_same_text_as_bytes_and_lone_surrogates_become_question_marks(value, tmp_path):
    from pipelines.jsontext import dumps, write_json

    write_json(tmp_path / "out.json", value)
    written = (tmp_path / "out.json").read_bytes()
    assert written == dumps(value).encode("utf-8", "replace") + b"\n"
    if value == {"text": HOSTILE}:
        assert json.loads(written) == {"text": HOSTILE.replace("\udcff", "?")}
