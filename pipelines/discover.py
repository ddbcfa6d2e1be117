"""Which files are pages, and what each is called in the outputs."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import RxqaError
from .ingest import FORMATS


def discover(paths: list[Path]) -> list[tuple[Path, str]]:
    """(file, page name) pairs in a stable order. A folder's pages are named relative
    to that folder, with / separators; a file given directly is named as given."""
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for root in paths:
        if not root.exists():
            raise RxqaError(f"{root}: no such file or folder")
        if root.is_file():
            key = root.resolve()
            if key not in seen:
                seen.add(key)
                found.append((root, root.as_posix()))
            continue
        for folder, dirs, files in os.walk(root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if name.startswith(".") or path.suffix.lower() not in FORMATS or not path.is_file():
                    continue  # not a page, or not a regular file (a FIFO would block the run)
                try:
                    key = path.resolve()
                except (OSError, RuntimeError):
                    key = path
                if key in seen:
                    continue
                seen.add(key)
                found.append((path, path.relative_to(root).as_posix()))
    return found


def refuse_output_inside(content: list[Path], out: Path) -> None:
    """rxqa never writes into the content it checks."""
    out_resolved = out.resolve()
    if out.exists() and not out.is_dir():
        raise RxqaError(f"{out}: output path exists and is not a folder")
    for root in content:
        if not root.is_dir():
            continue  # a single page: its folder is not content
        folder = root.resolve()
        if out_resolved == folder or folder in out_resolved.parents:
            raise RxqaError(f"{out}: output folder is inside the content folder {root}; choose another --out")
