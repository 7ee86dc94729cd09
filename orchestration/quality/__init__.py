"""Data quality: Great Expectations suites over the raw tables and the cross-system rules.

``runner.run_suites`` is the entry point (the CLI's ``revops check`` and the Dagster asset
checks both call it); ``config`` reads expectations/checks.yml, ``models`` builds the dbt models
of the consistency rules (models/quality, one view per rule) whose rows the runner counts,
``validation`` validates DataFrames with GX, ``history`` appends every result to
quality.dq_check_results.
"""
