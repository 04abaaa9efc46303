"""Report writers, one module per format, all behind `write_report(report, format, stream)`."""

from flagger.report.registry import FORMATS, write_report

__all__ = ["FORMATS", "write_report"]
