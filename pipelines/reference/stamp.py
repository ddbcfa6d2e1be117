"""A reference folder's stamp: a record, kept in the folder, that its CSV files as they are
now passed validation (SC002: the pandera models of schemas/reference.py and the checks
across tables) by the validating code as it is now.

A check takes a stamped reference as valid instead of importing pandas and pandera to
validate it again while its pages are read (cache.linker_to_confirm): 0.70 billion
instructions, about 0.2 s of CPU beside the workers, on a run without a cache. Any change to
a file's bytes (the digest takes each file's name and length with its bytes) or to that code
voids the stamp, and the reference is validated as before. `rxqa reference check --stamp`
writes it once a full validation passes, for the bytes that validation read; the bundled
reference carries one, which the tests keep current and valid.

The installed pandas and pandera are not part of the stamp: the checks the models use
(allowed values, patterns, lengths, unique keys) mean the same in every release the
project allows, and the tests validate the bundled reference in full with whatever is
installed."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

STAMP_FILE = "validated.json"
ROOT = Path(__file__).resolve().parents[2]
# the code that gives the verdict: the models, the loader and the checks across tables, every
# module of rxqa they import and the packages those are in (a test keeps this list whole)
VALIDATORS = (
    "schemas/__init__.py",
    "schemas/reference.py",
    "pipelines/__init__.py",
    "pipelines/errors.py",
    "pipelines/reference/checks.py",
    "pipelines/reference/load.py",
    "pipelines/reference/model.py",
    "pipelines/reference/rows.py",
    "pipelines/textutil.py",
)


def validator_digest() -> str:
    return files_digest(VALIDATORS)


def files_digest(names) -> str:
    """The digest of rxqa's files `names` (paths from the project's root), names and bytes."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode("utf-8") + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def _stamp(reference_digest: str) -> dict[str, str]:
    """The stamp for files whose digest (Reference.digest) is `reference_digest`, given by the validating code as it is now."""
    return {"reference": reference_digest, "validators": validator_digest()}


def vouches_for(directory: Path, reference_digest: str) -> bool:
    """Whether `directory` carries the stamp for files of `reference_digest`."""
    try:
        return json.loads((Path(directory) / STAMP_FILE).read_text(encoding="utf-8")) == _stamp(reference_digest)
    except (OSError, ValueError, RecursionError):  # no stamp, or not one rxqa wrote (JSON nested past Python's depth)
        return False


def write_stamp(directory: Path, reference_digest: str) -> Path:
    """Stamp `directory` as valid for files of `reference_digest`; call it only after they pass."""
    from ..report.atomic import write_text_atomic  # here: a check that reads a stamp never writes one

    path = Path(directory) / STAMP_FILE
    write_text_atomic(path, json.dumps(_stamp(reference_digest), indent=2) + "\n")
    return path
