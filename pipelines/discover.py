"""Which files are pages, and what each is called in the outputs."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import RxqaError
from .ingest import FORMATS
from .textutil import utf8_name


def discover(paths: list[Path]) -> list[tuple[str, str]]:
    """(file path, page name) pairs in a stable order (paths as strings: a Path object per
    page costs more to make than listing the folders does). A folder's pages are named relative
    to that folder, with / separators; a file given directly is named as given. A name
    whose bytes are not UTF-8 is named with those bytes written as \\xNN (textutil.utf8_name)."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root in paths:
        if not root.exists():
            raise RxqaError(f"{root}: no such file or folder")
        if root.is_file():
            key = str(root.resolve())
            if key not in seen:
                seen.add(key)
                found.append((str(root), utf8_name(root.as_posix())))
            continue
        for path, page, key in _pages_under(root):
            if key not in seen:
                seen.add(key)
                found.append((path, utf8_name(page)))
    return found


def _pages_under(root: Path):
    """(path, page name, real path) of each page under a folder, in os.walk's order (folders
    depth first, names sorted). Hidden names are skipped and symbolic links to folders are
    not followed; a file's real path is worked out per folder, and per file only for links."""
    stack = [(str(root), os.path.realpath(root), "")]
    while stack:
        folder, real, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry)
                    continue
                # not a page, or not a regular file (a FIFO would block the run)
                if os.path.splitext(entry.name)[1].lower() not in FORMATS or not entry.is_file():
                    continue
                key = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real, entry.name)
            except OSError:
                continue
            yield entry.path, prefix + entry.name, key
        stack.extend((e.path, os.path.join(real, e.name), f"{prefix}{e.name}/") for e in reversed(folders))


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
