"""Great Expectations: suites derived from the pandera models, and offline Data Docs."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pandera.typing import Series  # noqa: F401  (for the model defined inside a test)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "data" / "content"
REFERENCE = ROOT / "data" / "reference"
TABLES = ("drug_mentions", "regimen_mentions", "findings")


# --- the suites -----------------------------------------------------------------------------

def test_every_pandera_check_has_a_gx_twin():
    from schemas.expectations import unmapped

    assert unmapped() == []


def test_suites_are_derived_from_the_pandera_models():
    from schemas.expectations import suites
    from schemas.tables import MODELS, ROLES

    all_suites = suites()
    assert set(all_suites) == set(TABLES)
    for table, model in MODELS.items():
        exps = all_suites[table]
        derived = [e for e in exps if e["meta"]["source"] == "pandera"]
        gx_only = [e for e in exps if e["meta"]["source"] == "gx"]
        assert len(derived) + len(gx_only) == len(exps), "every expectation says where it comes from"
        assert all(e["meta"].get("notes", "").startswith("GX-only") for e in gx_only)
        columns = set(model.to_schema().columns)
        assert {e["kwargs"]["column"] for e in derived if e["type"] == "expect_column_to_exist"} == columns
        assert {e["kwargs"]["column"] for e in derived if e["type"] == "expect_column_values_to_not_be_null"} == columns
        assert any(e["type"] == "expect_table_row_count_to_be_between" and e["kwargs"]["min_value"] == 0 for e in gx_only)
        # GX-only expectations state no column fact that pandera already states
        derived_facts = {(e["type"], e["kwargs"].get("column")) for e in derived}
        assert not {(e["type"], e["kwargs"].get("column")) for e in gx_only} & derived_facts

    def find(table, kind, column):
        return [e for e in all_suites[table] if e["type"] == kind and e["kwargs"].get("column") == column]

    assert find("drug_mentions", "expect_column_values_to_be_in_set", "role")[0]["kwargs"]["value_set"] == list(ROLES)
    assert find("drug_mentions", "expect_column_values_to_be_between", "line")[0]["kwargs"]["min_value"] == 1
    assert find("findings", "expect_column_values_to_be_unique", "fingerprint")
    assert find("findings", "expect_column_values_to_match_regex", "code")[0]["kwargs"]["regex"].startswith("^")
    assert find("regimen_mentions", "expect_column_value_lengths_to_be_between", "name")[0]["kwargs"]["min_value"] == 1


def test_a_new_pandera_check_changes_the_suite(monkeypatch):
    """One source of facts: tightening a pandera Field shows up in the GX suite."""
    import pandera.pandas as pa

    import schemas.expectations as expectations
    from schemas.tables import MODELS

    class Tighter(MODELS["regimen_mentions"]):
        line: Series[int] = pa.Field(ge=1, le=1_000_000)  # noqa: F821 (resolved from module globals)

    monkeypatch.setitem(expectations.MODELS, "regimen_mentions", Tighter)
    between = [e for e in expectations.suites()["regimen_mentions"]
               if e["type"] == "expect_column_values_to_be_between" and e["kwargs"]["column"] == "line"]
    assert {e["kwargs"].get("max_value") for e in between} == {None, 1_000_000}


# --- start-up stays free of GX -------------------------------------------------------------

def test_cli_and_writer_discovery_do_not_import_great_expectations():
    code = (
        "import sys\n"
        "import pipelines.cli\n"
        "import pipelines.report as r; r.writers()\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"  # `rxqa --help` and `rxqa rules` start without it too
        "from schemas.expectations import suites; suites()\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'great_expectations'], 'GX imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- Data Docs on a real run ---------------------------------------------------------------

class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "script", "img"):
            for name, value in attrs:
                if name in ("src", "href") and value:
                    self.refs.append((tag, value))


def refs(html: str) -> list[tuple[str, str]]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    import pipelines
    from pipelines.report import write_reports, writers

    result = pipelines.check([CONTENT], reference=str(REFERENCE), market="CA")
    out = tmp_path_factory.mktemp("reports")
    # only the Data Docs writer: the other writers have tests of their own
    others = {m.__name__.rsplit(".", 1)[-1] for m in writers()} - {"data_docs"}
    written = write_reports(result, out, skip=others)
    assert "data_docs" in written
    return out / "data_docs", result


def test_data_docs_index_and_pages_exist(docs):
    folder, _ = docs
    assert (folder / "index.html").is_file()
    for table in TABLES:
        assert (folder / "expectations" / f"{table}.html").is_file()
        assert list((folder / "validations" / table).rglob("*.html")), table


def test_no_page_loads_anything_from_the_network(docs):
    folder, _ = docs
    pages = list(folder.rglob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        external = [(tag, url) for tag, url in refs(html) if is_external(url)]
        assert not external, f"{page.relative_to(folder)}: {external}"
        assert "url('http" not in html and 'url("http' not in html and "url(http" not in html
        # and every local asset a page loads is there
        for tag, url in refs(html):
            if url.startswith(("#", "data:", "javascript:")):
                continue
            assert (page.parent / url.split("?")[0].split("#")[0]).resolve().is_file(), f"{page.name}: {tag} {url}"


def test_pages_are_styled_with_local_copies(docs):
    folder, _ = docs
    index = (folder / "index.html").read_text(encoding="utf-8")
    loaded = [url for _, url in refs(index)]
    assert any(url.endswith(("bootstrap.min.css", "rxqa-gx-fallback.css")) for url in loaded)
    assert any(url.endswith("rxqa-gx-table.js") for url in loaded), "the index table needs its table script"
    if any(url.endswith("jquery.min.js") for url in loaded):
        assert loaded.index(next(u for u in loaded if u.endswith("jquery.min.js"))) < loaded.index(
            next(u for u in loaded if u.endswith("rxqa-gx-table.js")))


def _status(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    overview = html[html.index("Status:"):][:300]
    return "Failed" if "Failed" in overview else "Succeeded" if "Succeeded" in overview else "?"


def test_clean_tables_validate(docs):
    folder, result = docs
    for table in TABLES:
        (page,) = list((folder / "validations" / table).rglob("*.html"))
        assert _status(page) == "Succeeded", table
    assert result.timings.get("data_docs", 0) > 0


def test_a_broken_table_fails_its_validation(tmp_path):
    import pipelines
    from pipelines.report.data import findings_frame
    from pipelines.report.data_docs import build_data_docs
    from schemas.expectations import run_suites

    result = pipelines.check([CONTENT], reference=str(REFERENCE), market="CA")
    drugs = result.drug_table.copy()
    drugs.loc[drugs.index[0], "line"] = 0
    drugs.loc[drugs.index[1], "role"] = "maybe"
    tables = {"drug_mentions": drugs, "regimen_mentions": result.regimen_table, "findings": findings_frame(result.findings)}

    outcome = run_suites(tables)
    assert not outcome["drug_mentions"].success
    assert outcome["regimen_mentions"].success and outcome["findings"].success
    failed = {(r.expectation_config.type, r.expectation_config.kwargs.get("column"))
              for r in outcome["drug_mentions"].results if not r.success}
    assert failed == {("expect_column_values_to_be_between", "line"), ("expect_column_values_to_be_in_set", "role")}

    build_data_docs(tables, tmp_path / "data_docs")
    statuses = {t: _status(next((tmp_path / "data_docs" / "validations" / t).rglob("*.html"))) for t in TABLES}
    assert statuses == {"drug_mentions": "Failed", "regimen_mentions": "Succeeded", "findings": "Succeeded"}
    page = next((tmp_path / "data_docs" / "validations" / "drug_mentions").rglob("*.html")).read_text(encoding="utf-8")
    assert "maybe" in page  # the unexpected value is shown


def test_empty_tables_validate():
    import pandas as pd

    from pipelines.report.data import FINDING_COLUMNS
    from pipelines.tables import DRUG_COLUMNS, REGIMEN_COLUMNS
    from schemas.expectations import run_suites

    outcome = run_suites({"drug_mentions": pd.DataFrame(columns=DRUG_COLUMNS),
                          "regimen_mentions": pd.DataFrame(columns=REGIMEN_COLUMNS),
                          "findings": pd.DataFrame(columns=FINDING_COLUMNS)})
    assert {name: r.success for name, r in outcome.items()} == dict.fromkeys(TABLES, True)


# --- the rewrite, also when the asset packages are missing -----------------------------------

def _gx_template_head() -> str:
    """The <head> tags of GX's own page templates, CDN references and all."""
    spec = importlib.util.find_spec("great_expectations")
    templates = Path(spec.origin).parent / "render" / "view" / "templates"
    return "<html><head>" + (templates / "page.j2").read_text() + (templates / "js_script_imports.j2").read_text() + "</head></html>"


@pytest.mark.parametrize("packages", [True, False], ids=["vendored", "fallback"])
def test_rewrite_removes_every_cdn_reference(tmp_path, monkeypatch, packages):
    from pipelines.report import data_docs

    if not packages:
        monkeypatch.setattr(data_docs, "_packaged_file", lambda module, inner: None)
    placed = data_docs.vendor_assets(tmp_path)
    raw = _gx_template_head()
    assert [u for _, u in refs(raw) if is_external(u)], "GX's templates reference CDNs"
    html = data_docs.localise_html(raw, placed, "../")
    assert not [u for _, u in refs(html) if is_external(u)]
    assert not data_docs.external_references(html)
    loaded = [u for _, u in refs(html)]
    assert "../static/vendor/rxqa/rxqa-gx-table.js" in loaded
    if packages and "bootstrap_css" in placed:
        assert "../static/vendor/bootstrap/bootstrap.min.css" in loaded
        assert "integrity=" not in html
    if not packages:
        assert "../static/vendor/rxqa/rxqa-gx-fallback.css" in loaded
        assert not any("jquery" in u or "bootstrap" in u for u in loaded)
