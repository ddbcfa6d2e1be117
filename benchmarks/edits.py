"""The edits of a benchmark's rerun: every (1/share)-th page of a site gets a sentence with a
wrong brand, where rxqa reads it (bench.py --incremental, rerun_ab.py), and whether each edited
page then has a finding it did not have; and pages added beside them."""
from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

from measures import FORMATS, site_files
from pipelines.ingest.markdown import FRONT_MATTER

EDIT = "Some people are given cisplatin (Xeloda) as well."  # a wrong brand: a new finding wherever rxqa reads it
_ARTICLE_ENDS = [re.compile(rf"</{tag}\s*>", re.I) for tag in ("article", "main", "body")]
# where a closing tag is not the page's markup: in a comment, a script, a style sheet, a template or noscript
_NOT_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|template|noscript)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n(?=[ \t]*\S)")  # a blank line before a line with text
_MARKDOWN = {suffix for suffix, kind in FORMATS.items() if kind == "markdown"}
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)  # a line that opens or closes a fenced code block
_BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def change_pages(site: Path, share: float, generated: bool = True) -> list[Path]:
    """Edit every (1/share)-th page, adding a sentence with a wrong brand (a new finding); return
    them. In a `generated` site, where generate_site.py puts a paragraph (its pages' layout); in
    any other, in an HTML page before the end of its last article (else main, else body, else at
    the end), and in a Markdown or text page as a paragraph of its own at the blank line nearest
    its middle (else at its end). A page keeps its encoding (UTF-16 and UTF-32 by their byte-order
    mark; other bytes that are not UTF-8 as they were) and line breaks."""
    files = site_files(site)[:: max(1, round(1 / share))]
    for path in files:
        mark, codec, text = _page_text(path.read_bytes())
        newline = "\r\n" if "\r\n" in text else "\n"
        if path.suffix.lower() in (".html", ".htm", ".xhtml"):
            if generated:
                text = text.replace("    </article>", f"      <p>{EDIT}</p>\n    </article>", 1)
            else:
                masked = _NOT_MARKUP.sub(lambda m: " " * len(m.group()), text)
                ends = [found[-1] for found in (list(end.finditer(masked)) for end in _ARTICLE_ENDS) if found]
                at = ends[0].start() if ends else len(text)
                text = f"{text[:at]}<p>{EDIT}</p>{newline}{text[at:]}"
        elif generated:
            lines = text.split("\n")
            text = "\n".join(lines[:8] + [EDIT, ""] + lines[8:])
        else:
            at = _middle_paragraph_break(text, path.suffix.lower() in _MARKDOWN)
            text = f"{text[:at]}{EDIT}{newline}{newline}{text[at:]}" if at is not None else f"{text.rstrip()}{newline}{newline}{EDIT}{newline}"
        path.write_bytes(mark + text.encode(codec, "surrogatepass" if mark else "surrogateescape"))
    return files


def _middle_paragraph_break(text: str, markdown: bool) -> int | None:
    """Where the paragraph after the blank line nearest the middle of a Markdown or text page
    starts (after a Markdown page's front matter), or None when it has no blank line: the
    middle of a page is its content, while its first and last lines may be the site's (a
    title, a disclaimer, a footer), which rxqa drops with whatever is put among them."""
    front = FRONT_MATTER.match(text) if markdown else None
    starts = [m.end() for m in _BLANK_LINE.finditer(text, front.end() if front else 0)]
    if markdown:  # not inside a fenced code block, where the sentence would be code
        fences = [m.start() for m in _FENCE.finditer(text)]
        starts = [at for at in starts if sum(fence < at for fence in fences) % 2 == 0]
    return min(starts, key=lambda at: abs(at - len(text) / 2)) if starts else None


def _page_text(data: bytes) -> tuple[bytes, str, str]:
    """(byte-order mark, codec, text) of a page's bytes: UTF-16 or UTF-32 after its mark, else
    UTF-8 with the bytes that are not kept as they are (surrogateescape)."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return mark, codec, data[len(mark):].decode(codec, "surrogatepass")
            except UnicodeDecodeError:
                break
    return b"", "utf-8", data.decode("utf-8", "surrogateescape")


def page_findings(findings_csv: Path) -> dict[str, Counter]:
    """Each page's findings in a findings.csv, as a count of each (code, text): what an edit
    that moves lines leaves as it was."""
    found: dict[str, Counter] = {}
    with open(findings_csv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["page"], Counter())[row["code"], row["text"]] += 1
    return found


def gained_a_finding(before: dict[str, Counter], after: dict[str, Counter], pages: list[str]) -> list[str]:
    """The pages with a finding after that they did not have before (another may have gone:
    a page's first drug ends its SC004)."""
    return [page for page in pages if after.get(page, Counter()) - before.get(page, Counter())]


def add_pages(site: Path, count: int) -> int:
    """Add `count` pages under added/ (a change that adds pages besides editing some): copies of
    pages spread over the site, under names no earlier run saw."""
    files = site_files(site)
    chosen = files[:: max(1, len(files) // max(count, 1))][:count] if count > 0 else []
    if chosen:
        (site / "added").mkdir(exist_ok=True)
    for n, path in enumerate(chosen):
        shutil.copyfile(path, site / "added" / f"new-page-{n:04d}-{path.name}")
    return len(chosen)
