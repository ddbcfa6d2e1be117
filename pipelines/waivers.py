"""Waivers (data/waivers.yaml) and baselines: accepted exceptions and known findings.

A waiver names one finding by its fingerprint, or by code + page + text as
written, and says why it is accepted, who accepted it, and until when.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .errors import ConfigInvalid
from .findings import Finding
from .textutil import normalise

WAIVER_KEYS = {"fingerprint", "code", "page", "text", "reason", "accepted_by", "expires", "comment"}


@dataclass(frozen=True)
class Waiver:
    line: int
    reason: str
    accepted_by: str
    fingerprint: str = ""
    code: str = ""
    page: str = ""
    text: str = ""
    expires: dt.date | None = None

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint:
            return finding.fingerprint == self.fingerprint
        return (
            finding.code == self.code
            and finding.page == self.page
            and (not self.text or normalise(finding.text) == normalise(self.text))
        )

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def describe(self) -> str:
        return self.fingerprint or f"{self.code} {self.page} {self.text!r}".strip()


@lru_cache(maxsize=1)
def _line_loader():
    """Safe YAML loading that remembers the line of every mapping (made on first use: a run
    without a waiver file never imports yaml)."""
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
    return LineLoader


def _mapping_with_line(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def load_waivers(path: Path) -> list[Waiver]:
    """Read and validate a waiver file; every problem is `file:line: what is wrong`."""
    if not path.exists():
        return []
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_line_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ConfigInvalid(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError:
        raise ConfigInvalid(f"{path}:1: not UTF-8 text") from None
    if data is None:
        return []
    entries = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigInvalid(f"{path}:1: expected a top-level `waivers:` list")
    waivers = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ConfigInvalid(f"{path}:1: each waiver must be a mapping")
        waivers.append(_waiver(path, entry))
    return waivers


def _waiver(path: Path, entry: dict) -> Waiver:
    line = entry.pop("__line__", 1)
    unknown = sorted(set(entry) - WAIVER_KEYS)
    if unknown:
        raise ConfigInvalid(f"{path}:{line}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(WAIVER_KEYS))})")
    reason = str(entry.get("reason") or "").strip()
    if not reason:
        raise ConfigInvalid(f"{path}:{line}: a waiver needs a reason")
    accepted_by = str(entry.get("accepted_by") or "").strip()
    if not accepted_by:
        raise ConfigInvalid(f"{path}:{line}: a waiver needs accepted_by (who accepted it)")
    if not entry.get("fingerprint") and not (entry.get("code") and entry.get("page")):
        raise ConfigInvalid(f"{path}:{line}: a waiver needs a fingerprint, or a code and a page")
    expires = entry.get("expires")
    if expires is not None and not isinstance(expires, dt.date):
        try:
            expires = dt.date.fromisoformat(str(expires))
        except ValueError:
            raise ConfigInvalid(f"{path}:{line}: expires {expires!r} is not a date (YYYY-MM-DD)") from None
    return Waiver(
        line=line, reason=reason, accepted_by=accepted_by, fingerprint=str(entry.get("fingerprint") or ""),
        code=str(entry.get("code") or "").upper(), page=str(entry.get("page") or ""), text=str(entry.get("text") or ""),
        expires=expires,
    )


def apply_waivers(findings: list[Finding], waivers: list[Waiver], today: dt.date) -> tuple[list[Finding], list[Waiver], list[Waiver]]:
    """Mark waived findings; return them with the unused and the expired waivers."""
    used: set[int] = set()
    expired: list[Waiver] = []
    out = []
    # a waiver can only match a finding of its fingerprint, or of its code and page: those are
    # tried, in the file's order, instead of every waiver for every finding
    by_fingerprint: dict[str, list[int]] = {}
    by_code_page: dict[tuple[str, str], list[int]] = {}
    for i, waiver in enumerate(waivers):
        if waiver.fingerprint:
            by_fingerprint.setdefault(waiver.fingerprint, []).append(i)
        else:
            by_code_page.setdefault((waiver.code, waiver.page), []).append(i)
    for finding in findings:
        status = finding.status
        candidates = by_fingerprint.get(finding.fingerprint, []) + by_code_page.get((finding.code, finding.page), [])
        for i in sorted(candidates):
            waiver = waivers[i]
            if waiver.matches(finding):
                used.add(i)
                if waiver.expired(today):
                    if waiver not in expired:
                        expired.append(waiver)
                else:
                    status = "waived"
                break
        out.append(replace(finding, status=status) if status != finding.status else finding)
    unused = [w for i, w in enumerate(waivers) if i not in used]
    return out, unused, expired


def load_baseline(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return {e["fingerprint"]: e for e in entries}
    except FileNotFoundError:
        raise ConfigInvalid(f"{path}: baseline file not found (create it with `rxqa baseline write`)") from None
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ConfigInvalid(f"{path}:1: not an rxqa baseline ({exc.__class__.__name__}: {exc})") from None


def apply_baseline(findings: list[Finding], baseline: dict[str, dict]) -> tuple[list[Finding], list[dict]]:
    """Mark findings already in the baseline; return them and the baseline entries now resolved."""
    seen: set[str] = set()
    out = []
    for finding in findings:
        if finding.status == "new" and finding.fingerprint in baseline:
            seen.add(finding.fingerprint)
            finding = replace(finding, status="baseline")
        elif finding.fingerprint in baseline:
            seen.add(finding.fingerprint)
        out.append(finding)
    resolved = [entry for fp, entry in baseline.items() if fp not in seen]
    return out, resolved


def baseline_payload(findings: list[Finding], version: str) -> dict:
    return {
        "rxqa": version,
        "created": dt.date.today().isoformat(),
        "findings": [
            {k: f.to_dict()[k] for k in ("fingerprint", "code", "page", "section", "text", "message")}
            for f in findings if f.status != "waived"
        ],
    }
