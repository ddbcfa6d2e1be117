"""Rule documentation, generated from each rule's docstring (never kept twice)."""
from __future__ import annotations

from . import REGISTRY


def rule_markdown(rule) -> str:
    docs = rule.docs()
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        docs["summary"],
        "",
        f"Default severity: **{rule.severity}**",
        "",
        "## Why it matters",
        "",
        docs["Why it matters"],
        "",
        "## Bad",
        "",
        "```text",
        docs["Bad"],
        "```",
        "",
        "## Good",
        "",
        "```text",
        docs["Good"],
        "```",
        "",
        "## How to fix",
        "",
        docs["How to fix"],
        "",
    ]
    return "\n".join(lines)


def index_markdown() -> str:
    lines = ["# rxqa rules", "", "Generated from the rules' docstrings by `python -m pipelines.rules.docs`; do not edit.", "",
             "| code | name | severity | finds |", "| --- | --- | --- | --- |"]
    for code, rule in sorted(REGISTRY.items()):
        lines.append(f"| [{code}]({code}.md) | {rule.name} | {rule.severity} | {rule.docs()['summary']} |")
    return "\n".join(lines) + "\n"


def generated_docs() -> dict[str, str]:
    """File name → content for docs/rules/."""
    files = {f"{code}.md": rule_markdown(rule) for code, rule in REGISTRY.items()}
    files["README.md"] = index_markdown()
    return files


if __name__ == "__main__":
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "docs" / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generated_docs().items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(generated_docs())} files to {folder}")
