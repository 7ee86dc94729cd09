"""Jobs: the whole pipeline and its single steps, as asset selections.

The CLI executes these same jobs in process, so a run from the terminal follows the code path
of a run launched from the Dagster UI.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

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
load_job = define_asset_job("load", selection=raw_assets, description="Load raw files only.")
build_job = define_asset_job(
    "build", selection=dbt_selection, description="dbt build (models, seeds, snapshots, tests)."
)
report_job = define_asset_job("report", selection=report_selection, description="Weekly report.")

JOBS = [full_pipeline_job, load_job, build_job, report_job]
