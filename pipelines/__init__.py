"""rxqa: checks drug and regimen facts in cancer patient-education pages.

The Python API is one call::

    import pipelines
    result = pipelines.check(["data/content"], market="CA")
    result.drug_table, result.regimen_table, result.findings
"""
__version__ = "0.1.0"

from .run import RunResult, check  # noqa: E402

__all__ = ["check", "RunResult", "__version__"]
