"""The rxqa command: a thin shell over the Python API."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import RxqaError

SEVERITY_ORDER = ("error", "warning", "info")


def _codes(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rxqa")
def cli() -> None:
    """Check drug and regimen facts in cancer patient-education pages."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--reference", type=click.Path(path_type=Path), help="Reference folder (default: data/reference).")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default: reports).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Exit 1 on new findings at or above this severity.")
@click.option("--select", help="Only these codes or prefixes, comma-separated (BG001,RG).")
@click.option("--ignore", help="Skip these codes or prefixes, comma-separated.")
@click.option("--market", type=click.Choice(["CA", "US", "UK"]), help="Market whose brands BG008 checks.")
@click.option("--baseline", type=click.Path(path_type=Path), help="Report findings in this baseline as 'baseline'; fail only on new ones.")
@click.option("--waivers", type=click.Path(path_type=Path), help="Waiver file (default: data/waivers.yaml).")
@click.option("--previous", type=click.Path(path_type=Path), help="Compare with the outputs of this earlier run (default: the output folder).")
@click.option("--data-docs/--no-data-docs", default=True, help="Build Great Expectations Data Docs (imports GX; slower).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", help="What to print on the terminal.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes for reading pages (default: the available cores).")
@click.option("--no-cache", is_flag=True, help="Re-read every page instead of reusing unchanged ones.")
@click.option("--quiet", "-q", is_flag=True, help="Print the summary only, not each finding.")
@click.option("--timings", is_flag=True, help="Print how long each stage and each report took, with each report's CPU in the kernel and memory pages faulted in (on stderr).")
def check(paths, reference, out, fail_on, select, ignore, market, baseline, waivers, previous, data_docs, fmt, jobs, no_cache, quiet, timings) -> None:
    """Check PATHS (files or folders; default: [tool.rxqa] content) and write the reports."""
    started = time.perf_counter()
    from .collector import fewer_collections
    from .config import load_settings
    from .discover import refuse_output_inside
    from .processes import default_jobs
    from .report import write_reports
    from .run import check as run_check
    from schemas import leave_out_pandera_strategies

    leave_out_pandera_strategies()  # this process validates tables and never makes up data
    settings = load_settings().merged(
        reference=_str(reference), out=_str(out), fail_on=fail_on, select=_codes(select), ignore=_codes(ignore),
        market=market, baseline=_str(baseline), waivers=_str(waivers), jobs=jobs, cache_dir="" if no_cache else None,
    )
    startup = time.perf_counter() - started  # the imports the run needs and the settings
    out_dir = settings.path(settings.out)
    roots = list(paths) or [settings.path(c) for c in settings.content]
    refuse_output_inside(roots, out_dir)
    with fewer_collections():  # to the end: a full collection would walk every outcome and finding
        result = run_check(list(paths) or None, settings=settings, texts_in_cache=True)  # read by the writers, as they need them
        try:
            written = write_reports(
                result, out_dir, skip=set() if data_docs else {"data_docs"}, jobs=settings.jobs or default_jobs(), previous=Path(previous or out_dir)
            )
        except OSError as exc:
            raise RxqaError(f"{out_dir}: cannot write the reports ({exc.strerror or exc}); the previous reports are unchanged") from None
        if fmt == "json":
            from .report.terminal import json_text

            click.echo(json_text(result))
        else:
            if fmt == "github":
                from .report.terminal import github_lines

                for line in github_lines(result, Path.cwd()):
                    click.echo(line)
            _print_summary(result, out_dir, written, quiet or fmt == "github")
        if timings:
            from .report.terminal import timing_lines

            for line in timing_lines(result, startup, time.perf_counter() - started):
                click.echo(line, err=True)
    sys.exit(result.exit_code)


def _str(value) -> str | None:
    return str(value) if value is not None else None


