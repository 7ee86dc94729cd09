"""Data quality: Great Expectations suites over the raw tables and the cross-system rules.

``runner.run_suites`` is the entry point (the CLI's ``revops check`` and the Dagster asset
checks both call it); ``config`` reads expectations/checks.yml, ``rules`` runs the SQL of the
consistency catalogue, ``validation`` validates DataFrames with GX, ``history`` appends every
result to quality.dq_check_results.
"""
