"""A reference folder's stamp (pipelines/reference/stamp.py): a check takes stamped files as
valid, and any change to them or to the validating code voids it."""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
from conftest import cli

from pipelines import cache
from pipelines.errors import ReferenceInvalid
from pipelines.reference import stamp
from pipelines.reference.load import all_problems
from pipelines.reference.rows import read_rows

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"


def digest_of(folder: Path) -> str:
    return read_rows(folder)[1]


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    (target / stamp.STAMP_FILE).unlink(missing_ok=True)
    return target


def test_the_bundled_reference_carries_a_current_stamp():
    assert stamp.vouches_for(REFERENCE, digest_of(REFERENCE)), (
        "data/reference's stamp is out of date (a table or the validating code changed): run `rxqa reference check --stamp`"
    )


def test_the_bundled_stamp_vouches_only_for_tables_that_pass_in_full():
    """With the pandas and pandera installed here, not those of whoever stamped it."""
    assert stamp.vouches_for(REFERENCE, digest_of(REFERENCE))  # as the test above requires
    assert all_problems(REFERENCE) == []


def _imported_modules(path: Path) -> set[str]:
    """The rxqa modules a module imports, as paths from the project root: an import of a package
    is of its __init__.py, and an import of a module runs its packages' __init__.py first. A
    module's __getattr__ (a package's lazy attributes) is left out: it runs only when asked."""
    package = path.relative_to(ROOT).parent.as_posix().split("/")
    found = set()
    statements = [s for s in ast.parse(path.read_text(encoding="utf-8")).body
                  if not (isinstance(s, ast.FunctionDef) and s.name == "__getattr__")]
    for node in (node for statement in statements for node in ast.walk(statement)):
        if isinstance(node, ast.ImportFrom):
            parts = (package[: len(package) - node.level + 1] if node.level else []) + (node.module or "").split(".")
            names = [[*parts, alias.name] for alias in node.names] + [parts]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__"):
            raise AssertionError(f"{path}: an import by name, which this test cannot follow")
        else:
            continue
        for name in names:
            parts = [p for p in name if p]
            for depth in range(1, len(parts) + 1):
                for candidate in ("/".join(parts[:depth]) + ".py", "/".join(parts[:depth]) + "/__init__.py"):
                    if (ROOT / candidate).is_file():
                        found.add(candidate)
    return found


def test_the_validators_list_every_module_the_validation_imports():
    listed = set(stamp.VALIDATORS)
    reached = set().union(*(_imported_modules(ROOT / name) for name in listed))
    assert reached <= listed, f"add to stamp.VALIDATORS: {sorted(reached - listed)}"
    assert _imported_modules(ROOT / "pipelines/reference/load.py") >= {
        "schemas/__init__.py", "schemas/reference.py", "pipelines/__init__.py", "pipelines/reference/checks.py"}


def test_stamp_command_writes_after_a_pass_and_a_check_then_skips_validation(copy, monkeypatch):
    assert stamp.STAMP_FILE in cli("reference", "check", "--help").stdout
    run = cli("reference", "check", "--reference", str(copy), "--stamp")
    assert run.returncode == 0, run.stderr
    assert f"stamped: {copy / stamp.STAMP_FILE}" in run.stdout
    assert stamp.vouches_for(copy, digest_of(copy))

    def no_validation(*_):
        raise AssertionError("a stamped reference was validated again")

    monkeypatch.setattr("pipelines.reference.load.checked_frames", no_validation)
    linker, confirm = cache.linker_to_confirm(copy, None)
    confirm()
    assert linker.reference.digest == digest_of(copy)


def test_stamp_is_refused_for_a_broken_reference(copy):
    with open(copy / "drugs.csv", "a", encoding="utf-8") as handle:
        handle.write("fakemab,,,wonderdrug,,,,RxNorm,2026-11-21\n")
    run = cli("reference", "check", "--reference", str(copy), "--stamp")
    assert run.returncode == 2
    assert "wonderdrug" in run.stderr
    assert not (copy / stamp.STAMP_FILE).exists()


@pytest.mark.parametrize("change", ["a table's bytes", "the validating code", "a stamp of another form", "a stamp that is not JSON"])
def test_what_voids_a_stamp(copy, monkeypatch, change):
    stamp.write_stamp(copy, digest_of(copy))
    assert stamp.vouches_for(copy, digest_of(copy))
    if change == "a table's bytes":
        with open(copy / "drugs.csv", "a", encoding="utf-8") as handle:
            handle.write("fakemab,,,wonderdrug,,,,RxNorm,2026-11-21\n")
    elif change == "the validating code":
        monkeypatch.setattr(stamp, "validator_digest", lambda: "0" * 16)
    elif change == "a stamp of another form":
        written = json.loads((copy / stamp.STAMP_FILE).read_text(encoding="utf-8"))
        (copy / stamp.STAMP_FILE).write_text(json.dumps({**written, "extra": 1}), encoding="utf-8")
    else:
        (copy / stamp.STAMP_FILE).write_bytes(b"\xff\xfe{")
    assert not stamp.vouches_for(copy, digest_of(copy))
    _, confirm = cache.linker_to_confirm(copy, None)
    if change == "a table's bytes":  # validated again, and found broken
        with pytest.raises(ReferenceInvalid, match="wonderdrug"):
            confirm()
    else:
        confirm()


def test_a_stamped_folder_whose_table_breaks_stops_the_check(copy, tmp_path):
    stamp.write_stamp(copy, digest_of(copy))
    with open(copy / "brands.csv", "a", encoding="utf-8") as handle:
        handle.write("Xeloda,oxaliplatin,CA,marketed,,RxNorm,2026-11-21\n")
    run = cli("check", "data/content", "--reference", str(copy), "--out", str(tmp_path / "o"), "--no-cache")
    assert run.returncode == 2
    assert f"{copy / 'brands.csv'}:" in run.stderr and "Xeloda" in run.stderr


def test_a_stamp_names_the_bytes_that_were_validated(copy, monkeypatch):
    """A table saved while it is being validated: the stamp is for the bytes validated, so it
    does not vouch for the new ones."""
    from pipelines.reference import load

    real = load.read_table

    def saved_meanwhile(path, data=None):
        frame = real(path, data)
        if path.name == "drugs.csv":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("fakemab,,,wonderdrug,,,,RxNorm,2026-11-21\n")
        return frame

    monkeypatch.setattr(load, "read_table", saved_meanwhile)
    stamp.write_stamp(copy, load.load_reference(copy).digest)
    assert not stamp.vouches_for(copy, digest_of(copy))


def test_bytes_moved_from_one_table_to_the_next_void_the_stamp(copy):
    """Excel starts a saved CSV with a byte-order mark: moved to the end of the table before, it
    breaks that table's last cell, and the files' bytes joined together are the same."""
    drugs, brands = copy / "drugs.csv", copy / "brands.csv"
    drugs.write_bytes(drugs.read_bytes().rstrip(b"\r\n"))
    brands.write_bytes(b"\xef\xbb\xbf" + brands.read_bytes())
    assert all_problems(copy) == []
    stamp.write_stamp(copy, digest_of(copy))
    drugs.write_bytes(drugs.read_bytes() + b"\xef\xbb\xbf")
    brands.write_bytes(brands.read_bytes()[3:])
    assert all_problems(copy)
    assert not stamp.vouches_for(copy, digest_of(copy))


def test_a_stamp_nested_past_pythons_depth_is_no_stamp(copy):
    (copy / stamp.STAMP_FILE).write_text("[" * 100_000, encoding="utf-8")
    assert not stamp.vouches_for(copy, digest_of(copy))
