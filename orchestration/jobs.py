"""Jobs: the whole pipeline, its full-refresh and daily-incremental runs, and single steps.

The CLI executes these same jobs in process, so a run from the terminal follows the code path
of a run launched from the Dagster UI.

| job               | selects                       | who starts it                               |
|-------------------|-------------------------------|---------------------------------------------|
| full_pipeline     | everything                    | `revops run` (adds the full-refresh tag on  |
|                   |                               | `--full-refresh`), the UI                   |
| full_refresh      | everything, dbt --full-refresh| the UI, after a model or contract change    |
| daily_incremental | everything                    | the daily schedule (one partition: the day  |
|                   |                               | before), the landing sensor (no partition:  |
|                   |                               | dbt's own high-water mark), backfills       |
| load / build / report | one layer                 | `revops load|build|report`                  |

The incremental dbt step is daily-partitioned (orchestration/assets/dbt.py); every other asset
is not, so a run without a partition is valid for every job.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from orchestration.assets.dbt import FULL_REFRESH_TAG

RAW_GROUPS = ("raw_salesforce", "raw_hubspot", "raw_ads", "raw_web")
DBT_GROUPS = ("staging", "intermediate", "marts", "snapshots")

raw_assets = AssetSelection.groups(*RAW_GROUPS)
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
    description="Load new landing files, then dbt: incremental models process the partition's "
    "day (vars min_date/max_date) or, without a partition, rows since their high-water mark; "
    "checks and the weekly report follow.",
)
load_job = define_asset_job("load", selection=raw_assets, description="Load raw files only.")
build_job = define_asset_job(
    "build", selection=dbt_selection, description="dbt build (models, seeds, snapshots, tests)."
)
report_job = define_asset_job("report", selection=report_selection, description="Weekly report.")

JOBS = [full_pipeline_job, full_refresh_job, daily_incremental_job, load_job, build_job, report_job]
