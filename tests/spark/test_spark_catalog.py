"""The raw tables' presence read from Spark's catalogue (orchestration/quality/relations.py).

Spark has no information_schema; the Python steps list the catalogue instead. Spark lists a
session's temporary views in every schema: the run summary read after a run's checks (which
create temporary views, orchestration/spark.py) failed with TABLE_OR_VIEW_NOT_FOUND until they
were left out. On the demo's metastore (the session fixture).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from orchestration.ingest.contract import load_contract
from orchestration.quality.relations import presence
from tests.dbt_cli import REPO
from tests.spark.conftest import SparkDemo

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_presence_ignores_the_sessions_temporary_views(
    spark_demo: SparkDemo, spark_session: Any
) -> None:
    contract = load_contract(REPO)
    spark_session.sql("create or replace temporary view revops_probe_view as select 1 as x")
    try:
        found = presence(SimpleNamespace(spark=spark_session), contract)
    finally:
        spark_session.catalog.dropTempView("revops_probe_view")
    loaded = {f"raw_{r.system}.{r.table}" for r in spark_demo.spark_loads if r.rows_loaded}
    assert loaded, "the demo loads raw tables"
    assert loaded <= found.present, loaded - found.present
    assert not any("revops_probe_view" in name for name in found.present)
