"""The weekly alignment report: sections read from the marts, charts, Jinja2 templates.

``write_report(settings, as_of)`` writes reports/weekly_report.html and weekly_report.md with the
charts as PNG files in reports/weekly_report_charts/.
"""

from orchestration.report.build import generate_report, write_report

__all__ = ["generate_report", "write_report"]