def _print_summary(result, out_dir: Path, written: list[str], quiet: bool) -> None:
    from .changes import summary_lines

    counts = result.counts()
    if not quiet:
        from .report.terminal import text_lines

        for line in text_lines(result):
            click.echo(line)
        if result.findings:
            click.echo("")
    click.echo(
        f"rxqa {result.version}: {counts['pages']} pages, {counts['drug_mentions']} drug mentions, "
        f"{counts['regimen_mentions']} regimen mentions, {counts['findings']} findings"
    )
    severities = ", ".join(f"{counts['by_severity'].get(s, 0)} {s}" for s in SEVERITY_ORDER)
    click.echo(f"  by severity: {severities}")
    if counts["by_code"]:
        click.echo("  by code: " + ", ".join(f"{c} {n}" for c, n in counts["by_code"].items()))
    failing = result.failing()
    verdict = f"{len(failing)} new finding(s) at or above {result.settings.fail_on}" if failing else "no new findings at or above " + result.settings.fail_on
    for line in summary_lines(result.changes):
        click.echo(line)
    if result.resolved_baseline:
        click.echo(f"  {len(result.resolved_baseline)} baseline finding(s) are resolved: `rxqa baseline write` shrinks the baseline")
    click.echo(f"  {verdict}; wrote {len(written)} outputs to {out_dir}")


@cli.group()
def baseline() -> None:
    """Record today's findings so that CI fails only on new ones."""


