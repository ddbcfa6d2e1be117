"""Great Expectations Data Docs for the drug_mentions, regimen_mentions and findings tables.

Runs the suites of schemas/expectations.py (derived from the pandera models)
in an ephemeral GX context and builds Data Docs into `<out>/data_docs/`.
great_expectations is imported only inside `write()`, so no other command pays
for it (its import alone takes seconds).

GX's pages load Bootstrap, Font Awesome, jQuery, bootstrap-table, Vega and
others from CDNs. After building, every page is rewritten to use local copies
under `data_docs/static/vendor/`:

* Bootstrap 4 CSS/JS, jQuery 3.7.1 and Font Awesome 6.6 come from the PyPI
  packages XStatic-Bootstrap (4.x), XStatic-jQuery and fontawesomefree when
  they are installed (copied at write time, nothing is downloaded);
* bootstrap-table is replaced by rxqa's own small stand-in
  (gx_assets/rxqa-gx-table.js), which also stubs vegaEmbed (none of our
  expectations draws a chart);
* the rest (datepicker, dark theme, Vega, popper — Bootstrap's bundle has it)
  is dropped.

When one of those packages is missing, the pages still render with no network:
the missing stylesheet is replaced by gx_assets/rxqa-gx-fallback.css. No page
keeps an http(s) reference in a <link>, <script> or <img> tag.
"""
from __future__ import annotations

import importlib
import os
import re
import shutil
import time
from pathlib import Path

OUTPUTS = ("data_docs",)
COST = 5

ASSETS = Path(__file__).with_name("gx_assets")
VENDOR = "static/vendor"

