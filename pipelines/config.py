"""Settings: defaults, then [tool.rxqa] in pyproject.toml, then command-line flags."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigInvalid
from .findings import SEVERITIES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FAIL_ON = (*SEVERITIES, "never")
MARKETS = ("CA", "US", "UK")


@dataclass(frozen=True)
class Settings:
    content: tuple[str, ...] = ("data/content",)
    reference: str = str(PROJECT_ROOT / "data" / "reference")  # the bundled reference unless configured
    out: str = "reports"
    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    market: str = ""
    max_page_bytes: int = 20 * 1024 * 1024
    chrome_lines: tuple[str, ...] = ()
    chrome_sections: tuple[str, ...] = ()
    chrome_selectors: tuple[str, ...] = ()
    waivers: str = "data/waivers.yaml"
    jobs: int = 0  # 0: one process per available core
    cache_dir: str = ".rxqa-cache"  # "" turns the cache off
    baseline: str = ""
    root: str = field(default=".", compare=False)  # folder relative paths are read from

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.root) / p

    @property
    def cache_folder(self) -> Path | None:
        """The cache's folder, None when the cache is off."""
        return self.path(self.cache_dir) if self.cache_dir else None

    def merged(self, **flags) -> "Settings":
        """Command-line flags win over the file; None means "not given"."""
        given = {k: v for k, v in flags.items() if v is not None and v != ()}
        settings = replace(self, **given)
        settings.validate("command line")
        return settings

    def validate(self, origin: str) -> None:
        if self.fail_on not in FAIL_ON:
            raise ConfigInvalid(f"{origin}: fail-on must be one of {', '.join(FAIL_ON)}, not {self.fail_on!r}")
        if self.market and self.market not in MARKETS:
            raise ConfigInvalid(f"{origin}: market must be one of {', '.join(MARKETS)}, not {self.market!r}")
        from .rules import REGISTRY

        for code in (*self.select, *self.ignore):
            if not any(c.startswith(code.upper()) for c in REGISTRY):
                raise ConfigInvalid(f"{origin}: {code!r} matches no rule code (see `rxqa rules`)")
        if self.chrome_lines or self.chrome_sections or self.chrome_selectors:
            self._validate_chrome(origin)

    def _validate_chrome(self, origin: str) -> None:
        """Each chrome setting as the chrome rules read it (they are loaded only where pages are read)."""
        import re

        from .ingest.chrome import Selector, check_pattern

        for key, patterns in (("chrome-lines", self.chrome_lines), ("chrome-sections", self.chrome_sections)):
            for pattern in patterns:
                try:
                    check_pattern(pattern)
                except re.error as exc:
                    raise ConfigInvalid(f"{origin}: {key} {pattern!r} is not a regular expression rxqa can use ({exc})") from None
        for selector in self.chrome_selectors:
            try:
                Selector.parse(selector)
            except ValueError as exc:
                raise ConfigInvalid(f"{origin}: chrome-selectors: {exc}") from None


_KEYS = {f.name.replace("_", "-"): f for f in fields(Settings) if f.name != "root"}


def load_settings(start: Path | None = None) -> Settings:
    """Settings from the nearest pyproject.toml with a [tool.rxqa] table (or the defaults)."""
    try:
        start = (start or Path.cwd()).resolve()
    except FileNotFoundError:  # the folder rxqa runs in was removed meanwhile
        raise ConfigInvalid("the working folder no longer exists; run rxqa from one that does") from None
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return _from_file(candidate)
    return Settings(root=str(start))


def _from_file(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigInvalid(f"{path}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("rxqa")
    if table is None:
        return Settings(root=str(path.parent))
    values: dict = {}
    for key, value in table.items():
        spec = _KEYS.get(key.replace("_", "-"))
        if spec is None:
            raise ConfigInvalid(f"{path}: [tool.rxqa] has an unknown key {key!r} (known: {', '.join(sorted(_KEYS))})")
        if spec.type.startswith("tuple"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigInvalid(f"{path}: [tool.rxqa] {key} must be a list of strings")
            value = tuple(value)
        elif spec.type == "int" and not isinstance(value, int):
            raise ConfigInvalid(f"{path}: [tool.rxqa] {key} must be an integer")
        elif spec.type == "str" and not isinstance(value, str):
            raise ConfigInvalid(f"{path}: [tool.rxqa] {key} must be a string")
        values[spec.name] = value
    settings = Settings(root=str(path.parent), **values)
    settings.validate(f"{path}: [tool.rxqa]")
    return settings
