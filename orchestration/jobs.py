"""Jobs: the whole pipeline, its full-refresh and daily-incremental runs, and single steps.

The CLI executes these same jobs in process, so a run from the terminal follows the code path
of a run launched from the Dagster UI.

| job               | selects                       | who starts it                               |
|-------------------|-------------------------------|---------------------------------------------|
| full_pipeline     | everything                    | `revops run` (adds the full-refresh tag on  |
|                   |                               | `--full-refresh`), the UI                   |
| full_refresh      | everything, dbt --full-refresh| the UI, after a model or contract change    |
| daily_incremental | everything                    | the daily schedule (window: the day         |
|                   |                               | before), the landing sensor (no window),    |
|                   |                               | reprocessing a range (window tag, one run)  |
| load              | the raw tables, no checks     | `revops load`                               |
| build             | the dbt layers and their      | `revops build`                              |
|                   | checks                        |                                             |
| report            | the weekly report             | `revops report`                             |

"everything" ends with the BI serving file and Parquet export (``serving/marts_duckdb``,
orchestration/serving.py) after every mart, and includes the raw tables' Great Expectations
suites (``raw_table_suites``): there they run between loading and dbt, and an error-severity
suite blocks the models of its table.
The ``load`` job only loads: ingestion and the quality suite are separate steps, and the suites
run in the jobs above or on their own with ``revops check``.

No job is partitioned (why: orchestration/assets/dbt.py). A run that should reprocess some
days carries the tag ``revops/window=<start>..<end>`` (``window_tag``); without it, the
incremental models take every row since their high-water mark.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from orchestration.assets.dbt import FULL_REFRESH_TAG

RAW_GROUPS = ("raw_salesforce", "raw_hubspot", "raw_ads", "raw_web")
DBT_GROUPS = ("staging", "intermediate", "marts", "semantic", "snapshots")

raw_assets = AssetSelection.groups(*RAW_GROUPS)
# Dagster puts an asset's checks into any selection of the asset: the load job drops them.
raw_load_selection = raw_assets.without_checks()
dbt_selection = AssetSelection.groups(*DBT_GROUPS)
report_selection = AssetSelection.groups("reports")

full_pipeline_job = define_asset_job(
    "full_pipeline",
    selection=AssetSelection.all(),
    description="Load the landing folder, build every dbt model and test, run the quality "
    "checks and write the weekly report.",
)
full_refresh_job = define_asset_job(
    "full_refresh",
    selection=AssetSelection.all(),
    tags={FULL_REFRESH_TAG: "true"},
    description="The whole pipeline with `dbt build --full-refresh`: incremental models are "
    "rebuilt from all raw rows.",
)
daily_incremental_job = define_asset_job(
    "daily_incremental",
    selection=AssetSelection.all(),
    description="Load new landing files, then dbt: incremental models rebuild the days of the "
    "run's window (tag revops/window=<start>..<end>, vars min_date/max_date) and take every "
    "row since their high-water mark; checks and the weekly report follow.",
)
load_job = define_asset_job(
    "load",
    selection=raw_load_selection,
    description="Load the landing folder into the raw schemas only (no quality checks: "
    "`revops check` or the full pipeline runs the raw suites).",
)
build_job = define_asset_job(
    "build", selection=dbt_selection, description="dbt build (models, seeds, snapshots, tests)."
)
report_job = define_asset_job("report", selection=report_selection, description="Weekly report.")

JOBS = [full_pipeline_job, full_refresh_job, daily_incremental_job, load_job, build_job, report_job]