# (python module, path inside its data folder) -> path under data_docs/static/vendor/
_PACKAGED = {
    "bootstrap_css": ("xstatic.pkg.bootstrap", "css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    "bootstrap_js": ("xstatic.pkg.bootstrap", "js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    "jquery": ("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
    "fontawesome": ("fontawesomefree", "static/fontawesomefree/css/all.min.css", "fontawesome/css/all.min.css"),
}
_OWN = {
    "table_js": ("rxqa-gx-table.js", "rxqa/rxqa-gx-table.js"),
    "table_css": ("rxqa-gx.css", "rxqa/rxqa-gx.css"),
    "fallback_css": ("rxqa-gx-fallback.css", "rxqa/rxqa-gx-fallback.css"),
}

# what each external URL becomes: an asset key (see above) or None to drop the tag
_CDN_RULES: list[tuple[str, str | None]] = [
    (r"bootstrap-table[^\"']*\.css", "table_css"),
    (r"bootstrap-table[^\"']*\.js", "table_js"),
    (r"bootstrap-datepicker", None),
    (r"bootstrap-prefers-dark|bootstrap-dark", None),
    (r"bootstrap(\.min)?\.css", "bootstrap_css"),
    (r"bootstrap(\.bundle)?(\.min)?\.js", "bootstrap_js"),
    (r"popper", None),  # Bootstrap's bundle includes Popper
    (r"jquery[^\"'/]*\.js", "jquery"),
    (r"font-?awesome", "fontawesome"),
    (r"vega", None),  # charts: vegaEmbed is stubbed by rxqa-gx-table.js
]

_TAG = re.compile(r"<(link|script|img)\b[^>]*>(?:\s*</script>)?", re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(src|href)\s*=\s*(["'])([^"']*)\2""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)((?:https?:)?//[^"')]*)\1\s*\)""", re.IGNORECASE)
_FOOTER = re.compile(r"<footer>(?:(?!</footer>).)*newsletter(?:(?!</footer>).)*</footer>", re.IGNORECASE | re.DOTALL)
_STATIC = re.compile(r"^(?:\./|(?:\.\./)+)static/")
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)

def write(result, folder: Path) -> None:
    from .data import findings_frame

    tables = {"drug_mentions": result.drug_table, "regimen_mentions": result.regimen_table,
              "findings": findings_frame(result.findings)}
    timings = build_data_docs(tables, Path(folder) / "data_docs")
    if isinstance(getattr(result, "timings", None), dict):
        result.timings.update(timings)


def build_data_docs(tables: dict, target: Path) -> dict[str, float]:
    """Validate `tables` with the derived suites and write offline Data Docs into `target`.
    Returns timings (seconds): data_docs_import, data_docs_validate, data_docs_build, data_docs."""
    started = time.perf_counter()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations  # noqa: F401  (timed on its own: the import is most of the cost)

    from schemas.expectations import new_context, run_suites

    imported = time.perf_counter()
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    context = new_context(data_docs_dir=target)
    run_suites(tables, context=context)
    validated = time.perf_counter()
    context.build_data_docs(site_names=["rxqa"])
    localise(target)
    done = time.perf_counter()
    return {
        "data_docs_import": imported - started,
        "data_docs_validate": validated - imported,
        "data_docs_build": done - validated,
        "data_docs": done - started,
    }


# --- making the pages work offline ---------------------------------------------------------

def _packaged_file(module: str, inner: str) -> Path | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    base = Path(getattr(mod, "BASE_DIR", None) or Path(mod.__file__).parent)
    path = base / inner
    return path if path.is_file() else None


def vendor_assets(target: Path) -> dict[str, str]:
    """Copy the local assets into target/static/vendor; return asset key -> path relative to target."""
    vendor = target / VENDOR
    placed: dict[str, str] = {}
    for key, (module, inner, dest) in _PACKAGED.items():
        source = _packaged_file(module, inner)
        if source is None:
            continue
        out = vendor / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
        placed[key] = f"{VENDOR}/{dest}"
        if key == "fontawesome":  # the stylesheet loads its fonts from ../webfonts/
            fonts = source.parent.parent / "webfonts"
            (out.parent.parent / "webfonts").mkdir(exist_ok=True)
            for font in fonts.glob("*.woff2"):
                shutil.copyfile(font, out.parent.parent / "webfonts" / font.name)
    for key, (name, dest) in _OWN.items():
        out = vendor / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ASSETS / name, out)
        placed[key] = f"{VENDOR}/{dest}"
    return placed


def _asset_for(url: str) -> tuple[bool, str | None]:
    """(known, asset key or None to drop) for an external URL."""
    for pattern, key in _CDN_RULES:
        if re.search(pattern, url, re.IGNORECASE):
            return True, key
    return False, None


def localise_html(html: str, placed: dict[str, str], prefix: str) -> str:
    """Point every external <link>/<script>/<img> at a local copy, or drop it.
    `prefix` leads from the page's folder back to the Data Docs root ("", "../", ...)."""
    fallback_needed = "bootstrap_css" not in placed

    def tag(match: re.Match) -> str:
        text = match.group(0)
        attr = _URL_ATTR.search(text)
        if not attr:
            return text
        if not EXTERNAL.match(attr.group(3)):
            # GX writes some local paths one level short on deep pages (the favicon): re-anchor
            # every reference into static/ at the Data Docs root
            local = _STATIC.sub(prefix + "static/", attr.group(3))
            return text[:attr.start(3)] + local + text[attr.end(3):]
        known, key = _asset_for(attr.group(3))
        if key is not None and key not in placed and key == "bootstrap_css":
            key = "fallback_css"
        if not known or key is None or key not in placed:
            return ""
        local = prefix + placed[key]
        new = text[:attr.start(3)] + local + text[attr.end(3):]
        # Subresource-integrity hashes belong to the CDN's file, not ours
        new = re.sub(r"""\s(integrity|crossorigin)(\s*=\s*(["'])[^"']*\3)?""", "", new)
        return new

    html = _TAG.sub(tag, html)
    # inline CSS: GX's dark theme loads its logo from a web server; use the local logo
    html = _CSS_URL.sub(lambda m: f"url('{prefix}static/images/logo-long.png')" if "logo" in m.group(2) else "none", html)
    # GX's newsletter footer is an advert, not part of the report
    html = _FOOTER.sub("", html)
    if fallback_needed and "fallback_css" in placed and "rxqa-gx-fallback.css" not in html:
        html = html.replace("</head>", f'<link rel="stylesheet" href="{prefix}{placed["fallback_css"]}">\n</head>', 1)
    if "table_css" in placed and "rxqa-gx.css" not in html:
        html = html.replace("</head>", f'<link rel="stylesheet" href="{prefix}{placed["table_css"]}">\n</head>', 1)
    return html


def localise(target: Path) -> None:
    placed = vendor_assets(target)
    pages = []
    for page in target.rglob("*.html"):
        depth = len(page.relative_to(target).parts) - 1
        text = localise_html(page.read_text(encoding="utf-8"), placed, "../" * depth)
        page.write_text(text, encoding="utf-8")
        pages.append(text)
    _prune_static(target, "\n".join(pages))


def _prune_static(target: Path, pages: str) -> None:
    """GX copies all its images, fonts and style templates (3-4 MB); keep those a page uses."""
    static = target / "static"
    for path in sorted(static.rglob("*"), reverse=True):
        if path.is_relative_to(static / "vendor"):
            continue
        if path.is_file() and path.name not in pages:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def external_references(html: str) -> list[str]:
    """Every http(s) or protocol-relative src/href left in a <link>, <script> or <img> tag,
    and every such url() in inline CSS."""
    found = [m.group(2) for m in _CSS_URL.finditer(html)]
    for match in _TAG.finditer(html):
        for attr in _URL_ATTR.finditer(match.group(0)):
            if EXTERNAL.match(attr.group(3)):
                found.append(attr.group(3))
    return found