@baseline.command("write")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "target", type=click.Path(path_type=Path), default=Path("rxqa-baseline.json"), show_default=True)
@click.option("--reference", type=click.Path(path_type=Path))
@click.option("--market", type=click.Choice(["CA", "US", "UK"]))
def baseline_write(paths, target, reference, market) -> None:
    """Check PATHS and write every finding that is not waived to the baseline file."""
    import json

    from .config import load_settings
    from .report.atomic import write_text_atomic
    from .run import check as run_check
    from .waivers import baseline_payload

    settings = load_settings().merged(reference=_str(reference), market=market, baseline="")
    result = run_check(list(paths) or None, settings=settings)
    payload = baseline_payload(result.findings, result.version)
    write_text_atomic(target, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {len(payload['findings'])} finding(s) to {target}")


@cli.group()
def worksheet() -> None:
    """The editors' worksheet: read their decisions back."""


@worksheet.command("import")
@click.argument("sheet", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--waivers", "waiver_file", type=click.Path(path_type=Path), help="Waiver file to add to (default: data/waivers.yaml).")
@click.option("--reference", type=click.Path(path_type=Path), help="Reference folder.")
@click.option("--editor", default="medical editor (worksheet)", show_default=True, help="Who accepted the waivers.")
def worksheet_import(sheet, paths, waiver_file, reference, editor) -> None:
    """Turn rows of SHEET marked accepted / false positive into waivers, and report rows
    marked fixed that still fail when PATHS (default: [tool.rxqa] content) are checked."""
    from .config import load_settings
    from .run import check as run_check
    from .worksheet_import import import_worksheet

    settings = load_settings().merged(reference=_str(reference), waivers=_str(waiver_file))
    target = settings.path(settings.waivers)
    result = run_check(list(paths) or None, settings=settings)
    added, still_failing = import_worksheet(sheet, target, result, editor)
    click.echo(f"added {added} waiver(s) to {target}")
    for row in still_failing:
        click.echo(f"{row['page']}: {row['code']} {row['text']!r}: marked fixed, still present")
    sys.exit(1 if still_failing else 0)


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List every rule, or print the documentation of one (rxqa rules BG001)."""
    from .rules import REGISTRY
    from .rules.docs import rule_markdown

    if code:
        rule = REGISTRY.get(code.upper())
        if rule is None:
            raise RxqaError(f"{code}: no such rule (see `rxqa rules`)")
        click.echo(rule_markdown(rule))
        return
    for c, rule in sorted(REGISTRY.items()):
        click.echo(f"{c}  {rule.severity:<8} {rule.name:<32} {rule.docs()['summary']}")


@cli.group()
def reference() -> None:
    """Validate the reference or look a name up in it."""


@reference.command("check")
@click.option("--reference", "directory", type=click.Path(path_type=Path), help="Reference folder (default: data/reference).")
@click.option("--stamp", is_flag=True, help="When the tables pass, stamp the folder (validated.json) so that checks take them as valid until a file or rxqa's validation changes.")
def reference_check(directory, stamp) -> None:
    """Validate the reference tables (SC002) and list every broken line."""
    from .config import load_settings
    from .errors import ReferenceInvalid
    from .reference.load import all_problems, load_reference

    settings = load_settings()
    folder = directory or settings.path(settings.reference)
    try:
        ref = load_reference(folder)  # validated once when it passes; every broken line is listed when not
    except ReferenceInvalid as exc:
        for p in all_problems(folder) or [str(exc)]:
            click.echo(p, err=True)
        sys.exit(2)
    from .reference.show import counts

    markets = {m: sum(1 for b in ref.brands if b.market == m) for m in ("CA", "US", "UK")}
    click.echo(f"{folder}: valid: {len(ref.drugs)} drugs, {len(ref.brands)} brand rows ({', '.join(f'{m} {n}' for m, n in markets.items())}), {len(ref.regimens)} regimens")
    for line in counts(ref):
        click.echo(f"  {line}")
    if stamp:
        from .reference.stamp import write_stamp

        try:
            click.echo(f"stamped: {write_stamp(folder, ref.digest)}")
        except OSError as exc:
            raise RxqaError(f"{folder}: cannot write the stamp ({exc.strerror or exc})") from None


@reference.command("import")
@click.argument("source", type=click.Choice(["rxnorm", "dpd", "hemonc"]))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the merged reference.")
@click.option("--curated", type=click.Path(path_type=Path, file_okay=False), help="Curated reference to merge into (default: the configured one).")
@click.option("--checked", help="Date the imported rows were checked (YYYY-MM-DD; default: today).")
@click.option("--all", "show_all", is_flag=True, help="List every added, changed and conflicting row.")
def reference_import(source, files, out_dir, curated, checked, show_all) -> None:
    """Build reference tables from files a team downloaded itself (RxNorm RRF, Health
    Canada DPD extract, HemOnc OMOP CSV). Curated rows are never overwritten: differences
    and conflicts are listed. Nothing is fetched."""
    from .config import load_settings
    from .reference.importers import import_reference

    settings = load_settings()
    report = import_reference(source, list(files), out_dir, curated or settings.path(settings.reference), checked=checked)
    for line in report.lines(limit=None if show_all else 20):
        click.echo(line)


@reference.command("show")
@click.argument("name")
@click.option("--reference", "directory", type=click.Path(path_type=Path), help="Reference folder.")
def reference_show(name: str, directory) -> None:
    """Everything rxqa knows about NAME (a generic, brand, abbreviation or regimen)."""
    from .config import load_settings
    from .reference.load import load_reference
    from .reference.show import describe

    settings = load_settings()
    ref = load_reference(directory or settings.path(settings.reference))
    text = describe(ref, name)
    if not text:
        raise RxqaError(f"{name}: not in the reference")
    click.echo(text)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors are one line on stderr and exit 2, never a traceback.
    Run as the `rxqa` command (no `argv`), the process ends without tearing the
    interpreter down: freeing a large run's objects one at a time took about 0.4 s
    after a check of 10,000 pages, and nothing is left to do then."""
    code = _run(argv)
    if argv is not None:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        pass
    os._exit(code)


def _run(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="rxqa", standalone_mode=False)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
            return 1
        return exc.code or 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("rxqa: aborted", err=True)
        return 2
    except click.UsageError as exc:
        click.echo(f"rxqa: error: {exc.format_message()}", err=True)
        return 2
    except RxqaError as exc:
        click.echo(f"rxqa: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        click.echo("rxqa: interrupted", err=True)
        return 2
    return 0


if __name__ == "__main__":
    main()
