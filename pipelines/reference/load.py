"""Load data/reference/*.csv, validate it (SC002) and build the Reference."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from schemas.reference import TABLES

from ..errors import ReferenceInvalid
from .checks import cross_table_problems
from .model import Reference
from .rows import build_reference, digest_part

DEFAULT_REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def read_table(path: Path, data: bytes | None = None) -> pd.DataFrame:
    """Read one CSV as strings (from `data`, its bytes, when given); a file that is missing, cannot
    be read or is not a table is reported in one line, with the line at fault."""
    if data is None:
        data = _bytes(path)
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8", skipinitialspace=False)
    except UnicodeDecodeError as exc:
        raise ReferenceInvalid(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except pd.errors.EmptyDataError:
        raise ReferenceInvalid(f"{path}:1: file is empty (a header row is needed)") from None
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ReferenceInvalid(f"{path}:{line.group(1) if line else 1}: not a valid CSV table ({str(exc).splitlines()[0]})") from None
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v) if not frame.empty else frame


def validate_table(path: Path, frame: pd.DataFrame) -> list[str]:
    """Run the table's pandera model lazily: every failing row is reported."""
    model = TABLES[path.name]
    problems: list[tuple[int, str]] = []
    missing = [c for c in model.to_schema().columns if c not in frame.columns]
    if missing:
        return [f"{path}:1: missing column(s) {', '.join(missing)}"]
    try:
        model.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for _, case in cases.iterrows():
            index = case.get("index")
            line = int(index) + 2 if pd.notna(index) and str(index).lstrip("-").isdigit() else 1
            column = case.get("column") or ""
            value = case.get("failure_case")
            problems.append((line, f"{path}:{line}: {column} {value!r} {_explain(str(case.get('check')))}"))
    return [text for _, text in sorted(problems)]


def _explain(check: str) -> str:
    """pandera's check name in words an editor can act on."""
    if "uniqueness" in check:
        return "is listed twice (the key must be unique)"
    if check.startswith("isin("):
        return "is not one of the allowed values " + check[5:-1]
    if check.startswith("str_matches("):
        return "does not have the expected form " + check[12:-1]
    if check.startswith("str_length("):
        return "is empty or too short"
    return f"fails {check}"


def load_reference(directory: Path | str | None = None) -> Reference:
    """Load and validate the reference; raise ReferenceInvalid naming every broken line."""
    return _build(*checked_frames(Path(directory) if directory else DEFAULT_REFERENCE))


def checked_frames(directory: Path) -> tuple[dict[str, pd.DataFrame], str]:
    """The reference's tables, validated, and the digest of their files; ReferenceInvalid names
    the first broken line (and how many more there are)."""
    if not directory.is_dir():
        raise ReferenceInvalid(f"{directory}: reference folder not found")
    frames: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    digest = hashlib.sha256()
    for name in TABLES:
        path = directory / name
        data = _bytes(path)  # read once: what is validated is what the digest (and a stamp) names
        frame = read_table(path, data)
        digest.update(digest_part(name, data))
        problems += validate_table(path, frame)
        frames[name] = frame
    if problems:
        raise ReferenceInvalid(_summarise(problems))
    problems = cross_table_problems(directory, frames)
    if problems:
        raise ReferenceInvalid(_summarise(problems))
    return frames, digest.hexdigest()[:16]


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReferenceInvalid(f"{path}: reference table is missing") from None
    except OSError as exc:
        raise ReferenceInvalid(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _summarise(problems: list[str]) -> str:
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return problems[0] + more


def all_problems(directory: Path | str) -> list[str]:
    """Every problem in the reference, for `rxqa reference check`."""
    directory = Path(directory)
    if not directory.is_dir():
        return [f"{directory}: reference folder not found"]
    frames: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for name in TABLES:
        try:
            frames[name] = read_table(directory / name)
        except ReferenceInvalid as exc:
            problems.append(str(exc))
            continue
        problems += validate_table(directory / name, frames[name])
    if not problems:
        problems += cross_table_problems(directory, frames)
    return problems


def _build(frames: dict[str, pd.DataFrame], digest: str) -> Reference:
    reference = build_reference({name: frame.to_dict("records") for name, frame in frames.items()}, digest)
    reference.frames = frames
    return reference


def write_table(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
