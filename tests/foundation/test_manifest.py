"""prepare_manifest: `dbt parse` runs when the project changed, and only then.

The dbt process is replaced by a fake that counts its calls and writes a manifest, on a copy of
the project's dbt inputs, so these tests neither touch target/ nor depend on dbt's speed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from orchestration import dbt_project
from orchestration.dbt_project import (
    manifest_fingerprint,
    manifest_is_current,
    prepare_manifest,
)
from orchestration.settings import PROJECT_DIR, Settings

MODEL = Path("models/staging/web/stg_web__sessions.sql")
DAY_1, DAY_2 = datetime(2026, 1, 1), datetime(2026, 2, 1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of every dbt input of the repository (no target/)."""
    copy = tmp_path / "project"
    for name in ("models", "macros", "seeds", "snapshots", "tests/dbt"):
        if (PROJECT_DIR / name).is_dir():
            shutil.copytree(PROJECT_DIR / name, copy / name)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, copy / name)
    assert (copy / MODEL).exists(), f"{MODEL} moved: pick another model for these tests"
    return copy


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env().with_(target="duckdb", duckdb_path=tmp_path / "w.duckdb")


class FakeDbt:
    """Stands in for subprocess.run of `dbt parse`: counts calls, writes the manifest."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.started_from: list[str | None] = []  # the partial-parse state each call found
        self.returncode = 0

    def __call__(self, cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(cmd))
        assert cmd[1] == "parse"
        target = Path(cmd[cmd.index("--target-path") + 1])
        state = target / "partial_parse.msgpack"
        self.started_from.append(state.read_text() if state.exists() else None)
        if self.returncode == 0:
            target.mkdir(parents=True, exist_ok=True)
            state.write_text(cmd[cmd.index("--vars") + 1] if "--vars" in cmd else "no vars")
            manifest = {"metadata": {"parse": len(self.calls)}, "nodes": {}}
            (target / "manifest.json").write_text(json.dumps(manifest))
        return subprocess.CompletedProcess(cmd, self.returncode, "", "parse error")


@pytest.fixture
def dbt(monkeypatch: pytest.MonkeyPatch) -> FakeDbt:
    fake = FakeDbt()
    monkeypatch.setattr(dbt_project.subprocess, "run", fake)
    return fake


def test_a_model_change_changes_the_structure_fingerprint(project: Path, settings: Settings):
    before = manifest_fingerprint(settings, project)
    assert manifest_fingerprint(settings, project) == before  # deterministic
    model = project / MODEL
    model.write_text(model.read_text() + "\n-- edited\n")
    after = manifest_fingerprint(settings, project)
    assert after["structure"] != before["structure"]
    assert after["parse_state"] == before["parse_state"]


def test_settings_dbt_parses_with_change_the_parse_state_only(project: Path, settings: Settings):
    base = manifest_fingerprint(settings, project, DAY_1)
    for changed, as_of in (
        (settings, DAY_2),
        (settings, None),
        (settings.with_(duckdb_path=settings.duckdb_path.with_name("other.duckdb")), DAY_1),
    ):
        fingerprint = manifest_fingerprint(changed, project, as_of)
        assert fingerprint["structure"] == base["structure"]
        assert fingerprint["parse_state"] != base["parse_state"]
    # the target is structure: the adapter type becomes Dagster's asset kinds
    assert (
        manifest_fingerprint(settings.with_(target="postgres"), project)["structure"]
        != (base["structure"])
    )


def test_dbt_parse_runs_only_when_something_changed(
    project: Path, settings: Settings, dbt: FakeDbt
):
    manifest = prepare_manifest(settings, project_dir=project)
    assert manifest == dbt_project.target_dir(project) / "manifest.json" and manifest.exists()
    assert len(dbt.calls) == 1
    assert (dbt_project.target_dir(project) / dbt_project.FINGERPRINT_NAME).exists()

    prepare_manifest(settings, project_dir=project)
    assert len(dbt.calls) == 1, "nothing changed, yet dbt parse ran again"
    assert manifest_is_current(settings, project_dir=project)

    model = project / MODEL
    model.write_text(model.read_text() + "\n-- edited\n")
    assert not manifest_is_current(settings, project_dir=project)
    prepare_manifest(settings, project_dir=project)
    assert len(dbt.calls) == 2, "a model changed, yet dbt parse did not run"
    prepare_manifest(settings, project_dir=project)
    assert len(dbt.calls) == 2

    prepare_manifest(settings, project_dir=project, force=True)
    assert len(dbt.calls) == 3


def test_dbt_target_path_moves_the_parse(
    project: Path, settings: Settings, dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DBT_TARGET_PATH", "target/worker-a")
    manifest = prepare_manifest(settings, project_dir=project)
    assert manifest == project / "target" / "worker-a" / "manifest.json" and manifest.exists()
    monkeypatch.setenv("DBT_TARGET_PATH", str(project / "elsewhere"))
    assert not manifest_is_current(settings, project_dir=project)
    assert (
        prepare_manifest(settings, project_dir=project) == project / "elsewhere" / "manifest.json"
    )
    assert len(dbt.calls) == 2


def test_a_run_without_dbt_steps_needs_only_the_structure(
    project: Path, settings: Settings, dbt: FakeDbt
):
    prepare_manifest(settings, project_dir=project, as_of=DAY_1)
    prepare_manifest(settings, for_dbt_build=False, project_dir=project, as_of=DAY_2)
    assert len(dbt.calls) == 1
    # a dbt build starts from dbt's partial-parse state: it must match the run's vars
    prepare_manifest(settings, project_dir=project, as_of=DAY_2)
    assert len(dbt.calls) == 2
    parse = dbt.calls[-1]
    assert parse[parse.index("--vars") + 1] == '{"as_of": "2026-02-01T00:00:00Z"}'
    prepare_manifest(settings, project_dir=project, as_of=DAY_2)
    assert len(dbt.calls) == 2


def test_a_parse_state_that_comes_back_starts_from_its_own_partial_parse_state(
    project: Path, settings: Settings, dbt: FakeDbt
):
    """dbt parses in full when the vars or the profile differ from its partial-parse state:
    the state of a recent parse with the same ones is put back first; a few are kept."""
    prepare_manifest(settings, project_dir=project, as_of=DAY_1)
    prepare_manifest(settings, project_dir=project, as_of=DAY_2)
    prepare_manifest(settings, project_dir=project, as_of=DAY_1)
    assert len(dbt.calls) == 3
    day_1 = '{"as_of": "2026-01-01T00:00:00Z"}'
    assert dbt.started_from == [None, day_1, day_1]
    other = settings.with_(duckdb_path=settings.duckdb_path.with_name("other.duckdb"))
    prepare_manifest(other, project_dir=project, as_of=DAY_1)
    assert dbt.started_from[-1] == day_1  # nothing kept for this warehouse: the last state
    states = dbt_project.target_dir(project) / dbt_project.PARSE_STATES_DIRNAME
    for day in range(1, dbt_project.PARSE_STATES_KEPT + 3):
        prepare_manifest(settings, project_dir=project, as_of=datetime(2025, 3, day))
    assert len(list(states.glob("*.msgpack"))) == dbt_project.PARSE_STATES_KEPT


def test_a_manifest_written_by_another_dbt_command_is_parsed_again(
    project: Path, settings: Settings, dbt: FakeDbt
):
    manifest = prepare_manifest(settings, project_dir=project)
    manifest.write_text(json.dumps({"metadata": {"parse": "someone else's"}, "nodes": {"x": 1}}))
    prepare_manifest(settings, for_dbt_build=False, project_dir=project)
    assert len(dbt.calls) == 2


def test_no_fingerprint_is_kept_after_a_failed_parse(
    project: Path, settings: Settings, dbt: FakeDbt
):
    prepare_manifest(settings, project_dir=project)
    model = project / MODEL
    model.write_text(model.read_text() + "\n{{ broken\n")
    dbt.returncode = 2
    with pytest.raises(RuntimeError, match="dbt parse failed"):
        prepare_manifest(settings, project_dir=project)
    assert not (dbt_project.target_dir(project) / dbt_project.FINGERPRINT_NAME).exists()
    assert not manifest_is_current(settings, project_dir=project)
    dbt.returncode = 0
    prepare_manifest(settings, project_dir=project)
    assert len(dbt.calls) == 3


def test_a_real_parse_records_what_it_parsed():
    """With the real dbt: the manifest is then current, and the second call parses nothing."""
    settings = Settings.from_env()
    manifest = prepare_manifest(settings)  # the session fixture's parse, or a new one
    assert manifest_is_current(settings)
    stored = json.loads((manifest.parent / dbt_project.FINGERPRINT_NAME).read_text())
    assert set(stored) == {"structure", "parse_state", "manifest"}
    assert json.loads(manifest.read_text())["nodes"], "a real manifest has nodes"
