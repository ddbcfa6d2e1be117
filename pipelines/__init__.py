"""rxqa: checks drug and regimen facts in cancer patient-education pages.

The Python API is one call::

    import pipelines
    result = pipelines.check(["data/content"], market="CA")
    result.drug_table, result.regimen_table, result.findings
"""
__version__ = "0.1.0"

__all__ = ["check", "RunResult", "__version__"]


def __getattr__(name: str):
    # imported on first use, so that `rxqa --help` does not load pandas and pandera
    if name in ("check", "RunResult"):
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'pipelines' has no attribute {name!r}")
